// What the OpenAPI document says about each route beyond its path: query parameters, request
// body and success response. Routes are registered in the api/*_api.cc files; their shapes are
// described here in one place, and a unit test (tests/unit/openapi_test.cc) fails when a route
// exists without a description or a description names no route, so the two cannot drift.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

namespace keel::api::openapi {

// Shared component schemas (records of every entity, problem, user, role, ...), keyed by name.
boost::json::object component_schemas();

// The operation object's parameters/requestBody/responses for a route, or nullopt if the
// route is not described (a bug the unit test catches).
std::optional<boost::json::object> describe(const std::string& method, const std::string& path_template);

// "METHOD path" of every route described outside the generic entity routes (for the test that
// every description matches a registered route).
std::vector<std::string> described_routes();

}  // namespace keel::api::openapi
