// The uniform REST surface of every entity:
//   GET    /api/v1/{entity}                list (filters, sort, search, cursor paging)
//   POST   /api/v1/{entity}                create (201; a replayed client id returns 200)
//   GET    /api/v1/{entity}/{id}           one record (ETag = version)
//   PATCH  /api/v1/{entity}/{id}           change fields (If-Match or "version" → 412 on conflict)
//   DELETE /api/v1/{entity}/{id}           move to trash
//   POST   /api/v1/{entity}/{id}/restore   bring back from trash
//   GET    /api/v1/{entity}/{id}/history   audit trail of the record
#include <boost/json.hpp>

#include "api/api.h"
#include "api/list_query.h"

namespace keel::api {
namespace json = boost::json;

void add_record_routes(Api& api) {
  for (const auto& def_ref : domain::entities()) {
    const domain::EntityDef* def = &def_ref;
    std::string base = "/api/v1/" + def->name;

    api.route("GET", base, Access::user, [&api, def](Call& c) {
      service::ListQuery q = parse_list_query(*def, c.req, c.principal->time_zone);
      service::ListPage page = api.records().list(c.ctx(), *def, q);
      json::object out;
      out["data"] = std::move(page.data);
      out["next_cursor"] = page.has_more ? json::value(encode_cursor(q, page, c.req)) : json::value(nullptr);
      if (page.total) {
        out["total"] = *page.total;
        out["total_exact"] = page.total_exact;
      }
      return http::json_response(200, out);
    }, "List " + def->name);

    api.route("POST", base, Access::user, [&api, def](Call& c) {
      allow_only(c.req, {});
      auto r = api.records().create(c.ctx(), *def, parse_json_object(c.req));
      http::Response resp = record_response(r.created ? 201 : 200, r.record);
      resp.set_header("Location", "/api/v1/" + def->name + "/" + std::string(r.record.at("id").as_string()));
      return resp;
    }, "Create a " + def->singular);

    api.route("GET", base + "/{id}", Access::user, [&api, def](Call& c) {
      allow_only(c.req, {});
      return record_response(200, api.records().get(c.ctx(), *def, c.req.param("id")));
    }, "Get a " + def->singular);

    api.route("PATCH", base + "/{id}", Access::user, [&api, def](Call& c) {
      allow_only(c.req, {});
      auto r = api.records().update(c.ctx(), *def, c.req.param("id"), parse_json_object(c.req), if_match_version(c.req));
      return record_response(200, r.record);
    }, "Update a " + def->singular);

    api.route("DELETE", base + "/{id}", Access::user, [&api, def](Call& c) {
      allow_only(c.req, {});
      return record_response(200, api.records().remove(c.ctx(), *def, c.req.param("id"), if_match_version(c.req)));
    }, "Move a " + def->singular + " to the trash");

    api.route("POST", base + "/{id}/restore", Access::user, [&api, def](Call& c) {
      allow_only(c.req, {});
      return record_response(200, api.records().restore(c.ctx(), *def, c.req.param("id")));
    }, "Restore a " + def->singular + " from the trash");

    api.route("GET", base + "/{id}/history", Access::user, [&api, def](Call& c) {
      allow_only(c.req, {});
      return http::json_response(200, json::object{{"data", api.records().history(c.ctx(), *def, c.req.param("id"))}});
    }, "Audit trail of a " + def->singular);
  }
}

}  // namespace keel::api
