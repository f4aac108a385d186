// core/time.h: instants at the boundary.
#include "core/time.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace keel {
namespace {

constexpr int64_t kHour = 3600 * 1000;
// 2026-11-24T08:30:00Z (date -u -d 2026-11-24T08:30:00Z +%s).
constexpr int64_t k0830Z = 1795509000LL * 1000;

int64_t ok(std::string_view text, std::string_view zone = "") {
  ParsedInstant p = parse_instant(text, zone);
  EXPECT_EQ(p.error, TimeParseError::none) << text << " in " << zone;
  return p.ms;
}

TimeParseError err(std::string_view text, std::string_view zone = "") { return parse_instant(text, zone).error; }

TEST(ParseInstant, UtcDesignator) {
  EXPECT_EQ(ok("2026-11-24T08:30:00Z"), k0830Z);
  EXPECT_EQ(ok("2026-11-24T08:30Z"), k0830Z);  // seconds are optional
  EXPECT_EQ(ok("2026-11-24t08:30:00z"), k0830Z);
  EXPECT_EQ(ok("1970-01-01T00:00:00Z"), 0);
}

TEST(ParseInstant, NumericOffsets) {
  EXPECT_EQ(ok("2026-11-24T16:30:00+08:00"), k0830Z);
  EXPECT_EQ(ok("2026-11-24T16:30:00+0800"), k0830Z);
  EXPECT_EQ(ok("2026-11-24T16:30+08:00"), k0830Z);
  EXPECT_EQ(ok("2026-11-24T03:30:00-05:00"), k0830Z);
  EXPECT_EQ(ok("2026-11-24T08:30:00+00:00"), k0830Z);
  EXPECT_EQ(ok("2026-11-24T14:00:00+05:30"), k0830Z);
  // An explicit offset wins over the caller's zone.
  EXPECT_EQ(ok("2026-11-24T16:30:00+08:00", "America/New_York"), k0830Z);
}

TEST(ParseInstant, NoOffsetReadsTheCallersZone) {
  EXPECT_EQ(ok("2026-11-24T08:30:00"), k0830Z);  // empty zone: UTC
  EXPECT_EQ(ok("2026-11-24T08:30:00", "UTC"), k0830Z);
  // 16:30 in Shanghai is 8 hours earlier in UTC.
  EXPECT_EQ(ok("2026-11-24T16:30", "Asia/Shanghai"), k0830Z);
  EXPECT_EQ(ok("2026-11-24T16:30", "Asia/Shanghai"), ok("2026-11-24T16:30") - 8 * kHour);
  // New York in November is UTC-5.
  EXPECT_EQ(ok("2026-11-24T03:30", "America/New_York"), k0830Z);
}

TEST(ParseInstant, DstGapIsRejected) {
  // 2026-03-08 02:00 EST jumps to 03:00 EDT in New York: 02:30 never happens.
  EXPECT_EQ(err("2026-03-08T02:30", "America/New_York"), TimeParseError::invalid_value);
  EXPECT_EQ(err("2026-03-08T02:00", "America/New_York"), TimeParseError::invalid_value);
  // Either side of the gap is fine.
  EXPECT_EQ(ok("2026-03-08T01:59", "America/New_York"), ok("2026-03-08T06:59Z"));
  EXPECT_EQ(ok("2026-03-08T03:00", "America/New_York"), ok("2026-03-08T07:00Z"));
  // With an explicit offset there is no gap to fall into.
  EXPECT_EQ(ok("2026-03-08T02:30-05:00"), ok("2026-03-08T07:30Z"));
}

TEST(ParseInstant, DstOverlapTakesTheEarlierInstant) {
  // 2026-11-01 01:30 happens twice in New York (EDT, then EST); the earlier is 05:30Z.
  EXPECT_EQ(ok("2026-11-01T01:30", "America/New_York"), ok("2026-11-01T05:30Z"));
}

TEST(ParseInstant, UnknownZone) {
  EXPECT_EQ(err("2026-11-24T16:30", "Mars/Olympus_Mons"), TimeParseError::unknown_time_zone);
  // The zone is only consulted when the text has no offset.
  EXPECT_EQ(err("2026-11-24T16:30Z", "Mars/Olympus_Mons"), TimeParseError::none);
}

TEST(ParseInstant, InvalidCalendarValues) {
  EXPECT_EQ(err("2026-02-30T10:00Z"), TimeParseError::invalid_value);
  EXPECT_EQ(err("2026-02-29T10:00Z"), TimeParseError::invalid_value);  // not a leap year
  EXPECT_EQ(err("2028-02-29T10:00Z"), TimeParseError::none);           // a leap year
  EXPECT_EQ(err("2026-13-01T10:00Z"), TimeParseError::invalid_value);
  EXPECT_EQ(err("2026-00-10T10:00Z"), TimeParseError::invalid_value);
  EXPECT_EQ(err("2026-04-31T10:00Z"), TimeParseError::invalid_value);
  EXPECT_EQ(err("2026-11-24T24:00Z"), TimeParseError::invalid_value);
  EXPECT_EQ(err("2026-11-24T23:60Z"), TimeParseError::invalid_value);
  EXPECT_EQ(err("2026-11-24T23:59:60Z"), TimeParseError::invalid_value);
  EXPECT_EQ(err("0999-12-31T00:00Z"), TimeParseError::invalid_value);
  EXPECT_EQ(err("2026-11-24T10:00+24:00"), TimeParseError::invalid_value);
  EXPECT_EQ(err("2026-02-30T10:00", "Asia/Shanghai"), TimeParseError::invalid_value);
}

TEST(ParseInstant, InvalidFormats) {
  for (const char* s : {"", "garbage", "2026-11-24", "2026-11-24T", "2026-11-24T8:30Z", "2026-11-24 08:30Z",
                        "2026/11/24T08:30Z", "26-11-24T08:30Z", "2026-11-24T08:30:00ZZ", "2026-11-24T08:30:00+8",
                        "2026-11-24T08:30:00+08:0", "2026-11-24T08:30:00 +08:00", "2026-11-24T08:30:00.Z",
                        "2026-11-24T08:30.5Z", "2026-11-24T08:30:00.1234567890Z", "2026-11-24T08:30:00EST"}) {
    EXPECT_EQ(err(s), TimeParseError::invalid_format) << '"' << s << '"';
  }
}

TEST(ParseInstant, FractionalSeconds) {
  EXPECT_EQ(ok("2026-11-24T08:30:05.250Z"), k0830Z + 5250);
  EXPECT_EQ(ok("2026-11-24T08:30:05.5Z"), k0830Z + 5500);
  EXPECT_EQ(ok("2026-11-24T08:30:05.05Z"), k0830Z + 5050);
  EXPECT_EQ(ok("2026-11-24T08:30:05,250Z"), k0830Z + 5250);        // ISO 8601 allows a comma
  EXPECT_EQ(ok("2026-11-24T08:30:05.123456789Z"), k0830Z + 5123);  // beyond ms is truncated
  EXPECT_EQ(ok("2026-11-24T16:30:05.999+08:00"), k0830Z + 5999);
  EXPECT_EQ(ok("2026-11-24T16:30:05.250", "Asia/Shanghai"), k0830Z + 5250);
}

TEST(FormatUtc, Shape) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_utc(k0830Z), "2026-11-24T08:30:00.000Z");
  EXPECT_EQ(format_utc(k0830Z + 5007), "2026-11-24T08:30:05.007Z");
  EXPECT_EQ(format_utc(-1), "1969-12-31T23:59:59.999Z");
}

TEST(FormatUtc, RoundTripsThroughParse) {
  for (int64_t ms : {int64_t{0}, k0830Z, k0830Z + 1, k0830Z + 999, int64_t{951782400123} /* 2000-02-29 */,
                     int64_t{253402300799999} /* 9999-12-31T23:59:59.999 */, now_ms()}) {
    std::string text = format_utc(ms);
    ParsedInstant p = parse_instant(text, "");
    EXPECT_EQ(p.error, TimeParseError::none) << text;
    EXPECT_EQ(p.ms, ms) << text;
    EXPECT_EQ(text.size(), 24u);
  }
  // And text -> instant -> text normalises to UTC.
  EXPECT_EQ(format_utc(ok("2026-11-24T16:30+08:00")), "2026-11-24T08:30:00.000Z");
}

TEST(FormatUtc, SortsAsText) {
  EXPECT_LT(format_utc(k0830Z), format_utc(k0830Z + 1));
  EXPECT_LT(format_utc(k0830Z + 999), format_utc(k0830Z + 1000));
  EXPECT_LT(format_utc(951782400123), format_utc(k0830Z));
}

TEST(NowMs, IsCurrent) {
  int64_t t = now_ms();
  EXPECT_GT(t, ok("2024-01-01T00:00Z"));
  EXPECT_LT(t, ok("2200-01-01T00:00Z"));
}

TEST(IsValidDate, RealCalendarDates) {
  EXPECT_TRUE(is_valid_date("2026-11-24"));
  EXPECT_TRUE(is_valid_date("2026-02-28"));
  EXPECT_TRUE(is_valid_date("2028-02-29"));
  EXPECT_TRUE(is_valid_date("2000-02-29"));
  EXPECT_TRUE(is_valid_date("1000-01-01"));
  EXPECT_TRUE(is_valid_date("9999-12-31"));
  EXPECT_FALSE(is_valid_date("2026-02-29"));
  EXPECT_FALSE(is_valid_date("1900-02-29"));
  EXPECT_FALSE(is_valid_date("2026-02-30"));
  EXPECT_FALSE(is_valid_date("2026-04-31"));
  EXPECT_FALSE(is_valid_date("2026-13-01"));
  EXPECT_FALSE(is_valid_date("2026-00-01"));
  EXPECT_FALSE(is_valid_date("2026-01-00"));
  EXPECT_FALSE(is_valid_date("0999-12-31"));
  EXPECT_FALSE(is_valid_date("2026-1-01"));
  EXPECT_FALSE(is_valid_date("2026-01-01T00:00"));
  EXPECT_FALSE(is_valid_date("2026-01-01 "));
  EXPECT_FALSE(is_valid_date("20260101"));
  EXPECT_FALSE(is_valid_date(""));
}

TEST(IsKnownTimeZone, TzDatabaseNames) {
  EXPECT_TRUE(is_known_time_zone("Asia/Shanghai"));
  EXPECT_TRUE(is_known_time_zone("America/New_York"));
  EXPECT_TRUE(is_known_time_zone("Europe/Berlin"));
  EXPECT_TRUE(is_known_time_zone("UTC"));
  EXPECT_FALSE(is_known_time_zone(""));
  EXPECT_FALSE(is_known_time_zone("Mars/Olympus_Mons"));
  EXPECT_FALSE(is_known_time_zone("+08:00"));
  EXPECT_FALSE(is_known_time_zone(std::string(100, 'A')));
}

}  // namespace
}  // namespace keel
