// POST /api/v1/leads/{id}/convert: decodes the body, converts in service/leads.h.
#include <boost/json.hpp>

#include "api/api.h"
#include "service/leads.h"

namespace keel::api {
namespace json = boost::json;

void add_lead_routes(Api& api) {
  api.route("POST", "/api/v1/leads/{id}/convert", Access::user, [&api](Call& c) {
    allow_only(c.req, {});
    service::LeadConversion in = service::parse_lead_conversion(parse_json_object(c.req), c.principal->time_zone);
    json::object out = service::convert_lead(api.db(), api.records(), c.ctx(), c.req.param("id"), in);
    return http::json_response(200, out);
  }, "Convert a lead into an account (new or existing), a contact and optionally a deal");
}

}  // namespace keel::api
