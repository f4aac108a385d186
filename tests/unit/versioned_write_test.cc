// service/versioned_write.h: one write of a versioned row, with its version check, search terms,
// audit entry and change-log entry; on a resource of its own (as users, roles, teams and custom
// fields are), deletes for good included, and on CRM records through record_table.
#include "service/versioned_write.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "core/ids.h"
#include "service/records.h"
#include "test_db.h"

namespace keel::service {
namespace {
namespace json = boost::json;

constexpr const char* kAt = "2026-05-01T10:00:00.000Z";

class VersionedWrites : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = t_.principal(t_.add_user("admin"));
    t_.db().write([](store::Tx& tx) {
      tx.query("CREATE TABLE gadgets (id TEXT PRIMARY KEY, version BIGINT NOT NULL, name TEXT NOT NULL)");
    });
  }

  // A resource that is not a CRM record: its own table, no owner, no search terms.
  static std::optional<json::object> load_gadget(store::Tx& tx, const std::string& id) {
    auto row = tx.one("SELECT id, version, name FROM gadgets WHERE id = ?", {id});
    if (!row) return std::nullopt;
    return json::object{{"id", row->text(0)}, {"version", row->integer(1)}, {"name", row->text(2)}};
  }
  const VersionedTable gadgets_{
      .entity = "gadgets",
      .write_row =
          [](store::Tx& tx, const json::object& row, std::optional<int64_t> expected) {
            const std::string id(row.at("id").as_string()), name(row.at("name").as_string());
            const int64_t version = row.at("version").as_int64();
            if (!expected)
              return tx.query("INSERT INTO gadgets (id, version, name) VALUES (?, ?, ?)", {id, version, name}).affected;
            return tx
                .query("UPDATE gadgets SET version = ?, name = ? WHERE id = ? AND version = ?",
                       {version, name, id, *expected})
                .affected;
          },
      .current = [](store::Tx& tx, const Context&, const std::string& id) { return load_gadget(tx, id); },
      .delete_row = [](store::Tx& tx, const std::string& id, int64_t expected) -> int64_t {
        return tx.query("DELETE FROM gadgets WHERE id = ? AND version = ?", {id, expected}).affected;
      },
  };

  struct Logs {
    std::vector<std::string> audit;    // "action record_id changes"
    std::vector<std::string> changes;  // "action record_id version owner"
  };
  // With `all_at_kAt`, every entry must have been written by write() below (at kAt).
  Logs logs(bool all_at_kAt = true) {
    Logs out;
    t_.db().read([&](store::Tx& tx) {
      for (const auto& r : tx.query("SELECT action, record_id, changes, user_id, at FROM audit_log ORDER BY id").rows) {
        EXPECT_EQ(r.text(3), admin_.user_id);
        if (all_at_kAt) {
          EXPECT_EQ(r.text(4), kAt);
        }
        out.audit.push_back(r.text(0) + " " + r.text(1) + " " + r.text(2));
      }
      for (const auto& r :
           tx.query("SELECT action, record_id, version, owner_id, at FROM change_log ORDER BY seq").rows) {
        if (all_at_kAt) {
          EXPECT_EQ(r.text(4), kAt);
        }
        out.changes.push_back(r.text(0) + " " + r.text(1) + " " + std::to_string(r.integer(2)) + " " +
                              (r.is_null(3) ? "NULL" : r.text(3)));
      }
    });
    return out;
  }
  std::optional<json::object> gadget(const std::string& id) {
    std::optional<json::object> out;
    t_.db().read([&](store::Tx& tx) { out = load_gadget(tx, id); });
    return out;
  }
  // Writes `w` in a transaction of its own; returns the error code, or "" when written.
  std::string write(const auth::Principal& who, const VersionedTable& table, const std::string& action,
                    const std::optional<json::object>& before, json::object& after, ApiError* error = nullptr) {
    Context ctx{who, "unit"};
    try {
      t_.db().write([&](store::Tx& tx) {
        write_versioned(tx, ctx, table,
                        {.action = action, .before = before ? &*before : nullptr, .after = after, .at = kAt});
      });
      return "";
    } catch (const ApiError& e) {
      if (error) *error = e;
      return e.code();
    }
  }

  // A gadget created as "Sprocket" (version 1) and renamed "Cog" (version 2): both versions.
  std::pair<json::object, json::object> sprocket_then_cog() {
    json::object v1{{"id", new_uuid_v7()}, {"name", "Sprocket"}};
    EXPECT_EQ(write(admin_, gadgets_, "create", std::nullopt, v1), "");
    json::object v2 = v1;
    v2["name"] = "Cog";
    EXPECT_EQ(write(admin_, gadgets_, "update", v1, v2), "");
    return {v1, v2};
  }

  keel::testing::TestDb t_;
  auth::Principal admin_;
};

TEST_F(VersionedWrites, ACreateIsVersionOneWithItsAuditAndChangeLogEntries) {
  const std::string id = new_uuid_v7();
  json::object row{{"id", id}, {"name", "Sprocket"}};
  ASSERT_EQ(write(admin_, gadgets_, "create", std::nullopt, row), "");
  EXPECT_EQ(row.at("version"), 1) << "the helper stamps the version";
  EXPECT_EQ(gadget(id), row);
  Logs l = logs();
  EXPECT_EQ(l.audit,
            std::vector<std::string>{"create " + id + R"( {"id":[null,")" + id + R"("],"name":[null,"Sprocket"]})"});
  EXPECT_EQ(l.changes, std::vector<std::string>{"create " + id + " 1 NULL"}) << "no owner: NULL in the change log";
}

TEST_F(VersionedWrites, AnUpdateBumpsTheVersionAndLogsTheDiffAndItsActions) {
  const std::string id = new_uuid_v7();
  json::object v1{{"id", id}, {"name", "Sprocket"}};
  ASSERT_EQ(write(admin_, gadgets_, "create", std::nullopt, v1), "");
  json::object v2 = v1;
  v2["name"] = "Cog";
  Context ctx{admin_, "unit"};
  const json::object given{{"name", json::array{"given", "by caller"}}};
  t_.db().write([&](store::Tx& tx) {
    write_versioned(
        tx, ctx, gadgets_,
        {.action = "rename", .before = &v1, .after = v2, .at = kAt, .change_action = "update", .changes = &given});
  });
  EXPECT_EQ(v2.at("version"), 2);
  EXPECT_EQ(gadget(id), v2);
  Logs l = logs();
  ASSERT_EQ(l.audit.size(), 2u);
  EXPECT_EQ(l.audit[1], "rename " + id + R"( {"name":["given","by caller"]})") << "the caller's changes are used";
  EXPECT_EQ(l.changes.back(), "update " + id + " 2 NULL") << "the change log's own action";
}

TEST_F(VersionedWrites, AStaleBeforeIsRefusedWithTheCurrentRowAndLeavesNothing) {
  auto [v1, v2] = sprocket_then_cog();
  const std::string id(v1.at("id").as_string());

  // A second writer still holding version 1.
  json::object late = v1;
  late["name"] = "Gear";
  ApiError e(ErrorKind::internal, "", "");
  EXPECT_EQ(write(admin_, gadgets_, "update", v1, late, &e), "version_conflict");
  EXPECT_EQ(e.kind(), ErrorKind::precondition_failed);
  EXPECT_EQ(e.extra().at("current"), v2) << "the row as stored now, not the stale one";
  EXPECT_EQ(e.extra().at("current_version"), 2);
  EXPECT_EQ(gadget(id), v2);
  Logs l = logs();
  EXPECT_EQ(l.audit.size(), 2u);
  EXPECT_EQ(l.changes.size(), 2u);
}

TEST_F(VersionedWrites, ARowThatIsGoneIsNotFound) {
  json::object before{{"id", new_uuid_v7()}, {"version", 3}, {"name", "Ghost"}};
  json::object after = before;
  after["name"] = "Still a ghost";
  ApiError e(ErrorKind::internal, "", "");
  EXPECT_EQ(write(admin_, gadgets_, "update", before, after, &e), "not_found");
  EXPECT_EQ(e.kind(), ErrorKind::not_found);
  EXPECT_TRUE(logs().audit.empty());
}

TEST_F(VersionedWrites, ADeleteRemovesTheRowAndLogsItAsItsLastVersion) {
  const std::string id = new_uuid_v7();
  json::object v1{{"id", id}, {"name", "Sprocket"}};
  ASSERT_EQ(write(admin_, gadgets_, "create", std::nullopt, v1), "");
  Context ctx{admin_, "unit"};
  t_.db().write([&](store::Tx& tx) { delete_versioned(tx, ctx, gadgets_, v1, kAt); });
  EXPECT_FALSE(gadget(id).has_value());
  Logs l = logs();
  ASSERT_EQ(l.audit.size(), 2u);
  EXPECT_EQ(l.audit[1], "delete " + id + R"( {"id":[")" + id + R"(",null],"name":["Sprocket",null]})")
      << "what was deleted, member by member";
  EXPECT_EQ(l.changes.back(), "delete " + id + " 2 NULL") << "the deletion is version 2";
}

TEST_F(VersionedWrites, AStaleDeleteIsRefusedWithTheCurrentRowAndDeletesNothing) {
  auto [v1, v2] = sprocket_then_cog();
  const std::string id(v1.at("id").as_string());
  Context ctx{admin_, "unit"};
  try {
    t_.db().write([&](store::Tx& tx) { delete_versioned(tx, ctx, gadgets_, v1, kAt); });
    FAIL() << "a delete based on version 1 removed version 2";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "version_conflict");
    EXPECT_EQ(e.extra().at("current"), v2);
  }
  EXPECT_EQ(gadget(id), v2);
  EXPECT_EQ(logs().changes.size(), 2u);
}

TEST(ClientVersion, IfMatchFirstThenTheBodysVersion) {
  EXPECT_EQ(client_version({{"version", 3}}, 5), 5) << "If-Match wins over the body";
  EXPECT_EQ(client_version({{"version", 3}}, std::nullopt), 3);
  EXPECT_EQ(client_version({{"name", "x"}}, std::nullopt), std::nullopt) << "no version named: none checked";
  for (const json::value& bad : {json::value("3"), json::value(1.5), json::value(nullptr)}) {
    try {
      client_version({{"version", bad}}, std::nullopt);
      FAIL() << "version " << json::serialize(bad) << " was taken";
    } catch (const ApiError& e) {
      EXPECT_EQ(e.code(), "validation_failed");
      ASSERT_EQ(e.fields().size(), 1u);
      EXPECT_EQ(e.fields()[0].field, "version");
    }
  }
}

TEST(ExpectVersion, RefusesOnlyAVersionOtherThanTheCurrent) {
  const json::object current{{"id", "x"}, {"version", 4}, {"name", "n"}};
  EXPECT_NO_THROW(expect_version(current, std::nullopt));
  EXPECT_NO_THROW(expect_version(current, 4));
  try {
    expect_version(current, 3);
    FAIL() << "a stale version passed";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::precondition_failed);
    EXPECT_EQ(e.code(), "version_conflict");
    EXPECT_EQ(e.extra().at("current"), current);
    EXPECT_EQ(e.extra().at("current_version"), 4);
  }
  EXPECT_THROW(expect_version(current, 5), ApiError) << "a version from the future is as wrong";
}

class RecordTable : public VersionedWrites {
 protected:
  const domain::EntityDef& accounts_ = *domain::find_entity("accounts");
  Records records_{t_.db()};

  json::object create_account(const char* name) {
    Context ctx{admin_, "unit"};
    return records_.create(ctx, accounts_, {{"name", name}}).record;
  }
  std::vector<std::string> terms(const std::string& id) {
    std::vector<std::string> out;
    t_.db().read([&](store::Tx& tx) {
      for (const auto& r : tx.query("SELECT term FROM search_index WHERE record_id = ? ORDER BY term", {id}).rows)
        out.push_back(r.text(0));
    });
    return out;
  }
};

TEST_F(RecordTable, SearchTermsAreRewrittenWhenASearchedFieldChangesOnly) {
  json::object v1 = create_account("Acme Trading");
  const std::string id(v1.at("id").as_string());
  EXPECT_EQ(terms(id), (std::vector<std::string>{"acme", "trading"}));
  const VersionedTable table = record_table(accounts_);

  json::object v2 = v1;
  v2["name"] = "Mingyuan Trading";
  ASSERT_EQ(write(admin_, table, "update", v1, v2), "");
  EXPECT_EQ(terms(id), (std::vector<std::string>{"mingyuan", "trading"}));

  // City is not searched: the terms are left as they are (even ones put there by hand).
  t_.db().write([&](store::Tx& tx) {
    tx.query("INSERT INTO search_index (entity, term, record_id) VALUES ('accounts', 'marker', ?)", {id});
  });
  json::object v3 = v2;
  v3["city"] = "上海";
  ASSERT_EQ(write(admin_, table, "update", v2, v3), "");
  EXPECT_EQ(terms(id), (std::vector<std::string>{"marker", "mingyuan", "trading"}));
  EXPECT_EQ(v3.at("version"), 3);
  Logs l = logs(false);
  EXPECT_EQ(l.changes.back(), "update " + id + " 3 " + admin_.user_id) << "a record's owner goes to the change log";
}

TEST_F(RecordTable, AConflictHandsOutTheCurrentRecordOnlyToWhoMayReadIt) {
  json::object v1 = create_account("Hidden Co");
  json::object v2 = v1;
  v2["city"] = "北京";
  const VersionedTable table = record_table(accounts_);
  ASSERT_EQ(write(admin_, table, "update", v1, v2), "");

  json::object late = v1;
  late["city"] = "广州";
  ApiError e(ErrorKind::internal, "", "");
  EXPECT_EQ(write(admin_, table, "update", v1, late, &e), "version_conflict");
  EXPECT_EQ(e.extra().at("current").at("city"), "北京");
  EXPECT_EQ(e.extra().at("current_version"), 2);

  // A sales user of another team does not see the admin's account: a 404, not its contents.
  auth::Principal outsider = t_.principal(t_.add_user("sales"));
  EXPECT_EQ(write(outsider, table, "update", v1, late, &e), "not_found");
  EXPECT_TRUE(e.extra().empty());
}

}  // namespace
}  // namespace keel::service
