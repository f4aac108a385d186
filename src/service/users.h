// Users: the administration of accounts and each user's own profile. Shared by the HTTP API and
// the `keel user` command line so both apply the same rules. Every write of a user (create,
// change, password reset or change) goes through write_versioned (entity "users"): version check,
// audit entry, change-log entry; the password hash never enters the row, the audit log or an
// answer.
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

// Creates a user from a create body (user_create_body): validated against the table, then the
// role, team, time zone and a free email (409 email_taken) are checked; administrators only.
// Returns the user's JSON and, if the password was generated, the password in
// "initial_password". The API, the command line (`keel user add`), the first start and the demo
// data all create users through this one function.
boost::json::object create_user(store::Tx& tx, const Context& ctx, const boost::json::object& body);
// Admin changes (user_update_body): name, role_id, team_id, locale, time_zone, active; 404, then
// 412 version_conflict (with `current`) when `if_match` (or else the body's version) is not the
// stored version. A role change or a deactivation revokes every session and token of the user
// at once. A change that changes nothing writes nothing (no new version, no log entries).
boost::json::object update_user(store::Tx& tx, const Context& ctx, const std::string& id,
                                const boost::json::object& patch, std::optional<int64_t> if_match = std::nullopt);
// {email, name, password, role_id, team_id, locale, time_zone} and the change body.
const domain::BodyDef& user_create_body();
const domain::BodyDef& user_update_body();
// Everyone (for assignee pickers), by name; `active` filters.
boost::json::array list_users(store::Tx& tx, std::optional<bool> active);
boost::json::object get_user(store::Tx& tx, const std::string& id);  // 404
// An administrator sets a user's password: `password` (10 to 200 bytes), or a generated one when
// it is empty; returns it (shown once). Audited as reset_password; the user is signed out
// everywhere. The API (POST /users/{id}/reset-password) and `keel user reset-password` call this.
std::string reset_password(store::Tx& tx, const Context& ctx, const std::string& user_id, std::string password = "");
// The caller's own profile: {name, locale, time_zone} and a password change {password,
// current_password}. The API checks current_password with password_matches in a read
// transaction first (hashing is slow; no write lock is held meanwhile). A new password signs out
// every other session of the user.
const domain::BodyDef& profile_body();
bool password_matches(store::Tx& tx, const std::string& user_id, const std::string& password);
boost::json::object update_profile(store::Tx& tx, const Context& ctx, const boost::json::object& body);
// The signed-in user with the permissions of their role (GET /api/v1/me).
boost::json::object me(store::Tx& tx, const auth::Principal& p);
// The command line (`keel user ...`) acts as this principal: an administrator without a user id,
// so its changes are audited with request id "cli" (and the first start's with "bootstrap").
const auth::Principal& command_line_principal();
// The earliest administrator's id (the first start makes one), if there is one.
std::optional<std::string> first_admin_id(store::Tx& tx);
// The id of the user with this email (any case, surrounding blanks ignored); 404 "No such user".
std::string user_id_for_email(store::Tx& tx, const std::string& email);

// Inserts or refreshes the built-in roles, and on an empty database creates the first admin and
// the default sales pipeline in the company's language: `locale` "zh-CN" names the pipeline and
// its stages in Chinese and makes zh-CN the admin's language; "en" English; "" (not chosen)
// English, with the admin's language left to their browser. Returns the first admin's email and
// generated password if one was created now.
std::optional<std::pair<std::string, std::string>> bootstrap(store::Database& db, const std::string& admin_email,
                                                             const std::string& locale = "");

}  // namespace keel::service
