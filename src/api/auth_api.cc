// Sign-in, sign-out, the caller's own profile, and API tokens.
#include <boost/json.hpp>

#include "api/api.h"
#include "auth/password.h"
#include "core/error.h"
#include "service/users.h"

namespace keel::api {
namespace json = boost::json;

namespace {

std::string required_string(const json::object& body, const char* name, FieldErrors& errors) {
  auto it = body.find(name);
  if (it == body.end() || it->value().is_null()) {
    errors.add(name, "required", "This field is required");
    return {};
  }
  if (!it->value().is_string()) {
    errors.add(name, "invalid_type", "Must be a string");
    return {};
  }
  return std::string(it->value().as_string());
}

json::object me_json(Api& api, const auth::Principal& p) {
  json::object out;
  api.db().read([&](store::Tx& tx) {
    auto row = tx.one(std::string("SELECT ") + service::kUserColumns + " FROM users WHERE id = ?", {p.user_id});
    if (row) out = service::user_json(*row);
  });
  out["permissions"] = p.perms.to_json();
  return out;
}

}  // namespace

void add_auth_routes(Api& api) {
  api.route("POST", "/api/v1/auth/login", Access::public_, [&api](Call& c) {
    allow_only(c.req, {});
    json::object body = parse_json_object(c.req);
    FieldErrors errors;
    std::string email = required_string(body, "email", errors);
    std::string password = required_string(body, "password", errors);
    for (const auto& [k, v] : body)
      if (k != "email" && k != "password") errors.add(std::string(k), "unknown_field", "Unknown field");
    errors.throw_if_any();
    try {
      auto [token, principal] = api.auth().login(email, password, c.req.remote_ip, c.req.request_id);
      json::object out{{"token", token.token}, {"expires_at", token.expires_at}, {"user", me_json(api, principal)}};
      return http::json_response(200, out);
    } catch (const ApiError& e) {
      if (e.status() == 401) api.metrics().login_failure();
      throw;
    }
  }, "Sign in with email and password; returns a session token");

  api.route("POST", "/api/v1/auth/logout", Access::user, [&api](Call& c) {
    allow_only(c.req, {});
    api.auth().logout(*c.principal);
    http::Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
  }, "Revoke the session token used for this request");

  api.route("GET", "/api/v1/me", Access::user, [&api](Call& c) {
    allow_only(c.req, {});
    return http::json_response(200, me_json(api, *c.principal));
  }, "The signed-in user, with the permissions of their role");

  api.route("PATCH", "/api/v1/me", Access::user, [&api](Call& c) {
    allow_only(c.req, {});
    json::object body = parse_json_object(c.req);
    FieldErrors errors;
    json::object patch;
    std::string new_password;
    for (const auto& [k, v] : body) {
      if (k == "name" || k == "locale" || k == "time_zone") patch[k] = v;
      else if (k == "password" || k == "current_password") continue;
      else errors.add(std::string(k), "unknown_field", "Cannot change this field here");
    }
    if (body.contains("password")) {
      new_password = required_string(body, "password", errors);
      std::string current = required_string(body, "current_password", errors);
      errors.throw_if_any();
      std::string hash;
      api.db().read([&](store::Tx& tx) {
        hash = tx.one("SELECT password_hash FROM users WHERE id = ?", {c.principal->user_id})->text(0);
      });
      if (!auth::verify_password(hash, current))
        throw validation_failed({{"current_password", "wrong_password", "The current password is wrong"}});
    }
    errors.throw_if_any();
    json::object out;
    api.db().write([&](store::Tx& tx) {
      if (!patch.empty()) service::update_user(tx, c.ctx(), c.principal->user_id, patch);
      if (!new_password.empty()) {
        service::reset_password(tx, c.principal->user_id, new_password, c.principal->credential_id);
      }
    });
    return http::json_response(200, me_json(api, *c.principal));
  }, "Change your name, language, time zone or password (password change signs out other sessions)");

  api.route("GET", "/api/v1/tokens", Access::user, [&api](Call& c) {
    allow_only(c.req, {});
    return http::json_response(200, json::object{{"data", api.auth().list_api_tokens(*c.principal)}});
  }, "Your API tokens (secrets are never shown again)");

  api.route("POST", "/api/v1/tokens", Access::user, [&api](Call& c) {
    allow_only(c.req, {});
    json::object body = parse_json_object(c.req);
    FieldErrors errors;
    std::string name = required_string(body, "name", errors);
    if (name.size() > 100) errors.add("name", "too_long", "Must be at most 100 characters");
    std::optional<int> days;
    if (auto it = body.find("expires_in_days"); it != body.end() && !it->value().is_null()) {
      if (!it->value().is_int64() || it->value().as_int64() < 1 || it->value().as_int64() > 3650)
        errors.add("expires_in_days", "out_of_range", "Must be a whole number of days from 1 to 3650");
      else days = static_cast<int>(it->value().as_int64());
    }
    for (const auto& [k, v] : body)
      if (k != "name" && k != "expires_in_days") errors.add(std::string(k), "unknown_field", "Unknown field");
    errors.throw_if_any();
    auto t = api.auth().create_api_token(*c.principal, name, days);
    return http::json_response(201, json::object{{"id", t.id}, {"name", name}, {"token", t.token},
                                                 {"expires_at", t.expires_at.empty() ? json::value(nullptr) : json::value(t.expires_at)}});
  }, "Create an API token for an integration; the secret is returned once");

  api.route("DELETE", "/api/v1/tokens/{id}", Access::user, [&api](Call& c) {
    allow_only(c.req, {});
    api.auth().revoke_api_token(*c.principal, c.req.param("id"));
    http::Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
  }, "Revoke an API token");
}

}  // namespace keel::api
