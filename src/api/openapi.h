// The OpenAPI 3.0 document, rendered from the route specs alone (api.h RouteSpec: parameters,
// body, replies, written next to each handler) and the entity tables (the record schemas), so
// it cannot drift from what the server does. GET /api/v1/openapi.json serves it (openapi.cc).
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "service/entity_defs.h"

namespace keel::api {
struct RouteSpec;
}

namespace keel::api::openapi {

// The parameters, requestBody and responses of a route's operation, from its spec.
boost::json::object from_spec(const RouteSpec& spec);

// Shared component schemas (records of every entity, problem, user, role, ...), keyed by name.
boost::json::object component_schemas();

// The document is per installation: this adds the custom fields of `entities` to a rendered
// document (each record schema's `custom` properties, required ones on create, and the
// custom.NAME filters of each list and export route).
void add_custom_fields(boost::json::object& doc, const std::vector<service::EffectiveEntityPtr>& entities);

}  // namespace keel::api::openapi
