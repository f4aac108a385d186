// domain/validate.h: field validation and normalisation, one rule for every entity.
#include "domain/validate.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/ids.h"
#include "domain/entity.h"

namespace keel::domain {
namespace {
namespace json = boost::json;

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// The codes recorded for `field`, in order.
std::vector<std::string> codes_for(const FieldErrors& e, const std::string& field) {
  std::vector<std::string> out;
  for (const auto& fe : e.list())
    if (fe.field == field) out.push_back(fe.code);
  return out;
}

std::string only_code(const FieldErrors& e) {
  if (e.list().size() != 1) return "<" + std::to_string(e.list().size()) + " errors>";
  return e.list()[0].code;
}

// Runs check_field and returns the normalised value; errors go to `errors`.
json::value check(const FieldDef& f, const json::value& v, FieldErrors& errors, const std::string& tz = "") {
  return check_field(f, v, f.name, tz, errors);
}

// check_field that must succeed.
json::value good(const FieldDef& f, const json::value& v, const std::string& tz = "") {
  FieldErrors e;
  json::value out = check(f, v, e, tz);
  EXPECT_TRUE(e.empty()) << f.name << ": " << json::serialize(v) << " -> " << (e.empty() ? "" : e.list()[0].code);
  return out;
}

// check_field that must fail with exactly one error `code` at the field's path.
void bad(const FieldDef& f, const json::value& v, const std::string& code, const std::string& tz = "") {
  FieldErrors e;
  check(f, v, e, tz);
  ASSERT_EQ(e.list().size(), 1u) << f.name << ": " << json::serialize(v);
  EXPECT_EQ(e.list()[0].code, code) << f.name << ": " << json::serialize(v);
  EXPECT_EQ(e.list()[0].field, f.name);
  EXPECT_FALSE(e.list()[0].message.empty());
}

// ---------------------------------------------------------------------------------------------
// Format predicates

TEST(IsValidEmail, Accepts) {
  for (const char* s : {"alice@example.com", "alice.w+crm@mail.example.co.uk", "a@b.cn", "o'brien@example.ie",
                        "user_name-1@sub-domain.example.org", "张伟@例子.公司", "ALICE@EXAMPLE.COM"})
    EXPECT_TRUE(is_valid_email(s)) << s;
}

TEST(IsValidEmail, Rejects) {
  for (const char* s : {"", "alice", "@example.com", "alice@", "alice@example", "alice@@example.com",
                        "alice example@example.com", "alice@exa mple.com", ".alice@example.com", "alice.@example.com",
                        "alice..w@example.com", "alice@-example.com", "alice@example-.com", "alice@example..com",
                        "alice@.example.com", "alice@example.com.", "<alice@example.com>", "alice@exam_ple.com"})
    EXPECT_FALSE(is_valid_email(s)) << s;
  EXPECT_FALSE(is_valid_email(repeat("a", 65) + "@example.com"));  // local part over 64
  EXPECT_TRUE(is_valid_email(repeat("a", 64) + "@example.com"));
  EXPECT_FALSE(is_valid_email("a@" + repeat("b", 64) + ".com"));                  // label over 63
  EXPECT_FALSE(is_valid_email("a@" + repeat(repeat("b", 60) + ".", 5) + "com"));  // over 254 in all
}

TEST(IsValidPhone, Accepts) {
  for (const char* s :
       {"+86 138-1234-5678", "13812345678", "(021) 5555 0100", "+1 (415) 555-0100", "555.0100", "+44 20 7946 0958",
        "+1 415 555 0100 x123", "555-0100 ext. 12", "555-0100 ext 12", "555-0100 EXT.12", "12345", "123456789012345"})
    EXPECT_TRUE(is_valid_phone(s)) << s;
}

TEST(IsValidPhone, Rejects) {
  for (const char* s :
       {"", "12", "1234", "+", "abc", "phone: 13812345678", "1234567890123456", "+86 138 1234 5678 9999", "555-0100 x",
        "555-0100 x1234567", "555-0100 x12a", "++86 13812345678", "138*1234*5678"})
    EXPECT_FALSE(is_valid_phone(s)) << s;
}

TEST(IsValidUrl, HttpAndHttpsOnly) {
  for (const char* s : {"https://example.com", "http://example.com/path?q=1", "https://sub.example.co.uk:8443/a",
                        "https://192.0.2.1/", "http://localhost:8080"})
    EXPECT_TRUE(is_valid_url(s)) << s;
  for (const char* s :
       {"", "example.com", "www.example.com", "ftp://example.com", "javascript:alert(1)", "mailto:alice@example.com",
        "https://", "http:///path", "https://exa mple.com", "//example.com"})
    EXPECT_FALSE(is_valid_url(s)) << s;
}

TEST(IsValidUrl, AcceptsAFragment) {
  // Web addresses people paste often carry a fragment ("#contact"); it is part of an http(s) URL.
  EXPECT_TRUE(is_valid_url("https://example.com/about#contact"));
  EXPECT_TRUE(is_valid_url("http://example.com/path?q=1#top"));
}

TEST(IsCurrencyCode, Iso4217) {
  for (const char* s : {"CNY", "USD", "EUR", "JPY", "GBP", "HKD"}) EXPECT_TRUE(is_currency_code(s)) << s;
  for (const char* s : {"", "cny", "Usd", "XXX", "US", "USDD", "RMB", " CNY"}) EXPECT_FALSE(is_currency_code(s)) << s;
}

// ---------------------------------------------------------------------------------------------
// check_field, per FieldType

TEST(CheckField, TextIsTrimmedAndCountsCodePoints) {
  FieldDef f = text("name", 200);
  EXPECT_EQ(good(f, "  Acme Ltd \t"), json::value("Acme Ltd"));
  // 200 Chinese characters are 600 bytes but 200 characters: within a 200 limit.
  std::string zh200 = repeat("张", 200);
  ASSERT_EQ(zh200.size(), 600u);
  EXPECT_EQ(good(f, json::value(zh200)), json::value(zh200));
  bad(f, json::value(zh200 + "张"), "too_long");
  bad(f, json::value(repeat("a", 201)), "too_long");
  EXPECT_EQ(good(f, json::value(repeat("a", 200))), json::value(repeat("a", 200)));
  // Trimming happens before the length check.
  EXPECT_EQ(good(f, json::value("  " + zh200 + "  ")), json::value(zh200));
}

TEST(CheckField, TextRejectsNonStringsBadEncodingAndControls) {
  FieldDef f = text("name", 200);
  bad(f, 5, "invalid_type");
  bad(f, true, "invalid_type");
  bad(f, json::array{"a"}, "invalid_type");
  bad(f, json::value("bad \xC0\xAF utf8"), "invalid_encoding");
  bad(f, json::value("surrogate \xED\xA0\x80"), "invalid_encoding");
  bad(f, "bell\x07", "invalid_characters");
  bad(f, "two\nlines", "invalid_characters");  // one-line text
}

TEST(CheckField, BlankTextIsAbsentUnlessRequired) {
  EXPECT_TRUE(good(text("nick", 50), "   ").is_null());
  EXPECT_TRUE(good(text("nick", 50), nullptr).is_null());
  bad(required(text("name", 50)), "   ", "required");
  bad(required(text("name", 50)), nullptr, "required");
}

TEST(CheckField, LongTextKeepsNewlines) {
  FieldDef f = long_text("description", 20);
  EXPECT_EQ(good(f, "line one\nline two\r\n"), json::value("line one\nline two\r\n"));
  bad(f, json::value(repeat("长", 21)), "too_long");
  bad(f, "nul\x01", "invalid_characters");
}

TEST(CheckField, Email) {
  FieldDef f = typed("email", FieldType::email);
  EXPECT_EQ(good(f, " alice@example.com "), json::value("alice@example.com"));
  bad(f, "alice@", "invalid_format");
  bad(f, "not an email", "invalid_format");
  bad(f, 42, "invalid_type");
}

TEST(CheckField, Phone) {
  FieldDef f = typed("phone", FieldType::phone);
  EXPECT_EQ(good(f, "+86 138-1234-5678"), json::value("+86 138-1234-5678"));
  bad(f, "12", "invalid_format");
  bad(f, "call me", "invalid_format");
}

TEST(CheckField, Url) {
  FieldDef f = typed("website", FieldType::url);
  EXPECT_EQ(good(f, "https://example.com/about"), json::value("https://example.com/about"));
  bad(f, "example.com", "invalid_format");
  bad(f, "javascript:alert(1)", "invalid_format");
  bad(f, json::value("https://example.com/" + repeat("a", 2048)), "too_long");
}

TEST(CheckField, IntegerAndBounds) {
  FieldDef f = bounded(typed("duration_minutes", FieldType::integer), 0, 100000);
  EXPECT_EQ(good(f, 90), json::value(90));
  EXPECT_EQ(good(f, 0), json::value(0));
  EXPECT_EQ(good(f, json::value(std::uint64_t{100000})), json::value(100000));
  bad(f, -1, "out_of_range");
  bad(f, 100001, "out_of_range");
  bad(f, 1.5, "must_be_integer");
  bad(f, "90", "invalid_type");
  bad(f, true, "invalid_type");
  FieldDef unbounded = typed("n", FieldType::integer);
  EXPECT_EQ(good(unbounded, INT64_MIN), json::value(INT64_MIN));
  bad(unbounded, json::value(std::uint64_t{UINT64_MAX}), "out_of_range");  // a whole number, too big for 64 bits
}

TEST(CheckField, MoneyIsIntegerMinorUnits) {
  FieldDef f = bounded(typed("amount_minor", FieldType::money), 0, 9'000'000'000'000'000);
  EXPECT_EQ(good(f, 1999), json::value(1999));
  EXPECT_EQ(good(f, 9'000'000'000'000'000), json::value(9'000'000'000'000'000));
  bad(f, 1.5, "must_be_integer");
  bad(f, 19.99, "must_be_integer");
  bad(f, 2.0, "must_be_integer");  // a JSON float is never money, even when whole
  bad(f, "19.99", "invalid_type");
  bad(f, -1, "out_of_range");
  // Through the JSON parser too: "1.5" in a body parses as a double.
  bad(f, json::parse("1.5"), "must_be_integer");
}

TEST(CheckField, Currency) {
  FieldDef f = typed("currency", FieldType::currency);
  EXPECT_EQ(good(f, "CNY"), json::value("CNY"));
  EXPECT_EQ(good(f, " USD "), json::value("USD"));
  bad(f, "XYZ", "invalid_currency");
  bad(f, "cny", "invalid_currency");
  bad(f, "USDX", "invalid_currency");  // named for what it is, not its length
  bad(f, 156, "invalid_type");
}

TEST(CheckField, Date) {
  FieldDef f = typed("expected_close_date", FieldType::date);
  EXPECT_EQ(good(f, "2026-11-24"), json::value("2026-11-24"));
  EXPECT_EQ(good(f, "2028-02-29"), json::value("2028-02-29"));
  bad(f, "2026-02-30", "invalid_date");
  bad(f, "24/11/2026", "invalid_date");
  bad(f, "2026-11-24T10:00", "invalid_date");
}

TEST(CheckField, DatetimeIsNormalisedToUtc) {
  FieldDef f = typed("occurred_at", FieldType::datetime);
  EXPECT_EQ(good(f, "2026-11-24T16:30:00+08:00"), json::value("2026-11-24T08:30:00.000Z"));
  EXPECT_EQ(good(f, "2026-11-24T16:30:05.250+0800"), json::value("2026-11-24T08:30:05.250Z"));
  EXPECT_EQ(good(f, "2026-11-24T08:30Z"), json::value("2026-11-24T08:30:00.000Z"));
  // Without an offset, the caller's time zone applies.
  EXPECT_EQ(good(f, "2026-11-24T16:30", "Asia/Shanghai"), json::value("2026-11-24T08:30:00.000Z"));
  EXPECT_EQ(good(f, "2026-11-24T16:30", ""), json::value("2026-11-24T16:30:00.000Z"));
  bad(f, "2026-02-30T10:00Z", "invalid_datetime");
  bad(f, "2026-03-08T02:30", "invalid_datetime", "America/New_York");
  bad(f, "yesterday", "invalid_datetime");
  bad(f, 1795509000000, "invalid_type");  // epoch numbers are not accepted
}

TEST(CheckField, Boolean) {
  FieldDef f = typed("active", FieldType::boolean);
  EXPECT_EQ(good(f, true), json::value(true));
  EXPECT_EQ(good(f, false), json::value(false));
  bad(f, "true", "invalid_type");
  bad(f, 1, "invalid_type");
}

TEST(CheckField, Choice) {
  FieldDef f = choice("type", {"call", "email", "meeting", "note"});
  EXPECT_EQ(good(f, "call"), json::value("call"));
  EXPECT_EQ(good(f, " note "), json::value("note"));
  bad(f, "fax", "invalid_choice");
  bad(f, "CALL", "invalid_choice");
  bad(f, 1, "invalid_type");
}

TEST(CheckField, RefIsCanonicalUuid) {
  FieldDef f = ref("account_id", "accounts");
  EXPECT_EQ(good(f, "018F3E5C-7B2A-7C3D-BE4F-0123456789AB"), json::value("018f3e5c-7b2a-7c3d-be4f-0123456789ab"));
  bad(f, "not-a-uuid", "invalid_format");
  bad(f, 12, "invalid_format");
}

TEST(CheckField, RefList) {
  FieldDef f = typed("contact_ids", FieldType::ref_list);
  const char* a = "018f3e5c-7b2a-7c3d-8e4f-0123456789ab";
  const char* b = "018f3e5c-7b2a-7c3d-8e4f-0123456789ac";
  json::value out = good(f, json::array{a, "018F3E5C-7B2A-7C3D-8E4F-0123456789AB", b});
  EXPECT_EQ(out, json::value(json::array{a, b}));  // canonical, duplicates dropped
  bad(f, "not an array", "invalid_type");
  FieldErrors e;
  check(f, json::array{a, "nope"}, e);
  EXPECT_EQ(codes_for(e, "contact_ids[1]"), std::vector<std::string>{"invalid_format"});
  json::array many;
  for (int i = 0; i < 51; ++i) many.push_back(json::value(a));
  bad(f, many, "too_many_items");
}

TEST(CheckField, Tags) {
  FieldDef f = typed("tags", FieldType::tags);
  EXPECT_EQ(good(f, json::array{" VIP ", "vip", "重要客户"}), json::value(json::array{"VIP", "重要客户"}));
  FieldErrors e;
  check(f, json::array{"ok", json::value(repeat("标", 51))}, e);
  EXPECT_EQ(codes_for(e, "tags[1]"), std::vector<std::string>{"too_long"});
  json::array many;
  for (int i = 0; i < 21; ++i) many.push_back(json::value("t" + std::to_string(i)));
  bad(f, many, "too_many_items");
  EXPECT_TRUE(good(f, json::array{}).as_array().empty());
}

TEST(CheckField, EmailsAndPhones) {
  FieldDef emails = typed("emails", FieldType::emails);
  EXPECT_EQ(good(emails, json::array{"alice@example.com", "ALICE@example.com", "bob@example.com"}),
            json::value(json::array{"alice@example.com", "bob@example.com"}));
  FieldErrors e;
  check(emails, json::array{"alice@example.com", "bad"}, e);
  EXPECT_EQ(codes_for(e, "emails[1]"), std::vector<std::string>{"invalid_format"});
  FieldDef phones = typed("phones", FieldType::phones);
  EXPECT_EQ(good(phones, json::array{"+86 138-1234-5678"}), json::value(json::array{"+86 138-1234-5678"}));
  FieldErrors pe;
  check(phones, json::array{"12"}, pe);
  EXPECT_EQ(codes_for(pe, "phones[0]"), std::vector<std::string>{"invalid_format"});
}

TEST(CheckField, Stages) {
  // The pipeline's own field: its items are a field table (domain/entities.cc), checked member by
  // member like record fields.
  const FieldDef f = *find_entity("pipelines")->field("stages");
  json::value out = good(f, json::parse(R"([{"name":"Qualify","probability":10},
                                             {"name":"Won","is_won":true,"probability":3},
                                             {"name":"Lost","is_lost":true}])"));
  ASSERT_TRUE(out.is_array());
  const auto& st = out.as_array();
  ASSERT_EQ(st.size(), 3u);
  EXPECT_TRUE(is_uuid(st[0].as_object().at("id").as_string()));  // ids are minted when absent
  EXPECT_EQ(st[0].as_object().at("probability"), json::value(10));
  EXPECT_EQ(st[1].as_object().at("probability"), json::value(100));  // won is 100%
  EXPECT_EQ(st[2].as_object().at("probability"), json::value(0));    // lost is 0%
  EXPECT_EQ(st[1].as_object().at("is_won"), json::value(true));

  bad(f, json::array{}, "required");
  bad(f, "Qualify", "invalid_type");
  FieldErrors dup;
  check(f, json::parse(R"([{"name":"Won"},{"name":"WON"}])"), dup);
  EXPECT_EQ(codes_for(dup, "stages[1].name"), std::vector<std::string>{"duplicate"});
  FieldErrors both;
  check(f, json::parse(R"([{"name":"Odd","is_won":true,"is_lost":true,"colour":"red","probability":101}])"), both);
  EXPECT_EQ(codes_for(both, "stages[0]"), std::vector<std::string>{"invalid_stage"});
  EXPECT_EQ(codes_for(both, "stages[0].colour"), std::vector<std::string>{"unknown_field"});
  EXPECT_EQ(codes_for(both, "stages[0].probability"), std::vector<std::string>{"out_of_range"});
  FieldErrors ids;
  check(f, json::parse(R"([{"id":"018f3e5c-7b2a-7c3d-8e4f-0123456789ab","name":"A"},
                           {"id":"018F3E5C-7B2A-7C3D-8E4F-0123456789AB","name":"B"},{"id":"x","name":" "}])"),
        ids);
  EXPECT_EQ(codes_for(ids, "stages[1].id"), std::vector<std::string>{"duplicate"});
  EXPECT_EQ(codes_for(ids, "stages[2].id"), std::vector<std::string>{"invalid_format"});
  EXPECT_EQ(codes_for(ids, "stages[2].name"), std::vector<std::string>{"required"});  // blank is absent
  FieldErrors many;
  check(f, json::value(json::array(31, json::object{{"name", "S"}})), many);
  EXPECT_EQ(codes_for(many, "stages"), std::vector<std::string>{"too_many_items"});
}

TEST(CheckField, LineItems) {
  const FieldDef f = *find_entity("orders")->field("items");
  json::value out = good(f, json::parse(R"([{"name":"Widget","quantity":2,"unit_price_minor":1999},
                                             {"product_id":"018F3E5C-7B2A-7C3D-8E4F-0123456789AB","quantity":1}])"));
  ASSERT_TRUE(out.is_array());
  EXPECT_EQ(out.as_array()[0].as_object().at("unit_price_minor"), json::value(1999));
  EXPECT_EQ(out.as_array()[1].as_object().at("product_id"), json::value("018f3e5c-7b2a-7c3d-8e4f-0123456789ab"));
  EXPECT_TRUE(out.as_array()[1].as_object().at("unit_price_minor").is_null());  // taken from the product later
  bad(f, json::array{}, "required");
  FieldErrors e;
  check(f, json::parse(R"([{"name":"A","quantity":0},{"name":"B"},{"quantity":1,"unit_price_minor":1.5}])"), e);
  EXPECT_EQ(codes_for(e, "items[0].quantity"), std::vector<std::string>{"out_of_range"});
  EXPECT_EQ(codes_for(e, "items[1].quantity"), std::vector<std::string>{"required"});
  EXPECT_EQ(codes_for(e, "items[2].unit_price_minor"), std::vector<std::string>{"must_be_integer"});
}

TEST(CheckField, NullOnlyFailsWhenRequired) {
  for (FieldType t : {FieldType::text, FieldType::email, FieldType::integer, FieldType::money, FieldType::date,
                      FieldType::datetime, FieldType::boolean, FieldType::ref, FieldType::tags}) {
    FieldDef f = typed("x", t);
    FieldErrors e;
    EXPECT_TRUE(check(f, nullptr, e).is_null()) << type_name(t);
    EXPECT_TRUE(e.empty()) << type_name(t);
    bad(required(f), nullptr, "required");
  }
}

// ---------------------------------------------------------------------------------------------
// parse_input

const EntityDef& entity(const char* name) {
  const EntityDef* def = find_entity(name);
  if (!def) throw std::runtime_error(std::string("no entity ") + name);
  return *def;
}

TEST(ParseInput, NormalisesKnownFields) {
  FieldErrors e;
  json::object out = parse_input(entity("accounts"),
                                 json::parse(R"({"name":"  Acme  ","website":"https://acme.example",
                                                 "tags":["b2b"],"version":3,"custom":{"region":"east"}})")
                                     .as_object(),
                                 true, "", e);
  EXPECT_TRUE(e.empty()) << only_code(e);
  EXPECT_EQ(out.at("name"), json::value("Acme"));
  EXPECT_EQ(out.at("website"), json::value("https://acme.example"));
  EXPECT_EQ(out.at("tags"), json::value(json::array{"b2b"}));
  EXPECT_FALSE(out.contains("version"));                             // a precondition, not a value
  EXPECT_EQ(out.at("custom"), json::parse(R"({"region":"east"})"));  // passed through untouched
}

TEST(ParseInput, ClientMayChooseIdAndOwnerOnCreate) {
  FieldErrors e;
  json::object out = parse_input(entity("accounts"),
                                 json::parse(R"({"name":"Acme","id":"018F3E5C-7B2A-7C3D-8E4F-0123456789AB",
                                                 "owner_id":"018F3E5C-7B2A-7C3D-8E4F-0123456789AC"})")
                                     .as_object(),
                                 true, "", e);
  EXPECT_TRUE(e.empty()) << only_code(e);
  EXPECT_EQ(out.at("id"), json::value("018f3e5c-7b2a-7c3d-8e4f-0123456789ab"));
  EXPECT_EQ(out.at("owner_id"), json::value("018f3e5c-7b2a-7c3d-8e4f-0123456789ac"));

  FieldErrors bad_id;
  parse_input(entity("accounts"), json::parse(R"({"name":"Acme","id":"42","owner_id":"me"})").as_object(), true, "",
              bad_id);
  EXPECT_EQ(codes_for(bad_id, "id"), std::vector<std::string>{"invalid_format"});
  EXPECT_EQ(codes_for(bad_id, "owner_id"), std::vector<std::string>{"invalid_format"});
}

TEST(ParseInput, UnknownFieldsAreRejected) {
  FieldErrors e;
  parse_input(entity("contacts"), json::parse(R"({"first_name":"Wei","nickname":"W"})").as_object(), true, "", e);
  EXPECT_EQ(only_code(e), "unknown_field");
  EXPECT_EQ(e.list()[0].field, "nickname");
}

TEST(ParseInput, ComputedAndSystemFieldsAreReadOnly) {
  FieldErrors e;
  parse_input(entity("contacts"),
              json::parse(R"({"first_name":"Wei","name":"Zhang Wei","created_at":"2026-01-01T00:00:00.000Z",
                              "deleted_by":null})")
                  .as_object(),
              true, "", e);
  EXPECT_EQ(codes_for(e, "name"), std::vector<std::string>{"read_only"});  // computed from first/last
  EXPECT_EQ(codes_for(e, "created_at"), std::vector<std::string>{"read_only"});
  EXPECT_EQ(codes_for(e, "deleted_by"), std::vector<std::string>{"read_only"});
  EXPECT_EQ(e.list().size(), 3u);

  FieldErrors upd;
  parse_input(entity("deals"),
              json::parse(R"({"status":"won","id":"018f3e5c-7b2a-7c3d-8e4f-0123456789ab"})").as_object(), false, "",
              upd);
  EXPECT_EQ(codes_for(upd, "status"), std::vector<std::string>{"read_only"});
  EXPECT_EQ(codes_for(upd, "id"), std::vector<std::string>{"read_only"});  // an id never changes
}

TEST(ParseInput, MissingRequiredOnCreateOnly) {
  FieldErrors e;
  parse_input(entity("accounts"), json::parse(R"({"city":"Shanghai"})").as_object(), true, "", e);
  EXPECT_EQ(codes_for(e, "name"), std::vector<std::string>{"required"});
  EXPECT_EQ(e.list().size(), 1u);

  FieldErrors patch;  // an update patch may leave out anything
  json::object out =
      parse_input(entity("accounts"), json::parse(R"({"city":"Shanghai"})").as_object(), false, "", patch);
  EXPECT_TRUE(patch.empty()) << only_code(patch);
  EXPECT_EQ(out.at("city"), json::value("Shanghai"));

  FieldErrors cleared;  // but cannot clear a required field
  parse_input(entity("accounts"), json::parse(R"({"name":null})").as_object(), false, "", cleared);
  EXPECT_EQ(codes_for(cleared, "name"), std::vector<std::string>{"required"});

  FieldErrors null_on_create;  // reported once, not twice
  parse_input(entity("accounts"), json::parse(R"({"name":null})").as_object(), true, "", null_on_create);
  EXPECT_EQ(codes_for(null_on_create, "name"), std::vector<std::string>{"required"});
}

TEST(ParseInput, ReportsEveryErrorAtOnce) {
  FieldErrors e;
  parse_input(entity("orders"),
              json::parse(R"({"nickname":"x","total_minor":100,"created_by":"me","status":"shipped",
                              "ordered_on":"2026-02-30","currency":"XYZ"})")
                  .as_object(),
              true, "", e);
  EXPECT_EQ(codes_for(e, "nickname"), std::vector<std::string>{"unknown_field"});
  EXPECT_EQ(codes_for(e, "total_minor"), std::vector<std::string>{"read_only"});
  EXPECT_EQ(codes_for(e, "created_by"), std::vector<std::string>{"read_only"});
  EXPECT_EQ(codes_for(e, "status"), std::vector<std::string>{"invalid_choice"});
  EXPECT_EQ(codes_for(e, "ordered_on"), std::vector<std::string>{"invalid_date"});
  EXPECT_EQ(codes_for(e, "currency"), std::vector<std::string>{"invalid_currency"});
  EXPECT_EQ(codes_for(e, "items"), std::vector<std::string>{"required"});
  EXPECT_EQ(e.list().size(), 7u);
  // And they become one 422.
  try {
    e.throw_if_any();
    FAIL() << "expected an ApiError";
  } catch (const ApiError& err) {
    EXPECT_EQ(err.kind(), ErrorKind::invalid);
    EXPECT_EQ(err.fields().size(), 7u);
  }
}

TEST(ParseInput, DatetimeUsesCallersZone) {
  FieldErrors e;
  json::object out =
      parse_input(entity("tasks"), json::parse(R"({"title":"Call back","due_at":"2026-11-24T16:30"})").as_object(),
                  true, "Asia/Shanghai", e);
  EXPECT_TRUE(e.empty()) << only_code(e);
  EXPECT_EQ(out.at("due_at"), json::value("2026-11-24T08:30:00.000Z"));
}

// ---------------------------------------------------------------------------------------------
// check_custom

std::vector<CustomFieldDef> custom_defs() {
  std::vector<CustomFieldDef> d(5);
  d[0].name = "region";
  d[0].type = "text";
  d[0].max_length = 10;
  d[1].name = "score";
  d[1].type = "number";
  d[2].name = "renewal";
  d[2].type = "date";
  d[3].name = "tier";
  d[3].type = "select";
  d[3].options = {"gold", "silver"};
  d[4].name = "code";
  d[4].type = "text";
  d[4].required = true;
  return d;
}

json::object custom_ok(const json::value& input, const json::object& current = {}, bool creating = false) {
  FieldErrors e;
  json::object out = check_custom(custom_defs(), input, current, creating, e);
  EXPECT_TRUE(e.empty()) << json::serialize(input) << " -> " << only_code(e) << " at "
                         << (e.empty() ? "" : e.list()[0].field);
  return out;
}

void custom_bad(const json::value& input, const std::string& field, const std::string& code) {
  FieldErrors e;
  check_custom(custom_defs(), input, {}, false, e);
  EXPECT_EQ(codes_for(e, field), std::vector<std::string>{code}) << json::serialize(input);
  EXPECT_EQ(e.list().size(), 1u) << json::serialize(input);
}

TEST(CheckCustom, Text) {
  EXPECT_EQ(custom_ok(json::parse(R"({"region":"  华东  "})")).at("region"), json::value("华东"));
  EXPECT_EQ(custom_ok(json::value(json::object{{"region", repeat("东", 10)}})).at("region"),
            json::value(repeat("东", 10)));
  custom_bad(json::value(json::object{{"region", repeat("东", 11)}}), "custom.region", "too_long");
  custom_bad(json::parse(R"({"region":5})"), "custom.region", "invalid_type");
}

TEST(CheckCustom, NumberIsAnExactDecimalString) {
  EXPECT_EQ(custom_ok(json::parse(R"({"score":"12.50"})")).at("score"), json::value("12.50"));
  EXPECT_EQ(custom_ok(json::parse(R"({"score":12})")).at("score"), json::value("12"));
  EXPECT_EQ(custom_ok(json::parse(R"({"score":"-3.5"})")).at("score"), json::value("-3.5"));
  EXPECT_EQ(custom_ok(json::parse(R"({"score":"0"})")).at("score"), json::value("0"));
  custom_bad(json::parse(R"({"score":1.5})"), "custom.score", "use_decimal_string");
  custom_bad(json::parse(R"({"score":12.0})"), "custom.score", "use_decimal_string");
  for (const char* s : {R"({"score":"abc"})", R"({"score":"1.2.3"})", R"({"score":"12."})", R"({"score":"-"})",
                        R"({"score":"1e5"})", R"({"score":""})", R"({"score":" 12"})", R"({"score":true})"})
    custom_bad(json::parse(s), "custom.score", "invalid_number");
  custom_bad(json::value(json::object{{"score", repeat("9", 33)}}), "custom.score", "invalid_number");
}

TEST(CheckCustom, Date) {
  EXPECT_EQ(custom_ok(json::parse(R"({"renewal":"2027-01-31"})")).at("renewal"), json::value("2027-01-31"));
  custom_bad(json::parse(R"({"renewal":"2027-02-31"})"), "custom.renewal", "invalid_date");
}

TEST(CheckCustom, Select) {
  EXPECT_EQ(custom_ok(json::parse(R"({"tier":"gold"})")).at("tier"), json::value("gold"));
  custom_bad(json::parse(R"({"tier":"bronze"})"), "custom.tier", "invalid_choice");
}

TEST(CheckCustom, UnknownNamesAndBadShape) {
  custom_bad(json::parse(R"({"colour":"red"})"), "custom.colour", "unknown_field");
  custom_bad(json::parse(R"(["region"])"), "custom", "invalid_type");
  custom_bad(json::value("east"), "custom", "invalid_type");
}

TEST(CheckCustom, MergesOntoCurrentAndNullRemoves) {
  json::object current = json::parse(R"({"region":"east","tier":"gold"})").as_object();
  json::object out = custom_ok(json::parse(R"({"tier":null,"score":"7"})"), current);
  EXPECT_EQ(out, json::parse(R"({"region":"east","score":"7"})").as_object());
  // No input leaves the current values as they are.
  EXPECT_EQ(custom_ok(nullptr, current), current);
}

// A value kept from a deleted field may be sent back as read, or cleared; a new or changed
// value for a field that does not exist is refused.
TEST(CheckCustom, ValuesOfDeletedFieldsRoundTrip) {
  const json::object stored = json::parse(R"({"region":"east","gone":false})").as_object();
  json::object same = custom_ok(json::parse(R"({"region":"west","gone":false})"), stored);
  EXPECT_EQ(same.at("gone"), json::value(false));
  EXPECT_EQ(same.at("region"), json::value("west"));
  EXPECT_FALSE(custom_ok(json::parse(R"({"gone":null})"), stored).contains("gone"));

  FieldErrors changed;
  check_custom(custom_defs(), json::parse(R"({"gone":true})"), stored, false, changed);
  EXPECT_EQ(codes_for(changed, "custom.gone"), std::vector<std::string>{"unknown_field"});
  FieldErrors unknown;
  check_custom(custom_defs(), json::parse(R"({"never":null})"), stored, false, unknown);
  EXPECT_EQ(codes_for(unknown, "custom.never"), std::vector<std::string>{"unknown_field"});
}

TEST(CheckCustom, RequiredOnCreateAndCannotBeCleared) {
  FieldErrors e;
  check_custom(custom_defs(), json::parse(R"({"region":"east"})"), {}, true, e);
  EXPECT_EQ(codes_for(e, "custom.code"), std::vector<std::string>{"required"});
  EXPECT_EQ(e.list().size(), 1u);

  FieldErrors ok;
  json::object out = check_custom(custom_defs(), json::parse(R"({"code":"C-1"})"), {}, true, ok);
  EXPECT_TRUE(ok.empty());
  EXPECT_EQ(out.at("code"), json::value("C-1"));

  FieldErrors cleared;
  check_custom(custom_defs(), json::parse(R"({"code":null})"), json::parse(R"({"code":"C-1"})").as_object(), false,
               cleared);
  EXPECT_FALSE(codes_for(cleared, "custom.code").empty());
  EXPECT_EQ(codes_for(cleared, "custom.code")[0], "required");
}

// Integer, money and boolean custom fields are checked as the built-in fields of those types,
// with the same codes, under custom.NAME.
TEST(CheckCustom, IntegerMoneyAndBooleanAreCheckedAsFields) {
  std::vector<CustomFieldDef> d(3);
  d[0].name = "size";
  d[0].type = "integer";
  d[1].name = "budget";
  d[1].type = "money";
  d[2].name = "vip";
  d[2].type = "boolean";
  FieldErrors ok;
  json::object out = check_custom(d, json::parse(R"({"size":-4,"budget":150000,"vip":false})"), {}, true, ok);
  EXPECT_TRUE(ok.empty()) << only_code(ok);
  EXPECT_EQ(out.at("size"), json::value(-4));
  EXPECT_EQ(out.at("budget"), json::value(150000));
  EXPECT_EQ(out.at("vip"), json::value(false));
  FieldErrors e;
  check_custom(d, json::parse(R"({"size":1.5,"budget":-1,"vip":"yes"})"), {}, false, e);
  EXPECT_EQ(codes_for(e, "custom.size"), std::vector<std::string>{"must_be_integer"});
  EXPECT_EQ(codes_for(e, "custom.budget"), std::vector<std::string>{"out_of_range"});
  EXPECT_EQ(codes_for(e, "custom.vip"), std::vector<std::string>{"invalid_type"});
}

TEST(CustomFieldDef, EveryTypeIsAFieldTypeAndOnlyTheseAreTypes) {
  for (const auto& t : custom_field_types()) {
    EXPECT_TRUE(is_custom_field_type(t));
    CustomFieldDef d;
    d.name = "x";
    d.type = t;
    FieldDef f = custom_field_def(d);
    EXPECT_TRUE(f.custom && f.filterable && f.sortable) << t;
  }
  EXPECT_FALSE(is_custom_field_type("float"));
  EXPECT_FALSE(is_custom_field_type(""));
  CustomFieldDef number;
  number.type = "number";
  EXPECT_EQ(custom_field_def(number).type, FieldType::decimal);
}

}  // namespace
}  // namespace keel::domain
