// Logging in, sessions and API tokens.
//
// A session token ("kls_...") or API token ("kla_...") is a 256-bit random secret shown once;
// the database keeps only its BLAKE2b hash. Every request looks the hash up together with the
// user and role, so deactivation, revocation and role changes need no cache invalidation and
// work across several servers sharing one PostgreSQL.
//
// Guessing is throttled in the database (shared across servers): after 5 failed logins for one
// email within 15 minutes, or 30 from one address, further attempts get 429 until the window
// passes, whether or not the password is right.
//
// Every instant it writes or compares (attempt times and windows, created_at, expires_at,
// revoked_at) comes from the Clock it is given, so a test clock moves expiry and lockouts.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "auth/principal.h"
#include "core/clock.h"
#include "domain/body.h"
#include "store/db.h"

namespace keel::service {

struct AuthOptions {
  int session_hours = 24 * 14;
  int max_failures_per_email = 5;
  int max_failures_per_ip = 30;
  int failure_window_minutes = 15;
};

struct IssuedToken {
  std::string id;
  std::string token;  // the secret: returned once, never stored
  std::string expires_at;
  std::string name = {};  // an API token's name (sessions have none)
};

// The sign-in body {email, password} and the API token body {name, expires_in_days} as field
// tables (domain/body.h): login and create_api_token validate with them, and the OpenAPI
// document states them. The email is an address of at most 254 characters (no user has another);
// the password is any string, taken as typed (a wrong one is 401 like an unknown email).
const domain::BodyDef& login_body();
const domain::BodyDef& api_token_body();

class AuthService {
 public:
  // Logs a warning when passwords are hashed at the test-only minimum cost (KEEL_FAST_PASSWORD_HASH=1).
  AuthService(store::Database& db, AuthOptions options, const Clock& clock = system_clock());

  // Throws ApiError 401 invalid_credentials or 429 too_many_attempts (with retry_after_seconds).
  // A stored hash below the current cost (auth::password_needs_rehash) is replaced by one at the
  // current cost in the sign-in transaction, and the audit log records it (with request_id).
  std::pair<IssuedToken, auth::Principal> login(const std::string& email, const std::string& password,
                                                const std::string& ip, const std::string& request_id = "");
  // The same for a sign-in body, validated against login_body() first (422).
  std::pair<IssuedToken, auth::Principal> login(const boost::json::object& body, const std::string& ip,
                                                const std::string& request_id);
  // The principal for a bearer token, or nullopt if unknown, expired, revoked or the user is inactive.
  std::optional<auth::Principal> authenticate(std::string_view token);
  void logout(const auth::Principal& p);

  // An API token of the caller's, from a body validated against api_token_body() (422).
  IssuedToken create_api_token(const auth::Principal& p, const boost::json::object& body);
  boost::json::array list_api_tokens(const auth::Principal& p);
  // Revokes one of the caller's API tokens (admins: anyone's). Throws 404 if not found.
  void revoke_api_token(const auth::Principal& p, const std::string& id);

  // Used by user administration (inside its own transaction).
  // Revokes every session and API token of the user as of `revoked_at` (UTC text, the caller's
  // clock), except `except_credential_id` if given (the session that changed its own password
  // stays signed in).
  static void revoke_all(store::Tx& tx, const std::string& revoked_at, const std::string& user_id,
                         const std::string& except_credential_id = "");

 private:
  auth::Permissions permissions_for(const std::string& role_id, int64_t version, const std::string& json);

  store::Database& db_;
  AuthOptions options_;
  const Clock& clock_;
  std::mutex cache_mu_;
  // guarded by cache_mu_: role id -> (role version, its permissions)
  std::unordered_map<std::string, std::pair<int64_t, auth::Permissions>> role_cache_;
};

}  // namespace keel::service

namespace keel::auth {
// Lower-cased, trimmed email used as the login key.
std::string normalize_email(std::string_view email);
}  // namespace keel::auth
