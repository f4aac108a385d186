// Structured logs: one JSON object per line on stdout (spdlog), so a log shipper can index
// request_id, route, status and latency without parsing prose.
#pragma once

#include <boost/json/object.hpp>
#include <string>

namespace keel::logging {

enum class LogLevel { debug, info, warn, error };
void init_logging(LogLevel level);
LogLevel parse_log_level(const std::string& s);
// Writes {"ts":..., "level":..., "msg": msg, ...fields}.
void log(LogLevel level, const std::string& msg, boost::json::object fields = {});

}  // namespace keel::logging
