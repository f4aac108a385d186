#include "service/journal.h"

#include <boost/json.hpp>

namespace keel::service {
namespace json = boost::json;

json::object diff_records(const json::object& before, const json::object& after) {
  static const char* skip[] = {"version", "created_at", "created_by", "updated_at", "updated_by", "custom"};
  auto skipped = [](std::string_view k) {
    for (const char* s : skip)
      if (k == s) return true;
    return false;
  };
  json::object out;
  auto compare = [&](const json::object& a, const json::object& b, const std::string& prefix) {
    for (const auto& [k, v] : b) {
      if (prefix.empty() && skipped(k)) continue;
      auto it = a.find(k);
      json::value old = it == a.end() ? json::value(nullptr) : it->value();
      if (old != v) out[prefix + std::string(k)] = json::array{old, v};
    }
    for (const auto& [k, v] : a) {
      if (prefix.empty() && skipped(k)) continue;
      if (!b.contains(k) && !v.is_null()) out[prefix + std::string(k)] = json::array{v, nullptr};
    }
  };
  compare(before, after, "");
  static const json::object empty;
  auto custom_of = [](const json::object& o) -> const json::object& {
    auto it = o.find("custom");
    return it != o.end() && it->value().is_object() ? it->value().as_object() : empty;
  };
  compare(custom_of(before), custom_of(after), "custom.");
  return out;
}

void append_audit(store::Tx& tx, const Context& ctx, const std::string& entity, const std::string& record_id,
                  const std::string& action, const json::object& changes, const std::string& at) {
  tx.query(
      "INSERT INTO audit_log (at, user_id, entity, record_id, action, changes, request_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {at, ctx.principal.user_id, entity, record_id, action, json::serialize(changes), ctx.request_id});
}

void append_change(store::Tx& tx, const Context& ctx, const std::string& entity, const std::string& record_id,
                   const std::string& action, int64_t version, const std::optional<std::string>& owner_id,
                   const std::string& at) {
  // On PostgreSQL, sequence numbers are handed out at insert time but become visible at commit,
  // so a reader could see 12 before 11 commits and skip 11 forever. Taking a transaction-scoped
  // lock here makes change-log appends commit in sequence order. SQLite has one writer already.
  tx.lock(store::NamedLock::change_log);
  tx.query(
      "INSERT INTO change_log (at, entity, record_id, action, version, owner_id, user_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {at, entity, record_id, action, version, store::text_or_null(owner_id), ctx.principal.user_id});
}

}  // namespace keel::service
