// The OpenAPI document against the route table: every route's spec has a summary and a described
// success reply, and the document is rendered from the specs alone. Together with the
// integration tests that call each documented route (ops) and derive bodies from the document
// (contract), this keeps the document true.
#include "api/openapi.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "api/api.h"
#include "api/schema.h"
#include "core/error_codes.h"
#include "ops/backup_runner.h"
#include "store/migrations.h"
#include "temp_dir.h"

namespace keel::api {
namespace {
namespace json = boost::json;

class OpenApi : public ::testing::Test {
 protected:
  OpenApi()
      : db_(store::Database::open("sqlite:" + dir_.file("keel.db"), 1)),
        auth_(*db_, {}),
        backups_(*db_, "sqlite:" + dir_.file("keel.db"),
                 ops::BackupSettings{.dir = dir_.file("backups"), .server = "unit"}, system_clock()),
        api_(*db_, auth_, metrics_, ApiOptions{.backups = &backups_}) {
    // The document describes the installation's custom fields, read from its database.
    store::migrate(*db_);
  }

  keel::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  ops::Metrics metrics_;
  service::AuthService auth_;
  ops::BackupRunner backups_;  // as `keel serve` has one: the backup routes are in the document
  Api api_;
};

// Every route, the test clock's too (registered only on a server started with --test-clock).
std::vector<RouteSpec> all_routes(const Api& api, store::Database& db, service::AuthService& auth) {
  std::vector<RouteSpec> out = api.route_docs();
  OffsetClock clock;
  ops::Metrics metrics;
  ApiOptions with_clock;
  with_clock.test_clock = &clock;
  const Api test_server(db, auth, metrics, with_clock, clock);
  for (const auto& r : test_server.route_docs())
    if (r.path.rfind("/api/v1/test/", 0) == 0) out.push_back(r);
  return out;
}

TEST_F(OpenApi, EveryRouteHasASummaryAndADescribedSuccessReply) {
  int checked = 0;
  bool test_clock = false;
  for (const auto& r : all_routes(api_, *db_, auth_)) {
    const std::string where = r.method + " " + r.path;
    test_clock = test_clock || r.path == "/api/v1/test/clock";
    EXPECT_FALSE(r.summary.empty()) << where << " has no summary";
    bool success = false;
    for (const auto& reply : r.replies) {
      EXPECT_FALSE(reply.description.empty()) << where << " " << reply.status;
      EXPECT_EQ(reply.status == 204, !reply.schema) << where << ": a body on every success reply but 204";
      success = success || (reply.status >= 200 && reply.status < 300);
    }
    EXPECT_TRUE(success) << where << " has no success reply in its spec";
    EXPECT_TRUE(r.handler) << where;
    if (r.method == "PATCH") {
      EXPECT_TRUE(openapi::from_spec(r).contains("requestBody")) << where << " has no body";
    }
    ++checked;
  }
  EXPECT_GT(checked, 100);
  EXPECT_TRUE(test_clock);
}

// The operation is the spec's: its parameters, body and replies, and nothing else.
TEST_F(OpenApi, AnOperationIsRenderedFromItsSpec) {
  RouteSpec spec{.method = "GET",
                 .path = "/api/v1/things",
                 .summary = "Things",
                 .query = {{"q", schema::str(), "Search text", true}},
                 .replies = {{200, "Things", schema::data_of(schema::str())}, {204, "Nothing", std::nullopt}}};
  json::object op = openapi::from_spec(spec);
  EXPECT_EQ(json::value(op), json::parse(R"({
    "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Search text",
                    "required": true}],
    "responses": {
      "200": {"description": "Things", "content": {"application/json": {"schema":
             {"type": "object", "properties": {"data": {"type": "array", "items": {"type": "string"}}},
              "required": ["data"]}}}},
      "204": {"description": "Nothing"}}})"));
}

TEST_F(OpenApi, EveryReferencedSchemaExists) {
  json::object schemas = openapi::component_schemas();
  std::function<void(const json::value&, const std::string&)> walk = [&](const json::value& v,
                                                                         const std::string& where) {
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
  for (const auto& r : all_routes(api_, *db_, auth_)) walk(openapi::from_spec(r), r.method + " " + r.path);
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
