// Defences against hostile input below the HTTP layer: routing of literal segments over
// captures, UTF-8 repair of echoed bytes, and the statement timeout of the SQLite engine.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/text.h"
#include "http/router.h"
#include "store/db.h"
#include "temp_dir.h"

namespace keel {
namespace {

http::Router sample_router() {
  http::Router r;
  auto h = [](const std::string& name) {
    return [name](http::Request&) {
      http::Response resp;
      resp.body = name;
      return resp;
    };
  };
  r.add("GET", "/api/v1/accounts/{id}", h("get-record"));
  r.add("PATCH", "/api/v1/accounts/{id}", h("patch-record"));
  r.add("DELETE", "/api/v1/accounts/{id}", h("delete-record"));
  r.add("GET", "/api/v1/accounts/export", h("export"));
  r.add("POST", "/api/v1/accounts/{id}/restore", h("restore"));
  r.add("POST", "/api/v1/leads/{id}/convert", h("convert"));
  return r;
}

std::string route(const http::Router& r, const std::string& method, const std::string& path) {
  http::Request req;
  req.method = method;
  req.path = path;
  const http::Handler* h = nullptr;
  switch (r.match(req, &h)) {
    case http::Router::Match::found:
      return (*h)(req).body + (req.params.count("id") ? ":" + req.params["id"] : "");
    case http::Router::Match::no_method:
      return "405";
    case http::Router::Match::no_path:
      return "404";
  }
  return "?";
}

TEST(Router, LiteralSegmentsWinOverCapturesForEveryMethod) {
  http::Router r = sample_router();
  EXPECT_EQ(route(r, "GET", "/api/v1/accounts/export"), "export");
  EXPECT_EQ(route(r, "HEAD", "/api/v1/accounts/export"), "export");
  // The record routes must not take "export" as an id.
  EXPECT_EQ(route(r, "PATCH", "/api/v1/accounts/export"), "405");
  EXPECT_EQ(route(r, "DELETE", "/api/v1/accounts/export"), "405");
  EXPECT_EQ(route(r, "POST", "/api/v1/accounts/export"), "405");
  EXPECT_EQ(route(r, "PATCH", "/api/v1/accounts/abc"), "patch-record:abc");
  EXPECT_EQ(route(r, "POST", "/api/v1/accounts/abc/restore"), "restore:abc");
  EXPECT_EQ(route(r, "GET", "/api/v1/widgets"), "404");
}

TEST(Router, AllowListsEachMethodOfTheRoutedTemplateOnce) {
  http::Router r = sample_router();
  EXPECT_EQ(r.allowed_methods("/api/v1/accounts/export"), (std::vector<std::string>{"GET", "HEAD"}));
  EXPECT_EQ(r.allowed_methods("/api/v1/accounts/123"), (std::vector<std::string>{"GET", "HEAD", "PATCH", "DELETE"}));
  EXPECT_EQ(r.allowed_methods("/api/v1/leads/1/convert"), (std::vector<std::string>{"POST"}));
  EXPECT_TRUE(r.allowed_methods("/nothing").empty());
}

TEST(Utf8Repair, ReplacesEachIllFormedSequenceAndKeepsTheRest) {
  EXPECT_EQ(to_valid_utf8("plain"), "plain");
  EXPECT_EQ(to_valid_utf8("王小明"), "王小明");
  EXPECT_EQ(to_valid_utf8("a\xFF"
                          "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(to_valid_utf8("\xC3"), "\xEF\xBF\xBD");  // truncated sequence
  EXPECT_TRUE(is_valid_utf8(to_valid_utf8("\xED\xA0\x80 surrogate")));
  EXPECT_TRUE(is_valid_utf8(to_valid_utf8("\xC0\xAF overlong \xF5\x80\x80\x80")));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));
}

class StatementTimeout : public ::testing::Test {
 protected:
  void SetUp() override { db_ = store::open_sqlite(dir_.file("keel.db"), 2); }
  void TearDown() override { db_->close(); }

  // A statement that runs for many seconds unless stopped.
  static constexpr const char* kEndless =
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000000) SELECT COUNT(*) FROM n";

  keel::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(StatementTimeout, StopsALongStatementWithATimeoutErrorInReadsAndWrites) {
  db_->set_statement_timeout(50);
  for (bool write : {false, true}) {
    auto start = std::chrono::steady_clock::now();
    try {
      auto fn = [](store::Tx& tx) { tx.query(kEndless); };
      write ? db_->write(fn) : db_->read(fn);
      FAIL() << "the endless statement finished";
    } catch (const store::DbError& e) {
      EXPECT_EQ(e.kind(), store::DbError::Kind::timeout) << e.what();
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(ms, 5000) << "stopped near the 50 ms bound";
  }
  // The connections stay usable, and short statements are unaffected.
  int64_t n = 0;
  db_->write([&](store::Tx& tx) {
    tx.query("CREATE TABLE t (x INTEGER)");
    tx.query("INSERT INTO t VALUES (1)");
  });
  db_->read([&](store::Tx& tx) { n = tx.one("SELECT COUNT(*) FROM t")->integer(0); });
  EXPECT_EQ(n, 1);
}

TEST_F(StatementTimeout, ZeroMeansNoBound) {
  db_->set_statement_timeout(0);
  int64_t n = 0;
  db_->read([&](store::Tx& tx) {
    n = tx.one(
              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT COUNT(*) FROM n")
            ->integer(0);
  });
  EXPECT_EQ(n, 300000);
}

}  // namespace
}  // namespace keel
