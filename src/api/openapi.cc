// The OpenAPI 3.0 document, generated from the same route table and entity definitions that
// serve requests (shapes in openapi_routes.cc), so it cannot drift from what the server does.
// Tests check each route against it.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/openapi_routes.h"
#include "core/error_codes.h"
#include "domain/entity.h"

namespace keel::api {
namespace json = boost::json;

void add_openapi_route(Api& api) {
  api.route("GET", "/api/v1/openapi.json", Access::public_, [&api](Call&) {
    json::object paths;
    for (const auto& r : api.route_docs()) {
      if (r.path.rfind("/api/", 0) != 0 && r.path != "/healthz" && r.path != "/readyz" && r.path != "/metrics") continue;
      std::string method = r.method;
      for (char& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      json::object op{{"summary", r.summary}};
      json::array params;
      size_t pos = 0;
      while ((pos = r.path.find('{', pos)) != std::string::npos) {
        size_t end = r.path.find('}', pos);
        params.push_back({{"name", r.path.substr(pos + 1, end - pos - 1)}, {"in", "path"}, {"required", true},
                          {"schema", {{"type", "string"}}}});
        pos = end;
      }
      auto described = openapi::describe(r.method, r.path);
      if (described) {
        for (auto& kv : *described) {
          if (kv.key() == "parameters") {
            for (auto& p : kv.value().as_array()) params.push_back(p);
          } else {
            op[kv.key()] = kv.value();
          }
        }
      }
      if (!params.empty()) op["parameters"] = params;
      if (r.access == Access::public_) op["security"] = json::array{};
      if (!op.contains("responses")) op["responses"] = {{"200", {{"description", "Success"}}}};
      op["responses"].as_object()["default"] = {
          {"description", "Error"},
          {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/problem"}}}}}}}};
      // Several methods share a path: add to the path item, never replace it.
      json::value& item = paths[r.path];
      if (!item.is_object()) item = json::object{};
      item.as_object()[method] = std::move(op);
    }
    json::object schemas = openapi::component_schemas();
    json::object doc{
        {"openapi", "3.0.3"},
        {"info", {{"title", "Keel CRM API"}, {"version", KEEL_VERSION}}},
        {"servers", json::array{{{"url", "/"}}}},
        {"paths", paths},
        {"components", {{"schemas", schemas},
                        {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
        {"security", json::array{{{"bearer", json::array{}}}}},
        // Every problem code and field error code the server sends (core/error_codes.cc), so an
        // integrator can handle each, and the web app's tests can require a message for each.
        {"x-error-codes", error_codes_json()},
    };
    return http::json_response(200, doc);
  }, "This document");
}

}  // namespace keel::api
