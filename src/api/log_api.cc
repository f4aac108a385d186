// Reading the change log (for sync clients and integrations), the audit log (admins), a deal's
// stage history, and global search across entities. The reading itself is in service/logs.h
// and service/records.h, through the same permission scope as record lists.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/list_query.h"
#include "api/schema.h"
#include "auth/principal.h"
#include "core/text.h"
#include "core/time.h"
#include "domain/entity.h"
#include "service/logs.h"

namespace keel::api {
namespace json = boost::json;

namespace {

constexpr IntParam kAfter{"after", 0, INT64_MAX, 0, "Sequence number to read after (0 = from the start)"};
constexpr IntParam kChangesLimit{"limit", 1, 1000, 200};
constexpr IntParam kBefore{"before", 1, INT64_MAX, std::nullopt, "Entry id to read before (paging back)"};
constexpr IntParam kAuditLimit{"limit", 1, 500, 100};
constexpr IntParam kSearchLimit{"limit", 1, 50, 10};

json::object search_hits() {
  return {{"type", "object"},
          {"properties",
           {{"data", schema::array_of({{"type", "object"}})},
            {"total", schema::integer()},
            {"total_exact", schema::boolean()}}}};
}

}  // namespace

void add_log_routes(Api& api) {
  api.route(RouteSpec{.method = "GET",
                      .path = "/api/v1/changes",
                      .summary = "Committed changes in order, after a sequence number (for sync and integrations)",
                      .query = {documented(kAfter), documented(kChangesLimit)},
                      .replies = {{200, "Changes in commit order",
                                   schema::object_of({{"data", schema::array_of(schema::ref("change"))},
                                                      {"next_after", schema::integer()},
                                                      {"has_more", schema::boolean()}},
                                                     {"data", "next_after", "has_more"})}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {kAfter.name, kChangesLimit.name});
                        service::ChangesPage page = service::read_changes(api.db(), c.ctx(), *int_param(c.req, kAfter),
                                                                          *int_param(c.req, kChangesLimit));
                        return http::json_response(200, json::object{{"data", std::move(page.data)},
                                                                     {"next_after", page.next_after},
                                                                     {"has_more", page.has_more}});
                      }});

  api.route(RouteSpec{
      .method = "GET",
      .path = "/api/v1/audit",
      .access = Access::admin,
      .summary = "The audit log, newest first (administrators)",
      .query = {documented(kBefore),
                documented(kAuditLimit),
                {"entity", schema::str(), "Only entries about this kind of record (contacts, users, backups, ...)"},
                {"user_id", schema::str(), "Only changes made by this user"},
                {"action", schema::str(), "Only this action (create, update, delete, restore, convert, backup, ...)"},
                {"record_id", schema::str(), "Only entries about this record"},
                {"from", schema::str_fmt("date-time"),
                 "Only entries at or after this instant (without an offset: in the caller's time zone)"},
                {"to", schema::str_fmt("date-time"), "Only entries before this instant"}},
      .replies = {{200, "Audit entries, newest first",
                   schema::object_of({{"data", schema::array_of(schema::ref("audit_entry"))},
                                      {"next_before", schema::nullable(schema::integer())}},
                                     {"data"})}},
      .handler = [&api](Call& c) {
        allow_only(c.req, {kBefore.name, kAuditLimit.name, "entity", "user_id", "action", "record_id", "from", "to"});
        service::AuditQuery q;
        if (auto before = int_param(c.req, kBefore)) q.before = *before;
        q.limit = *int_param(c.req, kAuditLimit);
        for (const auto& [k, v] : c.req.query) {
          if (k == "entity")
            q.entity = v;
          else if (k == "user_id")
            q.user_id = v;
          else if (k == "action")
            q.action = v;
          else if (k == "record_id")
            q.record_id = v;
          else if (k == "from" || k == "to") {
            ParsedInstant t = parse_instant(v, c.principal->time_zone);
            if (t.error != TimeParseError::none)
              throw bad_request("invalid_parameter", k + " must be a date and time such as 2026-12-01T09:00", k);
            (k == "from" ? q.from : q.to) = format_utc(t.ms);
          }
        }
        service::AuditPage page = service::read_audit(api.db(), q);
        json::value next = page.next_before ? json::value(*page.next_before) : json::value(nullptr);
        return http::json_response(200, json::object{{"data", std::move(page.data)}, {"next_before", next}});
      }});

  api.route(RouteSpec{.method = "GET",
                      .path = "/api/v1/search",
                      .summary = "Search accounts, contacts, leads and deals by name, email, phone or company",
                      .query = {{"q", search_text_schema(), "Search text", true}, documented(kSearchLimit)},
                      .replies = {{200, "Matches per entity the caller may read",
                                   schema::object_of({{"accounts", search_hits()},
                                                      {"contacts", search_hits()},
                                                      {"leads", search_hits()},
                                                      {"deals", search_hits()}})}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {"q", kSearchLimit.name});
                        std::string q;
                        for (const auto& [k, v] : c.req.query)
                          if (k == "q") q = parse_search_text(v, k);
                        if (query_terms(q).empty())
                          throw bad_request("invalid_parameter", "Give search text in q", "q");
                        const int64_t limit = *int_param(c.req, kSearchLimit);
                        json::object out;
                        for (const char* name : {"accounts", "contacts", "leads", "deals"}) {
                          const domain::EntityDef& def = *domain::find_entity(name);
                          if (c.principal->perms.on(name).read == auth::Scope::none) continue;
                          service::ListQuery lq;
                          lq.search = q;
                          lq.limit = static_cast<int>(limit);
                          lq.sort_column = def.title_field;
                          lq.descending = false;
                          auto page = api.records().list(c.ctx(), def, lq);
                          out[name] = json::object{{"data", std::move(page.data)},
                                                   {"total", page.total ? *page.total : 0},
                                                   {"total_exact", page.total_exact}};
                        }
                        return http::json_response(200, out);
                      }});

  api.route(
      RouteSpec{.method = "GET",
                .path = "/api/v1/deals/{id}/stage-history",
                .summary = "When the deal entered each stage, and who moved it",
                .replies = {{200, "Stage changes, oldest first",
                             schema::data_of(schema::object_of({{"from_stage_id", schema::nullable(schema::str())},
                                                                {"to_stage_id", schema::str()},
                                                                {"amount_minor", schema::nullable(schema::integer())},
                                                                {"currency", schema::nullable(schema::str())},
                                                                {"at", schema::str_fmt("date-time")},
                                                                {"user_id", schema::str()}}))}},
                .handler = [&api](Call& c) {
                  allow_only(c.req, {});
                  json::array data = service::deal_stage_history(api.db(), c.ctx(), c.req.param("id"));
                  return http::json_response(200, json::object{{"data", std::move(data)}});
                }});
}

}  // namespace keel::api
