// Reading the change log (for sync clients and integrations), the audit log (admins), a deal's
// stage history, and global search across entities. The reading itself is in service/logs.h
// and service/records.h, through the same permission scope as record lists.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/list_query.h"
#include "auth/principal.h"
#include "core/text.h"
#include "domain/entity.h"
#include "service/logs.h"

namespace keel::api {
namespace json = boost::json;

namespace {

int64_t int_param(const http::Request& req, const std::string& name, int64_t def, int64_t lo, int64_t hi) {
  for (const auto& [k, v] : req.query) {
    if (k != name) continue;
    try {
      size_t used = 0;
      long long n = std::stoll(v, &used);
      if (used != v.size() || n < lo || n > hi) throw std::out_of_range("range");
      return n;
    } catch (const std::exception&) {
      throw bad_request("invalid_parameter", name + " must be a whole number from " + std::to_string(lo) + " to " +
                                                 std::to_string(hi), name);
    }
  }
  return def;
}

}  // namespace

void add_log_routes(Api& api) {
  api.route("GET", "/api/v1/changes", Access::user, [&api](Call& c) {
    allow_only(c.req, {"after", "limit"});
    int64_t after = int_param(c.req, "after", 0, 0, INT64_MAX);
    int64_t limit = int_param(c.req, "limit", 200, 1, 1000);
    service::ChangesPage page = service::read_changes(api.db(), c.ctx(), after, limit);
    return http::json_response(200, json::object{{"data", std::move(page.data)}, {"next_after", page.next_after},
                                                 {"has_more", page.has_more}});
  }, "Committed changes in order, after a sequence number (for sync and integrations)");

  api.route("GET", "/api/v1/audit", Access::admin, [&api](Call& c) {
    allow_only(c.req, {"before", "limit", "entity", "user_id"});
    service::AuditQuery q;
    q.before = int_param(c.req, "before", INT64_MAX, 1, INT64_MAX);
    q.limit = int_param(c.req, "limit", 100, 1, 500);
    for (const auto& [k, v] : c.req.query) {
      if (k == "entity") q.entity = v;
      else if (k == "user_id") q.user_id = v;
    }
    service::AuditPage page = service::read_audit(api.db(), q);
    json::value next = page.next_before ? json::value(*page.next_before) : json::value(nullptr);
    return http::json_response(200, json::object{{"data", std::move(page.data)}, {"next_before", next}});
  }, "The audit log, newest first (administrators)");

  api.route("GET", "/api/v1/search", Access::user, [&api](Call& c) {
    allow_only(c.req, {"q", "limit"});
    std::string q;
    for (const auto& [k, v] : c.req.query)
      if (k == "q") q = parse_search_text(v, k);
    if (query_terms(q).empty()) throw bad_request("invalid_parameter", "Give search text in q", "q");
    int64_t limit = int_param(c.req, "limit", 10, 1, 50);
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
      out[name] = json::object{{"data", std::move(page.data)}, {"total", page.total ? *page.total : 0},
                               {"total_exact", page.total_exact}};
    }
    return http::json_response(200, out);
  }, "Search accounts, contacts, leads and deals by name, email, phone or company");

  api.route("GET", "/api/v1/deals/{id}/stage-history", Access::user, [&api](Call& c) {
    allow_only(c.req, {});
    json::array data = service::deal_stage_history(api.db(), c.ctx(), c.req.param("id"));
    return http::json_response(200, json::object{{"data", std::move(data)}});
  }, "When the deal entered each stage, and who moved it");
}

}  // namespace keel::api
