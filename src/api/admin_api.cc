// Administration: users, roles, teams and custom field definitions. Reading the lists is open
// to every signed-in user (assignee pickers, role names, custom field forms); changing them is
// for administrators. Each handler decodes the request, calls the service, and encodes the answer.
// A change or delete takes If-Match (or, on a PATCH, "version" in the body) like a record's: a
// stale one is 412 version_conflict with `current`.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/schema.h"
#include "service/custom_fields.h"
#include "service/roles.h"
#include "service/teams.h"
#include "service/users.h"

namespace keel::api {
namespace json = boost::json;

namespace {

http::Response list_response(const json::array& data) { return http::json_response(200, json::object{{"data", data}}); }

// POST/PATCH/DELETE handlers: the body decoded (415 / 400 / 422) before one write transaction
// around a service call.
using Write = std::function<json::object(store::Tx&, const service::Context&, Call&, const json::object& body)>;
Handler writer(Api& api, int status, Write w, bool with_body = true) {
  return [&api, status, w = std::move(w), with_body](Call& c) {
    allow_only(c.req, {});
    json::object body = with_body ? parse_json_object(c.req) : json::object{};
    json::object out;
    service::Context ctx = c.ctx();
    api.db().write([&](store::Tx& tx) { out = w(tx, ctx, c, body); });
    return status == 204 ? no_content() : http::json_response(status, out);
  };
}

void add_user_routes(Api& api) {
  api.route(RouteSpec{.method = "GET",
                      .path = "/api/v1/users",
                      .access = Access::user,
                      .summary = "All users (for assignment); admins manage them",
                      .query = {{"active", schema::boolean(), "Only active (true) or deactivated (false) users"}},
                      .replies = {{200, "Users", schema::data_of(schema::ref("user"))}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {"active"});
                        std::optional<bool> active;
                        for (const auto& [k, v] : c.req.query) {
                          if (v != "true" && v != "false")
                            throw bad_request("invalid_parameter", "active must be true or false", "active");
                          active = v == "true";
                        }
                        json::array data;
                        api.db().read([&](store::Tx& tx) { data = service::list_users(tx, active); });
                        return list_response(data);
                      }});
  api.route(RouteSpec{
      .method = "POST",
      .path = "/api/v1/users",
      .access = Access::admin,
      .summary = "Create a user (a password is generated and returned once if none is given)",
      .body = &service::user_create_body(),
      .replies = {{201, "The user; initial_password is present when the server generated one", schema::ref("user")}},
      .handler = writer(api, 201, [](store::Tx& tx, const service::Context& ctx, Call&, const json::object& body) {
        return service::create_user(tx, ctx, body);
      })});
  api.route(RouteSpec{.method = "GET",
                      .path = "/api/v1/users/{id}",
                      .access = Access::user,
                      .summary = "One user",
                      .replies = {{200, "The user", schema::ref("user")}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        json::object out;
                        api.db().read([&](store::Tx& tx) { out = service::get_user(tx, c.req.param("id")); });
                        return http::json_response(200, out);
                      }});
  api.route(RouteSpec{
      .method = "PATCH",
      .path = "/api/v1/users/{id}",
      .access = Access::admin,
      .summary = "Change a user's name, role, team, language, time zone or active flag; role changes and deactivation "
                 "sign the user out everywhere",
      .body = &service::user_update_body(),
      .body_creates = false,
      .replies = {{200, "The changed user", schema::ref("user")}},
      .handler = writer(api, 200, [](store::Tx& tx, const service::Context& ctx, Call& c, const json::object& body) {
        return service::update_user(tx, ctx, c.req.param("id"), body, if_match_version(c.req));
      })});
  api.route(RouteSpec{.method = "POST",
                      .path = "/api/v1/users/{id}/reset-password",
                      .access = Access::admin,
                      .summary = "Generate a new password for a user and sign them out everywhere",
                      .replies = {{200, "The new password, shown once",
                                   schema::object_of({{"password", schema::str()}}, {"password"})}},
                      .handler = writer(
                          api, 200,
                          [](store::Tx& tx, const service::Context& ctx, Call& c, const json::object&) {
                            return json::object{{"password", service::reset_password(tx, ctx, c.req.param("id"))}};
                          },
                          false)});
}

void add_role_routes(Api& api) {
  api.route(RouteSpec{.method = "GET",
                      .path = "/api/v1/roles",
                      .access = Access::user,
                      .summary = "Roles and their permissions",
                      .replies = {{200, "Roles", schema::data_of(schema::ref("role"))}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        json::array data;
                        api.db().read([&](store::Tx& tx) { data = service::list_roles(tx); });
                        return list_response(data);
                      }});
  api.route(RouteSpec{
      .method = "POST",
      .path = "/api/v1/roles",
      .access = Access::admin,
      .summary = "Create a custom role",
      .body = &service::role_body(),
      .replies = {{201, "The role", schema::ref("role")}},
      .handler = writer(api, 201, [](store::Tx& tx, const service::Context& ctx, Call&, const json::object& body) {
        return service::create_role(tx, ctx, body);
      })});
  api.route(RouteSpec{
      .method = "PATCH",
      .path = "/api/v1/roles/{id}",
      .access = Access::admin,
      .summary = "Change a custom role; takes effect on the next request of every user who has it",
      .body = &service::role_body(),
      .body_creates = false,
      .replies = {{200, "The changed role", schema::ref("role")}},
      .handler = writer(api, 200, [](store::Tx& tx, const service::Context& ctx, Call& c, const json::object& body) {
        return service::update_role(tx, ctx, c.req.param("id"), body, if_match_version(c.req));
      })});
  api.route(RouteSpec{.method = "DELETE",
                      .path = "/api/v1/roles/{id}",
                      .access = Access::admin,
                      .summary = "Delete a custom role no user has",
                      .replies = {{204, "Deleted", std::nullopt}},
                      .handler = writer(
                          api, 204,
                          [](store::Tx& tx, const service::Context& ctx, Call& c, const json::object&) {
                            service::delete_role(tx, ctx, c.req.param("id"), if_match_version(c.req));
                            return json::object{};
                          },
                          false)});
}

void add_team_routes(Api& api) {
  api.route(RouteSpec{.method = "GET",
                      .path = "/api/v1/teams",
                      .access = Access::user,
                      .summary = "Teams",
                      .replies = {{200, "Teams", schema::data_of(schema::ref("team"))}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        json::array data;
                        api.db().read([&](store::Tx& tx) { data = service::list_teams(tx); });
                        return list_response(data);
                      }});
  api.route(RouteSpec{
      .method = "POST",
      .path = "/api/v1/teams",
      .access = Access::admin,
      .summary = "Create a team",
      .body = &service::team_body(),
      .replies = {{201, "The team", schema::ref("team")}},
      .handler = writer(api, 201, [](store::Tx& tx, const service::Context& ctx, Call&, const json::object& body) {
        return service::create_team(tx, ctx, body);
      })});
  api.route(RouteSpec{
      .method = "PATCH",
      .path = "/api/v1/teams/{id}",
      .access = Access::admin,
      .summary = "Rename a team or change its manager",
      .body = &service::team_body(),
      .body_creates = false,
      .replies = {{200, "The changed team", schema::ref("team")}},
      .handler = writer(api, 200, [](store::Tx& tx, const service::Context& ctx, Call& c, const json::object& body) {
        return service::update_team(tx, ctx, c.req.param("id"), body, if_match_version(c.req));
      })});
  api.route(RouteSpec{.method = "DELETE",
                      .path = "/api/v1/teams/{id}",
                      .access = Access::admin,
                      .summary = "Delete an empty team",
                      .replies = {{204, "Deleted", std::nullopt}},
                      .handler = writer(
                          api, 204,
                          [](store::Tx& tx, const service::Context& ctx, Call& c, const json::object&) {
                            service::delete_team(tx, ctx, c.req.param("id"), if_match_version(c.req));
                            return json::object{};
                          },
                          false)});
}

void add_custom_field_routes(Api& api) {
  api.route(RouteSpec{.method = "GET",
                      .path = "/api/v1/custom-fields",
                      .access = Access::user,
                      .summary = "Custom field definitions",
                      .query = {{"entity", schema::str(), "Only this entity's fields"}},
                      .replies = {{200, "Definitions", schema::data_of(schema::ref("custom_field"))}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {"entity"});
                        std::string entity;
                        for (const auto& [k, v] : c.req.query) entity = v;
                        json::array data;
                        api.db().read([&](store::Tx& tx) { data = service::list_custom_fields(tx, entity); });
                        return list_response(data);
                      }});
  api.route(RouteSpec{
      .method = "POST",
      .path = "/api/v1/custom-fields",
      .access = Access::admin,
      .summary = "Define a custom field (text, number, integer, money, date, select or boolean) on an entity",
      .body = &service::custom_field_create_body(),
      .replies = {{201, "The definition", schema::ref("custom_field")}},
      .handler = writer(api, 201, [](store::Tx& tx, const service::Context& ctx, Call&, const json::object& body) {
        return service::create_custom_field(tx, ctx, body);
      })});
  api.route(RouteSpec{
      .method = "PATCH",
      .path = "/api/v1/custom-fields/{id}",
      .access = Access::admin,
      .summary = "Change a custom field's label, options, required flag, length or position",
      .body = &service::custom_field_update_body(),
      .body_creates = false,
      .replies = {{200, "The changed definition", schema::ref("custom_field")}},
      .handler = writer(api, 200, [](store::Tx& tx, const service::Context& ctx, Call& c, const json::object& body) {
        return service::update_custom_field(tx, ctx, c.req.param("id"), body, if_match_version(c.req));
      })});
  api.route(RouteSpec{.method = "DELETE",
                      .path = "/api/v1/custom-fields/{id}",
                      .access = Access::admin,
                      .summary = "Remove a custom field definition",
                      .replies = {{204, "Removed", std::nullopt}},
                      .handler = writer(
                          api, 204,
                          [](store::Tx& tx, const service::Context& ctx, Call& c, const json::object&) {
                            service::delete_custom_field(tx, ctx, c.req.param("id"), if_match_version(c.req));
                            return json::object{};
                          },
                          false)});
}

}  // namespace

void add_admin_routes(Api& api) {
  add_user_routes(api);
  add_role_routes(api);
  add_team_routes(api);
  add_custom_field_routes(api);
}

}  // namespace keel::api
