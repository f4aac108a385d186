// The Keel HTTP API: middleware (request id, metrics, authentication, idempotency, error
// mapping) and the routes of every resource. One instance per server process.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "domain/body.h"
#include "http/message.h"
#include "http/router.h"
#include "ops/metrics.h"
#include "service/context.h"
#include "service/idempotency.h"
#include "service/records.h"
#include "service/sessions.h"
#include "service/sync.h"
#include "store/db.h"

namespace keel::ops {
class BackupRunner;
}

namespace keel::api {

enum class Access { public_, user, admin };

// One API call after authentication.
struct Call {
  http::Request& req;
  const auth::Principal* principal;  // null on public routes
  const Clock& clock;                // the server's one clock, as given to the Api
  service::Context ctx() const { return service::Context{*principal, req.request_id, clock}; }
};

using Handler = std::function<http::Response(Call&)>;

// A query parameter as the OpenAPI document states it.
struct QueryParam {
  std::string name = {};
  boost::json::object schema = {};
  std::string description = {};
  bool required = false;
};

// One success answer: its status, what it means, and the schema of its body (none for 204).
struct Reply {
  int status = 200;
  std::string description = {};
  std::optional<boost::json::object> schema = {};
  std::string media_type = "application/json";
};

// Everything about a route, written once next to its handler: the router serves it, and the
// OpenAPI document (openapi.cc) is rendered from it alone. A body described by a field table is
// validated from that same table (domain::parse_body in the service), so the document states
// exactly the limits the server enforces; tests/integration/contract.test.mjs checks that.
// Every route has a summary and at least one success reply (tests/unit/openapi_test.cc).
struct RouteSpec {
  std::string method = {}, path = {};
  Access access = Access::user;
  std::string summary = {};
  std::vector<QueryParam> query = {};
  const domain::BodyDef* body = nullptr;                // the request body's field table, or
  bool body_creates = true;                             //   (its required members are required)
  std::optional<boost::json::object> body_schema = {};  // a schema described elsewhere (entity records)
  std::vector<Reply> replies = {};
  Handler handler = {};
};

struct ApiOptions {
  std::string web_root = {};  // built web app to serve at /, if present
  bool access_log = true;
  int rate_limit_per_minute = 6000;  // per credential; 0 disables
  // The test-only time control (`keel serve --test-clock`; never in production): when set, it is
  // the server's clock, and POST/GET /api/v1/test/clock (loopback peers only) moves and reads
  // it. When null the route does not exist (404 no_such_route).
  OffsetClock* test_clock = nullptr;
  // Backups made by the server (the backup screen): /api/v1/admin/backups exists when set.
  ops::BackupRunner* backups = nullptr;
  // Offline sync: working-set windows, stale devices, retention (KEEL_SYNC_* settings).
  service::SyncSettings sync = {};
};

class Api {
 public:
  // `clock` is the time of every request: each Call::ctx(), the idempotency window. The server
  // gives the same clock to the AuthService. With options.test_clock set, it must be that clock.
  Api(store::Database& db, service::AuthService& auth, ops::Metrics& metrics, ApiOptions options,
      const Clock& clock = system_clock());

  // The whole request path; never throws.
  http::Response handle(http::Request& req);
  // Formats an error as an RFC 9457 problem document.
  static http::Response problem(const ApiError& e, const std::string& request_id);

  void route(RouteSpec spec);
  // Answers GET/HEAD requests that match no route and are not under /api/ (the web app's
  // client-side routes). API paths never fall through to it: an unknown API path is 404
  // no_such_route, whatever the method.
  void set_web_fallback(Handler h) { web_fallback_ = std::move(h); }
  const http::Router& router() const { return router_; }

  // Every route's spec (handlers included), in registration order.
  const std::vector<RouteSpec>& route_docs() const { return docs_; }

  store::Database& db() { return db_; }
  service::AuthService& auth() { return auth_; }
  service::Records& records() { return records_; }
  ops::Metrics& metrics() { return metrics_; }
  const ApiOptions& options() const { return options_; }

  // Set by `serve` during shutdown so /readyz turns 503 and load balancers stop sending.
  void set_draining() { draining_ = true; }
  bool draining() const { return draining_; }

 private:
  http::Response dispatch(http::Request& req);
  // The first answer to a retried POST, if this is one; otherwise claims the key into `idem`.
  std::optional<http::Response> replay_idempotent(Call& call, std::optional<service::IdempotentRequest>& idem);
  void store_idempotent(const service::IdempotentRequest& idem, const http::Response& r);
  void check_rate(const std::string& credential_id);

  store::Database& db_;
  service::AuthService& auth_;
  ops::Metrics& metrics_;
  service::Records records_;
  ApiOptions options_;
  const Clock& clock_;
  http::Router router_;
  std::vector<RouteSpec> docs_;
  Handler web_fallback_;
  std::atomic<bool> draining_{false};
  struct RateState;
  std::shared_ptr<RateState> rate_;
};

// Helpers for handlers.
boost::json::object parse_json_object(const http::Request& req);  // 415 / 400 / 422 as needed
std::optional<int64_t> if_match_version(const http::Request& req);
// Rejects query parameters not in `allowed` (400 unknown_parameter).
void allow_only(const http::Request& req, std::initializer_list<std::string_view> allowed);
// An integer query parameter: the handler reads it, and the document states it, from the same
// bounds and default.
struct IntParam {
  const char* name;
  int64_t lo, hi;
  std::optional<int64_t> fallback;  // the value when absent, stated as the default; none: not applied
  const char* description = "";
};
QueryParam documented(const IntParam& p);
// The parameter's value (400 invalid_parameter outside lo..hi), or its fallback when absent.
std::optional<int64_t> int_param(const http::Request& req, const IntParam& p);
http::Response record_response(int status, const boost::json::object& record);
http::Response no_content();  // 204

// Route groups, each in its own file.
void add_record_routes(Api& api);
void add_bulk_routes(Api& api);
void add_export_routes(Api& api);
void add_auth_routes(Api& api);
void add_admin_routes(Api& api);
void add_log_routes(Api& api);
void add_meta_routes(Api& api);
void add_saved_view_routes(Api& api);
void add_lead_routes(Api& api);
void add_board_routes(Api& api);
void add_sync_routes(Api& api);
void add_ops_routes(Api& api);
void add_openapi_route(Api& api);
void add_web_routes(Api& api);
void add_test_clock_routes(Api& api, OffsetClock& clock);      // only with ApiOptions::test_clock
void add_backup_routes(Api& api, ops::BackupRunner& backups);  // only with ApiOptions::backups

}  // namespace keel::api
