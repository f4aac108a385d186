// The one way a versioned row is written: the row itself with its version check, its search
// terms, the audit entry and the change-log entry, in that order and inside the caller's
// transaction. Its writers: CRM records (create, update, delete to the trash, restore, lead
// conversion, bulk actions; through record_table in service/records.h) and the administration
// resources (users in service/users.cc, roles, teams and custom field definitions, each through a
// table of its own, with delete_versioned for the ones that are deleted for good). So that:
//  - a write based on a version that is no longer stored is refused with one error, 412
//    version_conflict, that always carries the current row (`current`, `current_version`);
//  - no write is committed without its audit and change-log entries, and none of them is left
//    behind by a write that fails (they share the transaction);
//  - the audit entry's diff and the change-log entry's version are those of the row written.
//
// Usage, for a resource with its own table (no search terms):
//
//   const VersionedTable teams{
//       .entity = "teams",
//       .write_row = [](store::Tx& tx, const json::object& row, std::optional<int64_t> expected) {
//         return expected ? tx.query("UPDATE teams SET name = ?, version = ?, updated_at = ? "
//                                    "WHERE id = ? AND version = ?", {...row..., *expected}).affected
//                         : tx.query("INSERT INTO teams (...) VALUES (...)", {...row...}).affected;
//       },
//       .current = [](store::Tx& tx, const Context&, const std::string& id) { return load_team(tx, id); },
//   };
//   db.write([&](store::Tx& tx) {
//     json::object old = load_team_or_404(tx, id, /*for_update=*/true);
//     expect_version(old, client_version(body, if_match));  // 412 before any validation or write
//     json::object row = old;
//     row["name"] = new_name;
//     row["updated_at"] = now;
//     write_versioned(tx, ctx, teams, {.action = "update", .before = &old, .after = row, .at = now});
//     // row["version"] is now old's + 1, as stored
//   });
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/error.h"
#include "service/context.h"
#include "store/db.h"

namespace keel::service {

// How one kind of versioned row is stored. A row is a JSON object with at least "id" (string)
// and "version" (integer); "owner_id", when it is a string, goes to the change log.
struct VersionedTable {
  // The name the audit and change logs know the resource by: "contacts", "users", "roles".
  std::string entity;
  // Stores `row`: a new row when `expected` is empty, otherwise over the stored row whose version
  // is still *expected (`... WHERE id = ? AND version = ?`). Returns the number of rows written;
  // 0 means the stored row is no longer at *expected.
  std::function<int64_t(store::Tx& tx, const boost::json::object& row, std::optional<int64_t> expected)> write_row;
  // The stored row as the caller may see it, for a conflict's `current`; empty if it is gone.
  // May throw (a 404 when the caller may no longer see the row: a conflict must not hand out a
  // row its caller cannot read).
  std::function<std::optional<boost::json::object>(store::Tx& tx, const Context& ctx, const std::string& id)> current;
  // Replaces the row's search terms after it is written (`before` is null on a create). Empty for
  // resources that are not searched.
  std::function<void(store::Tx& tx, const boost::json::object* before, const boost::json::object& after)> reindex =
      nullptr;
  // Removes the stored row `id` if its version is still `expected` (`DELETE ... WHERE id = ? AND
  // version = ?`); returns the number of rows removed. Only for resources deleted for good
  // (delete_versioned); CRM records go to the trash, which is an update.
  std::function<int64_t(store::Tx& tx, const std::string& id, int64_t expected)> delete_row = nullptr;
};

// One write of one row.
struct VersionedWrite {
  // The audit entry's action: "create", "update", "delete", "restore", "convert", ...
  std::string action;
  // The row as read in this transaction (ideally locked, see Records::load); null for a create.
  // The write is refused unless the stored row still has before's version.
  const boost::json::object* before = nullptr;
  // The complete new row. write_versioned sets its "version" (1 on a create, before's + 1 otherwise).
  boost::json::object& after;
  // When it happens: the audit and change-log time, the same instant as the row's own timestamps.
  std::string at;
  // The change log's action when it is not `action` (a lead conversion is an "update" to sync).
  std::string change_action = {};
  // The audit entry's changes if the caller has them already; by default diff_records(before, after).
  const boost::json::object* changes = nullptr;
};

// Performs `w` on `table` inside `tx`: stamps the new version, writes the row (refusing it with
// version_conflict carrying the current row if it changed since `before` was read), reindexes,
// and appends the audit and change-log entries. A row that is gone by then is 404 not_found.
void write_versioned(store::Tx& tx, const Context& ctx, const VersionedTable& table, const VersionedWrite& w);

// Deletes the row `before` (as read in this transaction) for good, with the same version check
// (version_conflict with the current row if it changed since), through table.delete_row; the
// audit entry "delete" lists every member as [old, null], and the change-log entry "delete"
// carries before's version + 1: the deletion is the row's last version, so a client comparing
// versions sees it as newer than anything it holds.
void delete_versioned(store::Tx& tx, const Context& ctx, const VersionedTable& table, const boost::json::object& before,
                      const std::string& at);

// The 412 of every versioned resource: code version_conflict, with `current` (the row as its
// caller may see it) and `current_version`.
ApiError version_conflict(const boost::json::object& current);

// The version a client based its change on: `if_match` (the If-Match header) when given, else the
// body's "version" member (422 naming `version` unless it is a whole number); empty when the
// client named none, and then the change applies to whatever is stored.
std::optional<int64_t> client_version(const boost::json::object& body, std::optional<int64_t> if_match);

// Throws version_conflict(current) when the client named a version (If-Match, a "version"
// member) other than current's. Callers check it as soon as they have read the row, before any
// check of the change against the row or the data around it, so that a stale client hears about
// the conflict rather than about a state it has not seen. (Checks of the body alone may come
// first: the administration services validate their body tables before they read the row.)
void expect_version(const boost::json::object& current, std::optional<int64_t> client_version);

}  // namespace keel::service
