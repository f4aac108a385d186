// POST /api/v1/leads/{id}/convert: decodes the body (its field table, service::lead_conversion_body,
// is what the OpenAPI document states) and If-Match (the lead's version), converts in
// service/leads.h.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/schema.h"
#include "service/leads.h"

namespace keel::api {
namespace json = boost::json;

void add_lead_routes(Api& api) {
  api.route(RouteSpec{.method = "POST",
                      .path = "/api/v1/leads/{id}/convert",
                      .summary = "Convert a lead into an account (new or existing), a contact and optionally a deal",
                      .body = &service::lead_conversion_body(),
                      .replies = {{200, "The converted lead and the records made from it",
                                   schema::object_of({{"lead", schema::ref("lead")},
                                                      {"account", schema::ref("account")},
                                                      {"contact", schema::ref("contact")},
                                                      {"deal", schema::nullable(schema::ref("deal"))}})}},
                      .handler = [&api](Call& c) {
                        allow_only(c.req, {});
                        service::LeadConversion in = service::parse_lead_conversion(parse_json_object(c.req));
                        in.if_match = if_match_version(c.req);
                        json::object out =
                            service::convert_lead(api.db(), api.records(), c.ctx(), c.req.param("id"), in);
                        return http::json_response(200, out);
                      }});
}

}  // namespace keel::api
