// The OpenAPI 3.0 document: every route's operation from its RouteSpec, the shared component
// schemas, and the installation's custom fields as they are at the request. Tests check each
// route against it (tests/unit/openapi_test.cc, tests/integration/contract.test.mjs).
#include "api/openapi.h"

#include <boost/json.hpp>

#include "api/api.h"
#include "api/list_query.h"
#include "api/schema.h"
#include "core/error_codes.h"
#include "domain/entity.h"
#include "domain/validate.h"

namespace keel::api {
namespace json = boost::json;

namespace openapi {

using schema::array_of;
using schema::boolean;
using schema::integer;
using schema::nullable;
using schema::object_of;
using schema::str;
using schema::str_fmt;

namespace {

json::object query_parameter(const QueryParam& q) {
  json::object p{{"name", q.name}, {"in", "query"}, {"schema", q.schema}};
  if (!q.description.empty()) p["description"] = q.description;
  if (q.required) p["required"] = true;
  return p;
}

// A user's language: en or zh-CN, or null for "not chosen" (each device follows its browser).
json::object locale_schema() {
  json::object l = nullable({{"type", "string"}, {"enum", {"en", "zh-CN"}}});
  l["description"] = "en or zh-CN; null: not chosen, the web app follows the browser's languages";
  return l;
}

json::object user_schema() {
  return object_of({{"id", str()},
                    {"email", str_fmt("email")},
                    {"name", str()},
                    {"role_id", str()},
                    {"team_id", nullable(str())},
                    {"locale", locale_schema()},
                    {"time_zone", str()},
                    {"active", boolean()},
                    {"version", integer()},
                    {"created_at", str_fmt("date-time")},
                    {"updated_at", str_fmt("date-time")}},
                   {"id", "email", "name", "role_id", "locale", "time_zone", "active", "version"});
}

json::object permissions_schema() {
  json::object scope{{"type", "string"}, {"enum", {"none", "own", "team", "all"}}};
  json::object entity_perm =
      object_of({{"read", scope}, {"create", boolean()}, {"update", scope}, {"delete", scope}, {"export", boolean()}});
  return object_of({{"admin", boolean()}, {"entities", {{"type", "object"}, {"additionalProperties", entity_perm}}}},
                   {"admin", "entities"});
}

json::array custom_field_type_enum() {
  json::array out;
  for (const auto& t : domain::custom_field_types()) out.push_back(json::value(t));
  return out;
}

}  // namespace

json::object from_spec(const RouteSpec& spec) {
  json::object op;
  json::array parameters;
  for (const auto& q : spec.query) parameters.push_back(query_parameter(q));
  if (!parameters.empty()) op["parameters"] = std::move(parameters);
  std::optional<json::object> request;
  if (spec.body)
    request = schema::body(*spec.body, spec.body_creates);
  else if (spec.body_schema)
    request = *spec.body_schema;
  if (request)
    op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", std::move(*request)}}}}}};
  json::object responses;
  for (const auto& r : spec.replies) {
    json::object answer{{"description", r.description}};
    if (r.schema) answer["content"] = {{r.media_type, {{"schema", *r.schema}}}};
    responses[std::to_string(r.status)] = std::move(answer);
  }
  op["responses"] = std::move(responses);
  return op;
}

void add_custom_fields(json::object& doc, const std::vector<service::EffectiveEntityPtr>& entities) {
  json::object& schemas = doc["components"].as_object()["schemas"].as_object();
  json::object& paths = doc["paths"].as_object();
  for (const auto& e : entities) {
    if (e->custom.empty()) continue;
    const domain::EntityDef& def = *e->def;
    json::object props;
    json::array required;
    for (const auto& f : e->custom) {
      json::object one = schema::field(f);
      one["description"] = "Custom field: " + f.description;
      props[f.name] = std::move(one);
      if (f.required) required.push_back(json::value(f.name));
    }
    for (const std::string suffix : {"", "_create", "_patch"}) {
      json::value* schema = schemas.if_contains(def.singular + suffix);
      if (!schema) continue;
      json::object& custom = schema->as_object()["properties"].as_object()["custom"].as_object();
      custom["properties"] = props;
      // A record keeps the values of a deleted field (a field re-created with its name brings them
      // back), so what a record holds may be more; a write takes only the current fields.
      if (!suffix.empty()) custom["additionalProperties"] = false;
      if (suffix == "_create" && !required.empty()) custom["required"] = required;
    }
    // The deals' filters also narrow the board's summary (board_api.cc), which does not sort.
    std::vector<std::pair<std::string, bool>> filtered = {{"/api/v1/" + def.name, true},
                                                          {"/api/v1/" + def.name + "/export", true}};
    if (def.name == "deals") filtered.emplace_back("/api/v1/pipelines/{id}/summary", false);
    for (const auto& [path, sorts] : filtered) {
      json::value* item = paths.if_contains(path);
      json::value* get = item && item->is_object() ? item->as_object().if_contains("get") : nullptr;
      if (!get) continue;
      json::value& ps = get->as_object()["parameters"];
      if (!ps.is_array()) ps = json::array{};
      for (const auto& f : e->custom) {
        const std::string name = std::string(service::kCustomPrefix) + f.name;
        ps.as_array().push_back(query_parameter(
            {name, str(),
             "Custom field " + f.description + ". " + filter_description(name) + (sorts ? "; sort=" + name : "")}));
      }
    }
  }
}

json::object component_schemas() {
  json::object s;
  for (const auto& def : domain::entities()) {
    s[def.singular] = schema::record(def, schema::RecordShape::stored);
    s[def.singular + "_create"] = schema::record(def, schema::RecordShape::create);
    s[def.singular + "_patch"] = schema::record(def, schema::RecordShape::patch);
  }
  // Codes stay open strings (a client must cope with a code newer than itself); the document's
  // x-error-codes lists every code this server sends, with its status and meaning.
  json::object problem_code{
      {"type", "string"},
      {"description", "Stable machine-readable code; every one is listed in x-error-codes.problem"}};
  json::object field_code{{"type", "string"},
                          {"description", "Why this field was refused; every one is listed in x-error-codes.field"}};
  s["problem"] = object_of({{"type", str()},
                            {"title", str()},
                            {"status", integer()},
                            {"code", problem_code},
                            {"request_id", str()},
                            {"errors", array_of(object_of({{"field", str()}, {"code", field_code}, {"message", str()}},
                                                          {"field", "code", "message"}))},
                            {"current_version", integer()},
                            {"current", {{"type", "object"}}}},
                           {"type", "title", "status", "code"});
  s["user"] = user_schema();
  json::object me = user_schema();
  me["properties"].as_object()["permissions"] = schema::ref("permissions");
  s["me"] = std::move(me);
  s["permissions"] = permissions_schema();
  s["role"] = object_of({{"id", str()},
                         {"name", str()},
                         {"description", str()},
                         {"permissions", schema::ref("permissions")},
                         {"builtin", boolean()},
                         {"version", integer()},
                         {"created_at", str_fmt("date-time")},
                         {"updated_at", str_fmt("date-time")}},
                        {"id", "name", "permissions", "builtin", "version"});
  s["team"] = object_of({{"id", str()},
                         {"name", str()},
                         {"manager_id", nullable(str())},
                         {"version", integer()},
                         {"created_at", str_fmt("date-time")},
                         {"updated_at", str_fmt("date-time")}},
                        {"id", "name", "version"});
  s["custom_field"] = object_of({{"id", str()},
                                 {"entity", str()},
                                 {"name", str()},
                                 {"label", str()},
                                 {"type", {{"type", "string"}, {"enum", custom_field_type_enum()}}},
                                 {"options", array_of(str())},
                                 {"required", boolean()},
                                 {"max_length", integer()},
                                 {"position", integer()},
                                 {"version", integer()},
                                 {"created_at", str_fmt("date-time")},
                                 {"updated_at", str_fmt("date-time")}},
                                {"id", "entity", "name", "label", "type", "options", "required", "version"});
  s["change"] = object_of({{"seq", integer()},
                           {"at", str_fmt("date-time")},
                           {"entity", str()},
                           {"record_id", str()},
                           {"action", str()},
                           {"version", integer()},
                           // null for resources without an owner (users, roles, teams, custom fields)
                           {"owner_id", nullable(str())},
                           {"user_id", str()}},
                          {"seq", "entity", "record_id", "action", "version"});
  s["audit_entry"] = object_of({{"id", integer()},
                                {"at", str_fmt("date-time")},
                                {"user_id", nullable(str())},
                                {"user_name", nullable(str())},
                                {"entity", str()},
                                {"record_id", str()},
                                {"action", str()},
                                {"changes", {{"type", "object"}, {"description", "{field: [old, new]}"}}},
                                {"request_id", str()}},
                               {"id", "at", "entity", "record_id", "action"});
  // A saved view of a list (api/saved_view_api.cc, service/saved_views.h).
  s["saved_view"] = object_of({{"id", str()},
                               {"entity", str()},
                               {"name", str()},
                               {"query", {{"type", "string"}, {"description", "The list's URL query string"}}},
                               {"columns", array_of(str())},
                               {"shared", boolean()},
                               {"owner_id", str()},
                               {"owner_name", nullable(str())},
                               {"version", integer()},
                               {"created_at", schema::str_fmt("date-time")},
                               {"updated_at", schema::str_fmt("date-time")}},
                              {"id", "entity", "name", "query", "columns", "shared", "owner_id", "version"});
  // A backup the server made (api/backup_api.cc, service/backups.h).
  s["backup"] = object_of({{"id", str()},
                           {"kind", {{"type", "string"}, {"enum", {"manual", "scheduled"}}}},
                           {"status", {{"type", "string"}, {"enum", {"running", "ok", "failed"}}}},
                           {"requested_by", schema::nullable(str())},
                           {"requested_by_name", schema::nullable(str())},
                           {"server", str()},
                           {"started_at", schema::str_fmt("date-time")},
                           {"finished_at", schema::nullable(schema::str_fmt("date-time"))},
                           {"duration_ms", schema::nullable(integer())},
                           {"file_name", schema::nullable(str())},
                           {"size_bytes", schema::nullable(integer())},
                           {"sha256", schema::nullable(str())},
                           {"schema_version", schema::nullable(integer())},
                           {"verified_at", schema::nullable(schema::str_fmt("date-time"))},
                           {"error", schema::nullable(str())},
                           {"pruned_at", schema::nullable(schema::str_fmt("date-time"))}},
                          {"id", "kind", "status", "server", "started_at"});
  s["bulk_result"] = object_of(
      {{"action", str()},
       {"succeeded", integer()},
       {"failed", integer()},
       {"results",
        array_of(object_of({{"id", str()},
                            {"status", integer()},
                            {"record", {{"type", "object"}}},
                            {"code", str()},
                            {"message", str()},
                            {"errors", array_of(object_of({{"field", str()}, {"code", str()}, {"message", str()}}))}},
                           {"id", "status"}))}},
      {"action", "succeeded", "failed", "results"});
  return s;
}

}  // namespace openapi

void add_openapi_route(Api& api) {
  api.route(RouteSpec{
      .method = "GET",
      .path = "/api/v1/openapi.json",
      .access = Access::public_,
      .summary = "This document",
      .replies = {{200, "This document", json::object{{"type", "object"}}}},
      .handler = [&api](Call&) {
        json::object paths;
        for (const auto& r : api.route_docs()) {
          if (r.path.rfind("/api/", 0) != 0 && r.path != "/healthz" && r.path != "/readyz" && r.path != "/metrics")
            continue;
          std::string method = r.method;
          for (char& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          json::object op{{"summary", r.summary}};
          json::array params;
          size_t pos = 0;
          while ((pos = r.path.find('{', pos)) != std::string::npos) {
            size_t end = r.path.find('}', pos);
            params.push_back({{"name", r.path.substr(pos + 1, end - pos - 1)},
                              {"in", "path"},
                              {"required", true},
                              {"schema", {{"type", "string"}}}});
            pos = end;
          }
          for (auto& kv : openapi::from_spec(r)) {
            if (kv.key() == "parameters") {
              for (auto& p : kv.value().as_array()) params.push_back(p);
            } else {
              op[kv.key()] = kv.value();
            }
          }
          if (!params.empty()) op["parameters"] = params;
          if (r.access == Access::public_) op["security"] = json::array{};
          op["responses"].as_object()["default"] = {
              {"description", "Error"},
              {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/problem"}}}}}}}};
          // Several methods share a path: add to the path item, never replace it.
          json::value& item = paths[r.path];
          if (!item.is_object()) item = json::object{};
          item.as_object()[method] = std::move(op);
        }
        json::object doc{
            {"openapi", "3.0.3"},
            {"info", {{"title", "Keel CRM API"}, {"version", KEEL_VERSION}}},
            {"servers", json::array{{{"url", "/"}}}},
            {"paths", paths},
            {"components",
             {{"schemas", openapi::component_schemas()},
              {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
            {"security", json::array{{{"bearer", json::array{}}}}},
            // Every problem code and field error code the server sends (core/error_codes.cc), so an
            // integrator can handle each, and the web app's tests can require a message for each.
            {"x-error-codes", error_codes_json()},
        };
        std::vector<service::EffectiveEntityPtr> entities;
        api.db().read([&](store::Tx& tx) {
          for (const auto& def : domain::entities()) entities.push_back(service::effective_entity(tx, def));
        });
        openapi::add_custom_fields(doc, entities);
        return http::json_response(200, doc);
      }});
}

}  // namespace keel::api
