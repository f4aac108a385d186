// Prometheus metrics (prometheus-cpp), served as text at /metrics. Every label value comes from a
// closed set, so no client can grow the number of time series (and the server's memory): a
// route is its template ("/api/v1/contacts/{id}") or one of a few fixed labels, never the raw
// path; a method is a standard one or "other".
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace keel::ops {

class Metrics {
 public:
  Metrics();
  // The route labels that may appear (the router's templates and the API's fixed labels such as
  // "(unmatched)"); anything else is counted as "(unmatched)". Call once, before serving.
  void set_routes(std::vector<std::string> routes);
  void observe_request(const std::string& method, const std::string& route, int status, double seconds);
  void db_error(const std::string& kind);
  void login_failure();
  // Sync (service/sync.h): a pull page (a snapshot page or a catch-up page), one pushed
  // mutation's outcome (applied, merged, conflict, rejected, replay), and the devices' health as
  // read at each scrape.
  void sync_pull(bool snapshot);
  void sync_mutation(const std::string& outcome);
  void sync_health(int64_t devices, int64_t stale, int64_t max_lag);
  prometheus::Gauge& in_flight() { return *in_flight_; }
  std::string render() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* latency_;
  prometheus::Family<prometheus::Counter>* db_errors_;
  prometheus::Counter* login_failures_;
  prometheus::Family<prometheus::Counter>* sync_pulls_;
  prometheus::Family<prometheus::Counter>* sync_mutations_;
  prometheus::Gauge* sync_devices_;
  prometheus::Gauge* sync_stale_;
  prometheus::Gauge* sync_lag_;
  prometheus::Gauge* in_flight_;
  prometheus::Gauge* started_;
  std::set<std::string> routes_;
};

}  // namespace keel::ops
