// service/entity_defs.h on SQLite: the effective definition of an entity (built-in plus custom
// fields), its cache by the version in `meta`, and the expression indexes of custom fields.
#include "service/entity_defs.h"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "domain/validate.h"
#include "store/db.h"
#include "store/migrations.h"
#include "temp_dir.h"

namespace keel::service {
namespace {

using domain::FieldType;

class EntityDefs : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = store::open_sqlite(dir_.file("keel.db"), 2);
    store::migrate(*db_);
  }
  void TearDown() override { db_->close(); }

  // Writes a definition straight into the table; `announce` also calls custom_fields_changed in
  // the same transaction, as the administration routes do.
  void define(const std::string& name, const std::string& type, bool announce = true,
              const std::string& options = "[]") {
    db_->write([&](store::Tx& tx) {
      tx.query(
          "INSERT INTO custom_fields (id, entity, name, label, type, options, required, max_length, position, "
          "version, created_at, updated_at) VALUES (?, 'accounts', ?, ?, ?, ?, 0, 80, 0, 1, '', '')",
          {"id-" + name, name, "Label " + name, type, options});
      if (announce) custom_fields_changed(tx);
    });
  }
  void remove(const std::string& name) {
    db_->write([&](store::Tx& tx) {
      tx.query("DELETE FROM custom_fields WHERE name = ?", {name});
      custom_fields_changed(tx);
    });
  }
  EffectiveEntityPtr accounts() { return effective_entity(*db_, *domain::find_entity("accounts")); }
  bool index_exists(const std::string& name) {
    bool found = false;
    db_->read([&](store::Tx& tx) {
      found = tx.one("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", {name}).has_value();
    });
    return found;
  }

  keel::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(EntityDefs, WithoutCustomFieldsItIsTheBuiltInDefinition) {
  EffectiveEntityPtr e = accounts();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->def, domain::find_entity("accounts"));
  EXPECT_TRUE(e->custom.empty());
  ASSERT_TRUE(e->field("name"));
  EXPECT_FALSE(e->field("name")->custom);
  EXPECT_EQ(e->field("custom.name"), nullptr);
}

TEST_F(EntityDefs, EachCustomFieldIsAFilterableSortableFieldOfItsType) {
  define("size", "integer");
  define("budget", "money");
  define("note", "text");
  define("rate", "number");
  define("tier", "select", true, R"(["gold","silver"])");
  define("vip", "boolean");
  define("since", "date");
  EffectiveEntityPtr e = accounts();
  ASSERT_EQ(e->custom.size(), 7u);
  struct Want {
    const char* name;
    FieldType type;
  };
  for (const Want& w :
       {Want{"size", FieldType::integer}, Want{"budget", FieldType::money}, Want{"note", FieldType::text},
        Want{"rate", FieldType::decimal}, Want{"tier", FieldType::choice}, Want{"vip", FieldType::boolean},
        Want{"since", FieldType::date}}) {
    const domain::FieldDef* f = e->field(std::string("custom.") + w.name);
    ASSERT_TRUE(f) << w.name;
    EXPECT_TRUE(f->custom) << w.name;
    EXPECT_EQ(f->type, w.type) << w.name;
    EXPECT_TRUE(f->filterable && f->sortable) << w.name;
    EXPECT_EQ(f->search.has_value(), w.type == FieldType::text) << w.name;  // only text is searched
  }
  EXPECT_EQ(e->field("custom.note")->max_length, 80);
  EXPECT_EQ(e->field("custom.budget")->min, 0);
  EXPECT_EQ(e->field("custom.tier")->choices, (std::vector<std::string>{"gold", "silver"}));
  EXPECT_EQ(e->field("size"), nullptr) << "a custom field is only found by its custom. name";
  EXPECT_TRUE(effective_entity(*db_, *domain::find_entity("contacts"))->custom.empty()) << "per entity";
}

TEST_F(EntityDefs, TheCacheFollowsTheVersionInTheDatabase) {
  define("first", "text");
  EffectiveEntityPtr before = accounts();
  ASSERT_EQ(before->custom.size(), 1u);
  // Unchanged version: the cached definition is served (a definition written without announcing
  // it is not seen), and it is the same object, not a rebuild.
  define("silent", "text", false);
  EffectiveEntityPtr cached = accounts();
  EXPECT_EQ(cached.get(), before.get());
  EXPECT_EQ(cached->custom.size(), 1u);
  // A change bumps the version, as another server's write would: the next lookup rebuilds.
  define("second", "integer");
  EffectiveEntityPtr after = accounts();
  EXPECT_NE(after.get(), before.get());
  EXPECT_EQ(after->custom.size(), 3u);
  remove("second");
  EXPECT_EQ(accounts()->field("custom.second"), nullptr);
  // What a caller holds stays valid after the cache moved on.
  EXPECT_EQ(before->custom.front().name, "first");
}

TEST_F(EntityDefs, AFieldHasAnExpressionIndexWhileItExists) {
  define("size", "integer");
  const std::string index = "cf_accounts_size_integer";
  EXPECT_TRUE(index_exists(index));
  remove("size");
  EXPECT_FALSE(index_exists(index));
  // Re-created with another type: another index, over the new type's expression.
  define("size", "text");
  EXPECT_TRUE(index_exists("cf_accounts_size_text"));
  EXPECT_FALSE(index_exists(index));
}

TEST_F(EntityDefs, ValuesOfAnotherTypeReadAsNullNotAsAnError) {
  // A value left by an earlier field of the same name (text "abc" under a now-integer field)
  // neither matches nor breaks a list.
  define("size", "integer");
  const domain::FieldDef* f = accounts()->field("custom.size");
  ASSERT_TRUE(f);
  store::JsonMemberSql v = field_value_sql(store::Dialect::sqlite, *f, "");
  db_->read([&](store::Tx& tx) {
    auto text = tx.one("SELECT " + v.value + " FROM (SELECT '{\"size\":\"abc\"}' AS custom) x");
    auto number = tx.one("SELECT " + v.value + " FROM (SELECT '{\"size\":12}' AS custom) x");
    ASSERT_TRUE(text && number);
    EXPECT_TRUE(text->is_null(0));
    EXPECT_EQ(number->integer(0), 12);
  });
}

TEST(JsonMemberSql, RefusesAKeyThatCouldLeaveTheLiteral) {
  EXPECT_THROW(store::json_member_sql(store::Dialect::postgres, "custom", "a'b", store::JsonKind::text),
               std::invalid_argument);
  EXPECT_THROW(store::json_member_sql(store::Dialect::sqlite, "custom", "", store::JsonKind::text),
               std::invalid_argument);
  EXPECT_NE(store::json_member_sql(store::Dialect::postgres, "t.custom", "size", store::JsonKind::integer)
                .value.find("(t.custom::jsonb ->> 'size')::numeric"),
            std::string::npos);
}

}  // namespace
}  // namespace keel::service
