// auth/permissions.h: roles as data, parsed and printed.
#include "auth/permissions.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "domain/entity.h"

namespace keel::auth {
namespace {
namespace json = boost::json;

const BuiltinRole* role(const std::string& id) {
  for (const auto& r : builtin_roles())
    if (r.id == id) return &r;
  return nullptr;
}

std::vector<std::string> codes_for(const FieldErrors& e, const std::string& field) {
  std::vector<std::string> out;
  for (const auto& fe : e.list())
    if (fe.field == field) out.push_back(fe.code);
  return out;
}

bool same(const EntityPermission& a, const EntityPermission& b) {
  return a.read == b.read && a.update == b.update && a.remove == b.remove && a.create == b.create &&
         a.export_ == b.export_;
}

Permissions parse(const char* text, FieldErrors& errors) {
  return Permissions::from_json(json::parse(text), errors, "permissions");
}

TEST(BuiltinRoles, TheFiveExist) {
  std::set<std::string> ids;
  for (const auto& r : builtin_roles()) {
    ids.insert(r.id);
    EXPECT_FALSE(r.description.empty()) << r.id;
  }
  EXPECT_EQ(ids, (std::set<std::string>{"admin", "manager", "sales", "support", "read_only"}));
  EXPECT_EQ(builtin_roles().size(), 5u);
  EXPECT_NE(role(kDefaultRole), nullptr);
}

TEST(BuiltinRoles, AdminHasEverything) {
  const BuiltinRole* admin = role("admin");
  ASSERT_NE(admin, nullptr);
  EXPECT_TRUE(admin->permissions.admin);
  for (const auto& e : domain::entities()) {
    const EntityPermission& p = admin->permissions.on(e.name);
    EXPECT_EQ(p.read, Scope::all) << e.name;
    EXPECT_EQ(p.update, Scope::all) << e.name;
    EXPECT_EQ(p.remove, Scope::all) << e.name;
    EXPECT_TRUE(p.create) << e.name;
    EXPECT_TRUE(p.export_) << e.name;
  }
}

TEST(BuiltinRoles, OnlyAdminAdministers) {
  for (const auto& r : builtin_roles()) EXPECT_EQ(r.permissions.admin, r.id == "admin") << r.id;
}

TEST(BuiltinRoles, ReadOnlyChangesNothingAndSeesItsTeam) {
  const BuiltinRole* ro = role("read_only");
  ASSERT_NE(ro, nullptr);
  for (const auto& e : domain::entities()) {
    const EntityPermission& p = ro->permissions.on(e.name);
    EXPECT_EQ(p.update, Scope::none) << e.name;
    EXPECT_EQ(p.remove, Scope::none) << e.name;
    EXPECT_FALSE(p.create) << e.name;
    EXPECT_FALSE(p.export_) << e.name;
  }
  EXPECT_EQ(ro->permissions.on("accounts").read, Scope::team);
  EXPECT_EQ(ro->permissions.on("products").read, Scope::all);  // catalogs are shared
}

TEST(BuiltinRoles, SalesWorksOnOwnRecords) {
  const BuiltinRole* sales = role("sales");
  ASSERT_NE(sales, nullptr);
  EXPECT_EQ(sales->permissions.on("accounts").read, Scope::team);
  EXPECT_EQ(sales->permissions.on("accounts").update, Scope::own);
  EXPECT_EQ(sales->permissions.on("deals").read, Scope::own);
  EXPECT_TRUE(sales->permissions.on("deals").create);
  EXPECT_FALSE(sales->permissions.on("deals").export_);
  EXPECT_EQ(sales->permissions.on("products").update, Scope::none);
}

TEST(BuiltinRoles, EveryRoleMentionsOnlyRealEntitiesAndNeverWritesWhatItCannotRead) {
  for (const auto& r : builtin_roles()) {
    for (const auto& [name, p] : r.permissions.entities) {
      EXPECT_TRUE(domain::is_entity(name)) << r.id << ": " << name;
      EXPECT_LE(p.update, p.read) << r.id << ": " << name;
      EXPECT_LE(p.remove, p.read) << r.id << ": " << name;
    }
    // Catalog entities (pipelines, products) are readable by every role.
    for (const auto& e : domain::entities()) {
      if (e.catalog) {
        EXPECT_EQ(r.permissions.on(e.name).read, Scope::all) << r.id << ": " << e.name;
      }
    }
  }
}

TEST(Permissions, UnmentionedEntityIsNone) {
  Permissions p;
  const EntityPermission& none = p.on("accounts");
  EXPECT_EQ(none.read, Scope::none);
  EXPECT_EQ(none.update, Scope::none);
  EXPECT_EQ(none.remove, Scope::none);
  EXPECT_FALSE(none.create);
  EXPECT_FALSE(none.export_);
  EXPECT_EQ(role("sales")->permissions.on("no_such_entity").read, Scope::none);
}

TEST(Permissions, ToJsonShape) {
  Permissions p;
  p.admin = false;
  p.entities["deals"] = {Scope::team, Scope::own, Scope::none, true, false};
  EXPECT_EQ(json::value(p.to_json()), json::parse(R"({"admin":false,"entities":{"deals":
      {"read":"team","create":true,"update":"own","delete":"none","export":false}}})"));
}

TEST(Permissions, FromJsonRoundTripsToJson) {
  for (const auto& r : builtin_roles()) {
    json::object doc = r.permissions.to_json();
    FieldErrors e;
    Permissions back = Permissions::from_json(doc, e, "permissions");
    EXPECT_TRUE(e.empty()) << r.id << ": " << (e.empty() ? "" : e.list()[0].field + " " + e.list()[0].code);
    EXPECT_EQ(back.admin, r.permissions.admin) << r.id;
    ASSERT_EQ(back.entities.size(), r.permissions.entities.size()) << r.id;
    for (const auto& [name, p] : r.permissions.entities) EXPECT_TRUE(same(back.on(name), p)) << r.id << ": " << name;
    EXPECT_EQ(json::value(back.to_json()), json::value(doc)) << r.id;
    // And through text, as it is stored in roles.permissions.
    FieldErrors e2;
    Permissions again = Permissions::from_json(json::parse(json::serialize(doc)), e2, "permissions");
    EXPECT_TRUE(e2.empty()) << r.id;
    EXPECT_EQ(json::value(again.to_json()), json::value(doc)) << r.id;
  }
}

TEST(Permissions, ParsesAPartialDocument) {
  FieldErrors e;
  Permissions p = parse(R"({"entities":{"contacts":{"read":"all","export":true}}})", e);
  EXPECT_TRUE(e.empty());
  EXPECT_FALSE(p.admin);
  EXPECT_EQ(p.on("contacts").read, Scope::all);
  EXPECT_EQ(p.on("contacts").update, Scope::none);
  EXPECT_TRUE(p.on("contacts").export_);
  EXPECT_FALSE(p.on("contacts").create);
  EXPECT_EQ(p.on("accounts").read, Scope::none);
}

TEST(Permissions, UnknownEntityIsAnError) {
  FieldErrors e;
  Permissions p = parse(R"({"entities":{"widgets":{"read":"all"},"deals":{"read":"own"}}})", e);
  EXPECT_EQ(codes_for(e, "permissions.entities.widgets"), std::vector<std::string>{"unknown_entity"});
  EXPECT_EQ(e.list().size(), 1u);
  EXPECT_EQ(p.entities.count("widgets"), 0u);
  EXPECT_EQ(p.on("deals").read, Scope::own);  // the rest is still read
}

TEST(Permissions, BadScopeIsAnError) {
  FieldErrors e;
  parse(R"({"entities":{"deals":{"read":"everyone","update":3,"delete":"ALL"}}})", e);
  EXPECT_EQ(codes_for(e, "permissions.entities.deals.read"), std::vector<std::string>{"invalid_choice"});
  EXPECT_EQ(codes_for(e, "permissions.entities.deals.update"), std::vector<std::string>{"invalid_choice"});
  EXPECT_EQ(codes_for(e, "permissions.entities.deals.delete"), std::vector<std::string>{"invalid_choice"});
  EXPECT_EQ(e.list().size(), 3u);
}

TEST(Permissions, OtherShapeErrors) {
  FieldErrors e;
  parse(R"({"admin":"yes","entities":{"deals":{"create":"yes","approve":"all"},"tasks":"all"},"colour":1})", e);
  EXPECT_EQ(codes_for(e, "permissions.admin"), std::vector<std::string>{"invalid_type"});
  EXPECT_EQ(codes_for(e, "permissions.entities.deals.create"), std::vector<std::string>{"invalid_type"});
  EXPECT_EQ(codes_for(e, "permissions.entities.deals.approve"), std::vector<std::string>{"unknown_field"});
  EXPECT_EQ(codes_for(e, "permissions.entities.tasks"), std::vector<std::string>{"invalid_type"});
  EXPECT_EQ(codes_for(e, "permissions.colour"), std::vector<std::string>{"unknown_field"});
  EXPECT_EQ(e.list().size(), 5u);

  FieldErrors not_object;
  parse(R"(["admin"])", not_object);
  EXPECT_EQ(codes_for(not_object, "permissions"), std::vector<std::string>{"invalid_type"});
  FieldErrors bad_entities;
  parse(R"({"entities":[]})", bad_entities);
  EXPECT_EQ(codes_for(bad_entities, "permissions.entities"), std::vector<std::string>{"invalid_type"});
}

TEST(Permissions, UpdateAndDeleteAreClampedToReadScope) {
  FieldErrors e;
  Permissions p = parse(R"({"entities":{"deals":{"read":"own","update":"all","delete":"team"},
                                         "accounts":{"read":"none","update":"team"},
                                         "tasks":{"read":"team","update":"own","delete":"own"}}})",
                        e);
  EXPECT_TRUE(e.empty());
  EXPECT_EQ(p.on("deals").read, Scope::own);
  EXPECT_EQ(p.on("deals").update, Scope::own);
  EXPECT_EQ(p.on("deals").remove, Scope::own);
  EXPECT_EQ(p.on("accounts").update, Scope::none);
  EXPECT_EQ(p.on("tasks").update, Scope::own);  // narrower than read: kept
  EXPECT_EQ(p.on("tasks").remove, Scope::own);
}

TEST(Names, ScopesAndActions) {
  EXPECT_STREQ(scope_name(Scope::none), "none");
  EXPECT_STREQ(scope_name(Scope::own), "own");
  EXPECT_STREQ(scope_name(Scope::team), "team");
  EXPECT_STREQ(scope_name(Scope::all), "all");
  EXPECT_STREQ(action_name(Action::read), "read");
  EXPECT_STREQ(action_name(Action::create), "create");
  EXPECT_STREQ(action_name(Action::update), "update");
  EXPECT_STREQ(action_name(Action::remove), "delete");
  EXPECT_STREQ(action_name(Action::export_), "export");
  EXPECT_LT(Scope::none, Scope::own);
  EXPECT_LT(Scope::own, Scope::team);
  EXPECT_LT(Scope::team, Scope::all);
}

}  // namespace
}  // namespace keel::auth
