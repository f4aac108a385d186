// Health, readiness and metrics for operators and load balancers.
//   /healthz  the process is up (no database access)
//   /readyz   the database answers and the server is not draining; 503 otherwise
//   /metrics  Prometheus text format
#include <boost/json.hpp>

#include "api/api.h"
#include "store/migrations.h"

namespace keel::api {
namespace json = boost::json;

void add_ops_routes(Api& api) {
  api.route("GET", "/healthz", Access::public_, [](Call&) {
    return http::json_response(200, json::object{{"status", "ok"}, {"version", KEEL_VERSION}});
  }, "Liveness");

  api.route("GET", "/readyz", Access::public_, [&api](Call&) {
    if (api.draining()) {
      ApiError e(503, "draining", "The server is shutting down");
      throw e;
    }
    int version = 0;
    try {
      version = store::schema_version(api.db());
    } catch (const std::exception&) {
      throw ApiError(503, "database_unavailable", "The database does not answer");
    }
    return http::json_response(200, json::object{{"status", "ready"}, {"schema_version", version}});
  }, "Readiness: database reachable, not draining");

  api.route("GET", "/metrics", Access::public_, [&api](Call&) {
    http::Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = api.metrics().render();
    return r;
  }, "Prometheus metrics");
}

}  // namespace keel::api
