// Users, roles, teams and custom field definitions: the administration data. Shared by the
// HTTP API and the `keel user` command line so both apply the same rules.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "auth/principal.h"
#include "domain/body.h"
#include "service/context.h"
#include "store/db.h"

namespace keel::service {

struct NewUser {
  std::string email;
  std::string name;
  std::string password;  // empty: generate one
  std::string role_id;   // empty: auth::kDefaultRole
  std::string team_id;   // empty: none
  std::string locale;    // "en" or "zh-CN"; empty: not chosen, each device follows its browser
  std::string time_zone = "UTC";
};

// Validates and inserts a user; returns its JSON and, if generated, the initial password in
// "initial_password". Throws ApiError 422 / 409 email_taken.
boost::json::object create_user(store::Tx& tx, const Context* ctx, NewUser u);
// The API's create body (see user_create_body): validated against the table, then as above.
boost::json::object create_user(store::Tx& tx, const Context& ctx, const boost::json::object& body);
// Admin changes (user_update_body): name, role_id, team_id, locale, time_zone, active, version
// (412 version_conflict with `current`). A role change or a deactivation revokes every session
// and token of the user at once.
boost::json::object update_user(store::Tx& tx, const Context& ctx, const std::string& id,
                                const boost::json::object& patch);
// {email, name, password, role_id, team_id, locale, time_zone} and the change body.
const domain::BodyDef& user_create_body();
const domain::BodyDef& user_update_body();
// Everyone (for assignee pickers), by name; `active` filters.
boost::json::array list_users(store::Tx& tx, std::optional<bool> active);
boost::json::object get_user(store::Tx& tx, const std::string& id);  // 404
// An administrator resets a user's password: generated, returned once, audited; the user is
// signed out everywhere.
std::string reset_password(store::Tx& tx, const Context& ctx, const std::string& user_id);
// The caller's own profile: {name, locale, time_zone} and a password change {password,
// current_password}. The API checks current_password with password_matches in a read
// transaction first (hashing is slow; no write lock is held meanwhile). A new password signs out
// every other session of the user.
const domain::BodyDef& profile_body();
bool password_matches(store::Tx& tx, const std::string& user_id, const std::string& password);
boost::json::object update_profile(store::Tx& tx, const Context& ctx, const boost::json::object& body);
// The signed-in user with the permissions of their role (GET /api/v1/me).
boost::json::object me(store::Tx& tx, const auth::Principal& p);
// Sets a new password (generated if empty), revokes the user's sessions; returns the password.
// `clock` stamps updated_at and the revocations (the request's: Context::clock).
std::string reset_password(store::Tx& tx, const std::string& user_id_or_email, std::string password,
                           const std::string& keep_credential_id = "", const Clock& clock = system_clock());
// The command line (`keel user ...`) acts as this principal: an administrator without a user id,
// so its changes are audited with request id "cli".
const auth::Principal& command_line_principal();
// Deactivates the user with this email (revoking every session and token), audited.
boost::json::object deactivate_user(store::Tx& tx, const Context& ctx, const std::string& email);
boost::json::object user_json(const store::Row& row);  // from SELECT kUserColumns
extern const char* const kUserColumns;

// Inserts or refreshes the built-in roles, and on an empty database creates the first admin and
// the default sales pipeline in the company's language: `locale` "zh-CN" names the pipeline and
// its stages in Chinese and makes zh-CN the admin's language; "en" English; "" (not chosen)
// English, with the admin's language left to their browser. Returns the first admin's email and
// generated password if one was created now.
std::optional<std::pair<std::string, std::string>> bootstrap(store::Database& db, const std::string& admin_email,
                                                             const std::string& locale = "");

}  // namespace keel::service
