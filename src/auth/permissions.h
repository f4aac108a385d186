// Role-based access control: what a role may do on each entity, and over which records.
//
// A role grants, per entity, read/update/delete with a record scope (none, own, team, all) and
// create/export as yes/no. "own" means records whose owner is the caller; "team" adds records
// owned by members of the caller's team and of teams the caller manages. `admin` opens the
// administration endpoints (users, roles, teams, custom fields, audit log, backups).
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"

namespace keel::auth {

enum class Scope { none = 0, own = 1, team = 2, all = 3 };
const char* scope_name(Scope s);

enum class Action { read, create, update, remove, export_ };
const char* action_name(Action a);

struct EntityPermission {
  Scope read = Scope::none;
  Scope update = Scope::none;
  Scope remove = Scope::none;
  bool create = false;
  bool export_ = false;
};

struct Permissions {
  std::map<std::string, EntityPermission, std::less<>> entities;
  bool admin = false;

  // Permission on an entity; none if the role does not mention it.
  const EntityPermission& on(std::string_view entity) const;

  boost::json::object to_json() const;
  // Parses a role's permissions document, reporting problems under `field_prefix`.
  static Permissions from_json(const boost::json::value& v, FieldErrors& errors, const std::string& field_prefix);
};

struct BuiltinRole {
  std::string id;  // also its name: "admin", "manager", "sales", "support", "read_only"
  std::string description;
  Permissions permissions;
};
const std::vector<BuiltinRole>& builtin_roles();
// The role a new user gets when none is given: read_only, which sees its own team's records
// and changes nothing.
inline constexpr const char* kDefaultRole = "read_only";

}  // namespace keel::auth
