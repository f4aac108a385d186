// Teams: a name and an optional manager. A user belongs to at most one team; "team" scopes in
// role permissions mean the records owned by members of the caller's team.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "domain/body.h"
#include "service/context.h"
#include "store/db.h"

namespace keel::service {

// {name (1-100, unique), manager_id (an active user, or null)}.
const domain::BodyDef& team_body();

// By name. Any signed-in user may read them.
boost::json::array list_teams(store::Tx& tx);
// Administrators only; 422 (manager_id reference_not_found), 409 name_taken.
boost::json::object create_team(store::Tx& tx, const Context& ctx, const boost::json::object& body);
// 404, 422, 409 name_taken.
boost::json::object update_team(store::Tx& tx, const Context& ctx, const std::string& id,
                                const boost::json::object& body);
// 404, 409 team_in_use while the team has members.
void delete_team(store::Tx& tx, const Context& ctx, const std::string& id);

}  // namespace keel::service
