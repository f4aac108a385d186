// Who is making a request, as established by the credential it carried. Built fresh from the
// database on every request (service/sessions.h), so a deactivation or a role change applies to
// the very next one. Which records a principal reaches is service/scope.h.
#pragma once

#include <string>

#include "auth/permissions.h"

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

}  // namespace keel::auth
