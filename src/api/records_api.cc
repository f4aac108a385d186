// The uniform REST surface of every entity:
//   GET    /api/v1/{entity}                list (filters, sort, search, cursor paging)
//   POST   /api/v1/{entity}                create (201; a replayed client id returns 200)
//   GET    /api/v1/{entity}/{id}           one record (ETag = version)
//   PATCH  /api/v1/{entity}/{id}           change fields (If-Match or "version" → 412 on conflict)
//   DELETE /api/v1/{entity}/{id}           move to trash (If-Match → 412 on conflict)
//   POST   /api/v1/{entity}/{id}/restore   bring back from trash (If-Match → 412 on conflict)
//   GET    /api/v1/{entity}/{id}/history   audit trail of the record
#include <boost/json.hpp>

#include "api/api.h"
#include "api/list_query.h"
#include "api/schema.h"

namespace keel::api {
namespace json = boost::json;

namespace {

json::object page_of(const std::string& record) {
  return schema::object_of({{"data", schema::array_of(schema::ref(record))},
                            {"next_cursor", schema::nullable(schema::str())},
                            {"total", schema::integer()},
                            {"total_exact", schema::boolean()}},
                           {"data", "next_cursor"});
}

}  // namespace

void add_record_routes(Api& api) {
  for (const auto& def_ref : domain::entities()) {
    const domain::EntityDef* def = &def_ref;
    const std::string base = "/api/v1/" + def->name;
    const std::string& one = def->singular;
    const json::object record = schema::ref(one);

    api.route(RouteSpec{.method = "GET",
                        .path = base,
                        .summary = "List " + def->name,
                        .query = list_parameters(*def, true),
                        .replies = {{200, "A page of " + def->name, page_of(one)}},
                        .handler = [&api, def](Call& c) {
                          service::ListQuery q = parse_list_query(service::effective_entity(api.db(), *def), c.req,
                                                                  c.principal->time_zone);
                          service::ListPage page = api.records().list(c.ctx(), *def, q);
                          json::object out;
                          out["data"] = std::move(page.data);
                          out["next_cursor"] =
                              page.has_more ? json::value(encode_cursor(q, page, c.req)) : json::value(nullptr);
                          if (page.total) {
                            out["total"] = *page.total;
                            out["total_exact"] = page.total_exact;
                          }
                          return http::json_response(200, out);
                        }});

    api.route(RouteSpec{
        .method = "POST",
        .path = base,
        .summary = "Create a " + one,
        .body_schema = schema::ref(one + "_create"),
        .replies = {{201, "Created", record}, {200, "A replayed create of an existing client-chosen id", record}},
        .handler = [&api, def](Call& c) {
          allow_only(c.req, {});
          auto r = api.records().create(c.ctx(), *def, parse_json_object(c.req));
          http::Response resp = record_response(r.created ? 201 : 200, r.record);
          resp.set_header("Location", "/api/v1/" + def->name + "/" + std::string(r.record.at("id").as_string()));
          return resp;
        }});

    api.route(RouteSpec{.method = "GET",
                        .path = base + "/{id}",
                        .summary = "Get a " + one,
                        .replies = {{200, "The " + one, record}},
                        .handler = [&api, def](Call& c) {
                          allow_only(c.req, {});
                          return record_response(200, api.records().get(c.ctx(), *def, c.req.param("id")));
                        }});

    api.route(RouteSpec{.method = "PATCH",
                        .path = base + "/{id}",
                        .summary = "Update a " + one,
                        .body_schema = schema::ref(one + "_patch"),
                        .replies = {{200, "The changed " + one, record}},
                        .handler = [&api, def](Call& c) {
                          allow_only(c.req, {});
                          auto r = api.records().update(c.ctx(), *def, c.req.param("id"), parse_json_object(c.req),
                                                        if_match_version(c.req));
                          return record_response(200, r.record);
                        }});

    api.route(RouteSpec{.method = "DELETE",
                        .path = base + "/{id}",
                        .summary = "Move a " + one + " to the trash",
                        .replies = {{200, "The " + one + " in the trash", record}},
                        .handler = [&api, def](Call& c) {
                          allow_only(c.req, {});
                          return record_response(
                              200, api.records().remove(c.ctx(), *def, c.req.param("id"), if_match_version(c.req)));
                        }});

    api.route(RouteSpec{.method = "POST",
                        .path = base + "/{id}/restore",
                        .summary = "Restore a " + one + " from the trash",
                        .replies = {{200, "The restored " + one, record}},
                        .handler = [&api, def](Call& c) {
                          allow_only(c.req, {});
                          return record_response(
                              200, api.records().restore(c.ctx(), *def, c.req.param("id"), if_match_version(c.req)));
                        }});

    api.route(RouteSpec{
        .method = "GET",
        .path = base + "/{id}/history",
        .summary = "Audit trail of a " + one,
        .replies = {{200, "Audit entries of the record, oldest first", schema::data_of(schema::ref("audit_entry"))}},
        .handler = [&api, def](Call& c) {
          allow_only(c.req, {});
          return http::json_response(200,
                                     json::object{{"data", api.records().history(c.ctx(), *def, c.req.param("id"))}});
        }});
  }
}

}  // namespace keel::api
