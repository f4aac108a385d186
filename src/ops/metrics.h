// Prometheus metrics (prometheus-cpp), served as text at /metrics. Every label value comes from a
// closed set, so no client can grow the number of time series (and the server's memory): a
// route is its template ("/api/v1/contacts/{id}") or one of a few fixed labels, never the raw
// path; a method is a standard one or "other".
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

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
  prometheus::Gauge& in_flight() { return *in_flight_; }
  std::string render() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* latency_;
  prometheus::Family<prometheus::Counter>* db_errors_;
  prometheus::Counter* login_failures_;
  prometheus::Gauge* in_flight_;
  prometheus::Gauge* started_;
  std::set<std::string> routes_;
};

}  // namespace keel::ops
