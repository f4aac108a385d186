// Instants and calendar dates at the boundary.
//
// Inside Keel an instant is milliseconds since the Unix epoch (UTC) and is stored as the text
// "YYYY-MM-DDTHH:MM:SS.mmmZ", which sorts correctly as a string on both SQLite and PostgreSQL.
// A time zone is applied only at the edges: an input without an offset is read in the caller's
// zone, and clients show instants in the viewer's zone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace keel {

int64_t now_ms();
// "2026-11-24T08:30:00.000Z"
std::string format_utc(int64_t ms);

enum class TimeParseError { none, invalid_format, invalid_value, unknown_time_zone };

struct ParsedInstant {
  int64_t ms = 0;
  TimeParseError error = TimeParseError::none;
};

// Parses ISO 8601 / RFC 3339 date-times: "2026-11-24T16:30", "...:05", "...:05.250", with "Z",
// "+08:00" or "+0800". Without an offset the local time is read in `zone_name` (an IANA name such
// as "Asia/Shanghai"); an empty zone means UTC. Local times that do not exist (a DST gap) are
// rejected; ambiguous ones take the earlier instant.
ParsedInstant parse_instant(std::string_view text, std::string_view zone_name);

// True for a real calendar date "YYYY-MM-DD" between years 1000 and 9999.
bool is_valid_date(std::string_view text);

// True if `name` is a time zone the tz database knows.
bool is_known_time_zone(std::string_view name);

}  // namespace keel
