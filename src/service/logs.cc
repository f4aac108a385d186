#include "service/logs.h"

#include <boost/json.hpp>

#include "auth/principal.h"
#include "domain/entity.h"
#include "service/admin.h"
#include "service/json_rows.h"
#include "service/records.h"
#include "service/scope.h"

namespace keel::service {
namespace json = boost::json;

namespace {}  // namespace

ChangesPage read_changes(store::Database& db, const Context& ctx, int64_t after, int64_t limit) {
  // One scan of the log; entries outside the caller's read scope are skipped, and next_after
  // moves past them so a client never re-reads what it may not see.
  std::string sql =
      "SELECT c.seq, c.at, c.entity, c.record_id, c.action, c.version, c.owner_id, c.user_id "
      "FROM change_log c WHERE c.seq > ? AND (";
  store::Params params{after};
  bool any = false;
  for (const auto& def : domain::entities()) {
    auth::Scope s = ctx.principal.perms.on(def.name).read;
    if (s == auth::Scope::none) continue;
    SqlFilter f = scope_filter(ctx.principal, s, "c.owner_id");
    sql += std::string(any ? " OR " : "") + "(c.entity = ? AND " + f.sql + ")";
    params.push_back(def.name);
    params.insert(params.end(), f.params.begin(), f.params.end());
    any = true;
  }
  // Users, roles, teams and custom field definitions are listed to every signed-in user
  // (GET /api/v1/users and so on), so every reader sees their entries too: id, version, action,
  // time and actor, nothing the lists do not show (no owner, no field values).
  for (const auto& name : admin_resources()) {
    sql += std::string(any ? " OR " : "") + "c.entity = ?";
    params.push_back(name);
    any = true;
  }
  sql += ")";
  sql += " ORDER BY c.seq LIMIT " + std::to_string(limit);
  ChangesPage page;
  page.next_after = after;
  int64_t head = 0;
  db.read([&](store::Tx& tx) {
    for (const auto& row : tx.query(sql, params).rows) {
      page.data.push_back(json::object{{"seq", row.integer(0)},
                                       {"at", row.text(1)},
                                       {"entity", row.text(2)},
                                       {"record_id", row.text(3)},
                                       {"action", row.text(4)},
                                       {"version", row.integer(5)},
                                       {"owner_id", text_or_null(row, 6)},
                                       {"user_id", row.text(7)}});
      page.next_after = row.integer(0);
    }
    head = tx.one("SELECT COALESCE(MAX(seq), 0) FROM change_log")->integer(0);
    // Fewer rows than asked means the caller saw everything up to the head.
    if (static_cast<int64_t>(page.data.size()) < limit) page.next_after = std::max(page.next_after, head);
  });
  page.has_more = page.next_after < head;
  return page;
}

AuditPage read_audit(store::Database& db, const AuditQuery& q) {
  std::string sql =
      "SELECT a.id, a.at, a.user_id, u.name, a.entity, a.record_id, a.action, a.changes, a.request_id "
      "FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.id < ?";
  store::Params params{q.before};
  // Each filter that is set adds its condition; all of them hold.
  const std::pair<const std::optional<std::string>*, const char*> filters[] = {
      {&q.entity, " AND a.entity = ?"},       {&q.user_id, " AND a.user_id = ?"}, {&q.action, " AND a.action = ?"},
      {&q.record_id, " AND a.record_id = ?"}, {&q.from, " AND a.at >= ?"},        {&q.to, " AND a.at < ?"}};
  for (const auto& [value, condition] : filters) {
    if (!*value) continue;
    sql += condition;
    params.push_back(**value);
  }
  sql += " ORDER BY a.id DESC LIMIT " + std::to_string(q.limit);
  AuditPage page;
  db.read([&](store::Tx& tx) {
    for (const auto& row : tx.query(sql, params).rows) {
      boost::system::error_code ec;
      json::value ch = json::parse(row.text(7), ec);
      page.data.push_back(json::object{{"id", row.integer(0)},
                                       {"at", row.text(1)},
                                       {"user_id", row.text(2)},
                                       {"user_name", row.text(3)},
                                       {"entity", row.text(4)},
                                       {"record_id", row.text(5)},
                                       {"action", row.text(6)},
                                       {"changes", ec ? json::value(nullptr) : ch},
                                       {"request_id", row.text(8)}});
    }
  });
  if (!page.data.empty() && static_cast<int64_t>(page.data.size()) >= q.limit)
    page.next_before = page.data.back().at("id").as_int64();
  return page;
}

json::array deal_stage_history(store::Database& db, const Context& ctx, const std::string& deal_id) {
  json::array data;
  db.read([&](store::Tx& tx) {
    json::object deal = Records::load_visible(tx, ctx, *domain::find_entity("deals"), deal_id);
    auto r = tx.query(
        "SELECT from_stage_id, to_stage_id, amount_minor, currency, at, user_id FROM deal_stage_history "
        "WHERE deal_id = ? ORDER BY id",
        {std::string(deal.at("id").as_string())});
    for (const auto& row : r.rows)
      data.push_back(json::object{{"from_stage_id", text_or_null(row, 0)},
                                  {"to_stage_id", row.text(1)},
                                  {"amount_minor", row.is_null(2) ? json::value(nullptr) : json::value(row.integer(2))},
                                  {"currency", text_or_null(row, 3)},
                                  {"at", row.text(4)},
                                  {"user_id", row.text(5)}});
  });
  return data;
}

}  // namespace keel::service
