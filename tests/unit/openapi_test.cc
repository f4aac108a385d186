// The OpenAPI document against the route table: every served route is described (parameters,
// body, responses), and every description belongs to a route that exists. Together with the
// integration test that calls each documented route, this keeps the document true.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "api/api.h"
#include "api/openapi_routes.h"
#include "core/error_codes.h"
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

json::value served_document(Api& api) {
  http::Request req;
  req.method = "GET";
  req.path = "/api/v1/openapi.json";
  http::Response r = api.handle(req);
  EXPECT_EQ(r.status, 200) << r.body;
  return json::parse(r.body);
}

TEST_F(OpenApi, ListsEveryErrorCode) {
  json::value doc = served_document(api_);
  const json::value* codes = doc.as_object().if_contains("x-error-codes");
  ASSERT_TRUE(codes);
  EXPECT_EQ(*codes, json::value(error_codes_json()));
  EXPECT_EQ(codes->at("problem").as_array().size() + codes->at("field").as_array().size(), error_codes().size());
}

// The web app keeps a copy of this document (web/src/api/openapi.json; its TypeScript types and
// the list of error codes its tests require messages for come from it). The browser tests compare
// it with a running server too (npm run api:check); this fails sooner, without a browser.
TEST_F(OpenApi, TheWebAppsCopyIsCurrent) {
#ifdef KEEL_SOURCE_DIR
  std::filesystem::path saved = std::filesystem::path(KEEL_SOURCE_DIR) / "web" / "src" / "api" / "openapi.json";
  if (!std::filesystem::exists(saved)) GTEST_SKIP() << "no web app in this tree";
  std::ifstream in(saved, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_TRUE(json::parse(ss.str()) == served_document(api_))
      << saved << " differs from the OpenAPI document this server serves; regenerate it and the types from a "
      << "server built from this tree: cd web && npm run api:types -- http://HOST:PORT";
#else
  GTEST_SKIP() << "KEEL_SOURCE_DIR is not defined";
#endif
}

}  // namespace
}  // namespace keel::api
