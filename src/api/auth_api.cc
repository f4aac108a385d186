// Sign-in, sign-out, the caller's own profile, and API tokens.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/schema.h"
#include "core/error.h"
#include "service/users.h"

namespace keel::api {
namespace json = boost::json;
using schema::nullable;
using schema::object_of;
using schema::str;
using schema::str_fmt;

namespace {

json::object me_json(Api& api, const auth::Principal& p) {
  json::object out;
  api.db().read([&](store::Tx& tx) { out = service::me(tx, p); });
  return out;
}

}  // namespace

void add_auth_routes(Api& api) {
  api.route(RouteSpec{
      .method = "POST",
      .path = "/api/v1/auth/login",
      .access = Access::public_,
      .summary = "Sign in with email and password; returns a session token",
      .body = &service::login_body(),
      .replies = {{200, "Signed in",
                   object_of({{"token", str()}, {"expires_at", str_fmt("date-time")}, {"user", schema::ref("me")}},
                             {"token", "expires_at", "user"})}},
      .handler = [&api](Call& c) {
        allow_only(c.req, {});
        json::object body = parse_json_object(c.req);
        try {
          auto [token, principal] = api.auth().login(body, c.req.remote_ip, c.req.request_id);
          json::object out{{"token", token.token}, {"expires_at", token.expires_at}, {"user", me_json(api, principal)}};
          return http::json_response(200, out);
        } catch (const ApiError& e) {
          if (e.kind() == ErrorKind::unauthenticated) api.metrics().login_failure();
          throw;
        }
      }});

  api.route(RouteSpec{.method = "POST",
                      .path = "/api/v1/auth/logout",
                      .summary = "Revoke the session token used for this request",
                      .replies = {{204, "Signed out; the token no longer works", std::nullopt}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        api.auth().logout(*c.principal);
                        return no_content();
                      }});

  api.route(RouteSpec{.method = "GET",
                      .path = "/api/v1/me",
                      .summary = "The signed-in user, with the permissions of their role",
                      .replies = {{200, "The signed-in user and their permissions", schema::ref("me")}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        return http::json_response(200, me_json(api, *c.principal));
                      }});

  api.route(RouteSpec{
      .method = "PATCH",
      .path = "/api/v1/me",
      .summary = "Change your name, language, time zone or password (password change signs out other sessions)",
      .body = &service::profile_body(),
      .body_creates = false,
      .replies = {{200, "The changed profile", schema::ref("me")}},
      .handler = [&api](Call& c) {
        allow_only(c.req, {});
        json::object body = parse_json_object(c.req);
        // The current password is checked before the write (hashing is slow; no lock is held).
        if (auto cur = body.find("current_password");
            cur != body.end() && cur->value().is_string() && body.contains("password")) {
          bool ok = false;
          std::string current(cur->value().as_string());
          api.db().read([&](store::Tx& tx) { ok = service::password_matches(tx, c.principal->user_id, current); });
          if (!ok) throw validation_failed({{"current_password", "wrong_password", "The current password is wrong"}});
        }
        service::Context ctx = c.ctx();
        api.db().write([&](store::Tx& tx) { service::update_profile(tx, ctx, body); });
        return http::json_response(200, me_json(api, *c.principal));
      }});

  api.route(
      RouteSpec{.method = "GET",
                .path = "/api/v1/tokens",
                .summary = "Your API tokens (secrets are never shown again)",
                .replies = {{200, "The caller's API tokens (without secrets)",
                             schema::data_of(object_of({{"id", str()},
                                                        {"name", str()},
                                                        {"created_at", str_fmt("date-time")},
                                                        {"expires_at", nullable(str_fmt("date-time"))}}))}},
                .handler = [&api](Call& c) {
                  allow_only(c.req, {});
                  return http::json_response(200, json::object{{"data", api.auth().list_api_tokens(*c.principal)}});
                }});

  api.route(RouteSpec{
      .method = "POST",
      .path = "/api/v1/tokens",
      .summary = "Create an API token for an integration; the secret is returned once",
      .body = &service::api_token_body(),
      .replies =
          {{201, "The new token; its secret is shown only here",
            object_of(
                {{"id", str()}, {"name", str()}, {"token", str()}, {"expires_at", nullable(str_fmt("date-time"))}},
                {"id", "name", "token"})}},
      .handler = [&api](Call& c) {
        allow_only(c.req, {});
        auto t = api.auth().create_api_token(*c.principal, parse_json_object(c.req));
        return http::json_response(
            201, json::object{{"id", t.id},
                              {"name", t.name},
                              {"token", t.token},
                              {"expires_at", t.expires_at.empty() ? json::value(nullptr) : json::value(t.expires_at)}});
      }});

  api.route(RouteSpec{.method = "DELETE",
                      .path = "/api/v1/tokens/{id}",
                      .summary = "Revoke an API token",
                      .replies = {{204, "Revoked", std::nullopt}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        api.auth().revoke_api_token(*c.principal, c.req.param("id"));
                        return no_content();
                      }});
}

}  // namespace keel::api
