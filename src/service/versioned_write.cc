#include "service/versioned_write.h"

#include <boost/json.hpp>

#include "service/journal.h"

namespace keel::service {
namespace json = boost::json;

namespace {

int64_t version_of(const json::object& row) {
  const json::value* v = row.if_contains("version");
  return v && v->is_int64() ? v->as_int64() : 0;
}

// The stored row changed between our read and this write (only where the read did not lock the
// row): tell the caller what is stored now, or that it is gone.
[[noreturn]] void refuse_stale(store::Tx& tx, const Context& ctx, const VersionedTable& table, const std::string& id) {
  std::optional<json::object> current = table.current(tx, ctx, id);
  if (!current) throw not_found("It no longer exists (" + table.entity + " " + id + ")");
  throw version_conflict(*current);
}

std::optional<std::string> owner_of(const json::object& row) {
  const json::value* owner = row.if_contains("owner_id");
  return owner && owner->is_string() ? std::optional<std::string>(owner->as_string()) : std::nullopt;
}

}  // namespace

ApiError version_conflict(const json::object& current) {
  ApiError e(ErrorKind::precondition_failed, "version_conflict",
             "It was changed by someone else since you loaded it; reload and apply your change again");
  e.extra()["current_version"] = version_of(current);
  e.extra()["current"] = current;
  return e;
}

std::optional<int64_t> client_version(const json::object& body, std::optional<int64_t> if_match) {
  if (if_match) return if_match;
  const json::value* v = body.if_contains("version");
  if (!v) return std::nullopt;
  if (!v->is_int64()) throw validation_failed({{"version", "invalid_type", "Must be a whole number"}});
  return v->as_int64();
}

void expect_version(const json::object& current, std::optional<int64_t> client_version) {
  if (client_version && *client_version != version_of(current)) throw version_conflict(current);
}

void write_versioned(store::Tx& tx, const Context& ctx, const VersionedTable& table, const VersionedWrite& w) {
  const std::optional<int64_t> expected = w.before ? std::optional<int64_t>(version_of(*w.before)) : std::nullopt;
  const int64_t version = expected ? *expected + 1 : 1;
  w.after["version"] = version;
  const std::string id(w.after.at("id").as_string());
  if (table.write_row(tx, w.after, expected) == 0) refuse_stale(tx, ctx, table, id);
  if (table.reindex) table.reindex(tx, w.before, w.after);
  append_audit(tx, ctx, table.entity, id, w.action,
               w.changes ? *w.changes : diff_records(w.before ? *w.before : json::object{}, w.after), w.at);
  append_change(tx, ctx, table.entity, id, w.change_action.empty() ? w.action : w.change_action, version,
                owner_of(w.after), w.at);
}

void delete_versioned(store::Tx& tx, const Context& ctx, const VersionedTable& table, const json::object& before,
                      const std::string& at) {
  const std::string id(before.at("id").as_string());
  if (table.delete_row(tx, id, version_of(before)) == 0) refuse_stale(tx, ctx, table, id);
  append_audit(tx, ctx, table.entity, id, "delete", diff_records(before, json::object{}), at);
  append_change(tx, ctx, table.entity, id, "delete", version_of(before) + 1, owner_of(before), at);
}

}  // namespace keel::service
