// http/router.h: which template and handler a (method, path) reaches. The HTTP server hands the
// router a path that is already percent-decoded, so the router compares segments as bytes and
// decodes nothing a second time.
#include "http/router.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace keel::http {
namespace {

// A handler whose answer is `name`.
Handler answering(std::string name) {
  return [name = std::move(name)](Request&) {
    Response r;
    r.body = name;
    return r;
  };
}

// A router whose handlers answer with the "METHOD template" they were registered under.
class Routing : public ::testing::Test {
 protected:
  void add(const std::string& method, const std::string& tmpl) {
    router_.add(method, tmpl, answering(method + " " + tmpl));
  }
  void SetUp() override {
    for (const auto& [method, tmpl] : kRoutes) add(method, tmpl);
  }

  static inline const std::vector<std::pair<std::string, std::string>> kRoutes = {
      {"GET", "/api/v1/deals"},
      {"POST", "/api/v1/deals"},
      {"GET", "/api/v1/deals/{id}"},
      {"PATCH", "/api/v1/deals/{id}"},
      {"GET", "/api/v1/deals/{id}/stage-history"},
      {"GET", "/api/v1/deals/export"},
      {"POST", "/api/v1/deals/bulk"},
      {"GET", "/api/v1/{entity}/export"},
      {"GET", "/api/v1/{entity}/{id}/history"},
      {"GET", "/api/v1/search"},
  };

  struct Outcome {
    Router::Match match;
    std::string handler;  // the registered "METHOD template", when found
    Request req;          // with params and route, when found
  };
  Outcome route(const std::string& method, const std::string& path) {
    Outcome o;
    o.req.method = method;
    o.req.path = path;
    const Handler* h = nullptr;
    o.match = router_.match(o.req, &h);
    if (o.match == Router::Match::found) o.handler = (*h)(o.req).body;
    return o;
  }

  Router router_;
};

TEST_F(Routing, ALiteralSegmentBeatsACaptureAtTheSamePlace) {
  // Three templates match /api/v1/deals/export; the all-literal one wins.
  EXPECT_EQ(route("GET", "/api/v1/deals/export").handler, "GET /api/v1/deals/export");
  EXPECT_EQ(route("POST", "/api/v1/deals/bulk").handler, "POST /api/v1/deals/bulk");
  // Where the literal is elsewhere, the template literal at the first segment where they differ
  // wins: /deals/{id} over /{entity}/export for /deals/x...
  EXPECT_EQ(route("GET", "/api/v1/deals/x").handler, "GET /api/v1/deals/{id}");
  // ...and where only the generic template matches, it is used.
  Outcome e = route("GET", "/api/v1/leads/export");
  EXPECT_EQ(e.handler, "GET /api/v1/{entity}/export");
  EXPECT_EQ(e.req.params.at("entity"), "leads");
  Outcome h = route("GET", "/api/v1/deals/7/history");
  EXPECT_EQ(h.handler, "GET /api/v1/{entity}/{id}/history");
  EXPECT_EQ(h.req.params.at("entity"), "deals");
  EXPECT_EQ(h.req.params.at("id"), "7");
  EXPECT_EQ(route("GET", "/api/v1/deals/7/stage-history").handler, "GET /api/v1/deals/{id}/stage-history");
}

TEST_F(Routing, PrecedenceDoesNotDependOnTheOrderOfRegistration) {
  Router reversed;
  for (auto it = kRoutes.rbegin(); it != kRoutes.rend(); ++it)
    reversed.add(it->first, it->second, answering(it->first + " " + it->second));
  for (const char* path : {"/api/v1/deals/export", "/api/v1/deals/x", "/api/v1/leads/export", "/api/v1/deals/bulk",
                           "/api/v1/deals/7/history", "/api/v1/deals"}) {
    Request req;
    req.method = "GET";
    req.path = path;
    const Handler* h = nullptr;
    Router::Match m = reversed.match(req, &h);
    Outcome o = route("GET", path);
    EXPECT_EQ(m, o.match) << path;
    if (m == Router::Match::found) {
      EXPECT_EQ((*h)(req).body, o.handler) << path;
    }
    EXPECT_EQ(reversed.allowed_methods(path).size(), router_.allowed_methods(path).size()) << path;
  }
}

TEST_F(Routing, CapturesFillParamsAndTheRouteIsTheTemplate) {
  Outcome o = route("PATCH", "/api/v1/deals/0190a1b2-0000-7000-8000-000000000001");
  ASSERT_EQ(o.match, Router::Match::found);
  EXPECT_EQ(o.handler, "PATCH /api/v1/deals/{id}");
  EXPECT_EQ(o.req.params.at("id"), "0190a1b2-0000-7000-8000-000000000001");
  EXPECT_EQ(o.req.route, "/api/v1/deals/{id}") << "the metrics label is the template, not the id";
}

TEST_F(Routing, AMethodTheRoutedTemplateLacksIs405NotALessSpecificRoute) {
  // DELETE /deals/export: the path is routed to the literal template, which has no DELETE; the
  // capture template's routes are not candidates.
  EXPECT_EQ(route("DELETE", "/api/v1/deals/export").match, Router::Match::no_method);
  EXPECT_EQ(route("PATCH", "/api/v1/deals/export").match, Router::Match::no_method);
  EXPECT_EQ(route("DELETE", "/api/v1/deals/7").match, Router::Match::no_method);
  EXPECT_EQ(route("PUT", "/api/v1/deals").match, Router::Match::no_method);
  EXPECT_EQ(route("get", "/api/v1/deals").match, Router::Match::no_method) << "methods are case-sensitive";
}

TEST_F(Routing, HeadIsServedByGet) {
  EXPECT_EQ(route("HEAD", "/api/v1/deals/7").handler, "GET /api/v1/deals/{id}");
  EXPECT_EQ(route("HEAD", "/api/v1/deals/bulk").match, Router::Match::no_method) << "bulk has no GET";
}

TEST_F(Routing, UnknownPathsAndSegmentCounts) {
  EXPECT_EQ(route("GET", "/api/v1/nothing").match, Router::Match::no_path);
  EXPECT_EQ(route("GET", "/api/v1/deals/7/stage-history/more").match, Router::Match::no_path);
  EXPECT_EQ(route("GET", "/api/v1").match, Router::Match::no_path);
  EXPECT_EQ(route("GET", "/").match, Router::Match::no_path);
  EXPECT_EQ(route("GET", "").match, Router::Match::no_path);
}

TEST_F(Routing, EmptySegmentsAreIgnoredSoTrailingAndDoubledSlashesRouteAlike) {
  EXPECT_EQ(route("GET", "/api/v1/deals/").handler, "GET /api/v1/deals");
  EXPECT_EQ(route("GET", "//api//v1/deals").handler, "GET /api/v1/deals");
  Outcome o = route("GET", "/api/v1/deals/7/");
  EXPECT_EQ(o.handler, "GET /api/v1/deals/{id}");
  EXPECT_EQ(o.req.params.at("id"), "7");
}

TEST_F(Routing, SegmentsAreComparedAsDecodedBytes) {
  // Already decoded by the server: a capture takes the bytes as they are (UTF-8, spaces).
  EXPECT_EQ(route("GET", "/api/v1/deals/王 小明").req.params.at("id"), "王 小明");
  // An escape that reaches the router is not decoded again: "%65xport" is an id, not "export",
  // and "%2F" does not split a segment.
  Outcome o = route("GET", "/api/v1/deals/%65xport");
  EXPECT_EQ(o.handler, "GET /api/v1/deals/{id}");
  EXPECT_EQ(o.req.params.at("id"), "%65xport");
  EXPECT_EQ(route("GET", "/api/v1/deals/a%2Fb").req.params.at("id"), "a%2Fb");
  // Literals match exactly, case included.
  EXPECT_EQ(route("GET", "/api/v1/Deals").match, Router::Match::no_path);
  EXPECT_EQ(route("GET", "/api/v1/deals/EXPORT").handler, "GET /api/v1/deals/{id}");
}

TEST_F(Routing, ParamsOfAnEarlierMatchDoNotLeak) {
  Outcome o;
  o.req.method = "GET";
  o.req.path = "/api/v1/search";
  o.req.params["id"] = "stale";
  const Handler* h = nullptr;
  ASSERT_EQ(router_.match(o.req, &h), Router::Match::found);
  EXPECT_TRUE(o.req.params.empty());
}

TEST_F(Routing, AllowNamesTheRoutedTemplatesMethodsOnceWithHeadAfterGet) {
  EXPECT_EQ(router_.allowed_methods("/api/v1/deals"), (std::vector<std::string>{"GET", "HEAD", "POST"}));
  EXPECT_EQ(router_.allowed_methods("/api/v1/deals/7"), (std::vector<std::string>{"GET", "HEAD", "PATCH"}));
  EXPECT_EQ(router_.allowed_methods("/api/v1/deals/export"), (std::vector<std::string>{"GET", "HEAD"}));
  EXPECT_EQ(router_.allowed_methods("/api/v1/deals/bulk"), (std::vector<std::string>{"POST"}));
  EXPECT_EQ(router_.allowed_methods("/api/v1/deals/7/"), (std::vector<std::string>{"GET", "HEAD", "PATCH"}));
  EXPECT_TRUE(router_.allowed_methods("/api/v1/nothing").empty());
}

TEST(Router, RegisteringOneMethodTwiceKeepsTheFirst) {
  Router r;
  r.add("GET", "/x/{id}", answering("first"));
  r.add("GET", "/x/{other}", answering("second"));
  Request req;
  req.method = "GET";
  req.path = "/x/1";
  const Handler* h = nullptr;
  ASSERT_EQ(r.match(req, &h), Router::Match::found);
  EXPECT_EQ((*h)(req).body, "first");
  EXPECT_EQ(r.allowed_methods("/x/1"), (std::vector<std::string>{"GET", "HEAD"}));
}

}  // namespace
}  // namespace keel::http
