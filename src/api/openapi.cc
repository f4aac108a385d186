// The OpenAPI 3.0 document, generated from the same route table and entity definitions that
// serve requests, so it cannot drift from what the server does. A test checks each route
// against it.
#include <boost/json.hpp>

#include "api/api.h"
#include "domain/entity.h"

namespace keel::api {
namespace json = boost::json;
using domain::FieldType;

namespace {

json::object schema_of(const domain::FieldDef& f) {
  json::object s;
  switch (f.type) {
    case FieldType::integer:
    case FieldType::money:
      s = {{"type", "integer"}, {"format", "int64"}};
      if (f.type == FieldType::money) s["description"] = "Exact amount in minor units (fen, cents)";
      break;
    case FieldType::boolean: s = {{"type", "boolean"}}; break;
    case FieldType::date: s = {{"type", "string"}, {"format", "date"}}; break;
    case FieldType::datetime: s = {{"type", "string"}, {"format", "date-time"}}; break;
    case FieldType::email: s = {{"type", "string"}, {"format", "email"}, {"maxLength", f.max_length}}; break;
    case FieldType::url: s = {{"type", "string"}, {"format", "uri"}, {"maxLength", f.max_length}}; break;
    case FieldType::ref: s = {{"type", "string"}, {"format", "uuid"}, {"description", "id of a " + f.ref_entity + " record"}}; break;
    case FieldType::currency: s = {{"type", "string"}, {"pattern", "^[A-Z]{3}$"}, {"description", "ISO 4217"}}; break;
    case FieldType::choice: {
      json::array e;
      for (const auto& c : f.choices) e.push_back(json::value(c));
      s = {{"type", "string"}, {"enum", e}};
      break;
    }
    case FieldType::ref_list:
      s = {{"type", "array"}, {"maxItems", f.max_length}, {"items", {{"type", "string"}, {"format", "uuid"}}}};
      break;
    case FieldType::tags:
    case FieldType::phones:
      s = {{"type", "array"}, {"maxItems", f.max_length}, {"items", {{"type", "string"}}}};
      break;
    case FieldType::emails:
      s = {{"type", "array"}, {"maxItems", f.max_length}, {"items", {{"type", "string"}, {"format", "email"}}}};
      break;
    case FieldType::stages:
      s = {{"type", "array"},
           {"items", {{"type", "object"},
                      {"properties", {{"id", {{"type", "string"}, {"format", "uuid"}}},
                                      {"name", {{"type", "string"}, {"maxLength", 100}}},
                                      {"probability", {{"type", "integer"}, {"minimum", 0}, {"maximum", 100}}},
                                      {"is_won", {{"type", "boolean"}}},
                                      {"is_lost", {{"type", "boolean"}}}}}}}};
      break;
    case FieldType::line_items:
      s = {{"type", "array"},
           {"items", {{"type", "object"},
                      {"properties", {{"product_id", {{"type", "string"}, {"format", "uuid"}}},
                                      {"name", {{"type", "string"}, {"maxLength", 200}}},
                                      {"quantity", {{"type", "integer"}, {"minimum", 1}}},
                                      {"unit_price_minor", {{"type", "integer"}, {"format", "int64"}}}}}}}};
      break;
    default:
      s = {{"type", "string"}, {"maxLength", f.max_length}};
  }
  s["nullable"] = !f.required;
  if (f.read_only) s["readOnly"] = true;
  return s;
}

json::object entity_schema(const domain::EntityDef& def) {
  json::object props;
  props["id"] = {{"type", "string"}, {"format", "uuid"}};
  props["version"] = {{"type", "integer"}, {"readOnly", true}};
  props["owner_id"] = {{"type", "string"}, {"format", "uuid"}};
  for (const char* c : {"created_at", "updated_at", "deleted_at"})
    props[c] = {{"type", "string"}, {"format", "date-time"}, {"readOnly", true}, {"nullable", true}};
  for (const char* c : {"created_by", "updated_by", "deleted_by"})
    props[c] = {{"type", "string"}, {"readOnly", true}, {"nullable", true}};
  props["custom"] = {{"type", "object"}, {"description", "Custom field values by name"}};
  json::array required;
  for (const auto& f : def.fields) {
    props[f.name] = schema_of(f);
    if (f.required) required.push_back(json::value(f.name));
  }
  json::object s{{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = required;
  return s;
}

}  // namespace

void add_openapi_route(Api& api) {
  api.route("GET", "/api/v1/openapi.json", Access::public_, [&api](Call&) {
    json::object paths;
    for (const auto& r : api.route_docs()) {
      if (r.path.rfind("/api/", 0) != 0 && r.path != "/healthz" && r.path != "/readyz" && r.path != "/metrics") continue;
      std::string method = r.method;
      for (char& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      json::object op{{"summary", r.summary}};
      json::array params;
      size_t pos = 0;
      while ((pos = r.path.find('{', pos)) != std::string::npos) {
        size_t end = r.path.find('}', pos);
        params.push_back({{"name", r.path.substr(pos + 1, end - pos - 1)}, {"in", "path"}, {"required", true},
                          {"schema", {{"type", "string"}}}});
        pos = end;
      }
      if (!params.empty()) op["parameters"] = params;
      if (r.access == Access::public_) op["security"] = json::array{};
      // Link entity routes to their schema.
      for (const auto& def : domain::entities()) {
        std::string base = "/api/v1/" + def.name;
        if (r.path == base || r.path == base + "/{id}") {
          json::object ref{{"$ref", "#/components/schemas/" + def.singular}};
          if ((method == "post" && r.path == base) || method == "patch")
            op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", ref}}}}}};
          if (method == "get" && r.path == base) {
            op["responses"] = {{"200", {{"description", "A page of records"},
                                         {"content", {{"application/json", {{"schema", {{"type", "object"},
                                           {"properties", {{"data", {{"type", "array"}, {"items", ref}}},
                                                           {"next_cursor", {{"type", "string"}, {"nullable", true}}},
                                                           {"total", {{"type", "integer"}}},
                                                           {"total_exact", {{"type", "boolean"}}}}}}}}}}}}}};
          } else {
            op["responses"] = {{"200", {{"description", "The record"}, {"content", {{"application/json", {{"schema", ref}}}}}}}};
          }
        }
      }
      if (!op.contains("responses")) op["responses"] = {{"200", {{"description", "Success"}}}};
      op["responses"].as_object()["default"] = {
          {"description", "Error"},
          {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/problem"}}}}}}}};
      paths[r.path].emplace_object()[method] = op;
    }
    json::object schemas;
    for (const auto& def : domain::entities()) schemas[def.singular] = entity_schema(def);
    schemas["problem"] = {
        {"type", "object"},
        {"properties", {{"type", {{"type", "string"}}}, {"title", {{"type", "string"}}}, {"status", {{"type", "integer"}}},
                        {"code", {{"type", "string"}}}, {"request_id", {{"type", "string"}}},
                        {"errors", {{"type", "array"}, {"items", {{"type", "object"},
                                     {"properties", {{"field", {{"type", "string"}}}, {"code", {{"type", "string"}}},
                                                     {"message", {{"type", "string"}}}}}}}}}}}};
    json::object doc{
        {"openapi", "3.0.3"},
        {"info", {{"title", "Keel CRM API"}, {"version", KEEL_VERSION}}},
        {"servers", json::array{{{"url", "/"}}}},
        {"paths", paths},
        {"components", {{"schemas", schemas},
                        {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
        {"security", json::array{{{"bearer", json::array{}}}}},
    };
    return http::json_response(200, doc);
  }, "This document");
}

}  // namespace keel::api
