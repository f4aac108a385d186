// domain/body.h and the administration body tables: one parser for every non-record body.
#include "domain/body.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "service/custom_fields.h"
#include "service/roles.h"
#include "service/sessions.h"
#include "service/teams.h"
#include "service/users.h"

namespace keel {
namespace {
namespace json = boost::json;

std::vector<std::pair<std::string, std::string>> problems(const FieldErrors& e) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& f : e.list()) out.emplace_back(f.field, f.code);
  return out;
}

using P = std::vector<std::pair<std::string, std::string>>;

TEST(ParseBody, RequiredOnCreateOnlyAndUnknownMembers) {
  FieldErrors e;
  domain::parse_body(service::team_body(), json::object{{"colour", "red"}}, true, e);
  EXPECT_EQ(problems(e), (P{{"colour", "unknown_field"}, {"name", "required"}}));
  FieldErrors change;
  json::object out = domain::parse_body(service::team_body(), json::object{{"manager_id", nullptr}}, false, change);
  EXPECT_TRUE(change.empty());
  EXPECT_TRUE(out.at("manager_id").is_null());  // null clears an optional member
  EXPECT_FALSE(out.contains("name"));
}

TEST(ParseBody, LimitsComeFromTheTable) {
  FieldErrors e;
  json::object out = domain::parse_body(service::team_body(), json::object{{"name", "  Sales East  "}}, true, e);
  EXPECT_TRUE(e.empty());
  EXPECT_EQ(out.at("name"), "Sales East");  // trimmed like record text
  FieldErrors too_long;
  domain::parse_body(service::team_body(), json::object{{"name", std::string(101, 'x')}}, true, too_long);
  EXPECT_EQ(problems(too_long), (P{{"name", "too_long"}}));
  FieldErrors blank;
  domain::parse_body(service::team_body(), json::object{{"name", "   "}}, false, blank);
  EXPECT_EQ(problems(blank), (P{{"name", "required"}}));  // a required member cannot be cleared
}

TEST(ParseBody, ABlankRequiredMemberIsMissingWhateverItsType) {
  FieldErrors e;
  domain::parse_body(service::login_body(), json::object{{"email", "  "}, {"password", ""}}, true, e);
  EXPECT_EQ(problems(e), (P{{"email", "required"}}));  // an empty password is a wrong one (401), not a missing one
}

TEST(ParseBody, SignInAndApiTokenBodies) {
  FieldErrors e;
  json::object in = domain::parse_body(service::login_body(),
                                       json::object{{"email", " A@Example.com "}, {"password", " pw "}}, true, e);
  EXPECT_TRUE(e.empty());
  EXPECT_EQ(in.at("email"), "A@Example.com");  // trimmed; AuthService::login folds case
  EXPECT_EQ(in.at("password"), " pw ");        // a password is taken as typed
  FieldErrors bad;
  domain::parse_body(service::login_body(), json::object{{"email", "not an email"}, {"password", 12}}, true, bad);
  EXPECT_EQ(problems(bad), (P{{"email", "invalid_format"}, {"password", "invalid_type"}}));
  FieldErrors token;
  domain::parse_body(service::api_token_body(),
                     json::object{{"name", std::string(101, 'x')}, {"expires_in_days", 3651}}, true, token);
  EXPECT_EQ(problems(token), (P{{"name", "too_long"}, {"expires_in_days", "out_of_range"}}));
  FieldErrors forever;
  domain::parse_body(service::api_token_body(), json::object{{"name", "ERP"}, {"expires_in_days", nullptr}}, true,
                     forever);
  EXPECT_TRUE(forever.empty());
}

TEST(ParseBody, NonNullableAndBounds) {
  FieldErrors e;
  domain::parse_body(service::custom_field_update_body(),
                     json::object{{"max_length", 5001}, {"position", nullptr}, {"required", "yes"}}, false, e);
  EXPECT_EQ(problems(e),
            (P{{"max_length", "out_of_range"}, {"position", "invalid_type"}, {"required", "invalid_type"}}));
  FieldErrors ok;
  domain::parse_body(service::custom_field_update_body(), json::object{{"max_length", 5000}}, false, ok);
  EXPECT_TRUE(ok.empty());
}

TEST(ParseBody, FixedMembersAreReadOnly) {
  FieldErrors e;
  domain::parse_body(service::custom_field_update_body(), json::object{{"name", "x"}, {"label", "L"}}, false, e);
  ASSERT_EQ(problems(e), (P{{"name", "read_only"}}));
  EXPECT_EQ(e.list().front().message, "A custom field's name cannot be changed");
}

TEST(ParseBody, ExtraChecks) {
  FieldErrors e;
  domain::parse_body(service::custom_field_create_body(),
                     json::object{{"entity", "planets"},
                                  {"name", "Bad Name"},
                                  {"label", "x"},
                                  {"type", "colour"},
                                  {"options", json::array{"A", ""}}},
                     true, e);
  EXPECT_EQ(problems(e), (P{{"entity", "unknown_entity"},
                            {"name", "invalid_format"},
                            {"type", "invalid_choice"},
                            {"options[1]", "invalid_format"}}));
  FieldErrors perms;
  domain::parse_body(service::role_body(), json::object{{"name", "r"}, {"permissions", "all"}}, true, perms);
  ASSERT_FALSE(perms.empty());
  EXPECT_EQ(perms.list().front().field.rfind("permissions", 0), 0u);
}

TEST(ParseBody, UserBodies) {
  FieldErrors e;
  domain::parse_body(service::user_create_body(),
                     json::object{{"email", "not-an-email"}, {"name", "王小明"}, {"locale", "fr"}}, true, e);
  EXPECT_EQ(problems(e), (P{{"email", "invalid_format"}, {"locale", "invalid_choice"}}));
  FieldErrors change;
  domain::parse_body(service::user_update_body(), json::object{{"active", nullptr}, {"email", "a@b.cn"}}, false,
                     change);
  EXPECT_EQ(problems(change), (P{{"active", "invalid_type"}, {"email", "unknown_field"}}));
}

}  // namespace
}  // namespace keel
