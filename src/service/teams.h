// Teams: a name and an optional manager. A user belongs to at most one team; "team" scopes in
// role permissions mean the records owned by members of the caller's team. Every write goes
// through write_versioned (entity "teams"): version check, audit entry, change-log entry.
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

// {name (1-100, unique), manager_id (an active user, or null), version (on a change: the version
// it was based on)}.
const domain::BodyDef& team_body();

// By name. Any signed-in user may read them.
boost::json::array list_teams(store::Tx& tx);
// Administrators only; 422 (manager_id reference_not_found), 409 name_taken.
boost::json::object create_team(store::Tx& tx, const Context& ctx, const boost::json::object& body);
// 404, 412 version_conflict (with `current`) when `if_match` (or else the body's version) is not
// the stored version, 422, 409 name_taken. A change that changes nothing writes nothing.
boost::json::object update_team(store::Tx& tx, const Context& ctx, const std::string& id,
                                const boost::json::object& body, std::optional<int64_t> if_match = std::nullopt);
// 404, 412 version_conflict (`if_match`), 409 team_in_use while the team has members.
void delete_team(store::Tx& tx, const Context& ctx, const std::string& id,
                 std::optional<int64_t> if_match = std::nullopt);

}  // namespace keel::service
