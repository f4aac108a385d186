// The test-only time control: GET/POST /api/v1/test/clock. Registered only when the server was
// started with `keel serve --test-clock` (ApiOptions::test_clock); never in production. Tests move
// the server's one clock through it (expire a session, let a sign-in lockout pass, stamp records
// at a chosen time) instead of editing rows.
//
// It answers loopback peers only (the socket's remote address, not a header a proxy could
// forge): even a test server listening on 0.0.0.0 cannot have its time moved from elsewhere.
#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>
#include <cmath>

#include "api/api.h"
#include "api/schema.h"
#include "core/logging.h"
#include "core/time.h"

namespace keel::api {
namespace json = boost::json;

namespace {

// The instants the clock may be moved to: those format_utc writes as four-digit years.
constexpr int64_t kEarliestMs = 0;                  // 1970-01-01T00:00:00.000Z
constexpr int64_t kLatestMs = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z

bool is_loopback_peer(const std::string& remote_ip) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(remote_ip, ec);
  if (ec) return false;
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6()).is_loopback();
  return address.is_loopback();
}

void require_loopback(const http::Request& req) {
  if (!is_loopback_peer(req.remote_ip))
    throw ApiError(ErrorKind::forbidden, "loopback_only",
                   "The test clock answers only requests from this machine (a loopback address)");
}

// What a POST asks for, validated: move by `ms` ({"advance_ms": N}) or set to `ms` ({"now": ...}).
struct Move {
  bool relative = false;
  int64_t ms = 0;
};

Move requested_move(const json::object& body, int64_t now) {
  FieldErrors errors;
  for (const auto& [k, v] : body)
    if (k != "advance_ms" && k != "now")
      errors.add(std::string(k), "unknown_field", "Send advance_ms or now, nothing else");
  const json::value* advance = body.if_contains("advance_ms");
  const json::value* at = body.if_contains("now");
  Move move;
  if (!advance && !at)
    errors.add("advance_ms", "required",
               "Send advance_ms (milliseconds to move the clock by) or now (the instant to set it to)");
  else if (advance && at)
    errors.add("now", "not_allowed", "Send advance_ms or now, not both");
  else if (advance) {
    const bool fraction = advance->is_double() && std::trunc(advance->as_double()) != advance->as_double();
    if (fraction)
      errors.add("advance_ms", "must_be_integer", "Must be a whole number of milliseconds");
    else if (!advance->is_number())
      errors.add("advance_ms", "invalid_type", "Must be a whole number of milliseconds");
    else {
      // Compared as doubles first, so a huge value cannot overflow the sum.
      double by = advance->to_number<double>();
      if (std::abs(by) > double(kLatestMs) || now + static_cast<int64_t>(by) < kEarliestMs ||
          now + static_cast<int64_t>(by) > kLatestMs)
        errors.add("advance_ms", "out_of_range", "The clock would leave the years 1970 to 9999");
      else
        move = {true, static_cast<int64_t>(by)};
    }
  } else if (!at->is_string()) {
    errors.add("now", "invalid_type", "Must be an ISO 8601 date-time such as 2026-11-24T08:30:00Z");
  } else {
    ParsedInstant p = parse_instant(std::string_view(at->as_string()), "");
    if (p.error != TimeParseError::none)
      errors.add("now", "invalid_datetime", "Must be an ISO 8601 date-time such as 2026-11-24T08:30:00Z");
    else if (p.ms < kEarliestMs || p.ms > kLatestMs)
      errors.add("now", "out_of_range", "Must be in the years 1970 to 9999");
    else
      move = {false, p.ms};
  }
  errors.throw_if_any();
  return move;
}

http::Response clock_json(const OffsetClock& clock) {
  const int64_t now = clock.now_ms();
  return http::json_response(200,
                             json::object{{"now", format_utc(now)}, {"now_ms", now}, {"offset_ms", clock.offset_ms()}});
}

}  // namespace

void add_test_clock_routes(Api& api, OffsetClock& clock) {
  const json::object reading = schema::object_of(
      {{"now", schema::str_fmt("date-time")}, {"now_ms", schema::integer()}, {"offset_ms", schema::integer()}},
      {"now", "now_ms", "offset_ms"});
  // requested_move's members: one of the two, never both.
  json::object move_body = schema::object_of(
      {{"advance_ms", schema::integer(-kLatestMs, kLatestMs)}, {"now", schema::str_fmt("date-time")}});
  move_body["additionalProperties"] = false;
  move_body["description"] =
      "advance_ms (milliseconds to move the clock by) or now (the instant to set it to), not both; the clock stays in "
      "the years 1970 to 9999";

  api.route(RouteSpec{
      .method = "GET",
      .path = "/api/v1/test/clock",
      .access = Access::public_,
      .summary = "Test servers only (keel serve --test-clock), loopback peers only: the server's current time",
      .replies = {{200, "The server's time and how far it is moved", reading}},
      .handler = [&clock](Call& c) {
        require_loopback(c.req);
        allow_only(c.req, {});
        return clock_json(clock);
      }});

  api.route(RouteSpec{
      .method = "POST",
      .path = "/api/v1/test/clock",
      .access = Access::public_,
      .summary = "Test servers only (keel serve --test-clock), loopback peers only: move the server's clock, by "
                 "advance_ms or to now",
      .body_schema = std::move(move_body),
      .replies = {{200, "The moved clock", reading}},
      .handler = [&clock](Call& c) {
        require_loopback(c.req);
        allow_only(c.req, {});
        const Move move = requested_move(parse_json_object(c.req), clock.now_ms());
        // Relative moves add to the offset, so two tests' moves both count.
        move.relative ? clock.advance(move.ms) : clock.set(move.ms);
        logging::log(
            logging::LogLevel::warn, "test clock moved",
            {{"request_id", c.req.request_id}, {"now", format_utc(clock.now_ms())}, {"offset_ms", clock.offset_ms()}});
        return clock_json(clock);
      }});
}

}  // namespace keel::api
