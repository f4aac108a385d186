// Reading the change log (for sync clients and integrations), the audit log (admins), and
// global search across entities. Each goes through the same permission scope as record lists:
// an entry about a record the caller may not read is never returned.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/list_query.h"
#include "auth/principal.h"
#include "core/text.h"
#include "domain/entity.h"

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
    // One scan of the log; entries outside the caller's read scope are skipped, and
    // next_after moves past them so a client never re-reads what it may not see.
    std::string sql = "SELECT c.seq, c.at, c.entity, c.record_id, c.action, c.version, c.owner_id, c.user_id "
                      "FROM change_log c WHERE c.seq > ? AND (";
    store::Params params{after};
    bool any = false;
    for (const auto& def : domain::entities()) {
      auth::Scope s = c.principal->perms.on(def.name).read;
      if (s == auth::Scope::none) continue;
      auth::SqlFilter f = auth::scope_filter(*c.principal, s, "c.owner_id");
      sql += std::string(any ? " OR " : "") + "(c.entity = ? AND " + f.sql + ")";
      params.push_back(def.name);
      params.insert(params.end(), f.params.begin(), f.params.end());
      any = true;
    }
    sql += any ? ")" : "1=0)";
    sql += " ORDER BY c.seq LIMIT " + std::to_string(limit);
    json::array data;
    int64_t next = after, head = 0;
    api.db().read([&](store::Tx& tx) {
      for (const auto& row : tx.query(sql, params).rows) {
        data.push_back(json::object{{"seq", row.integer(0)},       {"at", row.text(1)},    {"entity", row.text(2)},
                                    {"record_id", row.text(3)},    {"action", row.text(4)}, {"version", row.integer(5)},
                                    {"owner_id", row.text(6)},     {"user_id", row.text(7)}});
        next = row.integer(0);
      }
      head = tx.one("SELECT COALESCE(MAX(seq), 0) FROM change_log")->integer(0);
      // Fewer rows than asked means the caller saw everything up to the head.
      if (static_cast<int64_t>(data.size()) < limit) next = std::max(next, head);
    });
    return http::json_response(200, json::object{{"data", data}, {"next_after", next}, {"has_more", next < head}});
  }, "Committed changes in order, after a sequence number (for sync and integrations)");

  api.route("GET", "/api/v1/audit", Access::admin, [&api](Call& c) {
    allow_only(c.req, {"before", "limit", "entity", "user_id"});
    int64_t before = int_param(c.req, "before", INT64_MAX, 1, INT64_MAX);
    int64_t limit = int_param(c.req, "limit", 100, 1, 500);
    std::string sql = "SELECT a.id, a.at, a.user_id, u.name, a.entity, a.record_id, a.action, a.changes, a.request_id "
                      "FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.id < ?";
    store::Params params{before};
    for (const auto& [k, v] : c.req.query) {
      if (k == "entity") {
        sql += " AND a.entity = ?";
        params.push_back(v);
      } else if (k == "user_id") {
        sql += " AND a.user_id = ?";
        params.push_back(v);
      }
    }
    sql += " ORDER BY a.id DESC LIMIT " + std::to_string(limit);
    json::array data;
    api.db().read([&](store::Tx& tx) {
      for (const auto& row : tx.query(sql, params).rows) {
        boost::system::error_code ec;
        json::value ch = json::parse(row.text(7), ec);
        data.push_back(json::object{{"id", row.integer(0)},      {"at", row.text(1)},        {"user_id", row.text(2)},
                                    {"user_name", row.text(3)},  {"entity", row.text(4)},    {"record_id", row.text(5)},
                                    {"action", row.text(6)},     {"changes", ec ? json::value(nullptr) : ch},
                                    {"request_id", row.text(8)}});
      }
    });
    json::value next = data.empty() || static_cast<int64_t>(data.size()) < limit ? json::value(nullptr)
                                                                                 : data.back().at("id");
    return http::json_response(200, json::object{{"data", data}, {"next_before", next}});
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
    json::array data;
    api.db().read([&](store::Tx& tx) {
      json::object deal = service::Records::load_visible(tx, c.ctx(), *domain::find_entity("deals"), c.req.param("id"));
      auto r = tx.query("SELECT from_stage_id, to_stage_id, amount_minor, currency, at, user_id FROM deal_stage_history "
                        "WHERE deal_id = ? ORDER BY id",
                        {std::string(deal.at("id").as_string())});
      for (const auto& row : r.rows)
        data.push_back(json::object{{"from_stage_id", row.is_null(0) ? json::value(nullptr) : json::value(row.text(0))},
                                    {"to_stage_id", row.text(1)},
                                    {"amount_minor", row.is_null(2) ? json::value(nullptr) : json::value(row.integer(2))},
                                    {"currency", row.is_null(3) ? json::value(nullptr) : json::value(row.text(3))},
                                    {"at", row.text(4)},
                                    {"user_id", row.text(5)}});
    });
    return http::json_response(200, json::object{{"data", data}});
  }, "When the deal entered each stage, and who moved it");
}

}  // namespace keel::api
