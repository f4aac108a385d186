#include "ops/metrics.h"

#include <prometheus/text_serializer.h>

#include <chrono>

namespace keel::ops {

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()) {
  requests_ = &prometheus::BuildCounter()
                   .Name("keel_http_requests_total")
                   .Help("HTTP requests by method, route template and status")
                   .Register(*registry_);
  latency_ = &prometheus::BuildHistogram()
                  .Name("keel_http_request_duration_seconds")
                  .Help("Time from request parsed to response ready, by route template")
                  .Register(*registry_);
  db_errors_ = &prometheus::BuildCounter()
                    .Name("keel_db_errors_total")
                    .Help("Database errors by kind (busy, connection, serialization, other)")
                    .Register(*registry_);
  login_failures_ = &prometheus::BuildCounter()
                         .Name("keel_login_failures_total")
                         .Help("Failed sign-in attempts")
                         .Register(*registry_)
                         .Add({});
  sync_pulls_ = &prometheus::BuildCounter()
                     .Name("keel_sync_pulls_total")
                     .Help("Sync pull pages served, by phase (snapshot, catch_up)")
                     .Register(*registry_);
  sync_mutations_ = &prometheus::BuildCounter()
                         .Name("keel_sync_mutations_total")
                         .Help("Pushed sync mutations by outcome (applied, merged, conflict, rejected, replay)")
                         .Register(*registry_);
  auto& gauges = prometheus::BuildGauge()
                     .Name("keel_sync_devices")
                     .Help("Sync devices not revoked nor expired, by state (active, stale)")
                     .Register(*registry_);
  sync_devices_ = &gauges.Add({{"state", "active"}});
  sync_stale_ = &gauges.Add({{"state", "stale"}});
  sync_lag_ = &prometheus::BuildGauge()
                   .Name("keel_sync_max_lag_entries")
                   .Help("Change-log entries the furthest-behind active device has not confirmed")
                   .Register(*registry_)
                   .Add({});
  in_flight_ = &prometheus::BuildGauge()
                    .Name("keel_http_in_flight_requests")
                    .Help("Requests being handled right now")
                    .Register(*registry_)
                    .Add({});
  started_ = &prometheus::BuildGauge()
                  .Name("keel_start_time_seconds")
                  .Help("Unix time the server started")
                  .Register(*registry_)
                  .Add({});
  started_->Set(static_cast<double>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count()));
}

void Metrics::set_routes(std::vector<std::string> routes) {
  routes_ = std::set<std::string>(routes.begin(), routes.end());
}

void Metrics::observe_request(const std::string& method_in, const std::string& route_in, int status, double seconds) {
  static const std::set<std::string> methods = {"GET",    "HEAD",    "POST",  "PUT",    "PATCH",
                                                "DELETE", "OPTIONS", "TRACE", "CONNECT"};
  static const std::string other = "other", unmatched = "(unmatched)";
  const std::string& method = methods.count(method_in) ? method_in : other;
  const std::string& route = routes_.empty() || routes_.count(route_in) ? route_in : unmatched;
  if (status < 100 || status > 599) status = 500;
  requests_->Add({{"method", method}, {"route", route}, {"status", std::to_string(status)}}).Increment();
  static const prometheus::Histogram::BucketBoundaries buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                                  0.05,   0.1,   0.25,   0.5,   1,    2.5};
  latency_->Add({{"route", route}}, buckets).Observe(seconds);
}

void Metrics::db_error(const std::string& kind) { db_errors_->Add({{"kind", kind}}).Increment(); }
void Metrics::login_failure() { login_failures_->Increment(); }

void Metrics::sync_pull(bool snapshot) {
  sync_pulls_->Add({{"phase", snapshot ? "snapshot" : "catch_up"}}).Increment();
}

void Metrics::sync_mutation(const std::string& outcome) {
  static const std::set<std::string> known = {"applied", "merged", "conflict", "rejected", "replay"};
  sync_mutations_->Add({{"outcome", known.count(outcome) ? outcome : "rejected"}}).Increment();
}

void Metrics::sync_health(int64_t devices, int64_t stale, int64_t max_lag) {
  sync_devices_->Set(static_cast<double>(devices - stale));
  sync_stale_->Set(static_cast<double>(stale));
  sync_lag_->Set(static_cast<double>(max_lag));
}

std::string Metrics::render() const {
  prometheus::TextSerializer s;
  return s.Serialize(registry_->Collect());
}

}  // namespace keel::ops
