#include "core/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "core/time.h"

namespace keel::logging {

namespace {
std::shared_ptr<spdlog::logger> g_logger;
LogLevel g_level = LogLevel::info;

spdlog::level::level_enum to_spd(LogLevel l) {
  switch (l) {
    case LogLevel::debug:
      return spdlog::level::debug;
    case LogLevel::info:
      return spdlog::level::info;
    case LogLevel::warn:
      return spdlog::level::warn;
    case LogLevel::error:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}
const char* name(LogLevel l) {
  switch (l) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
  }
  return "info";
}
}  // namespace

void init_logging(LogLevel level) {
  g_level = level;
  if (!g_logger) {
    g_logger = spdlog::stdout_logger_mt("keel");
    g_logger->set_pattern("%v");
  }
  g_logger->set_level(to_spd(level));
  g_logger->flush_on(spdlog::level::info);
}

LogLevel parse_log_level(const std::string& s) {
  if (s == "debug") return LogLevel::debug;
  if (s == "warn") return LogLevel::warn;
  if (s == "error") return LogLevel::error;
  return LogLevel::info;
}

void log(LogLevel level, const std::string& msg, boost::json::object fields) {
  if (level < g_level) return;
  if (!g_logger) init_logging(LogLevel::info);
  boost::json::object o;
  o["ts"] = format_utc(now_ms());
  o["level"] = name(level);
  o["msg"] = msg;
  for (auto& [k, v] : fields) o[k] = std::move(v);
  g_logger->log(to_spd(level), boost::json::serialize(o));
}

}  // namespace keel::logging
