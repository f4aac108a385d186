#include "service/custom_fields.h"

#include <boost/json.hpp>
#include <regex>

#include "core/error.h"
#include "core/ids.h"
#include "core/text.h"
#include "domain/entity.h"
#include "domain/validate.h"
#include "service/admin.h"
#include "service/entity_defs.h"
#include "service/journal.h"
#include "service/records.h"
#include "service/versioned_write.h"

namespace keel::service {
namespace json = boost::json;
using domain::FieldType;

namespace {

const char* const kSelect =
    "SELECT id, entity, name, label, type, options, required, max_length, position, version, created_at, updated_at "
    "FROM custom_fields";

json::object custom_field_json(const store::Row& r) {
  boost::system::error_code ec;
  json::value opts = json::parse(r.text(5), ec);
  return {{"id", r.text(0)},
          {"entity", r.text(1)},
          {"name", r.text(2)},
          {"label", r.text(3)},
          {"type", r.text(4)},
          {"options", ec ? json::value(json::array{}) : opts},
          {"required", r.integer(6) != 0},
          {"max_length", r.integer(7)},
          {"position", r.integer(8)},
          {"version", r.integer(9)},
          {"created_at", r.text(10)},
          {"updated_at", r.text(11)}};
}

std::optional<json::object> load(store::Tx& tx, const std::string& id, bool for_update = false) {
  return load_row(tx, kSelect, id, for_update, custom_field_json);
}

json::object field_for_update(store::Tx& tx, const std::string& id) {
  return row_for_update(tx, kSelect, id, custom_field_json, "No such custom field");
}

// Definitions as write_versioned stores them: the row is custom_field_json's, options as JSON
// text. Entity, name and type are written by the create only (custom_field_update_body fixes
// them: stored values are keyed by name and typed by type).
const VersionedTable& custom_field_table() {
  static const VersionedTable table = admin_table(
      "custom_fields",
      [](const json::object& f, bool creating) -> Columns {
        Columns c{{"label", member_text(f, "label", {})},
                  {"options", json::serialize(f.at("options"))},
                  {"required", flag(f, "required")},
                  {"max_length", f.at("max_length").as_int64()},
                  {"position", f.at("position").as_int64()}};
        if (creating)
          for (const char* k : {"entity", "name", "type"}) c.emplace_back(k, member_text(f, k, {}));
        return c;
      },
      [](store::Tx& tx, const std::string& id) { return load(tx, id); });
  return table;
}

// A select field's choices: an array of 1 to 100 characters each.
json::value check_options(const json::value& v, const std::string& path, FieldErrors& errors) {
  if (!v.is_array()) {
    errors.add(path, "invalid_type", "Must be an array of strings");
    return nullptr;
  }
  json::array out;
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    const auto& o = v.as_array()[i];
    if (!o.is_string() || o.as_string().empty() || utf8_length(o.as_string()) > 100)
      errors.add(path + "[" + std::to_string(i) + "]", "invalid_format", "Each option is 1 to 100 characters");
    else
      out.push_back(o);
  }
  return out;
}

// On create, null means "none given"; a change must send an array or leave the member out.
domain::BodyField options_field(bool nullable) {
  domain::BodyField f{domain::typed("options", FieldType::tags), check_options, {}, nullable};
  f.def.description = "The choices of a select field, 1 to 100 characters each";
  f.schema = {{"type", "array"}, {"items", {{"type", "string"}, {"minLength", 1}, {"maxLength", 100}}}};
  return f;
}

// The settings both bodies share.
void add_settings(domain::BodyDef& b, bool creating) {
  b.fields.push_back(options_field(creating));
  b.fields.push_back({domain::typed("required", FieldType::boolean), {}, {}, false});
  b.fields.push_back({domain::bounded(domain::typed("max_length", FieldType::integer), 1, 5000), {}, {}, false});
  b.fields.push_back({domain::typed("position", FieldType::integer), {}, {}, false});
}

// `entity` is one of domain::entities() (checked by the body).
bool entity_has_records(store::Tx& tx, const std::string& entity) {
  const domain::EntityDef* def = domain::find_entity(entity);
  return def && has_records(tx, *def);
}

}  // namespace

const domain::BodyDef& custom_field_create_body() {
  static const domain::BodyDef body = [] {
    domain::BodyDef b;
    b.name = "CustomFieldInput";
    std::vector<std::string> names;
    for (const auto& e : domain::entities()) names.push_back(e.name);
    domain::BodyField entity{domain::required(domain::choice("entity", names)), {}, {}};
    entity.check = [](const json::value& v, const std::string& path, FieldErrors& errors) -> json::value {
      if (!v.is_string()) {
        errors.add(path, "invalid_type", "Must be a string");
        return nullptr;
      }
      if (!domain::find_entity(v.as_string())) errors.add(path, "unknown_entity", "No such entity");
      return v;
    };
    b.fields.push_back(std::move(entity));
    domain::BodyField name{domain::required(domain::text("name", 40)), {}, {}};
    name.def.description = "Lower-case letters, digits and _, starting with a letter; not a built-in field's name";
    name.check = [](const json::value& v, const std::string& path, FieldErrors& errors) -> json::value {
      static const std::regex name_re("^[a-z][a-z0-9_]{0,39}$");
      json::value s = domain::check_field(domain::required(domain::text("name", 40)), v, path, "UTC", errors);
      if (s.is_string() && !std::regex_match(std::string(s.as_string()), name_re))
        errors.add(path, "invalid_format", "Use lower-case letters, digits and _; start with a letter");
      return s;
    };
    name.schema = {{"type", "string"}, {"pattern", "^[a-z][a-z0-9_]{0,39}$"}};
    b.fields.push_back(std::move(name));
    b.fields.push_back({domain::required(domain::text("label", 100)), {}, {}});
    b.fields.push_back({domain::required(domain::choice("type", domain::custom_field_types())), {}, {}});
    add_settings(b, true);
    // Options belong to select fields only: {member: {other member: the value it needs}}.
    b.schema_extra = {{"x-needs", {{"options", {{"type", "select"}}}}}};
    return b;
  }();
  return body;
}

const domain::BodyDef& custom_field_update_body() {
  static const domain::BodyDef body = [] {
    domain::BodyDef b;
    b.name = "CustomFieldChange";
    b.fields.push_back({domain::required(domain::text("label", 100)), {}, {}});
    add_settings(b, false);
    b.fields.push_back({domain::typed("version", FieldType::integer), {}, {}, false});
    b.fixed = {"entity", "name", "type", "id"};
    b.fixed_message = "A custom field's NAME cannot be changed";
    return b;
  }();
  return body;
}

json::array list_custom_fields(store::Tx& tx, const std::string& entity) {
  auto r = entity.empty() ? tx.query(std::string(kSelect) + " ORDER BY entity, position, name")
                          : tx.query(std::string(kSelect) + " WHERE entity = ? ORDER BY position, name", {entity});
  json::array data;
  for (const auto& row : r.rows) data.push_back(custom_field_json(row));
  return data;
}

json::object create_custom_field(store::Tx& tx, const Context& ctx, const json::object& body) {
  require_admin(ctx);
  FieldErrors errors;
  json::object in = domain::parse_body(custom_field_create_body(), body, true, errors);
  std::string entity = member_text(in, "entity", {}), name = member_text(in, "name", {});
  std::string type = member_text(in, "type", {});
  if (const domain::EntityDef* def = domain::find_entity(entity); def && def->field(name))
    errors.add("name", "duplicate", "A built-in field has this name");
  json::array options =
      in.contains("options") && in.at("options").is_array() ? in.at("options").as_array() : json::array{};
  if (type == "select" && options.empty()) errors.add("options", "required", "A select field needs options");
  if (type != "select" && !options.empty()) errors.add("options", "not_allowed", "Only select fields have options");
  errors.throw_if_any();
  bool required = in.contains("required") && in.at("required").is_bool() && in.at("required").as_bool();
  int64_t max_length =
      in.contains("max_length") && in.at("max_length").is_int64() ? in.at("max_length").as_int64() : 200;
  int64_t position = in.contains("position") && in.at("position").is_int64() ? in.at("position").as_int64() : 0;
  if (tx.one("SELECT 1 FROM custom_fields WHERE entity = ? AND name = ?", {entity, name}))
    throw conflict("name_taken", "This entity already has a custom field with this name");
  // A required field cannot be added while records lack it; it must start optional.
  if (required && entity_has_records(tx, entity))
    throw conflict("records_exist", "Add the field as optional, fill it in, then make it required");
  std::string id = new_uuid_v7(), now = ctx.now_utc();
  json::object row{{"id", id},
                   {"entity", entity},
                   {"name", name},
                   {"label", member_text(in, "label", {})},
                   {"type", type},
                   {"options", options},
                   {"required", required},
                   {"max_length", max_length},
                   {"position", position},
                   {"created_at", now},
                   {"updated_at", now}};
  write_versioned(tx, ctx, custom_field_table(), {.action = "create", .after = row, .at = now});
  custom_fields_changed(tx);
  return row;
}

json::object update_custom_field(store::Tx& tx, const Context& ctx, const std::string& id, const json::object& body,
                                 std::optional<int64_t> if_match) {
  require_admin(ctx);
  FieldErrors errors;
  json::object in = domain::parse_body(custom_field_update_body(), body, false, errors);
  errors.throw_if_any();
  const json::object old = field_for_update(tx, id);
  expect_version(old, client_version(in, if_match));
  const std::string entity(old.at("entity").as_string()), type(old.at("type").as_string());
  const json::value* options = in.if_contains("options");
  if (options && options->is_null()) options = nullptr;
  if (options && type == "select" && options->as_array().empty())
    throw validation_failed({{"options", "required", "A select field needs options"}});
  if (options && type != "select")
    throw validation_failed({{"options", "not_allowed", "Only select fields have options"}});
  json::object row = old;
  row["label"] = member_text(in, "label", old);
  if (options) row["options"] = *options;
  for (const char* k : {"required", "max_length", "position"})
    if (const json::value* v = in.if_contains(k); v && !v->is_null()) row[k] = *v;
  if (row.at("required").as_bool() && !old.at("required").as_bool() && entity_has_records(tx, entity))
    throw conflict("records_exist", "Records exist that may lack this field; it cannot become required");
  if (diff_records(old, row).empty()) return old;  // nothing changed: no new version, no log entries
  std::string now = ctx.now_utc();
  row["updated_at"] = now;
  write_versioned(tx, ctx, custom_field_table(), {.action = "update", .before = &old, .after = row, .at = now});
  custom_fields_changed(tx);
  return row;
}

void delete_custom_field(store::Tx& tx, const Context& ctx, const std::string& id, std::optional<int64_t> if_match) {
  require_admin(ctx);
  const json::object old = field_for_update(tx, id);
  expect_version(old, if_match);
  delete_versioned(tx, ctx, custom_field_table(), old, ctx.now_utc());
  custom_fields_changed(tx);
}

}  // namespace keel::service
