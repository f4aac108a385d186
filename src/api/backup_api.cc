// Backups from the backup screen (administrators): make one now, list the recent ones with their
// verification, read one. The work is ops::BackupRunner's; the record is service/backups.h.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/schema.h"
#include "core/time.h"
#include "ops/backup_runner.h"
#include "service/backups.h"

namespace keel::api {
namespace json = boost::json;

namespace {

constexpr IntParam kLimit{"limit", 1, 500, 50, "How many, newest first"};

}  // namespace

void add_backup_routes(Api& api, ops::BackupRunner& backups) {
  api.route(RouteSpec{
      .method = "POST",
      .path = "/api/v1/admin/backups",
      .access = Access::admin,
      .summary = "Make a backup now: answers at once with the running backup; poll it until it is ok or failed",
      .replies = {{202, "The backup, running", schema::ref("backup")}},
      .handler = [&backups](Call& c) {
        allow_only(c.req, {});
        return http::json_response(202, backups.start(c.ctx()));
      }});
  api.route(RouteSpec{
      .method = "GET",
      .path = "/api/v1/admin/backups",
      .access = Access::admin,
      .summary = "Recent backups, newest first, with the schedule",
      .query = {documented(kLimit)},
      .replies = {{200, "Backups and the schedule",
                   schema::object_of(
                       {{"data", schema::array_of(schema::ref("backup"))},
                        {"schedule", schema::object_of({{"interval_hours", schema::integer()},
                                                        {"keep", schema::integer()},
                                                        {"directory", schema::str()},
                                                        {"server", schema::str()},
                                                        {"next_at", schema::nullable(schema::str_fmt("date-time"))}},
                                                       {"interval_hours", "keep", "directory", "server"})}},
                       {"data", "schedule"})}},
      .handler = [&api, &backups](Call& c) {
        allow_only(c.req, {"limit"});
        const int64_t limit = *int_param(c.req, kLimit);
        service::Context ctx = c.ctx();
        json::array data = service::list_backups(api.db(), ctx, limit);
        const ops::BackupSettings& s = backups.settings();
        auto next = service::next_scheduled_backup_ms(api.db(), ctx.now_ms(), s.interval_ms);
        json::object schedule{{"interval_hours", s.interval_ms / 3'600'000},
                              {"keep", s.keep},
                              {"directory", s.dir},
                              {"server", s.server},
                              {"next_at", next ? json::value(format_utc(*next)) : json::value(nullptr)}};
        return http::json_response(200, json::object{{"data", std::move(data)}, {"schedule", std::move(schedule)}});
      }});
  api.route(RouteSpec{.method = "GET",
                      .path = "/api/v1/admin/backups/{id}",
                      .access = Access::admin,
                      .summary = "One backup",
                      .replies = {{200, "The backup", schema::ref("backup")}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        return http::json_response(200, service::get_backup(api.db(), c.ctx(), c.req.param("id")));
                      }});
}

}  // namespace keel::api
