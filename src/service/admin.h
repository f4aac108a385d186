// What the administration services (users, roles, teams, custom fields) share: who may call
// them, and how a stale change is refused.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/error.h"
#include "service/context.h"

namespace keel::service {

// Throws 403 forbidden unless the caller is an administrator (the command line is one). The
// API checks the route's access first; this makes every other caller (the CLI, jobs) checked too.
void require_admin(const Context& ctx);

// The 412 version_conflict for a change made against an old version: carries `current` (the
// resource as it is now) and `current_version`, so the client can show what changed and retry.
ApiError version_conflict(const std::string& message, const boost::json::object& current);

// A text member of a parsed change body, or else of the resource as it is ("" if neither has
// one, or it is null: cleared).
std::string member_text(const boost::json::object& change, std::string_view key, const boost::json::object& current);

// Throws version_conflict if `body` has a "version" member that is not `current`'s.
void check_version(const boost::json::object& body, const boost::json::object& current, const std::string& message);

}  // namespace keel::service
