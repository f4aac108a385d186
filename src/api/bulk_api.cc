// Bulk actions on any entity:
//   POST /api/v1/{entity}/bulk
//   {"action": "update" | "delete" | "restore",
//    "ids": ["<id>", {"id": "<id>", "version": 3}, ...],     1..200 distinct records
//    "changes": {...}}                                        for "update": the fields to set
//
// The body is validated against its field table (service::bulk_body, which the OpenAPI document
// renders: one 422 naming every problem, before anything is done), run in service/bulk.h (each
// record on its own), and every record's outcome answered: its record, or the status, code,
// message, field errors and extra members (a 412's `current`) its single-record route would
// have answered.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/problem.h"
#include "api/schema.h"
#include "service/bulk.h"

namespace keel::api {
namespace json = boost::json;

namespace {

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
    api.route(RouteSpec{.method = "POST",
                        .path = "/api/v1/" + def->name + "/bulk",
                        .summary = "Update, delete or restore many " + def->name + " at once",
                        .body = &service::bulk_body(*def),
                        .replies = {{200, "The outcome for each record", schema::ref("bulk_result")}},
                        .handler = [&api, def](Call& c) {
                          allow_only(c.req, {});
                          const service::BulkRequest in = service::parse_bulk_request(*def, parse_json_object(c.req));
                          const auto outcomes =
                              service::run_bulk(api.records(), c.ctx(), *def, in.action, in.targets, in.changes);
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
                          json::object out{{"action", in.action_name},
                                           {"succeeded", succeeded},
                                           {"failed", static_cast<int64_t>(outcomes.size()) - succeeded},
                                           {"results", std::move(results)}};
                          return http::json_response(200, out);
                        }});
  }
}

}  // namespace keel::api
