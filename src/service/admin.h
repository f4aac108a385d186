// What the administration services (users, roles, teams, custom fields) share: who may call
// them, which resources they are, and how their rows go to and from SQL. Each writes through
// service/versioned_write.h like a CRM record: the row with its version check, an audit entry and
// a change-log entry (without owner) in the caller's transaction.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "service/context.h"
#include "service/versioned_write.h"
#include "store/db.h"

namespace keel::service {

// Throws 403 forbidden unless the caller is an administrator (the command line is one). The
// API checks the route's access first; this makes every other caller (the CLI, jobs) checked too.
void require_admin(const Context& ctx);

// The administration resources by the name the audit and change logs give them: "users",
// "roles", "teams", "custom_fields". Their lists are readable by every signed-in user (assignee
// pickers, role names, custom field forms), so their change-log entries are too (service/logs.h).
const std::vector<std::string>& admin_resources();

// A text member of a parsed change body, or else of the resource as it is ("" if neither has
// one, or it is null: cleared).
std::string member_text(const boost::json::object& change, std::string_view key, const boost::json::object& current);

// A member of a row as an SQL value: a string as text, anything else (null, absent) as NULL.
store::Value nullable_text(const boost::json::object& row, std::string_view key);
// A boolean member as the 0/1 both engines store.
int64_t flag(const boost::json::object& row, std::string_view key);

// The columns a write stores, each with its value.
using Columns = std::vector<std::pair<std::string, store::Value>>;

// How an administration resource is stored, for write_versioned and delete_versioned: its table
// has the resource's name (`entity`) and the columns id, version, created_at and updated_at
// (written from the row's members of those names: the id and created_at on a create only);
// `columns(row, creating)` gives the others a write stores (on a create also those that never
// change afterwards). A change is `UPDATE ... WHERE id = ? AND version = ?`, a delete
// `DELETE ... WHERE id = ? AND version = ?`. `load` reads a row back for a conflict's `current`.
using ColumnsOf = std::function<Columns(const boost::json::object& row, bool creating)>;
using LoadRow = std::function<std::optional<boost::json::object>(store::Tx& tx, const std::string& id)>;
VersionedTable admin_table(const std::string& entity, ColumnsOf columns, LoadRow load);

// The row with this id through `to_json`, or nullopt. `select` is "SELECT <columns> FROM <table>";
// `for_update` locks the row until the transaction ends (Tx::row_lock_suffix), for a write that
// read it: concurrent writers of one row then queue up instead of failing the version check.
std::optional<boost::json::object> load_row(store::Tx& tx, std::string_view select, const std::string& id,
                                            bool for_update, boost::json::object (*to_json)(const store::Row&));
// The same, read for update, for a change or a delete of it: 404 `missing` when there is none.
boost::json::object row_for_update(store::Tx& tx, std::string_view select, const std::string& id,
                                   boost::json::object (*to_json)(const store::Row&), const std::string& missing);

}  // namespace keel::service
