// Health, readiness and metrics for operators and load balancers.
//   /healthz  the process is up (no database access)
//   /readyz   the database answers and the server is not draining; 503 otherwise
//   /metrics  Prometheus text format
#include <boost/json.hpp>

#include "api/api.h"
#include "api/schema.h"
#include "store/migrations.h"

namespace keel::api {
namespace json = boost::json;

void add_ops_routes(Api& api) {
  api.route(RouteSpec{.method = "GET",
                      .path = "/healthz",
                      .access = Access::public_,
                      .summary = "Liveness",
                      .replies = {{200, "The process is up",
                                   schema::object_of({{"status", schema::str()}, {"version", schema::str()}})}},
                      .handler = [](Call&) {
                        return http::json_response(200, json::object{{"status", "ok"}, {"version", KEEL_VERSION}});
                      }});

  api.route(
      RouteSpec{.method = "GET",
                .path = "/readyz",
                .access = Access::public_,
                .summary = "Readiness: database reachable, not draining",
                .replies = {{200, "The database answers; 503 while draining",
                             schema::object_of({{"status", schema::str()}, {"schema_version", schema::integer()}})}},
                .handler = [&api](Call&) {
                  if (api.draining()) {
                    ApiError e(ErrorKind::unavailable, "draining", "The server is shutting down");
                    throw e;
                  }
                  int version = 0;
                  try {
                    version = store::schema_version(api.db());
                  } catch (const std::exception&) {
                    throw ApiError(ErrorKind::unavailable, "database_unavailable", "The database does not answer");
                  }
                  return http::json_response(200, json::object{{"status", "ready"}, {"schema_version", version}});
                }});

  api.route(RouteSpec{.method = "GET",
                      .path = "/metrics",
                      .access = Access::public_,
                      .summary = "Prometheus metrics",
                      .replies = {{200, "Prometheus text format", schema::str(), "text/plain"}},
                      .handler = [&api](Call& c) {
                        try {
                          service::SyncHealth h = service::sync_health(api.db(), api.options().sync, c.clock.now_ms());
                          api.metrics().sync_health(h.devices, h.stale, h.max_lag);
                        } catch (const std::exception&) {
                          // The database does not answer: the other metrics still go out.
                        }
                        http::Response r;
                        r.content_type = "text/plain; version=0.0.4";
                        r.body = api.metrics().render();
                        return r;
                      }});
}

}  // namespace keel::api
