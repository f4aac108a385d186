// Offline sync (service/sync.h) and its administration:
//   GET  /api/v1/sync/pull?device=ID&cursor=C&limit=N   the next page of the device's changes
//   POST /api/v1/sync/push {device, mutations: [...]}    the device's changes, answered one by one
//   GET  /api/v1/admin/devices                           devices and their sync health
//   GET  /api/v1/admin/devices/{id}/problems             a device's refused and conflicting pushes
//   POST /api/v1/admin/devices/{id}/revoke               ends the device's session and sync
//   POST /api/v1/admin/sync/compact                      change-log retention, now
#include <boost/json.hpp>

#include "api/api.h"
#include "api/schema.h"
#include "core/ids.h"
#include "core/text.h"
#include "service/sync.h"

namespace keel::api {
namespace json = boost::json;

namespace {

constexpr IntParam kPullLimit{"limit", 1, 2000, 500, "Entries per page"};
constexpr IntParam kProblemsLimit{"limit", 1, 500, 100};

std::optional<std::string> query_value(const http::Request& req, std::string_view name) {
  for (const auto& [k, v] : req.query)
    if (k == name) return v;
  return std::nullopt;
}

std::string device_param(const http::Request& req) {
  auto v = query_value(req, "device");
  if (!v || !is_uuid(*v)) throw bad_request("invalid_parameter", "device must be the device's id (a UUID)", "device");
  return canonical_uuid(*v);
}

json::object change_schema() {
  return schema::object_of({{"op", {{"type", "string"}, {"enum", {"upsert", "delete", "gone"}}}},
                            {"entity", schema::str()},
                            {"id", schema::str()},
                            {"version", schema::integer()},
                            {"record", {{"type", "object"}}}},
                           {"op", "entity", "id"});
}

json::object outcome_schema() {
  return schema::object_of(
      {{"id", schema::str()},
       {"entity", schema::str()},
       {"record_id", schema::str()},
       {"status", {{"type", "string"}, {"enum", {"applied", "merged", "conflict", "rejected"}}}},
       {"version", schema::integer()},
       {"record", {{"type", "object"}}},
       {"related", {{"type", "object"}}},
       {"reason", {{"type", "string"}, {"enum", {"changed", "deleted"}}}},
       {"conflicts",
        schema::array_of(schema::object_of({{"field", schema::str()}, {"base", {}}, {"client", {}}, {"server", {}}}))},
       {"server", schema::nullable({{"type", "object"}})},
       {"code", schema::str()},
       {"message", schema::str()},
       {"errors", schema::array_of(schema::object_of(
                      {{"field", schema::str()}, {"code", schema::str()}, {"message", schema::str()}}))},
       {"replay", schema::boolean()}},
      {"id", "entity", "record_id", "status"});
}

}  // namespace

void add_sync_routes(Api& api) {
  api.route(RouteSpec{
      .method = "GET",
      .path = "/api/v1/sync/pull",
      .summary = "The next page of a device's changes: a snapshot of the working set, then every change since",
      .query = {{"device", schema::str_fmt("uuid"), "The device's own id (a UUID it chose and keeps)", true},
                {"cursor", schema::str(), "The cursor of the device's last pull; none to start a snapshot"},
                {"name", {{"type", "string"}, {"maxLength", 200}}, "What the devices page calls the device"},
                documented(kPullLimit)},
      .replies = {{200, "Changes, and the cursor to pull with next",
                   schema::object_of({{"changes", schema::array_of(change_schema())},
                                      {"cursor", schema::str()},
                                      {"has_more", schema::boolean()},
                                      {"snapshot", schema::boolean()},
                                      {"lag", schema::integer()}},
                                     {"changes", "cursor", "has_more", "snapshot", "lag"})}},
      .handler = [&api](Call& c) {
        allow_only(c.req, {"device", "cursor", "name", kPullLimit.name});
        service::PullRequest in;
        in.device_id = device_param(c.req);
        if (auto v = query_value(c.req, "cursor"); v && !v->empty()) in.cursor = *v;
        if (auto v = query_value(c.req, "name")) {
          if (!is_valid_utf8(*v) || utf8_length(*v) > 200)
            throw bad_request("invalid_parameter", "name: at most 200 characters of UTF-8", "name");
          in.device_name = *v;
        }
        in.limit = *int_param(c.req, kPullLimit);
        service::PullPage page = service::pull(api.db(), c.ctx(), api.options().sync, in);
        api.metrics().sync_pull(page.snapshot);
        return http::json_response(200, json::object{{"changes", std::move(page.changes)},
                                                     {"cursor", page.cursor},
                                                     {"has_more", page.has_more},
                                                     {"snapshot", page.snapshot},
                                                     {"lag", page.lag}});
      }});

  api.route(RouteSpec{.method = "POST",
                      .path = "/api/v1/sync/push",
                      .summary = "Apply a device's offline changes in order, each answered on its own",
                      .body = &service::push_body(),
                      .replies = {{200, "One outcome per mutation, in order",
                                   schema::object_of({{"results", schema::array_of(outcome_schema())}}, {"results"})}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        service::PushRequest in = service::parse_push(parse_json_object(c.req));
                        json::array results = service::push(api.db(), api.records(), c.ctx(), in);
                        for (const auto& r : results)
                          api.metrics().sync_mutation(
                              r.as_object().contains("replay") ? "replay" : std::string(r.at("status").as_string()));
                        return http::json_response(200, json::object{{"results", std::move(results)}});
                      }});

  api.route(
      RouteSpec{.method = "GET",
                .path = "/api/v1/admin/devices",
                .access = Access::admin,
                .summary = "Devices that sync, with their last pull and push, lag and refused changes (administrators)",
                .replies = {{200, "Devices, most recently seen first",
                             schema::data_of(schema::object_of({{"id", schema::str()},
                                                                {"name", schema::str()},
                                                                {"user_id", schema::str()},
                                                                {"user_name", schema::str()},
                                                                {"created_at", schema::str()},
                                                                {"last_pull_at", schema::nullable(schema::str())},
                                                                {"last_push_at", schema::nullable(schema::str())},
                                                                {"lag", schema::integer()},
                                                                {"stale", schema::boolean()},
                                                                {"revoked_at", schema::nullable(schema::str())},
                                                                {"expired_at", schema::nullable(schema::str())},
                                                                {"pulls", schema::integer()},
                                                                {"pushes", schema::integer()},
                                                                {"applied", schema::integer()},
                                                                {"conflicts", schema::integer()},
                                                                {"rejected", schema::integer()}}))}},
                .handler = [&api](Call& c) {
                  allow_only(c.req, {});
                  return http::json_response(
                      200, json::object{{"data", service::list_devices(api.db(), c.ctx(), api.options().sync)},
                                        {"stale_days", api.options().sync.stale_days}});
                }});

  api.route(RouteSpec{
      .method = "GET",
      .path = "/api/v1/admin/devices/{id}/problems",
      .access = Access::admin,
      .summary = "A device's refused and conflicting mutations, newest first (administrators)",
      .query = {documented(kProblemsLimit)},
      .replies = {{200, "Mutation outcomes with the time they were answered", schema::data_of(outcome_schema())}},
      .handler = [&api](Call& c) {
        allow_only(c.req, {kProblemsLimit.name});
        std::string id = c.req.param("id");
        if (!is_uuid(id)) throw not_found("No such device");
        return http::json_response(200,
                                   json::object{{"data", service::device_problems(api.db(), canonical_uuid(id),
                                                                                  *int_param(c.req, kProblemsLimit))}});
      }});

  api.route(RouteSpec{.method = "POST",
                      .path = "/api/v1/admin/sync/compact",
                      .access = Access::admin,
                      .summary = "Apply change-log retention now (the server also does it every hour; administrators)",
                      .replies = {{200, "What was removed",
                                   schema::object_of({{"log_entries_removed", schema::integer()},
                                                      {"devices_expired", schema::integer()},
                                                      {"mutations_removed", schema::integer()}})}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        service::CompactionReport r = service::compact(api.db(), api.options().sync, c.clock.now_ms());
                        return http::json_response(200, json::object{{"log_entries_removed", r.log_entries_removed},
                                                                     {"devices_expired", r.devices_expired},
                                                                     {"mutations_removed", r.mutations_removed}});
                      }});

  api.route(RouteSpec{.method = "POST",
                      .path = "/api/v1/admin/devices/{id}/revoke",
                      .access = Access::admin,
                      .summary = "Revoke a device: its session ends and its next sync tells it to wipe its data",
                      .replies = {{204, "Revoked (or already revoked)"}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        std::string id = c.req.param("id");
                        if (!is_uuid(id)) throw not_found("No such device");
                        service::revoke_device(api.db(), c.ctx(), canonical_uuid(id));
                        return no_content();
                      }});
}

}  // namespace keel::api
