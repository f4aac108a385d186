#include "api/schema.h"

#include <boost/json.hpp>
#include <climits>

namespace keel::api::schema {
namespace json = boost::json;
using domain::FieldType;

json::object ref(const std::string& component) { return {{"$ref", "#/components/schemas/" + component}}; }
json::object str() { return {{"type", "string"}}; }
json::object str_fmt(const char* format) { return {{"type", "string"}, {"format", format}}; }
json::object integer() { return {{"type", "integer"}, {"format", "int64"}}; }
json::object integer(int64_t minimum, int64_t maximum) {
  json::object s = integer();
  if (minimum != INT64_MIN) s["minimum"] = minimum;
  if (maximum != INT64_MAX) s["maximum"] = maximum;
  return s;
}
json::object boolean() { return {{"type", "boolean"}}; }
json::object nullable(json::object s) {
  s["nullable"] = true;
  return s;
}
json::object array_of(json::object items) { return {{"type", "array"}, {"items", std::move(items)}}; }
json::object object_of(json::object props, std::initializer_list<const char*> required) {
  json::object s{{"type", "object"}, {"properties", std::move(props)}};
  if (required.size()) {
    json::array r;
    for (const char* k : required) r.push_back(json::value(k));
    s["required"] = std::move(r);
  }
  return s;
}
json::object data_of(json::object items) { return object_of({{"data", array_of(std::move(items))}}, {"data"}); }

namespace {

json::object text(int max_length, bool required) {
  json::object s{{"type", "string"}, {"maxLength", max_length}};
  if (required) s["minLength"] = 1;  // blank text is refused as `required`
  return s;
}

json::object list(const domain::FieldDef& f, json::object items) {
  return {{"type", "array"}, {"maxItems", f.max_length}, {"items", std::move(items)}};
}

// An array of objects, its items rendered from their own field table (domain::ItemsDef).
json::object objects(const domain::FieldDef& f) {
  const domain::ItemsDef& d = *f.items;
  json::object props;
  json::array required;
  for (const auto& m : d.members) {
    props[m.name] = field(m);
    if (m.required) required.push_back(json::value(m.name));
  }
  json::object item{{"type", "object"}, {"properties", std::move(props)}, {"additionalProperties", false}};
  if (!required.empty()) item["required"] = std::move(required);
  if (!d.any_of_required.empty()) {
    // (An extension rather than anyOf: code generators turn anyOf-of-required into `unknown`.)
    json::array any;
    for (const auto& set : d.any_of_required) {
      json::array names;
      for (const auto& n : set) names.push_back(json::value(n));
      any.push_back(std::move(names));
    }
    item["x-any-of-required"] = std::move(any);
  }
  json::object s = list(f, std::move(item));
  if (d.min_items > 0) s["minItems"] = d.min_items;
  if (!d.description.empty()) s["description"] = d.description;
  return s;
}

}  // namespace

json::object field(const domain::FieldDef& f) {
  json::object s;
  switch (f.type) {
    case FieldType::integer:
    case FieldType::money:
      s = integer(f.min, f.max);
      if (f.type == FieldType::money) s["description"] = "Exact amount in minor units (fen, cents)";
      break;
    case FieldType::boolean:
      s = boolean();
      break;
    case FieldType::decimal:
      s = {{"type", "string"},
           {"pattern", "^-?([0-9]+|[0-9]*[.][0-9]+)$"},
           {"description", "Exact decimal as a string (\"12.50\"); a whole number is accepted too"}};
      break;
    case FieldType::date:
      s = str_fmt("date");
      break;
    case FieldType::datetime:
      s = str_fmt("date-time");
      break;
    case FieldType::email:
      s = text(f.max_length, false);
      s["format"] = "email";
      break;
    case FieldType::url:
      s = text(f.max_length, false);
      s["format"] = "uri";
      break;
    case FieldType::phone:
      s = text(f.max_length, false);
      s["format"] = "phone";
      s["description"] = "5 to 15 digits, with + ( ) - . and spaces";
      break;
    case FieldType::ref:
      s = {{"type", "string"}, {"format", "uuid"}, {"description", "id of a " + f.ref_entity + " record"}};
      break;
    case FieldType::uuid:
      s = str_fmt("uuid");
      break;
    case FieldType::currency:
      s = {{"type", "string"}, {"pattern", "^[A-Z]{3}$"}, {"description", "ISO 4217"}};
      break;
    case FieldType::choice: {
      json::array e;
      for (const auto& c : f.choices) e.push_back(json::value(c));
      s = {{"type", "string"}, {"enum", e}};
      break;
    }
    // Item limits as check_field applies them (domain/validate.cc).
    case FieldType::ref_list: {
      json::object item = str_fmt("uuid");
      item["x-ref"] = f.ref_entity;
      s = list(f, std::move(item));
      break;
    }
    case FieldType::tags:
      s = list(f, text(50, true));
      break;
    case FieldType::phones: {
      json::object item = text(32, true);
      item["format"] = "phone";
      s = list(f, std::move(item));
      break;
    }
    case FieldType::emails: {
      json::object item = text(254, true);
      item["format"] = "email";
      s = list(f, std::move(item));
      break;
    }
    case FieldType::objects:
      s = objects(f);
      break;
    case FieldType::text:
    case FieldType::long_text:
      s = text(f.max_length, f.required);
      break;
  }
  if (!f.description.empty() && !s.contains("description")) s["description"] = f.description;
  // The entity a reference names, for clients and for tests that need a real id to send.
  if (!f.ref_entity.empty() && f.type != FieldType::ref_list) s["x-ref"] = f.ref_entity;
  s["nullable"] = !f.required;
  if (f.read_only) s["readOnly"] = true;
  return s;
}

json::object body(const domain::BodyDef& b, bool creating) {
  json::object props;
  json::array required;
  for (const auto& f : b.fields) {
    json::object s = f.schema.empty() ? field(f.def) : f.schema;
    // OpenAPI 3.0 ignores the siblings of a $ref, so a member that is a reference stays one.
    if (!s.contains("$ref")) {
      if (!f.schema.empty() && !f.def.description.empty()) s["description"] = f.def.description;
      s["nullable"] = !f.def.required && f.nullable;
    }
    props[f.def.name] = std::move(s);
    if (creating && f.def.required) required.push_back(json::value(f.def.name));
  }
  json::object s{{"type", "object"}, {"properties", std::move(props)}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = std::move(required);
  for (const auto& kv : b.schema_extra) s[kv.key()] = kv.value();
  return s;
}

json::object record(const domain::EntityDef& def, RecordShape shape) {
  const bool for_create = shape == RecordShape::create;
  json::object props;
  props["id"] = {{"type", "string"}, {"format", "uuid"}};
  props["version"] = shape == RecordShape::patch
                         ? json::object{{"type", "integer"}, {"description", "If given, must match (as If-Match)"}}
                         : json::object{{"type", "integer"}, {"readOnly", true}};
  props["owner_id"] = {{"type", "string"}, {"format", "uuid"}, {"x-ref", "users"}};
  for (const char* c : {"created_at", "updated_at", "deleted_at"})
    props[c] = {{"type", "string"}, {"format", "date-time"}, {"readOnly", true}, {"nullable", true}};
  for (const char* c : {"created_by", "updated_by", "deleted_by"})
    props[c] = {{"type", "string"}, {"readOnly", true}, {"nullable", true}};
  props["custom"] = {
      {"type", "object"}, {"additionalProperties", true}, {"description", "Custom field values by name"}};
  json::array required;
  for (const auto& f : def.fields) {
    props[f.name] = field(f);
    if (f.required && !f.read_only) required.push_back(json::value(f.name));
  }
  json::object s{{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
  if (for_create && !required.empty()) s["required"] = required;
  if (for_create && !def.any_of_required.empty()) {
    json::array any;
    std::string names;
    for (const auto& f : def.any_of_required) {
      any.push_back(json::array{json::value(f)});
      names += (names.empty() ? "" : " or ") + f;
    }
    // {"x-any-of-required": [[a], [b]]}: at least one of the lists is given in full. (Not anyOf:
    // code generators turn anyOf-of-required into `unknown`.)
    s["x-any-of-required"] = std::move(any);
    s["description"] = "Give at least " + names;
  }
  if (!def.needs.empty()) {
    json::object needs;
    for (const auto& [member, needed] : def.needs) needs[member] = json::array{json::value(needed)};
    s["x-needs"] = std::move(needs);  // {field: [members a record with it also needs]}
  }
  return s;
}

}  // namespace keel::api::schema
