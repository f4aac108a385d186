// Bulk actions on any entity:
//   POST /api/v1/{entity}/bulk
//   {"action": "update" | "delete" | "restore",
//    "ids": ["<id>", {"id": "<id>", "version": 3}, ...],     1..200 distinct records
//    "changes": {...}}                                        for "update": the fields to set
//
// Decodes the request (one 422 naming every problem, before anything is done), runs it in
// service/bulk.h (each record on its own), and answers every record's outcome: its record, or
// the status, code, message, field errors and extra members (a 412's `current`) its
// single-record route would have answered.
#include <boost/json.hpp>
#include <set>

#include "api/api.h"
#include "api/problem.h"
#include "api/schema.h"
#include "core/ids.h"
#include "service/bulk.h"

namespace keel::api {
namespace json = boost::json;

namespace {

constexpr size_t kMaxBulkIds = 200;

std::vector<service::BulkTarget> parse_targets(const json::object& body, FieldErrors& errors) {
  std::vector<service::BulkTarget> out;
  const json::value* ids = body.if_contains("ids");
  if (!ids || ids->is_null()) {
    errors.add("ids", "required", "List the ids of the records to act on");
    return out;
  }
  if (!ids->is_array()) {
    errors.add("ids", "invalid_type", "Must be an array of ids");
    return out;
  }
  const auto& arr = ids->as_array();
  if (arr.empty()) errors.add("ids", "required", "List at least one id");
  if (arr.size() > kMaxBulkIds)
    errors.add("ids", "too_many_items", "At most " + std::to_string(kMaxBulkIds) + " records per request");
  std::set<std::string> seen;
  for (size_t i = 0; i < arr.size() && i < kMaxBulkIds; ++i) {
    std::string path = "ids[" + std::to_string(i) + "]";
    service::BulkTarget t;
    const json::value& e = arr[i];
    const json::value* idv = &e;
    if (e.is_object()) {
      idv = e.as_object().if_contains("id");
      for (const auto& kv : e.as_object())
        if (kv.key() != "id" && kv.key() != "version")
          errors.add(path + "." + std::string(kv.key()), "unknown_field", "Only id and version may be given");
      if (const json::value* vv = e.as_object().if_contains("version")) {
        if (!vv->is_int64() || vv->as_int64() < 1)
          errors.add(path + ".version", "invalid_type", "Must be a positive integer");
        else
          t.version = vv->as_int64();
      }
    }
    if (!idv || !idv->is_string() || !is_uuid(idv->as_string())) {
      errors.add(e.is_object() ? path + ".id" : path, "invalid_format", "Must be a record id (UUID)");
      continue;
    }
    t.id = canonical_uuid(idv->as_string());
    if (!seen.insert(t.id).second) {
      errors.add(path, "duplicate", "This id is listed twice");
      continue;
    }
    out.push_back(std::move(t));
  }
  return out;
}

json::object failure(const std::string& id, const ApiError& e) {
  json::object o{{"id", id}, {"status", http_status(e.kind())}, {"code", e.code()}, {"message", e.what()}};
  if (!e.fields().empty()) o["errors"] = field_errors_json(e.fields());
  for (const auto& kv : e.extra()) o[kv.key()] = kv.value();
  return o;
}

}  // namespace

void add_bulk_routes(Api& api) {
  for (const auto& def_ref : domain::entities()) {
    const domain::EntityDef* def = &def_ref;
    api.route(RouteSpec{
        .method = "POST",
        .path = "/api/v1/" + def->name + "/bulk",
        .summary = "Update, delete or restore many " + def->name + " at once",
        .body_schema = schema::ref("bulk_request"),
        .replies = {{200, "The outcome for each record", schema::ref("bulk_result")}},
        .handler = [&api, def](Call& c) {
          allow_only(c.req, {});
          json::object body = parse_json_object(c.req);
          FieldErrors errors;
          for (const auto& kv : body)
            if (kv.key() != "action" && kv.key() != "ids" && kv.key() != "changes")
              errors.add(std::string(kv.key()), "unknown_field", "Expected action, ids and changes");
          std::string action;
          service::BulkAction run = service::BulkAction::update;
          const json::value* av = body.if_contains("action");
          if (!av || av->is_null())
            errors.add("action", "required", "Choose update, delete or restore");
          else if (!av->is_string() ||
                   (av->as_string() != "update" && av->as_string() != "delete" && av->as_string() != "restore"))
            errors.add("action", "invalid_choice", "Must be one of update, delete, restore");
          else
            action = std::string(av->as_string());
          if (action == "delete") run = service::BulkAction::remove;
          if (action == "restore") run = service::BulkAction::restore;
          const json::value* changes = body.if_contains("changes");
          if (action == "update") {
            if (!changes || !changes->is_object() || changes->as_object().empty())
              errors.add("changes", changes ? "invalid_type" : "required", "An object with the fields to set");
          } else if (changes && !action.empty()) {
            errors.add("changes", "not_allowed", "Only an update takes changes");
          }
          std::vector<service::BulkTarget> targets = parse_targets(body, errors);
          errors.throw_if_any();

          static const json::object no_changes;
          const auto outcomes = service::run_bulk(api.records(), c.ctx(), *def, run, targets,
                                                  action == "update" ? changes->as_object() : no_changes);
          json::array results;
          int64_t succeeded = 0;
          for (const auto& o : outcomes) {
            if (o.error) {
              results.push_back(failure(o.id, *o.error));
              continue;
            }
            results.push_back(json::object{{"id", o.id}, {"status", 200}, {"record", *o.record}});
            ++succeeded;
          }
          json::object out{{"action", action},
                           {"succeeded", succeeded},
                           {"failed", static_cast<int64_t>(outcomes.size()) - succeeded},
                           {"results", std::move(results)}};
          return http::json_response(200, out);
        }});
  }
}

}  // namespace keel::api
