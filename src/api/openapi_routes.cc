// Descriptions of every route for the OpenAPI document: query parameters, request bodies and
// success responses. Entity routes are described from the entity tables (domain/entities.cc);
// the others from the tables below, next to one another so the whole API reads in one place.
#include "api/openapi_routes.h"

#include <boost/json.hpp>
#include <functional>
#include <map>

#include "domain/entity.h"

namespace keel::api::openapi {
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

json::object entity_schema(const domain::EntityDef& def, bool for_create) {
  json::object props;
  props["id"] = {{"type", "string"}, {"format", "uuid"}};
  props["version"] = {{"type", "integer"}, {"readOnly", true}};
  props["owner_id"] = {{"type", "string"}, {"format", "uuid"}};
  for (const char* c : {"created_at", "updated_at", "deleted_at"})
    props[c] = {{"type", "string"}, {"format", "date-time"}, {"readOnly", true}, {"nullable", true}};
  for (const char* c : {"created_by", "updated_by", "deleted_by"})
    props[c] = {{"type", "string"}, {"readOnly", true}, {"nullable", true}};
  props["custom"] = {{"type", "object"}, {"additionalProperties", true}, {"description", "Custom field values by name"}};
  json::array required;
  for (const auto& f : def.fields) {
    props[f.name] = schema_of(f);
    if (f.required && !f.read_only) required.push_back(json::value(f.name));
  }
  json::object s{{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
  if (for_create && !required.empty()) s["required"] = required;
  return s;
}


json::object schema_ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }
json::object str() { return {{"type", "string"}}; }
json::object str_fmt(const char* fmt) { return {{"type", "string"}, {"format", fmt}}; }
json::object integer() { return {{"type", "integer"}, {"format", "int64"}}; }
json::object boolean() { return {{"type", "boolean"}}; }
json::object nullable(json::object s) {
  s["nullable"] = true;
  return s;
}
// A user's language: en or zh-CN, or null for "not chosen" (each device follows its browser).
json::object locale_schema() {
  json::object l = nullable({{"type", "string"}, {"enum", {"en", "zh-CN"}}});
  l["description"] = "en or zh-CN; null: not chosen, the web app follows the browser's languages";
  return l;
}
json::object array_of(json::object items) { return {{"type", "array"}, {"items", std::move(items)}}; }
json::object object_of(json::object props, std::initializer_list<const char*> required = {}) {
  json::object s{{"type", "object"}, {"properties", std::move(props)}};
  if (required.size()) {
    json::array r;
    for (const char* k : required) r.push_back(json::value(k));
    s["required"] = std::move(r);
  }
  return s;
}
json::object data_of(json::object items) { return object_of({{"data", array_of(std::move(items))}}, {"data"}); }

json::object query(const char* name, json::object schema, std::string description = {}) {
  json::object p{{"name", name}, {"in", "query"}, {"schema", std::move(schema)}};
  if (!description.empty()) p["description"] = std::move(description);
  return p;
}

json::object body(json::object schema) {
  return {{"required", true}, {"content", {{"application/json", {{"schema", std::move(schema)}}}}}};
}

json::object ok(int status, const std::string& description, std::optional<json::object> schema = std::nullopt,
                const char* media = "application/json") {
  json::object r{{"description", description}};
  if (schema) r["content"] = {{media, {{"schema", std::move(*schema)}}}};
  return {{std::to_string(status), std::move(r)}};
}

struct Spec {
  json::array parameters;
  std::optional<json::object> request;
  json::object responses;
};

json::object to_operation(Spec s) {
  json::object op;
  if (!s.parameters.empty()) op["parameters"] = std::move(s.parameters);
  if (s.request) op["requestBody"] = body(std::move(*s.request));
  op["responses"] = std::move(s.responses);
  return op;
}

json::array list_parameters(const domain::EntityDef& def) {
  json::array ps{
      query("limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 200}, {"default", 50}}),
      query("sort", str(), "A sortable field, created_at or updated_at; prefix '-' for descending (default -created_at)"),
      query("q", {{"type", "string"}, {"maxLength", 200}}, "Search text: names, company, email, phone tail, tags"),
      query("cursor", str(), "next_cursor of the previous page; only valid with the same filters and sort"),
      query("trashed", boolean(), "List the trash instead of live records"),
  };
  for (const auto& f : def.fields) {
    if (!f.filterable) continue;
    bool list = f.type == FieldType::tags || f.type == FieldType::ref_list;
    ps.push_back(query(f.name.c_str(), str(),
                       list ? "Contains this element"
                            : "Equals; also " + f.name + "[gte|gt|lte|lt|ne]=value, " + f.name + "[in]=a,b,c and " +
                                  f.name + "[null]=true"));
  }
  ps.push_back(query("id", str(), "Equals; id[in]=ID1,ID2,... (up to 200) fetches several records at once"));
  for (const char* sys : {"owner_id", "created_at", "updated_at"})
    ps.push_back(query(sys, str(), std::string("Equals; also ") + sys + "[gte|gt|lte|lt|ne|in]=value"));
  return ps;
}

json::object page_of(const std::string& schema) {
  return object_of({{"data", array_of(schema_ref(schema))},
                    {"next_cursor", nullable(str())},
                    {"total", integer()},
                    {"total_exact", boolean()}},
                   {"data", "next_cursor"});
}

std::optional<Spec> entity_route(const std::string& method, const std::string& path) {
  for (const auto& def : domain::entities()) {
    const std::string base = "/api/v1/" + def.name;
    const std::string& one = def.singular;
    if (path == base && method == "GET")
      return Spec{list_parameters(def), std::nullopt, ok(200, "A page of " + def.name, page_of(one))};
    if (path == base && method == "POST")
      return Spec{{}, schema_ref(one + "_create"),
                  [&] {
                    json::object r = ok(201, "Created", schema_ref(one));
                    r["200"] = {{"description", "A replayed create of an existing client-chosen id"},
                                {"content", {{"application/json", {{"schema", schema_ref(one)}}}}}};
                    return r;
                  }()};
    if (path == base + "/{id}" && method == "GET") return Spec{{}, std::nullopt, ok(200, "The " + one, schema_ref(one))};
    if (path == base + "/{id}" && method == "PATCH")
      return Spec{{}, schema_ref(one + "_patch"), ok(200, "The changed " + one, schema_ref(one))};
    if (path == base + "/{id}" && method == "DELETE")
      return Spec{{}, std::nullopt, ok(200, "The " + one + " in the trash", schema_ref(one))};
    if (path == base + "/{id}/restore" && method == "POST")
      return Spec{{}, std::nullopt, ok(200, "The restored " + one, schema_ref(one))};
    if (path == base + "/{id}/history" && method == "GET")
      return Spec{{}, std::nullopt, ok(200, "Audit entries of the record, oldest first", data_of(schema_ref("audit_entry")))};
    if (path == base + "/bulk" && method == "POST")
      return Spec{{}, schema_ref("bulk_request"), ok(200, "The outcome for each record", schema_ref("bulk_result"))};
    if (path == base + "/export" && method == "GET") {
      json::array ps = list_parameters(def);
      json::array filtered;
      for (auto& p : ps) {
        auto n = p.as_object().at("name").as_string();
        if (n != "limit" && n != "cursor") filtered.push_back(p);
      }
      return Spec{std::move(filtered), std::nullopt,
                  ok(200, "CSV (UTF-8 with BOM), one row per record", str(), "text/csv")};
    }
  }
  return std::nullopt;
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
  json::object entity_perm = object_of(
      {{"read", scope}, {"create", boolean()}, {"update", scope}, {"delete", scope}, {"export", boolean()}});
  return object_of({{"admin", boolean()}, {"entities", {{"type", "object"}, {"additionalProperties", entity_perm}}}},
                   {"admin", "entities"});
}

using SpecTable = std::map<std::string, std::function<Spec()>>;

// Routes other than the generic entity ones, by "METHOD path".
const SpecTable& other_routes() {
  using S = Spec;
  static const SpecTable table = {
      {"GET /healthz", [] { return S{{}, std::nullopt, ok(200, "The process is up", object_of({{"status", str()}}))}; }},
      {"GET /readyz",
       [] { return S{{}, std::nullopt, ok(200, "The database answers; 503 while draining", object_of({{"status", str()}}))}; }},
      {"GET /metrics", [] { return S{{}, std::nullopt, ok(200, "Prometheus text format", str(), "text/plain")}; }},
      {"GET /api/v1/openapi.json", [] { return S{{}, std::nullopt, ok(200, "This document", json::object{{"type", "object"}})}; }},
      {"POST /api/v1/auth/login",
       [] {
         return S{{}, object_of({{"email", str_fmt("email")}, {"password", str()}}, {"email", "password"}),
                  ok(200, "Signed in", object_of({{"token", str()}, {"expires_at", str_fmt("date-time")}, {"user", schema_ref("me")}},
                                                 {"token", "expires_at", "user"}))};
       }},
      {"POST /api/v1/auth/logout", [] { return S{{}, std::nullopt, ok(204, "Signed out; the token no longer works")}; }},
      {"GET /api/v1/me", [] { return S{{}, std::nullopt, ok(200, "The signed-in user and their permissions", schema_ref("me"))}; }},
      {"PATCH /api/v1/me",
       [] {
         return S{{}, object_of({{"name", str()}, {"locale", locale_schema()}, {"time_zone", str()},
                                 {"password", str()}, {"current_password", str()}}),
                  ok(200, "The changed profile", schema_ref("me"))};
       }},
      {"GET /api/v1/tokens",
       [] {
         return S{{}, std::nullopt,
                  ok(200, "The caller's API tokens (without secrets)", data_of(object_of({{"id", str()}, {"name", str()},
                      {"created_at", str_fmt("date-time")}, {"expires_at", nullable(str_fmt("date-time"))},
                      {"last_used_at", nullable(str_fmt("date-time"))}})))};
       }},
      {"POST /api/v1/tokens",
       [] {
         return S{{}, object_of({{"name", str()}, {"expires_in_days", {{"type", "integer"}, {"minimum", 1}, {"maximum", 3650}}}}, {"name"}),
                  ok(201, "The new token; its secret is shown only here",
                     object_of({{"id", str()}, {"name", str()}, {"token", str()}, {"expires_at", nullable(str_fmt("date-time"))}},
                               {"id", "name", "token"}))};
       }},
      {"DELETE /api/v1/tokens/{id}", [] { return S{{}, std::nullopt, ok(204, "Revoked")}; }},
      {"GET /api/v1/users",
       [] { return S{{query("active", boolean(), "Only active (true) or deactivated (false) users")}, std::nullopt, ok(200, "Users", data_of(schema_ref("user")))}; }},
      {"POST /api/v1/users",
       [] {
         return S{{}, object_of({{"email", str_fmt("email")}, {"name", str()}, {"password", str()}, {"role_id", str()},
                                 {"team_id", nullable(str())}, {"locale", locale_schema()}, {"time_zone", str()}}, {"email", "name"}),
                  ok(201, "The user; initial_password is present when the server generated one", schema_ref("user"))};
       }},
      {"GET /api/v1/users/{id}", [] { return S{{}, std::nullopt, ok(200, "The user", schema_ref("user"))}; }},
      {"PATCH /api/v1/users/{id}",
       [] {
         return S{{}, object_of({{"name", str()}, {"role_id", str()}, {"team_id", nullable(str())}, {"locale", locale_schema()},
                                 {"time_zone", str()}, {"active", boolean()}, {"version", integer()}}),
                  ok(200, "The changed user", schema_ref("user"))};
       }},
      {"POST /api/v1/users/{id}/reset-password",
       [] { return S{{}, std::nullopt, ok(200, "The new password, shown once", object_of({{"password", str()}}, {"password"}))}; }},
      {"GET /api/v1/roles", [] { return S{{}, std::nullopt, ok(200, "Roles", data_of(schema_ref("role")))}; }},
      {"POST /api/v1/roles",
       [] {
         return S{{}, object_of({{"name", str()}, {"description", str()}, {"permissions", schema_ref("permissions")}}, {"name", "permissions"}),
                  ok(201, "The role", schema_ref("role"))};
       }},
      {"PATCH /api/v1/roles/{id}",
       [] {
         return S{{}, object_of({{"name", str()}, {"description", str()}, {"permissions", schema_ref("permissions")}, {"version", integer()}}),
                  ok(200, "The changed role", schema_ref("role"))};
       }},
      {"DELETE /api/v1/roles/{id}", [] { return S{{}, std::nullopt, ok(204, "Deleted")}; }},
      {"GET /api/v1/teams", [] { return S{{}, std::nullopt, ok(200, "Teams", data_of(schema_ref("team")))}; }},
      {"POST /api/v1/teams",
       [] { return S{{}, object_of({{"name", str()}, {"manager_id", nullable(str())}}, {"name"}), ok(201, "The team", schema_ref("team"))}; }},
      {"PATCH /api/v1/teams/{id}",
       [] { return S{{}, object_of({{"name", str()}, {"manager_id", nullable(str())}}), ok(200, "The changed team", schema_ref("team"))}; }},
      {"DELETE /api/v1/teams/{id}", [] { return S{{}, std::nullopt, ok(204, "Deleted")}; }},
      {"GET /api/v1/custom-fields",
       [] { return S{{query("entity", str(), "Only this entity's fields")}, std::nullopt, ok(200, "Definitions", data_of(schema_ref("custom_field")))}; }},
      {"POST /api/v1/custom-fields",
       [] {
         return S{{}, object_of({{"entity", str()}, {"name", {{"type", "string"}, {"pattern", "^[a-z][a-z0-9_]{0,39}$"}}},
                                 {"label", str()}, {"type", {{"type", "string"}, {"enum", {"text", "number", "date", "select"}}}},
                                 {"options", array_of(str())}, {"required", boolean()}, {"max_length", integer()},
                                 {"position", integer()}},
                                {"entity", "name", "label", "type"}),
                  ok(201, "The definition", schema_ref("custom_field"))};
       }},
      {"PATCH /api/v1/custom-fields/{id}",
       [] {
         return S{{}, object_of({{"label", str()}, {"options", array_of(str())}, {"required", boolean()},
                                 {"max_length", integer()}, {"position", integer()}, {"version", integer()}}),
                  ok(200, "The changed definition", schema_ref("custom_field"))};
       }},
      {"DELETE /api/v1/custom-fields/{id}", [] { return S{{}, std::nullopt, ok(204, "Removed")}; }},
      {"GET /api/v1/changes",
       [] {
         return S{{query("after", integer(), "Sequence number to read after (0 = from the start)"),
                   query("limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}, {"default", 200}})},
                  std::nullopt,
                  ok(200, "Changes in commit order",
                     object_of({{"data", array_of(schema_ref("change"))}, {"next_after", integer()}, {"has_more", boolean()}},
                               {"data", "next_after", "has_more"}))};
       }},
      {"GET /api/v1/audit",
       [] {
         return S{{query("before", integer(), "Entry id to read before (paging back)"),
                   query("limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}, {"default", 100}}),
                   query("entity", str()), query("user_id", str())},
                  std::nullopt,
                  ok(200, "Audit entries, newest first",
                     object_of({{"data", array_of(schema_ref("audit_entry"))}, {"next_before", nullable(integer())}}, {"data"}))};
       }},
      {"GET /api/v1/search",
       [] {
         json::object hits{{"type", "object"},
                           {"properties", {{"data", array_of({{"type", "object"}})}, {"total", integer()}, {"total_exact", boolean()}}}};
         return S{{query("q", str(), "Search text"), query("limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 50}, {"default", 10}})},
                  std::nullopt,
                  ok(200, "Matches per entity the caller may read",
                     object_of({{"accounts", hits}, {"contacts", hits}, {"leads", hits}, {"deals", hits}}))};
       }},
      {"GET /api/v1/deals/{id}/stage-history",
       [] {
         return S{{}, std::nullopt,
                  ok(200, "Stage changes, oldest first",
                     data_of(object_of({{"from_stage_id", nullable(str())}, {"to_stage_id", str()}, {"amount_minor", nullable(integer())},
                                        {"currency", nullable(str())}, {"at", str_fmt("date-time")}, {"user_id", str()}})))};
       }},
      {"POST /api/v1/leads/{id}/convert",
       [] {
         return S{{}, object_of({{"account_id", str_fmt("uuid")}, {"account", schema_ref("account_create")},
                                 {"contact", schema_ref("contact_patch")}, {"deal", schema_ref("deal_patch")}}),
                  ok(200, "The converted lead and the records made from it",
                     object_of({{"lead", schema_ref("lead")}, {"account", schema_ref("account")}, {"contact", schema_ref("contact")},
                                {"deal", nullable(schema_ref("deal"))}}))};
       }},
  };
  return table;
}

std::optional<Spec> other_route(const std::string& key) {
  auto it = other_routes().find(key);
  if (it == other_routes().end()) return std::nullopt;
  return it->second();
}

}  // namespace

json::object component_schemas() {
  json::object s;
  for (const auto& def : domain::entities()) {
    s[def.singular] = entity_schema(def, false);
    s[def.singular + "_create"] = entity_schema(def, true);
    json::object patch = entity_schema(def, false);
    patch["properties"].as_object()["version"] = {{"type", "integer"}, {"description", "If given, must match (as If-Match)"}};
    s[def.singular + "_patch"] = std::move(patch);
  }
  // Codes stay open strings (a client must cope with a code newer than itself); the document's
  // x-error-codes lists every code this server sends, with its status and meaning.
  json::object problem_code{{"type", "string"}, {"description", "Stable machine-readable code; every one is listed in x-error-codes.problem"}};
  json::object field_code{{"type", "string"}, {"description", "Why this field was refused; every one is listed in x-error-codes.field"}};
  s["problem"] = object_of({{"type", str()}, {"title", str()}, {"status", integer()}, {"code", problem_code}, {"request_id", str()},
                            {"errors", array_of(object_of({{"field", str()}, {"code", field_code}, {"message", str()}},
                                                          {"field", "code", "message"}))},
                            {"current_version", integer()},
                            {"current", {{"type", "object"}}}},
                           {"type", "title", "status", "code"});
  s["user"] = user_schema();
  json::object me = user_schema();
  me["properties"].as_object()["permissions"] = schema_ref("permissions");
  s["me"] = std::move(me);
  s["permissions"] = permissions_schema();
  s["role"] = object_of({{"id", str()}, {"name", str()}, {"description", str()}, {"permissions", schema_ref("permissions")},
                         {"builtin", boolean()}, {"version", integer()}},
                        {"id", "name", "permissions", "builtin", "version"});
  s["team"] = object_of({{"id", str()}, {"name", str()}, {"manager_id", nullable(str())}, {"version", integer()}},
                        {"id", "name", "version"});
  s["custom_field"] = object_of({{"id", str()}, {"entity", str()}, {"name", str()}, {"label", str()},
                                 {"type", {{"type", "string"}, {"enum", {"text", "number", "date", "select"}}}},
                                 {"options", array_of(str())}, {"required", boolean()}, {"max_length", integer()},
                                 {"position", integer()}, {"version", integer()}},
                                {"id", "entity", "name", "label", "type", "options", "required", "version"});
  s["change"] = object_of({{"seq", integer()}, {"at", str_fmt("date-time")}, {"entity", str()}, {"record_id", str()},
                           {"action", str()}, {"version", integer()}, {"owner_id", str()}, {"user_id", str()}},
                          {"seq", "entity", "record_id", "action", "version"});
  s["audit_entry"] = object_of({{"id", integer()}, {"at", str_fmt("date-time")}, {"user_id", nullable(str())},
                                {"user_name", nullable(str())}, {"entity", str()}, {"record_id", str()}, {"action", str()},
                                {"changes", {{"type", "object"}, {"description", "{field: [old, new]}"}}},
                                {"request_id", str()}},
                               {"id", "at", "entity", "record_id", "action"});
  json::object id_or_versioned{
      {"oneOf", {str_fmt("uuid"), object_of({{"id", str_fmt("uuid")}, {"version", integer()}}, {"id"})}}};
  s["bulk_request"] = object_of({{"action", {{"type", "string"}, {"enum", {"update", "delete", "restore"}}}},
                                 {"ids", {{"type", "array"}, {"minItems", 1}, {"maxItems", 200}, {"items", id_or_versioned}}},
                                 {"changes", {{"type", "object"}, {"description", "Fields to set (update only)"}}}},
                                {"action", "ids"});
  s["bulk_result"] = object_of(
      {{"action", str()}, {"succeeded", integer()}, {"failed", integer()},
       {"results", array_of(object_of({{"id", str()}, {"status", integer()}, {"record", {{"type", "object"}}},
                                       {"code", str()}, {"message", str()},
                                       {"errors", array_of(object_of({{"field", str()}, {"code", str()}, {"message", str()}}))}},
                                      {"id", "status"}))}},
      {"action", "succeeded", "failed", "results"});
  return s;
}

std::vector<std::string> described_routes() {
  std::vector<std::string> out;
  for (const auto& kv : other_routes()) out.push_back(kv.first);
  return out;
}

std::optional<json::object> describe(const std::string& method, const std::string& path) {
  if (auto s = entity_route(method, path)) return to_operation(std::move(*s));
  if (auto s = other_route(method + " " + path)) return to_operation(std::move(*s));
  return std::nullopt;
}

}  // namespace keel::api::openapi
