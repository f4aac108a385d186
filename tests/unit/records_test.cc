// service/records.h on SQLite: list SQL and keyset paging. Following a list page by page must
// give every matching record exactly once, in the order asked for, however many records share a
// sort value (created_at ties, equal amounts, NULLs, which sort last in both directions), with
// filters, search and the caller's read scope applied on every page.
#include "service/records.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "test_db.h"

namespace keel::service {
namespace {
namespace json = boost::json;

class RecordLists : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_id_ = t_.add_user("admin");
    admin_ = t_.principal(admin_id_);
    sales_id_ = t_.add_user("sales");
    sales_ = t_.principal(sales_id_);
  }

  std::string create(const auth::Principal& who, const char* entity, const json::object& body) {
    Context ctx{who, "unit"};
    return std::string(records_.create(ctx, *domain::find_entity(entity), body).record.at("id").as_string());
  }
  void set(const char* entity, const std::string& id, const std::string& column, store::Value v) {
    t_.db().write([&](store::Tx& tx) {
      tx.query(std::string("UPDATE ") + entity + " SET " + column + " = ? WHERE id = ?", {std::move(v), id});
    });
  }

  // Every page of `q` in turn, continuing each from the last row of the one before as a cursor
  // does; returns the ids in the order served. Checks the totals and has_more on the way.
  std::vector<std::string> all_pages(const auth::Principal& who, const char* entity, ListQuery q,
                                     size_t expected_total) {
    Context ctx{who, "unit"};
    std::vector<std::string> ids;
    for (int pages = 0; pages < 100; ++pages) {
      ListPage page = records_.list(ctx, *domain::find_entity(entity), q);
      if (!q.after_id) {
        EXPECT_EQ(page.total, static_cast<int64_t>(expected_total)) << "a first page counts";
        EXPECT_TRUE(page.total_exact);
      } else {
        EXPECT_FALSE(page.total.has_value()) << "later pages do not count";
      }
      EXPECT_LE(page.data.size(), static_cast<size_t>(q.limit));
      for (const auto& r : page.data) ids.emplace_back(r.as_object().at("id").as_string());
      if (!page.has_more) return ids;
      EXPECT_EQ(page.data.size(), static_cast<size_t>(q.limit)) << "only the last page is short";
      q.after_value = page.last_sort_value;
      q.after_id = page.last_id;
    }
    ADD_FAILURE() << "paging did not end";
    return ids;
  }

  // The ids of `rows` ordered as the list must serve them: by `key` (NULLs last whichever the
  // direction), ties by id in the same direction.
  struct Row {
    std::string id;
    std::optional<std::string> key;  // text keys; integers are zero-padded by the caller
  };
  static std::vector<std::string> expected_order(std::vector<Row> rows, bool descending) {
    std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
      if (a.key.has_value() != b.key.has_value()) return a.key.has_value();  // NULLs last
      if (a.key != b.key) return descending ? *a.key > *b.key : *a.key < *b.key;
      return descending ? a.id > b.id : a.id < b.id;
    });
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.id);
    return out;
  }

  keel::testing::TestDb t_;
  Records records_{t_.db()};
  std::string admin_id_, sales_id_;
  auth::Principal admin_, sales_;
};

const char* const kTimes[] = {"2026-03-01T00:00:00.000Z", "2026-03-02T00:00:00.000Z", "2026-03-03T00:00:00.000Z"};

TEST_F(RecordLists, PagesByCreatedAtAreDisjointAndCompleteOverTiesInBothDirections) {
  // 23 accounts on three creation instants: most pages end inside a run of equal created_at.
  std::vector<Row> rows;
  for (int i = 0; i < 23; ++i) {
    std::string id = create(admin_, "accounts", {{"name", "Acme " + std::to_string(i)}});
    set("accounts", id, "created_at", std::string(kTimes[i % 3]));
    rows.push_back({id, kTimes[i % 3]});
  }
  for (bool descending : {true, false}) {
    for (int limit : {1, 4, 7, 23, 50}) {
      ListQuery q;
      q.descending = descending;
      q.limit = limit;
      std::vector<std::string> got = all_pages(admin_, "accounts", q, rows.size());
      EXPECT_EQ(got, expected_order(rows, descending)) << "descending=" << descending << " limit=" << limit;
      EXPECT_EQ(std::set<std::string>(got.begin(), got.end()).size(), got.size()) << "no record twice";
    }
  }
}

TEST_F(RecordLists, FiltersAndSearchApplyOnEveryPage) {
  std::vector<Row> shanghai, searched;
  for (int i = 0; i < 17; ++i) {
    const bool in_shanghai = i % 2 == 0;
    std::string name = (i % 3 == 0 ? "Mingyuan " : "Other ") + std::to_string(i);
    std::string id = create(admin_, "accounts", {{"name", name}, {"city", in_shanghai ? "上海" : "北京"}});
    set("accounts", id, "created_at", std::string(kTimes[i % 2]));
    if (in_shanghai) shanghai.push_back({id, kTimes[i % 2]});
    if (i % 3 == 0) searched.push_back({id, kTimes[i % 2]});
  }
  ListQuery by_city;
  by_city.limit = 3;
  by_city.filters.push_back(
      {domain::find_entity("accounts")->field("city"), "city", FilterOp::eq, std::string("上海"), {}});
  EXPECT_EQ(all_pages(admin_, "accounts", by_city, shanghai.size()), expected_order(shanghai, true));

  ListQuery by_name;
  by_name.limit = 2;
  by_name.descending = false;
  by_name.search = "mingy";
  EXPECT_EQ(all_pages(admin_, "accounts", by_name, searched.size()), expected_order(searched, false));

  // The trash is its own list: a deleted record leaves the live pages and is in the trash pages.
  Context ctx{admin_, "unit"};
  records_.remove(ctx, *domain::find_entity("accounts"), shanghai.front().id, std::nullopt);
  std::vector<Row> live(shanghai.begin() + 1, shanghai.end());
  EXPECT_EQ(all_pages(admin_, "accounts", by_city, live.size()), expected_order(live, true));
  ListQuery trash = by_city;
  trash.trashed = true;
  EXPECT_EQ(all_pages(admin_, "accounts", trash, 1), std::vector<std::string>{shanghai.front().id});
}

TEST_F(RecordLists, ANullableSortKeepsNullsLastAndPagesThroughThem) {
  // Products by price: equal prices and products without a price, in both directions.
  std::vector<Row> rows;
  for (int i = 0; i < 14; ++i) {
    json::object body{{"name", "Widget " + std::to_string(i)}, {"currency", "CNY"}};
    std::optional<std::string> key;
    if (i % 4 != 3) {
      int64_t price = (i % 3) * 500;  // 0, 500, 1000: ties
      body["price_minor"] = price;
      key = std::string(12 - std::to_string(price).size(), '0') + std::to_string(price);
    }
    rows.push_back({create(admin_, "products", body), key});
  }
  for (bool descending : {true, false}) {
    for (int limit : {1, 3, 5}) {
      ListQuery q;
      q.sort_column = "price_minor";
      q.descending = descending;
      q.limit = limit;
      EXPECT_EQ(all_pages(admin_, "products", q, rows.size()), expected_order(rows, descending))
          << "descending=" << descending << " limit=" << limit;
    }
  }
}

TEST_F(RecordLists, EveryPageIsLimitedToTheReadScope) {
  // sales reads only its own leads: the admin's leads interleaved with its own never show.
  std::vector<Row> own;
  for (int i = 0; i < 9; ++i) {
    const auth::Principal& who = i % 3 == 0 ? sales_ : admin_;
    std::string id = create(who, "leads", {{"last_name", "Lead " + std::to_string(i)}});
    set("leads", id, "created_at", std::string(kTimes[0]));
    if (&who == &sales_) own.push_back({id, kTimes[0]});
  }
  ListQuery q;
  q.limit = 2;
  EXPECT_EQ(all_pages(sales_, "leads", q, own.size()), expected_order(own, true));
  ListQuery everything;
  everything.limit = 4;
  EXPECT_EQ(all_pages(admin_, "leads", everything, 9).size(), 9u);
}

}  // namespace
}  // namespace keel::service
