// The injectable clock: OffsetClock's arithmetic, and one clock for a whole server: the Api
// passes it into every request's service::Context (records are stamped by it), the AuthService
// expires sessions by it, and the test-only control that moves it answers loopback peers only.
#include "core/clock.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/api.h"
#include "auth/password.h"
#include "core/time.h"
#include "service/users.h"
#include "store/migrations.h"
#include "temp_dir.h"

namespace keel {
namespace {
namespace json = boost::json;

// A base clock that reads what the test says, so OffsetClock's sums are exact.
class ManualClock final : public Clock {
 public:
  int64_t now_ms() const override { return now; }
  int64_t now = 1'800'000'000'000;
};

TEST(OffsetClock, RunsWithItsBaseUntilMoved) {
  ManualClock base;
  OffsetClock clock(base);
  EXPECT_EQ(clock.now_ms(), base.now);
  EXPECT_EQ(clock.offset_ms(), 0);
  base.now += 1234;
  EXPECT_EQ(clock.now_ms(), base.now);
}

TEST(OffsetClock, AdvanceAddsAndSetRunsOnFromTheInstant) {
  ManualClock base;
  OffsetClock clock(base);
  clock.advance(86'400'000);
  clock.advance(-1'000);
  EXPECT_EQ(clock.offset_ms(), 86'399'000);
  EXPECT_EQ(clock.now_ms(), base.now + 86'399'000);
  clock.set(2'000'000'000'000);
  EXPECT_EQ(clock.now_ms(), 2'000'000'000'000);
  base.now += 500;  // time flows on after a set
  EXPECT_EQ(clock.now_ms(), 2'000'000'000'500);
  clock.advance(100);
  EXPECT_EQ(clock.now_ms(), 2'000'000'000'600);
}

TEST(OffsetClock, DefaultsToTheSystemClock) {
  OffsetClock clock;
  int64_t before = system_clock().now_ms();
  int64_t read = clock.now_ms();
  EXPECT_GE(read, before);
  EXPECT_LT(read - before, 60'000);
  clock.advance(3'600'000);
  EXPECT_GE(clock.now_ms() - system_clock().now_ms(), 3'600'000 - 60'000);
}

// A server on a test clock, without the network: requests go straight to Api::handle.
class ServerClock : public ::testing::Test {
 protected:
  ServerClock()
      : db_(store::Database::open("sqlite:" + dir_.file("keel.db"), 1)),
        clock_(base_),
        auth_(*db_, {}, clock_),
        api_(*db_, auth_, metrics_, options(), clock_) {
    auth::set_hash_cost(auth::HashCost::minimal);
    store::migrate(*db_);
    auto admin = service::bootstrap(*db_, "admin@keel.test");
    email_ = admin->first;
    password_ = admin->second;
  }

  api::ApiOptions options() {
    api::ApiOptions o;
    o.test_clock = &clock_;
    o.access_log = false;
    return o;
  }

  http::Response call(const std::string& method, const std::string& path, const std::string& body = "",
                      const std::string& peer = "127.0.0.1", const std::string& token = "") {
    http::Request r;
    r.method = method;
    r.path = path;
    r.body = body;
    r.remote_ip = peer;
    if (!body.empty()) r.headers["content-type"] = "application/json";
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    return api_.handle(r);
  }
  std::string code(const http::Response& r) { return std::string(json::parse(r.body).at("code").as_string()); }
  std::string login() {
    auto r =
        call("POST", "/api/v1/auth/login", json::serialize(json::object{{"email", email_}, {"password", password_}}));
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(json::parse(r.body).at("token").as_string());
  }

  keel::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  ManualClock base_;
  OffsetClock clock_;
  ops::Metrics metrics_;
  service::AuthService auth_;
  api::Api api_;
  std::string email_, password_;
};

TEST_F(ServerClock, TheControlAnswersLoopbackPeersOnly) {
  for (const char* peer : {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"}) {
    auto r = call("GET", "/api/v1/test/clock", "", peer);
    EXPECT_EQ(r.status, 200) << peer << ": " << r.body;
  }
  for (const char* peer : {"10.0.0.5", "192.168.1.20", "::ffff:10.0.0.5", "2001:db8::1", "", "not-an-address"}) {
    auto r = call("POST", "/api/v1/test/clock", R"({"advance_ms": 1000})", peer);
    EXPECT_EQ(r.status, 403) << peer << ": " << r.body;
    EXPECT_EQ(code(r), "loopback_only") << peer;
  }
  EXPECT_EQ(clock_.offset_ms(), 0) << "a refused move moves nothing";
}

TEST_F(ServerClock, RequestsAreStampedByTheServersClock) {
  clock_.set(parse_instant("2033-01-02T03:04:05.000Z", "").ms);
  std::string token = login();  // a session made now, in 2033
  auto r = call("POST", "/api/v1/accounts", R"({"name": "Clocked"})", "127.0.0.1", token);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body).at("created_at"), "2033-01-02T03:04:05.000Z");
}

TEST_F(ServerClock, SessionsExpireByTheServersClock) {
  std::string token = login();
  EXPECT_EQ(call("GET", "/api/v1/me", "", "127.0.0.1", token).status, 200);
  clock_.advance(int64_t{14} * 86'400'000 - 1);
  EXPECT_EQ(call("GET", "/api/v1/me", "", "127.0.0.1", token).status, 200);
  clock_.advance(1);
  auto r = call("GET", "/api/v1/me", "", "127.0.0.1", token);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(code(r), "invalid_token");
}

TEST(ServerClockOff, NoControlWithoutATestClock) {
  keel::testing::TempDir dir;
  auto db = store::Database::open("sqlite:" + dir.file("keel.db"), 1);
  ops::Metrics metrics;
  service::AuthService auth(*db, {});
  api::Api api(*db, auth, metrics, {});
  http::Request r;
  r.method = "GET";
  r.path = "/api/v1/test/clock";
  r.remote_ip = "127.0.0.1";
  auto res = api.handle(r);
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(json::parse(res.body).at("code"), "no_such_route");
}

TEST(ServerClockOff, ATestClockMustBeTheServersClock) {
  keel::testing::TempDir dir;
  auto db = store::Database::open("sqlite:" + dir.file("keel.db"), 1);
  ops::Metrics metrics;
  service::AuthService auth(*db, {});
  OffsetClock other;
  api::ApiOptions o;
  o.test_clock = &other;
  EXPECT_THROW(api::Api(*db, auth, metrics, o), std::logic_error);
}

}  // namespace
}  // namespace keel
