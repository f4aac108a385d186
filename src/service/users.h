// Users, roles, teams and custom field definitions: the administration data. Shared by the
// HTTP API and the `keel user` command line so both apply the same rules.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "auth/principal.h"
#include "service/context.h"
#include "store/db.h"

namespace keel::service {

struct NewUser {
  std::string email;
  std::string name;
  std::string password;  // empty: generate one
  std::string role_id;   // empty: auth::kDefaultRole
  std::string team_id;   // empty: none
  std::string locale;  // "en" or "zh-CN"; empty: not chosen, each device follows its browser
  std::string time_zone = "UTC";
};

// Validates and inserts a user; returns its JSON and, if generated, the initial password in
// "initial_password". Throws ApiError 422 / 409 email_taken.
boost::json::object create_user(store::Tx& tx, const Context* ctx, NewUser u);
// Admin changes: name, role_id, team_id, locale, time_zone, active. A role change or a
// deactivation revokes every session and token of the user at once.
boost::json::object update_user(store::Tx& tx, const Context& ctx, const std::string& id, const boost::json::object& patch);
// Sets a new password (generated if empty), revokes the user's sessions; returns the password.
std::string reset_password(store::Tx& tx, const std::string& user_id_or_email, std::string password,
                           const std::string& keep_credential_id = "");
// The command line (`keel user ...`) acts as this principal: an administrator without a user id,
// so its changes are audited with request id "cli".
const auth::Principal& command_line_principal();
// Deactivates the user with this email (revoking every session and token), audited.
boost::json::object deactivate_user(store::Tx& tx, const Context& ctx, const std::string& email);
boost::json::object user_json(const store::Row& row);  // from SELECT kUserColumns
extern const char* const kUserColumns;

// Inserts or refreshes the built-in roles, and on an empty database creates the default sales
// pipeline. Returns the first admin's generated password if one was created now.
std::optional<std::pair<std::string, std::string>> bootstrap(store::Database& db, const std::string& admin_email);

}  // namespace keel::service
