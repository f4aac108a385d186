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

// Records::totals: every matching record (not one page), the read scope, no trash; exact sums per
// group and currency; weighted totals rounded once over the exact sum.
class RecordTotals : public RecordLists {
 protected:
  void SetUp() override {
    RecordLists::SetUp();
    json::array stages{json::object{{"name", "Third"}, {"probability", 33}},
                       json::object{{"name", "Half"}, {"probability", 50}},
                       json::object{{"name", "Won"}, {"probability", 100}, {"is_won", true}}};
    pipeline_ = create(admin_, "pipelines", {{"name", "P"}, {"stages", stages}});
    Context ctx{admin_, "unit"};
    const json::object p = records_.get(ctx, *domain::find_entity("pipelines"), pipeline_);
    for (const auto& st : p.at("stages").as_array()) stages_.emplace_back(st.at("id").as_string());
  }
  std::string deal(const auth::Principal& who, size_t stage, std::optional<int64_t> amount, const char* currency) {
    json::object body{{"name", "D"}, {"pipeline_id", pipeline_}, {"stage_id", stages_[stage]}};
    if (amount) {
      body["amount_minor"] = *amount;
      body["currency"] = currency;
    }
    return create(who, "deals", body);
  }
  std::vector<GroupTotals> totals(const auth::Principal& who, ListQuery q = {}) {
    Context ctx{who, "unit"};
    return records_.totals(
        ctx, *domain::find_entity("deals"), q,
        {.group_by = "stage_id", .amount = "amount_minor", .currency = "currency", .percent = "probability"});
  }
  const GroupTotals* group(const std::vector<GroupTotals>& all, size_t stage) {
    for (const auto& g : all)
      if (g.group == stages_[stage]) return &g;
    return nullptr;
  }
  std::string pipeline_;
  std::vector<std::string> stages_;
};

TEST_F(RecordTotals, SumsExactlyPerStageAndCurrencyAndRoundsTheWeightedSumOnce) {
  for (int i = 0; i < 120; ++i) deal(sales_, 0, 1'000'000'007, "CNY");  // more than any page
  deal(sales_, 0, 333, "USD");
  deal(sales_, 0, std::nullopt, nullptr);  // counted, not totalled
  for (int i = 0; i < 3; ++i) deal(sales_, 1, 1, "JPY");
  const auto all = totals(admin_);
  ASSERT_NE(group(all, 0), nullptr);
  const GroupTotals& third = *group(all, 0);
  EXPECT_EQ(third.count, 122);
  ASSERT_EQ(third.totals.size(), 2u) << "currencies apart";
  EXPECT_EQ(third.totals[0].currency, "CNY");
  EXPECT_EQ(third.totals[0].amount_minor, 120'000'000'840);
  EXPECT_EQ(third.totals[0].weighted_minor, 39'600'000'277) << "120000000840 x 33% = 39600000277.2";
  EXPECT_EQ(third.totals[1].currency, "USD");
  EXPECT_EQ(third.totals[1].weighted_minor, 110) << "333 x 33% = 109.89";
  ASSERT_NE(group(all, 1), nullptr);
  EXPECT_EQ(group(all, 1)->totals.at(0).weighted_minor, 2) << "3 x 1 at 50% = 1.5, rounded once: 2 (not 3)";
  EXPECT_EQ(group(all, 2), nullptr) << "a stage without deals has no group";
}

TEST_F(RecordTotals, ReadScopeFiltersAndTrashApply) {
  const std::string team = t_.add_team("T");
  const auth::Principal member = t_.principal(t_.add_user("sales", team));
  deal(sales_, 0, 100, "CNY");
  deal(admin_, 0, 1000, "CNY");
  deal(member, 0, 10000, "CNY");
  const std::string trashed = deal(sales_, 0, 100000, "CNY");
  Context ctx{admin_, "unit"};
  records_.remove(ctx, *domain::find_entity("deals"), trashed, std::nullopt);

  EXPECT_EQ(group(totals(sales_), 0)->totals.at(0).amount_minor, 100) << "sales reads its own deals only";
  EXPECT_EQ(group(totals(admin_), 0)->count, 3) << "the trash is not counted";
  ListQuery trash;
  trash.trashed = true;
  EXPECT_EQ(group(totals(admin_, trash), 0)->count, 3) << "nor summed when a query asks for the trash";

  ListQuery by_team;
  by_team.filters.push_back({nullptr, std::string(kOwnerTeamFilter), FilterOp::eq, team, {}});
  EXPECT_EQ(group(totals(admin_, by_team), 0)->totals.at(0).amount_minor, 10000) << "owned by the team's members";
  ListQuery no_team;
  no_team.filters.push_back({nullptr, std::string(kOwnerTeamFilter), FilterOp::is_null, {}, {}});
  EXPECT_EQ(group(totals(admin_, no_team), 0)->totals.at(0).amount_minor, 1100) << "owners in no team";
  EXPECT_EQ(records_.list(ctx, *domain::find_entity("deals"), by_team).total, 1) << "the list filters alike";
}

TEST_F(RecordTotals, ASumBeyondInt64IsRefusedNotWrapped) {
  // Amounts as large as the store holds (set directly: the API caps one amount lower): SUM over
  // the column would overflow, the halves do not, and the total is refused, never wrapped.
  const std::string a = deal(admin_, 2, 1, "USD"), b = deal(admin_, 2, 1, "USD");
  set("deals", a, "amount_minor", int64_t{5'000'000'000'000'000'000});
  set("deals", b, "amount_minor", int64_t{4'000'000'000'000'000'001});
  EXPECT_EQ(group(totals(admin_), 2)->totals.at(0).amount_minor, 9'000'000'000'000'000'001);
  set("deals", b, "amount_minor", int64_t{5'000'000'000'000'000'000});
  try {
    totals(admin_);
    ADD_FAILURE() << "no error";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "total_out_of_range");
  }
}

}  // namespace
}  // namespace keel::service
