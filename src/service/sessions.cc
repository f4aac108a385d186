#include "service/sessions.h"

#include <boost/json.hpp>

#include "auth/password.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/logging.h"
#include "core/text.h"
#include "core/time.h"
#include "domain/field.h"
#include "service/journal.h"

namespace keel::service {
namespace json = boost::json;

namespace {

const std::string& dummy_hash() {
  // Verifying against a real hash when the email is unknown keeps the response time the same,
  // so timing does not reveal which emails have accounts.
  static const std::string h = auth::hash_password("not-a-real-password-0000");
  return h;
}

ApiError too_many(int64_t retry_after_s) {
  ApiError e(ErrorKind::rate_limited, "too_many_attempts", "Too many failed sign-in attempts; try again later");
  e.extra()["retry_after_seconds"] = retry_after_s;
  return e;
}

// A member taken exactly as sent (a password): any string, never trimmed.
json::value as_sent(const json::value& v, const std::string& path, FieldErrors& errors) {
  if (v.is_string()) return v;
  errors.add(path, "invalid_type", "Must be a string");
  return nullptr;
}

}  // namespace

const domain::BodyDef& login_body() {
  static const domain::BodyDef body = [] {
    domain::BodyDef b;
    b.name = "SignIn";
    b.fields.push_back({domain::required(domain::typed("email", domain::FieldType::email)), {}, {}});
    b.fields.back().def.max_length = 254;
    b.fields.back().def.description = "The user's email address, in any letter case";
    b.fields.push_back({domain::required(domain::text("password")), as_sent, {{"type", "string"}}});
    return b;
  }();
  return body;
}

const domain::BodyDef& api_token_body() {
  static const domain::BodyDef body = [] {
    domain::BodyDef b;
    b.name = "ApiTokenInput";
    b.fields.push_back({domain::required(domain::text("name", 100)), {}, {}});
    b.fields.back().def.description = "What the token is for, such as the integration's name";
    b.fields.push_back(
        {domain::bounded(domain::typed("expires_in_days", domain::FieldType::integer), 1, 3650), {}, {}});
    b.fields.back().def.description = "Days until the token stops working; absent or null: it does not expire";
    return b;
  }();
  return body;
}

AuthService::AuthService(store::Database& db, AuthOptions options, const Clock& clock)
    : db_(db), options_(options), clock_(clock) {
  if (auth::hash_cost() == auth::HashCost::minimal)
    logging::log(logging::LogLevel::warn,
                 "KEEL_FAST_PASSWORD_HASH=1: new Argon2id hashes use the library minimum cost and are cheap to crack; "
                 "for tests only, never in production (they are replaced at sign-in on a server without it)",
                 {{"setting", "KEEL_FAST_PASSWORD_HASH"}});
}

std::pair<IssuedToken, auth::Principal> AuthService::login(const std::string& email_in, const std::string& password,
                                                           const std::string& ip, const std::string& request_id) {
  std::string email = auth::normalize_email(email_in);
  int64_t now = clock_.now_ms();
  int64_t window_start = now - int64_t{options_.failure_window_minutes} * 60'000;

  // The attempt is counted before the password is checked, in the same write transaction as
  // the count: concurrent guesses queue on the writer, so the sixth sees five recorded attempts
  // and is refused however many arrive at once. A successful sign-in clears them.
  std::optional<store::Row> user;
  db_.write([&](store::Tx& tx) {
    // SQLite has one writer; on PostgreSQL a transaction-scoped lock makes count-then-insert
    // atomic across transactions and servers (held only for this short bookkeeping, not
    // during the password check).
    tx.lock(store::NamedLock::login_attempts);
    auto r = tx.one("SELECT COUNT(*), MIN(at_ms) FROM login_attempts WHERE email = ? AND at_ms > ? AND success = 0",
                    {email, window_start});
    int64_t email_failures = r->integer(0);
    int64_t oldest_failure = r->is_null(1) ? now : r->integer(1);
    int64_t ip_failures =
        tx.one("SELECT COUNT(*) FROM login_attempts WHERE ip = ? AND at_ms > ? AND success = 0", {ip, window_start})
            ->integer(0);
    if (email_failures >= options_.max_failures_per_email || ip_failures >= options_.max_failures_per_ip) {
      int64_t retry =
          std::max<int64_t>(1, (oldest_failure + int64_t{options_.failure_window_minutes} * 60'000 - now) / 1000);
      throw too_many(retry);
    }
    tx.query("INSERT INTO login_attempts (email, ip, at_ms, success) VALUES (?, ?, ?, 0)", {email, ip, now});
    // Keep the table small: attempts older than a day no longer matter.
    tx.query("DELETE FROM login_attempts WHERE at_ms < ?", {now - 86'400'000});
    user = tx.one("SELECT id, password_hash, active FROM users WHERE email = ?", {email});
  });
  bool ok =
      user ? auth::verify_password(user->text(1), password) : (auth::verify_password(dummy_hash(), password), false);
  if (ok && user->integer(2) != 1) ok = false;  // deactivated users cannot sign in
  if (!ok) throw ApiError(ErrorKind::unauthenticated, "invalid_credentials", "Email or password is wrong");

  // A hash weaker than the current cost (made with KEEL_FAST_PASSWORD_HASH=1, or before the cost
  // was raised) is replaced while the password is at hand. It is made before the transaction (it
  // takes tens of milliseconds and 64 MiB) and written in it only if the stored hash is still the
  // one just verified, so a password changed meanwhile is never overwritten. Failing to make it
  // does not fail the sign-in.
  const std::string user_id = user->text(0), stored_hash = user->text(1);
  std::string upgraded;
  if (auth::password_needs_rehash(stored_hash)) {
    try {
      upgraded = auth::hash_password(password);
    } catch (const std::exception& e) {
      logging::log(logging::LogLevel::warn, "password hash upgrade skipped",
                   {{"user_id", user_id}, {"error", e.what()}});
    }
  }

  IssuedToken issued{new_uuid_v7(), random_token("kls_"),
                     format_utc(now + int64_t{options_.session_hours} * 3'600'000)};
  db_.write([&](store::Tx& tx) {
    tx.query("DELETE FROM login_attempts WHERE email = ? AND success = 0", {email});
    tx.query(
        "INSERT INTO credentials (id, token_hash, user_id, kind, name, created_at, expires_at) "
        "VALUES (?, ?, ?, 'session', '', ?, ?)",
        {issued.id, token_hash(issued.token), user_id, format_utc(now), issued.expires_at});
    if (!upgraded.empty()) {
      auto r = tx.query("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?",
                        {upgraded, user_id, stored_hash});
      if (r.affected == 1) {
        // Audited as the user's own act; the user record and its version do not change (the
        // password is the same).
        auth::Principal self;
        self.user_id = user_id;
        service::append_audit(
            tx, service::Context{self, request_id, clock_}, "users", user_id, "rehash_password",
            {{"password_cost", json::array{json::value(auth::describe_cost(*auth::hash_params(stored_hash))),
                                           json::value(auth::describe_cost(*auth::hash_params(upgraded)))}}},
            format_utc(now));
      }
    }
  });
  auto p = authenticate(issued.token);
  if (!p) throw unauthorized();
  return {issued, *p};
}

auth::Permissions AuthService::permissions_for(const std::string& role_id, int64_t version, const std::string& text) {
  {
    std::lock_guard lock(cache_mu_);
    auto it = role_cache_.find(role_id);
    if (it != role_cache_.end() && it->second.first == version) return it->second.second;
  }
  FieldErrors ignored;
  auth::Permissions p;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (!ec) p = auth::Permissions::from_json(v, ignored, "permissions");
  std::lock_guard lock(cache_mu_);
  role_cache_[role_id] = {version, p};
  return p;
}

std::optional<auth::Principal> AuthService::authenticate(std::string_view token) {
  if (token.size() < 10 || token.size() > 200) return std::nullopt;
  std::optional<store::Row> row;
  db_.read([&](store::Tx& tx) {
    row = tx.one(
        "SELECT c.id, c.kind, c.expires_at, u.id, u.email, u.name, u.role_id, u.team_id, u.locale, u.time_zone, "
        "r.version, r.permissions FROM credentials c JOIN users u ON u.id = c.user_id "
        "JOIN roles r ON r.id = u.role_id WHERE c.token_hash = ? AND c.revoked_at IS NULL AND u.active = 1",
        {token_hash(token)});
  });
  if (!row) return std::nullopt;
  if (!row->is_null(2) && row->text(2) <= format_utc(clock_.now_ms())) return std::nullopt;
  auth::Principal p;
  p.credential_id = row->text(0);
  p.credential_kind = row->text(1);
  p.user_id = row->text(3);
  p.email = row->text(4);
  p.name = row->text(5);
  p.role_id = row->text(6);
  p.team_id = row->text(7);
  p.locale = row->text(8);
  p.time_zone = row->text(9);
  p.perms = permissions_for(p.role_id, row->integer(10), row->text(11));
  return p;
}

void AuthService::logout(const auth::Principal& p) {
  db_.write([&](store::Tx& tx) {
    tx.query("UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
             {format_utc(clock_.now_ms()), p.credential_id});
  });
}

std::pair<IssuedToken, auth::Principal> AuthService::login(const json::object& body, const std::string& ip,
                                                           const std::string& request_id) {
  FieldErrors errors;
  json::object in = domain::parse_body(login_body(), body, true, errors);
  errors.throw_if_any();
  return login(std::string(in.at("email").as_string()), std::string(in.at("password").as_string()), ip, request_id);
}

IssuedToken AuthService::create_api_token(const auth::Principal& p, const json::object& body) {
  FieldErrors errors;
  json::object in = domain::parse_body(api_token_body(), body, true, errors);
  errors.throw_if_any();
  const std::string name(in.at("name").as_string());
  const json::value* days = in.if_contains("expires_in_days");
  int64_t now = clock_.now_ms();
  IssuedToken t{new_uuid_v7(), random_token("kla_"),
                days && days->is_int64() ? format_utc(now + days->as_int64() * 86'400'000) : "", name};
  db_.write([&](store::Tx& tx) {
    tx.query(
        "INSERT INTO credentials (id, token_hash, user_id, kind, name, created_at, expires_at) "
        "VALUES (?, ?, ?, 'api', ?, ?, ?)",
        {t.id, token_hash(t.token), p.user_id, name, format_utc(now),
         t.expires_at.empty() ? store::Value{} : store::Value{t.expires_at}});
  });
  return t;
}

json::array AuthService::list_api_tokens(const auth::Principal& p) {
  json::array out;
  db_.read([&](store::Tx& tx) {
    auto r = tx.query(
        "SELECT id, name, created_at, expires_at, last_used_at FROM credentials "
        "WHERE user_id = ? AND kind = 'api' AND revoked_at IS NULL ORDER BY created_at",
        {p.user_id});
    for (auto& row : r.rows) {
      json::object o{{"id", row.text(0)}, {"name", row.text(1)}, {"created_at", row.text(2)}};
      o["expires_at"] = row.is_null(3) ? json::value(nullptr) : json::value(row.text(3));
      out.push_back(std::move(o));
    }
  });
  return out;
}

void AuthService::revoke_api_token(const auth::Principal& p, const std::string& id) {
  const std::string now = format_utc(clock_.now_ms());
  db_.write([&](store::Tx& tx) {
    auto r =
        p.is_admin()
            ? tx.query("UPDATE credentials SET revoked_at = ? WHERE id = ? AND kind = 'api' AND revoked_at IS NULL",
                       {now, id})
            : tx.query(
                  "UPDATE credentials SET revoked_at = ? WHERE id = ? AND user_id = ? AND kind = 'api' "
                  "AND revoked_at IS NULL",
                  {now, id, p.user_id});
    if (r.affected == 0) throw not_found("No such API token");
  });
}

void AuthService::revoke_all(store::Tx& tx, const std::string& revoked_at, const std::string& user_id,
                             const std::string& except_credential_id) {
  tx.query("UPDATE credentials SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id <> ?",
           {revoked_at, user_id, except_credential_id});
}

}  // namespace keel::service

namespace keel::auth {

std::string normalize_email(std::string_view email) {
  size_t b = email.find_first_not_of(" \t"), e = email.find_last_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return fold(email.substr(b, e - b + 1));
}

}  // namespace keel::auth
