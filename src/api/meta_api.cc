// GET /api/v1/meta/entities: the entities the caller's role may read, with their fields as the
// server applies them (built-in and custom), so clients such as the web app build forms,
// columns and filters from what the server enforces instead of keeping a copy that drifts.
#include <boost/json.hpp>
#include <cstdint>

#include "api/api.h"
#include "api/schema.h"
#include "domain/entity.h"
#include "domain/validate.h"
#include "service/entity_defs.h"

namespace keel::api {
namespace json = boost::json;
using domain::FieldType;

namespace {

bool text_kind(FieldType t) {
  return t == FieldType::text || t == FieldType::long_text || t == FieldType::email || t == FieldType::phone ||
         t == FieldType::url;
}

bool list_kind(FieldType t) {
  return t == FieldType::ref_list || t == FieldType::tags || t == FieldType::emails || t == FieldType::phones ||
         t == FieldType::objects;
}

json::object field_json(const domain::FieldDef& f) {
  json::object o{{"name", f.name},
                 // An `objects` field by what it holds ("stages"), which is what clients edit.
                 {"type", f.items ? f.items->kind : std::string(domain::type_name(f.type))},
                 {"required", f.required},
                 {"read_only", f.read_only},
                 {"filterable", f.filterable},
                 {"sortable", f.sortable},
                 {"searchable", f.search.has_value()},
                 {"custom", false}};
  // max_length means code points for text and items for lists; other kinds carry no length.
  if (text_kind(f.type)) o["max_length"] = f.max_length;
  if (list_kind(f.type)) o["max_items"] = f.max_length;
  if (f.min != INT64_MIN) o["min"] = f.min;
  if (f.max != INT64_MAX) o["max"] = f.max;
  if (!f.choices.empty()) {
    json::array c;
    for (const auto& s : f.choices) c.emplace_back(s);
    o["choices"] = std::move(c);
  }
  if (!f.ref_entity.empty()) o["ref_entity"] = f.ref_entity;
  return o;
}

// A custom field as the server applies it: its effective FieldDef (service/entity_defs.h:
// filterable, sortable, searchable, bounds, choices) under its administered name, label and
// type name (text, number, integer, money, date, select, boolean).
json::object custom_field_json(const domain::CustomFieldDef& d, const domain::FieldDef& f) {
  json::object o = field_json(f);
  o["type"] = d.type;
  o["label"] = d.label;
  o["custom"] = true;
  return o;
}

// Columns every record has that clients filter, sort and show like fields.
json::array system_fields_json() {
  json::array a;
  a.push_back(json::object{{"name", "owner_id"},
                           {"type", "ref"},
                           {"ref_entity", "users"},
                           {"required", false},
                           {"read_only", false},
                           {"filterable", true},
                           {"sortable", false},
                           {"searchable", false},
                           {"custom", false},
                           {"system", true}});
  for (const char* c : {"created_at", "updated_at"})
    a.push_back(json::object{{"name", c},
                             {"type", "datetime"},
                             {"required", false},
                             {"read_only", true},
                             {"filterable", true},
                             {"sortable", true},
                             {"searchable", false},
                             {"custom", false},
                             {"system", true}});
  return a;
}

// One entity as the server applies it now: its effective definition, the built-in fields plus
// one field per custom field, as lists, validation and the OpenAPI document read it.
json::object entity_meta_json(store::Tx& tx, const domain::EntityDef& def) {
  json::array fields;
  for (const auto& f : def.fields) fields.push_back(field_json(f));
  const service::EffectiveEntityPtr eff = service::effective_entity(tx, def);
  for (size_t i = 0; i < eff->custom_defs.size(); ++i)
    fields.push_back(custom_field_json(eff->custom_defs[i], eff->custom[i]));
  for (auto& s : system_fields_json()) fields.push_back(std::move(s));
  json::array any_of_required;
  for (const auto& f : def.any_of_required) any_of_required.push_back(json::value(f));
  return json::object{{"name", def.name},
                      {"singular", def.singular},
                      {"title_field", def.title_field},
                      {"catalog", def.catalog},
                      {"any_of_required", std::move(any_of_required)},
                      {"fields", std::move(fields)}};
}

// A field as builtin_field_json, custom_field_json and system_fields_json write it.
json::object field_schema() {
  using schema::boolean;
  using schema::integer;
  using schema::str;
  json::object field =
      schema::object_of({{"name", str()},
                         {"type", str()},
                         {"label", str()},
                         {"required", boolean()},
                         {"read_only", boolean()},
                         {"max_length", integer()},
                         {"max_items", integer()},
                         {"min", integer()},
                         {"max", integer()},
                         {"choices", schema::array_of(str())},
                         {"ref_entity", str()},
                         {"filterable", boolean()},
                         {"sortable", boolean()},
                         {"searchable", boolean()},
                         {"custom", boolean()},
                         {"system", boolean()}},
                        {"name", "type", "required", "read_only", "filterable", "sortable", "searchable", "custom"});
  std::string custom_types;
  for (const auto& t : domain::custom_field_types()) custom_types += (custom_types.empty() ? "" : ", ") + t;
  field["description"] =
      "type: a built-in kind (text, long_text, email, phone, url, integer, money, currency, date, datetime, "
      "boolean, choice, ref, ref_list, tags, emails, phones, stages, line_items, decimal) or, for a custom "
      "field, one of " +
      custom_types;
  return field;
}

// The entity's cross-field rule that a record needs one of these fields (a contact's first or
// last name), so forms can say so instead of marking one field required; empty when it has none.
json::object any_of_required_schema() {
  json::object s = schema::array_of(schema::str());
  s["description"] = "A record needs at least one of these fields (empty: no such rule)";
  return s;
}

}  // namespace

void add_meta_routes(Api& api) {
  api.route(RouteSpec{.method = "GET",
                      .path = "/api/v1/meta/entities",
                      .summary = "Entities the caller may read, with their built-in and custom fields",
                      .replies = {{200, "Entities the caller may read, with their built-in, custom and system fields",
                                   schema::data_of(schema::object_of(
                                       {{"name", schema::str()},
                                        {"singular", schema::str()},
                                        {"title_field", schema::str()},
                                        {"catalog", schema::boolean()},
                                        {"any_of_required", any_of_required_schema()},
                                        {"fields", schema::array_of(field_schema())}},
                                       {"name", "singular", "title_field", "catalog", "any_of_required", "fields"}))}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        json::array data;
                        api.db().read([&](store::Tx& tx) {
                          for (const auto& def : domain::entities())
                            if (c.principal->perms.on(def.name).read != auth::Scope::none)
                              data.push_back(entity_meta_json(tx, def));
                        });
                        return http::json_response(200, json::object{{"data", std::move(data)}});
                      }});
}

}  // namespace keel::api
