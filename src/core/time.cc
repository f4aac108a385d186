#include "core/time.h"

#include <date/date.h>
#include <date/tz.h>

#include <cctype>
#include <chrono>
#include <cstdio>

namespace keel {
namespace {

// Reads exactly `n` digits at `pos`, advancing it.
bool digits(std::string_view s, size_t& pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

bool parse_ymd(std::string_view s, size_t& pos, date::year_month_day& out) {
  int y, m, d;
  if (!digits(s, pos, 4, y) || pos >= s.size() || s[pos++] != '-' || !digits(s, pos, 2, m) || pos >= s.size() ||
      s[pos++] != '-' || !digits(s, pos, 2, d))
    return false;
  out = date::year{y} / date::month{static_cast<unsigned>(m)} / date::day{static_cast<unsigned>(d)};
  return true;
}

}  // namespace

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_utc(int64_t ms) {
  using namespace std::chrono;
  sys_time<milliseconds> tp{milliseconds{ms}};
  auto day = floor<date::days>(tp);
  date::year_month_day ymd{day};
  date::hh_mm_ss<milliseconds> hms{tp - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
  return buf;
}

bool is_valid_date(std::string_view text) {
  size_t pos = 0;
  date::year_month_day ymd;
  if (!parse_ymd(text, pos, ymd) || pos != text.size()) return false;
  int y = static_cast<int>(ymd.year());
  return ymd.ok() && y >= 1000 && y <= 9999;
}

bool is_known_time_zone(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

ParsedInstant parse_instant(std::string_view s, std::string_view zone_name) {
  using namespace std::chrono;
  ParsedInstant bad{0, TimeParseError::invalid_format};
  size_t pos = 0;
  date::year_month_day ymd;
  if (!parse_ymd(s, pos, ymd)) return bad;
  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != 't')) return bad;
  ++pos;
  int hh, mm, ss = 0, frac_ms = 0;
  if (!digits(s, pos, 2, hh) || pos >= s.size() || s[pos++] != ':' || !digits(s, pos, 2, mm)) return bad;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!digits(s, pos, 2, ss)) return bad;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      size_t start = pos;
      int scale = 100;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
        frac_ms += (s[pos] - '0') * scale;  // digits beyond milliseconds are truncated
        scale /= 10;
        ++pos;
      }
      if (pos == start || pos - start > 9) return bad;
    }
  }
  int y = static_cast<int>(ymd.year());
  if (!ymd.ok() || y < 1000 || y > 9999 || hh > 23 || mm > 59 || ss > 59) return {0, TimeParseError::invalid_value};
  milliseconds tod = hours{hh} + minutes{mm} + seconds{ss} + milliseconds{frac_ms};
  auto local_day = date::local_days{ymd};

  if (pos == s.size()) {  // no offset: a wall-clock time in the caller's zone
    if (zone_name.empty() || zone_name == "UTC") {
      return {(date::sys_days{ymd} + tod).time_since_epoch().count(), TimeParseError::none};
    }
    const date::time_zone* tz = nullptr;
    try {
      tz = date::locate_zone(zone_name);
    } catch (const std::exception&) {
      return {0, TimeParseError::unknown_time_zone};
    }
    auto local = local_day + tod;
    auto info = tz->get_info(local);
    if (info.result == date::local_info::nonexistent) return {0, TimeParseError::invalid_value};
    auto sys = local.time_since_epoch() - info.first.offset;
    return {duration_cast<milliseconds>(sys).count(), TimeParseError::none};
  }
  int offset_min = 0;
  char sign = s[pos];
  if (sign == 'Z' || sign == 'z') {
    ++pos;
  } else if (sign == '+' || sign == '-') {
    ++pos;
    int oh, om;
    if (!digits(s, pos, 2, oh)) return bad;
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (!digits(s, pos, 2, om)) return bad;
    if (oh > 23 || om > 59) return {0, TimeParseError::invalid_value};
    offset_min = (oh * 60 + om) * (sign == '-' ? -1 : 1);
  } else {
    return bad;
  }
  if (pos != s.size()) return bad;
  auto utc = date::sys_days{ymd} + tod - minutes{offset_min};
  return {utc.time_since_epoch().count(), TimeParseError::none};
}

}  // namespace keel
