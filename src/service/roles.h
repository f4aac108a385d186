// Roles. The built-in ones (admin, manager, sales, support, read_only) are written at start-up
// by bootstrap (install_builtin_roles) and cannot be changed or deleted; administrators define
// the others. A change to a role takes effect on the next request of every user who has it
// (permissions are read per request, keyed by the role's version). Every write goes through
// write_versioned (entity "roles"): version check, audit entry, change-log entry.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "domain/body.h"
#include "service/context.h"
#include "store/db.h"

namespace keel::service {

// {name (1-64, unique), description (0-500), permissions (see auth::Permissions), version}.
const domain::BodyDef& role_body();

// Built-in roles first, then by name. Any signed-in user may read them.
boost::json::array list_roles(store::Tx& tx);
// Administrators only; 422 with field errors, 409 name_taken.
boost::json::object create_role(store::Tx& tx, const Context& ctx, const boost::json::object& body);
// 404, 409 builtin_role / name_taken, 412 version_conflict (with `current`) when `if_match` (or
// else the body's version) is not the stored version. A change that changes nothing writes
// nothing (no new version, no log entries).
boost::json::object update_role(store::Tx& tx, const Context& ctx, const std::string& id,
                                const boost::json::object& body, std::optional<int64_t> if_match = std::nullopt);
// 404, 409 builtin_role, 412 version_conflict (`if_match`), 409 role_in_use while any user has it.
void delete_role(store::Tx& tx, const Context& ctx, const std::string& id,
                 std::optional<int64_t> if_match = std::nullopt);
// Creates the built-in roles that are missing and refreshes those whose permissions or
// description this Keel defines differently (bootstrap, under the schema lock).
void install_builtin_roles(store::Tx& tx, const Context& ctx);

}  // namespace keel::service
