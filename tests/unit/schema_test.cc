// The hand-written migration must stay true to the field tables in domain/entities.cc: every
// entity has a table with the system columns plus exactly one column per field, integer kinds in
// integer columns, and NOT NULL only where a client can never leave the value out.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>

#include "domain/entity.h"
#include "store/db.h"
#include "store/migrations.h"
#include "temp_dir.h"

namespace keel::store {
namespace {

struct Column {
  std::string type;
  bool notnull = false;
  bool pk = false;
};

class Schema : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new keel::testing::TempDir();
    db_ = open_sqlite(dir_->file("schema.db"), 1).release();
    migrate(*db_);
  }
  static void TearDownTestSuite() {
    db_->close();
    delete db_;
    delete dir_;
    db_ = nullptr;
    dir_ = nullptr;
  }

  // PRAGMA table_info: cid, name, type, notnull, dflt_value, pk.
  static std::map<std::string, Column> columns(const std::string& table) {
    std::map<std::string, Column> out;
    db_->read([&](Tx& tx) {
      Result r = tx.query("PRAGMA table_info(" + table + ")");
      for (const auto& row : r.rows)
        out[row.text(r.column("name"))] = {row.text(r.column("type")), row.integer(r.column("notnull")) != 0,
                                           row.integer(r.column("pk")) != 0};
    });
    return out;
  }

  static keel::testing::TempDir* dir_;
  static Database* db_;
};

keel::testing::TempDir* Schema::dir_ = nullptr;
Database* Schema::db_ = nullptr;

TEST_F(Schema, IsAtTheLatestVersion) { EXPECT_EQ(schema_version(*db_), latest_schema_version()); }

TEST_F(Schema, EveryEntityHasATable) {
  ASSERT_FALSE(domain::entities().empty());
  for (const auto& e : domain::entities()) EXPECT_FALSE(columns(e.name).empty()) << "no table " << e.name;
}

TEST_F(Schema, EveryEntityTableHasEverySystemColumn) {
  for (const auto& e : domain::entities()) {
    auto cols = columns(e.name);
    for (const auto& c : domain::system_columns()) EXPECT_TRUE(cols.count(c)) << e.name << " lacks system column " << c;
    if (cols.count("id")) {
      EXPECT_TRUE(cols["id"].pk) << e.name << ".id is not the primary key";
    }
    if (cols.count("version")) {
      EXPECT_EQ(cols["version"].type, "BIGINT") << e.name;
    }
    if (cols.count("custom")) {
      EXPECT_TRUE(cols["custom"].notnull) << e.name;
    }
  }
}

TEST_F(Schema, EveryFieldHasAColumn) {
  for (const auto& e : domain::entities()) {
    auto cols = columns(e.name);
    for (const auto& f : e.fields) EXPECT_TRUE(cols.count(f.name)) << e.name << " lacks a column for field " << f.name;
  }
}

TEST_F(Schema, NoColumnWithoutAField) {
  for (const auto& e : domain::entities()) {
    std::set<std::string> expected(domain::system_columns().begin(), domain::system_columns().end());
    for (const auto& f : e.fields) {
      EXPECT_TRUE(expected.insert(f.name).second) << e.name << ": field " << f.name << " clashes with another";
    }
    for (const auto& [name, col] : columns(e.name))
      EXPECT_TRUE(expected.count(name)) << e.name << "." << name << " is neither a system column nor a field";
  }
}

TEST_F(Schema, ColumnTypesFollowFieldTypes) {
  for (const auto& e : domain::entities()) {
    auto cols = columns(e.name);
    for (const auto& f : e.fields) {
      if (!cols.count(f.name)) continue;  // reported by EveryFieldHasAColumn
      const char* want = domain::stored_as_integer(f.type) ? "BIGINT" : "TEXT";
      EXPECT_EQ(cols[f.name].type, want) << e.name << "." << f.name << " (" << domain::type_name(f.type) << ")";
    }
  }
}

TEST_F(Schema, NotNullMatchesRequired) {
  for (const auto& e : domain::entities()) {
    auto cols = columns(e.name);
    for (const auto& f : e.fields) {
      if (!cols.count(f.name)) continue;
      // A required field is always present, so the column can insist on it.
      if (f.required) {
        EXPECT_TRUE(cols[f.name].notnull) << e.name << "." << f.name << " is required but nullable";
      }
      // A field a client may omit or clear must be nullable, or a valid request fails in the database.
      if (!f.required && !f.read_only) {
        EXPECT_FALSE(cols[f.name].notnull) << e.name << "." << f.name << " is optional but NOT NULL";
      }
    }
  }
}

}  // namespace
}  // namespace keel::store
