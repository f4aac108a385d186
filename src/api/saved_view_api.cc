// Saved views of the lists (service/saved_views.h): each signed-in user's own, and those shared
// with their team. Each handler decodes the request, calls the service, and encodes the answer.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/schema.h"
#include "service/saved_views.h"

namespace keel::api {
namespace json = boost::json;

void add_saved_view_routes(Api& api) {
  api.route(RouteSpec{.method = "GET",
                      .path = "/api/v1/saved-views",
                      .summary = "The saved views of one list that the caller sees: their own first, then shared ones",
                      .query = {{"entity", schema::str(), "The list: accounts, contacts, deals, ...", true}},
                      .replies = {{200, "Views, by name", schema::data_of(schema::ref("saved_view"))}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {"entity"});
                        std::string entity;
                        for (const auto& [k, v] : c.req.query) entity = v;
                        if (entity.empty()) throw bad_request("invalid_parameter", "Name the list in entity", "entity");
                        json::array data;
                        api.db().read([&](store::Tx& tx) { data = service::list_saved_views(tx, c.ctx(), entity); });
                        return http::json_response(200, json::object{{"data", std::move(data)}});
                      }});
  api.route(RouteSpec{.method = "POST",
                      .path = "/api/v1/saved-views",
                      .summary = "Save a view of a list (shared: team managers and administrators)",
                      .body = &service::saved_view_create_body(),
                      .replies = {{201, "The view", schema::ref("saved_view")}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        json::object body = parse_json_object(c.req), out;
                        api.db().write([&](store::Tx& tx) { out = service::create_saved_view(tx, c.ctx(), body); });
                        return http::json_response(201, out);
                      }});
  api.route(RouteSpec{.method = "GET",
                      .path = "/api/v1/saved-views/{id}",
                      .summary = "One saved view",
                      .replies = {{200, "The view", schema::ref("saved_view")}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        json::object out;
                        api.db().read(
                            [&](store::Tx& tx) { out = service::get_saved_view(tx, c.ctx(), c.req.param("id")); });
                        return http::json_response(200, out);
                      }});
  api.route(
      RouteSpec{.method = "PATCH",
                .path = "/api/v1/saved-views/{id}",
                .summary = "Rename a view, change its query or columns, or share it (its owner or an administrator; "
                           "If-Match or version)",
                .body = &service::saved_view_update_body(),
                .body_creates = false,
                .replies = {{200, "The view", schema::ref("saved_view")}},
                .handler = [&api](Call& c) {
                  allow_only(c.req, {});
                  json::object body = parse_json_object(c.req), out;
                  api.db().write([&](store::Tx& tx) {
                    out = service::update_saved_view(tx, c.ctx(), c.req.param("id"), body, if_match_version(c.req));
                  });
                  return http::json_response(200, out);
                }});
  api.route(RouteSpec{.method = "DELETE",
                      .path = "/api/v1/saved-views/{id}",
                      .summary = "Delete a view (its owner or an administrator; If-Match optional)",
                      .replies = {{204, "Deleted"}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        api.db().write([&](store::Tx& tx) {
                          service::delete_saved_view(tx, c.ctx(), c.req.param("id"), if_match_version(c.req));
                        });
                        return no_content();
                      }});
}

}  // namespace keel::api
