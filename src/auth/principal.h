// Who is making a request, as established by the credential it carried. Built fresh from the
// database on every request, so a deactivation or a role change applies to the very next one.
#pragma once

#include <string>

#include "auth/permissions.h"
#include "store/db.h"

namespace keel::auth {

struct Principal {
  std::string user_id;
  std::string email;
  std::string name;
  std::string role_id;
  std::string team_id;  // empty if the user is in no team
  std::string locale;
  std::string time_zone;
  std::string credential_id;
  std::string credential_kind;  // "session" or "api"
  Permissions perms;

  bool is_admin() const { return perms.admin; }
};

// A SQL condition (with its parameters) that holds for rows whose `owner_column` lies within
// `scope` for `p`. Every read path builds its WHERE clause from this one function.
struct SqlFilter {
  std::string sql;
  store::Params params;
};
SqlFilter scope_filter(const Principal& p, Scope scope, const std::string& owner_column);

// True if a record owned by `owner_id` lies within `scope` for `p` (one query at most).
bool owner_in_scope(store::Tx& tx, const Principal& p, Scope scope, const std::string& owner_id);

}  // namespace keel::auth
