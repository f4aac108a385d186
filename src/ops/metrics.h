// Prometheus metrics (prometheus-cpp), served as text at /metrics. Labels are bounded: a route
// is its template ("/api/v1/contacts/{id}"), never the raw path.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

namespace keel::ops {

class Metrics {
 public:
  Metrics();
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
};

}  // namespace keel::ops
