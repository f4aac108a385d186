// api/list_query.h: cursors. A cursor carries the last sort value and id, the sort, and a hash
// of the filters; it continues only the list it came from, and anything malformed is refused
// (400 invalid_cursor) before it reaches SQL.
#include "api/list_query.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "domain/entity.h"
#include "service/entity_defs.h"

namespace keel::api {
namespace {
namespace json = boost::json;

// Deals as lists see them on an installation without custom fields.
const service::EffectiveEntityPtr& deals() {
  static const service::EffectiveEntityPtr e = [] {
    service::EffectiveEntity d;
    d.def = domain::find_entity("deals");
    return std::make_shared<const service::EffectiveEntity>(std::move(d));
  }();
  return e;
}

http::Request request(std::vector<std::pair<std::string, std::string>> query) {
  http::Request r;
  r.method = "GET";
  r.path = "/api/v1/deals";
  r.query = std::move(query);
  return r;
}

const std::string kId = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

// The cursor a first page of `query` would hand out, ending at (value, kId).
std::string cursor_for(const std::vector<std::pair<std::string, std::string>>& query, store::Value last_value) {
  http::Request first = request(query);
  service::ListQuery q = parse_list_query(deals(), first, "UTC");
  service::ListPage page;
  page.has_more = true;
  page.last_sort_value = std::move(last_value);
  page.last_id = kId;
  return encode_cursor(q, page, first);
}

// Parses `query` plus `cursor`; returns the ApiError code, or "" when accepted.
std::string refusal(std::vector<std::pair<std::string, std::string>> query, const std::string& cursor) {
  query.emplace_back("cursor", cursor);
  try {
    parse_list_query(deals(), request(query), "UTC");
    return "";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request);
    if (!e.fields().empty()) {
      EXPECT_EQ(e.fields().front().field, "cursor");
    }
    return e.code();
  }
}

// A cursor with these members, encoded as the server encodes them (URL-safe base64, no padding).
std::string forged(const json::object& members) {
  std::string raw = json::serialize(members);
  std::string enc(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(enc.data(), enc.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  enc.resize(std::char_traits<char>::length(enc.c_str()));
  return enc;
}

// The members of a real cursor, to forge variants of.
json::object members_of(const std::string& cursor) {
  std::string raw(cursor.size(), '\0');
  size_t len = 0;
  EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), cursor.data(), cursor.size(),
                              nullptr, &len, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
            0);
  raw.resize(len);
  return json::parse(raw).as_object();
}

TEST(Cursor, RoundTripsTheKeysetPosition) {
  const std::vector<std::pair<std::string, std::string>> query = {{"sort", "-created_at"}, {"status", "open"}};
  std::string c = cursor_for(query, std::string("2026-11-24T08:30:00.000Z"));
  auto with = query;
  with.emplace_back("cursor", c);
  service::ListQuery q = parse_list_query(deals(), request(with), "UTC");
  ASSERT_TRUE(q.after_id.has_value());
  EXPECT_EQ(*q.after_id, kId);
  EXPECT_EQ(std::get<std::string>(*q.after_value), "2026-11-24T08:30:00.000Z");
  EXPECT_EQ(q.sort_column, "created_at");
  EXPECT_TRUE(q.descending);
  // Without a cursor there is no position.
  EXPECT_FALSE(parse_list_query(deals(), request(query), "UTC").after_id.has_value());
}

TEST(Cursor, CarriesIntegerAndNullSortValues) {
  const std::vector<std::pair<std::string, std::string>> query = {{"sort", "amount_minor"}};
  auto with = query;
  with.emplace_back("cursor", cursor_for(query, int64_t{1250000}));
  service::ListQuery q = parse_list_query(deals(), request(with), "UTC");
  EXPECT_EQ(std::get<int64_t>(*q.after_value), 1250000);
  EXPECT_FALSE(q.descending);

  // A page that ended among the records without an amount (NULLs sort last).
  with.back().second = cursor_for(query, store::Value{});
  q = parse_list_query(deals(), request(with), "UTC");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(*q.after_value));
}

TEST(Cursor, AnotherLimitOrFilterOrderContinuesTheSameList) {
  std::string c = cursor_for({{"status", "open"}, {"currency", "CNY"}, {"limit", "10"}}, std::string("t"));
  EXPECT_EQ(refusal({{"currency", "CNY"}, {"status", "open"}}, c), "");
  EXPECT_EQ(refusal({{"limit", "200"}, {"status", "open"}, {"currency", "CNY"}}, c), "");
}

TEST(Cursor, AnotherSortDirectionFilterOrSearchIsAMismatch) {
  const std::vector<std::pair<std::string, std::string>> query = {{"sort", "-updated_at"}, {"status", "open"}};
  std::string c = cursor_for(query, std::string("t"));
  EXPECT_EQ(refusal(query, c), "");
  EXPECT_EQ(refusal({{"sort", "updated_at"}, {"status", "open"}}, c), "cursor_mismatch");
  EXPECT_EQ(refusal({{"sort", "-created_at"}, {"status", "open"}}, c), "cursor_mismatch");
  EXPECT_EQ(refusal({{"status", "open"}}, c), "cursor_mismatch") << "default sort is -created_at";
  EXPECT_EQ(refusal({{"sort", "-updated_at"}, {"status", "won"}}, c), "cursor_mismatch");
  EXPECT_EQ(refusal({{"sort", "-updated_at"}}, c), "cursor_mismatch");
  EXPECT_EQ(refusal({{"sort", "-updated_at"}, {"status", "open"}, {"q", "acme"}}, c), "cursor_mismatch");
  EXPECT_EQ(refusal({{"sort", "-updated_at"}, {"status", "open"}, {"trashed", "true"}}, c), "cursor_mismatch");
}

TEST(Cursor, GarbageIsMalformed) {
  for (const std::string& bad : {std::string("!!!"), std::string("abc=="), std::string("bm90IGpzb24"),  // "not json"
                                 forged({}), std::string("WzEsMl0")})                                   // "[1,2]"
    EXPECT_EQ(refusal({}, bad), "invalid_cursor") << bad;
}

TEST(Cursor, EveryMemberIsCheckedBeforeUse) {
  const std::vector<std::pair<std::string, std::string>> query = {{"sort", "amount_minor"}};
  const json::object good = members_of(cursor_for(query, int64_t{5}));
  EXPECT_EQ(refusal(query, forged(good)), "") << "the forged copy of a real cursor is accepted";
  for (const char* member : {"id", "v", "s", "d", "h"}) {
    json::object missing = good;
    missing.erase(member);
    EXPECT_EQ(refusal(query, forged(missing)), "invalid_cursor") << "without " << member;
  }
  auto with = [&](const char* member, json::value v) {
    json::object o = good;
    o[member] = std::move(v);
    return forged(o);
  };
  EXPECT_EQ(refusal(query, with("id", "1 OR 1=1")), "invalid_cursor") << "an id that is not a UUID";
  EXPECT_EQ(refusal(query, with("id", 7)), "invalid_cursor");
  EXPECT_EQ(refusal(query, with("v", "5")), "invalid_cursor") << "text where the sort field is an integer";
  EXPECT_EQ(refusal(query, with("v", 1.5)), "invalid_cursor");
  EXPECT_EQ(refusal(query, with("v", json::array{5})), "invalid_cursor");
  EXPECT_EQ(refusal(query, with("s", 1)), "invalid_cursor");
  EXPECT_EQ(refusal(query, with("d", "false")), "invalid_cursor");
  EXPECT_EQ(refusal(query, with("h", 0)), "invalid_cursor");
  // Well-formed but for another list.
  EXPECT_EQ(refusal(query, with("s", "name")), "cursor_mismatch");
  EXPECT_EQ(refusal(query, with("d", true)), "cursor_mismatch");
  EXPECT_EQ(refusal(query, with("h", "0000000000000000")), "cursor_mismatch");

  const std::vector<std::pair<std::string, std::string>> by_time = {{"sort", "created_at"}};
  const json::object timed = members_of(cursor_for(by_time, std::string("2026-01-01T00:00:00.000Z")));
  json::object numeric = timed;
  numeric["v"] = 5;
  EXPECT_EQ(refusal(by_time, forged(numeric)), "invalid_cursor") << "an integer where the sort field is text";
}

TEST(Cursor, AnUppercaseIdIsCanonicalised) {
  const std::vector<std::pair<std::string, std::string>> query = {};
  json::object o = members_of(cursor_for(query, std::string("t")));
  std::string upper = kId;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  o["id"] = upper;
  auto with = query;
  with.emplace_back("cursor", forged(o));
  EXPECT_EQ(*parse_list_query(deals(), request(with), "UTC").after_id, kId);
}

}  // namespace
}  // namespace keel::api

namespace keel::api {
namespace {

// owner_team_id: a system filter on every entity, by team id (eq, in, null only).
TEST(OwnerTeamFilter, ParsesEqualityInAndNull) {
  service::ListQuery eq = parse_list_query(deals(), request({{"owner_team_id", kId}}), "UTC");
  ASSERT_EQ(eq.filters.size(), 1u);
  EXPECT_EQ(eq.filters[0].column, service::kOwnerTeamFilter);
  EXPECT_EQ(eq.filters[0].op, service::FilterOp::eq);
  EXPECT_EQ(std::get<std::string>(eq.filters[0].value), kId);
  service::ListQuery in = parse_list_query(deals(), request({{"owner_team_id[in]", kId + "," + kId}}), "UTC");
  EXPECT_EQ(in.filters.at(0).values.size(), 2u);
  service::ListQuery none = parse_list_query(deals(), request({{"owner_team_id[null]", "true"}}), "UTC");
  EXPECT_EQ(none.filters.at(0).op, service::FilterOp::is_null);
}

TEST(OwnerTeamFilter, RefusesOrderingOperatorsAndNonIds) {
  auto code_of = [](std::vector<std::pair<std::string, std::string>> query) {
    try {
      parse_list_query(deals(), request(std::move(query)), "UTC");
    } catch (const ApiError& e) {
      return e.code() + " " + e.fields().at(0).field;
    }
    return std::string("accepted");
  };
  EXPECT_EQ(code_of({{"owner_team_id[ne]", kId}}), "invalid_operator owner_team_id[ne]");
  EXPECT_EQ(code_of({{"owner_team_id[gte]", kId}}), "invalid_operator owner_team_id[gte]");
  EXPECT_EQ(code_of({{"owner_team_id", "sales"}}), "invalid_parameter owner_team_id");
}

}  // namespace
}  // namespace keel::api
