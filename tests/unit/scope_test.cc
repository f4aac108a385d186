// service/scope.h: record scopes. scope_filter (the SQL every read path uses) and
// owner_in_scope (single records, reference checks, writes) must agree for every scope, every
// caller and every owner; "team" covers the caller's team and the teams they manage.
#include "service/scope.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "test_db.h"

namespace keel::service {
namespace {

using auth::EntityPermission;
using auth::Principal;
using auth::Scope;

class Scopes : public ::testing::Test {
 protected:
  void SetUp() override {
    // Two teams: north (ann, bob; managed by mia, who is in no team) and south (cal, managed by
    // cal); dee is in no team.
    mia_ = t_.add_user("manager");
    north_ = t_.add_team("North", mia_);
    ann_ = t_.add_user("sales", north_);
    bob_ = t_.add_user("sales", north_);
    cal_ = t_.add_user("manager");
    south_ = t_.add_team("South", cal_);
    t_.db().write([&](store::Tx& tx) { tx.query("UPDATE users SET team_id = ? WHERE id = ?", {south_, cal_}); });
    dee_ = t_.add_user("read_only");
    everyone_ = {mia_, ann_, bob_, cal_, dee_};
  }

  // Owners whose records `scope_filter` lets `p` see, by running it against the users table.
  std::set<std::string> visible_by_sql(const Principal& p, Scope scope) {
    SqlFilter f = scope_filter(p, scope, "o.id");
    std::set<std::string> out;
    t_.db().read([&](store::Tx& tx) {
      for (const auto& row : tx.query("SELECT o.id FROM users o WHERE " + f.sql, f.params).rows)
        out.insert(row.text(0));
    });
    return out;
  }
  std::set<std::string> visible_one_by_one(const Principal& p, Scope scope) {
    std::set<std::string> out;
    t_.db().read([&](store::Tx& tx) {
      for (const auto& owner : everyone_)
        if (owner_in_scope(tx, p, scope, owner)) out.insert(owner);
    });
    return out;
  }

  keel::testing::TestDb t_;
  std::string mia_, north_, ann_, bob_, cal_, south_, dee_;
  std::vector<std::string> everyone_;
};

TEST_F(Scopes, OwnIsOnlyTheCallersRecords) {
  Principal ann = t_.principal(ann_);
  EXPECT_EQ(visible_by_sql(ann, Scope::own), std::set<std::string>{ann_});
  EXPECT_EQ(visible_one_by_one(ann, Scope::own), std::set<std::string>{ann_});
}

TEST_F(Scopes, TeamIsTheCallersTeam) {
  Principal ann = t_.principal(ann_);
  const std::set<std::string> north{ann_, bob_};
  EXPECT_EQ(visible_by_sql(ann, Scope::team), north);
  EXPECT_EQ(visible_one_by_one(ann, Scope::team), north);
}

TEST_F(Scopes, TeamIncludesTheTeamsTheCallerManages) {
  // mia is in no team but manages north; cal manages the team he is in.
  const std::set<std::string> mias{mia_, ann_, bob_}, cals{cal_};
  EXPECT_EQ(visible_by_sql(t_.principal(mia_), Scope::team), mias);
  EXPECT_EQ(visible_one_by_one(t_.principal(mia_), Scope::team), mias);
  EXPECT_EQ(visible_by_sql(t_.principal(cal_), Scope::team), cals);
  EXPECT_EQ(visible_one_by_one(t_.principal(cal_), Scope::team), cals);
}

TEST_F(Scopes, TeamWithoutATeamIsOwnOnly) {
  // dee and mia both have no team: "no team" is not a team they share.
  Principal dee = t_.principal(dee_);
  EXPECT_EQ(visible_by_sql(dee, Scope::team), std::set<std::string>{dee_});
  EXPECT_EQ(visible_one_by_one(dee, Scope::team), std::set<std::string>{dee_});
}

TEST_F(Scopes, AllAndNone) {
  Principal bob = t_.principal(bob_);
  const std::set<std::string> all(everyone_.begin(), everyone_.end());
  EXPECT_EQ(visible_by_sql(bob, Scope::all), all);
  EXPECT_EQ(visible_one_by_one(bob, Scope::all), all);
  EXPECT_TRUE(visible_by_sql(bob, Scope::none).empty());
  EXPECT_TRUE(visible_one_by_one(bob, Scope::none).empty()) << "none excludes even the caller's own";
}

TEST_F(Scopes, TheTwoFunctionsAgreeForEveryCallerAndScope) {
  for (const auto& who : everyone_)
    for (Scope s : {Scope::none, Scope::own, Scope::team, Scope::all}) {
      Principal p = t_.principal(who);
      EXPECT_EQ(visible_by_sql(p, s), visible_one_by_one(p, s)) << who << " " << scope_name(s);
    }
}

TEST_F(Scopes, ReadAndWriteScopesOfTheBuiltinRoles) {
  // sales reads the team's accounts but changes only its own; a team mate's account is readable,
  // not writable.
  Principal ann = t_.principal(ann_);
  const EntityPermission& accounts = ann.perms.on("accounts");
  t_.db().read([&](store::Tx& tx) {
    EXPECT_TRUE(owner_in_scope(tx, ann, accounts.read, bob_));
    EXPECT_FALSE(owner_in_scope(tx, ann, accounts.update, bob_));
    EXPECT_FALSE(owner_in_scope(tx, ann, accounts.remove, bob_));
    EXPECT_TRUE(owner_in_scope(tx, ann, accounts.update, ann_));
    // Deals are own-only for sales, for reading too.
    EXPECT_FALSE(owner_in_scope(tx, ann, ann.perms.on("deals").read, bob_));
    // A manager edits the records of the team they manage.
    Principal mia = t_.principal(mia_);
    EXPECT_TRUE(owner_in_scope(tx, mia, mia.perms.on("deals").update, ann_));
    EXPECT_FALSE(owner_in_scope(tx, mia, mia.perms.on("deals").update, cal_));
  });
}

TEST_F(Scopes, CatalogsAreReadByEveryoneAndWrittenOnlyWhereGranted) {
  // Products and pipelines are shared catalogs: every role reads all of them, whoever owns them.
  const std::set<std::string> all(everyone_.begin(), everyone_.end());
  for (const auto& who : everyone_) {
    Principal p = t_.principal(who);
    for (const char* catalog : {"products", "pipelines"}) {
      EXPECT_EQ(p.perms.on(catalog).read, Scope::all) << p.role_id << " " << catalog;
      EXPECT_EQ(visible_by_sql(p, p.perms.on(catalog).read), all) << p.role_id << " " << catalog;
    }
    // Only a manager (and an admin) changes products; nobody but an admin changes pipelines.
    EXPECT_EQ(p.perms.on("products").update, p.role_id == "manager" ? Scope::all : Scope::none) << p.role_id;
    EXPECT_EQ(p.perms.on("pipelines").update, Scope::none) << p.role_id;
    EXPECT_TRUE(visible_by_sql(p, p.perms.on("pipelines").update).empty()) << p.role_id;
  }
}

}  // namespace
}  // namespace keel::service
