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

}  // namespace

ApiError version_conflict(const json::object& current, const std::string& message) {
  ApiError e(ErrorKind::precondition_failed, "version_conflict", message);
  e.extra()["current_version"] = version_of(current);
  e.extra()["current"] = current;
  return e;
}

void expect_version(const json::object& current, std::optional<int64_t> client_version) {
  if (client_version && *client_version != version_of(current)) throw version_conflict(current);
}

void write_versioned(store::Tx& tx, const Context& ctx, const VersionedTable& table, const VersionedWrite& w) {
  const std::optional<int64_t> expected = w.before ? std::optional<int64_t>(version_of(*w.before)) : std::nullopt;
  const int64_t version = expected ? *expected + 1 : 1;
  w.after["version"] = version;
  const std::string id(w.after.at("id").as_string());
  if (table.write_row(tx, w.after, expected) == 0) {
    // Someone else's write committed between our read and this one (only where the read did not
    // lock the row): tell the caller what is stored now.
    std::optional<json::object> current = table.current(tx, ctx, id);
    if (!current) throw not_found("It no longer exists (" + table.entity + " " + id + ")");
    throw version_conflict(*current);
  }
  if (table.reindex) table.reindex(tx, w.before, w.after);
  append_audit(tx, ctx, table.entity, id, w.action,
               w.changes ? *w.changes : diff_records(w.before ? *w.before : json::object{}, w.after), w.at);
  const json::value* owner = w.after.if_contains("owner_id");
  append_change(tx, ctx, table.entity, id, w.change_action.empty() ? w.action : w.change_action, version,
                owner && owner->is_string() ? std::optional<std::string>(owner->as_string()) : std::nullopt, w.at);
}

}  // namespace keel::service
