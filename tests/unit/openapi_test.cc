// The OpenAPI document against the route table: every served route is described (parameters,
// body, responses), and every description belongs to a route that exists. Together with the
// integration test that calls each documented route, this keeps the document true.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "api/api.h"
#include "api/openapi_routes.h"
#include "temp_dir.h"

namespace keel::api {
namespace {
namespace json = boost::json;

class OpenApi : public ::testing::Test {
 protected:
  OpenApi()
      : db_(store::Database::open("sqlite:" + dir_.file("keel.db"), 1)),
        auth_(*db_, {}),
        api_(*db_, auth_, metrics_, {}) {}

  bool documented(const Api::RouteDoc& r) const {
    return r.path.rfind("/api/", 0) == 0 || r.path == "/healthz" || r.path == "/readyz" || r.path == "/metrics";
  }

  keel::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  ops::Metrics metrics_;
  auth::AuthService auth_;
  Api api_;
};

TEST_F(OpenApi, EveryRouteIsDescribed) {
  int checked = 0;
  for (const auto& r : api_.route_docs()) {
    if (!documented(r)) continue;
    auto op = openapi::describe(r.method, r.path);
    ASSERT_TRUE(op) << r.method << " " << r.path << " has no description in openapi_routes.cc";
    ASSERT_TRUE(op->contains("responses")) << r.method << " " << r.path;
    EXPECT_FALSE(op->at("responses").as_object().empty()) << r.method << " " << r.path;
    if (r.method == "PATCH") {
      EXPECT_TRUE(op->contains("requestBody")) << r.method << " " << r.path;
    }
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

TEST_F(OpenApi, EveryDescriptionHasARoute) {
  std::set<std::string> routes;
  for (const auto& r : api_.route_docs()) routes.insert(r.method + " " + r.path);
  for (const auto& key : openapi::described_routes()) EXPECT_TRUE(routes.count(key)) << key << " is described but not served";
}

TEST_F(OpenApi, EveryReferencedSchemaExists) {
  json::object schemas = openapi::component_schemas();
  std::function<void(const json::value&, const std::string&)> walk = [&](const json::value& v, const std::string& where) {
    if (v.is_object()) {
      for (const auto& kv : v.as_object()) {
        if (kv.key() == "$ref") {
          std::string ref(kv.value().as_string());
          const std::string prefix = "#/components/schemas/";
          ASSERT_EQ(ref.rfind(prefix, 0), 0u) << where;
          EXPECT_TRUE(schemas.contains(ref.substr(prefix.size()))) << ref << " in " << where;
        } else {
          walk(kv.value(), where);
        }
      }
    } else if (v.is_array()) {
      for (const auto& e : v.as_array()) walk(e, where);
    }
  };
  for (const auto& r : api_.route_docs())
    if (auto op = openapi::describe(r.method, r.path)) walk(*op, r.method + " " + r.path);
  walk(schemas, "components");
}

}  // namespace
}  // namespace keel::api
