// Generic record operations for every entity: create, get, update, delete to trash, restore,
// list (filters, sort, keyset paging, search) and history. Each call is one transaction that
// checks permissions, validates, and writes through write_versioned (service/versioned_write.h):
// the row with its version check, the search terms, the audit entry and the change-log entry
// together. Entity-specific rules plug in through service/rules.h.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/entity.h"
#include "domain/validate.h"
#include "service/context.h"
#include "service/entity_defs.h"
#include "service/versioned_write.h"
#include "store/db.h"

namespace keel::service {

// `in` matches any of `values`; `contains` matches list fields (tags, ref lists) holding `value`.
enum class FilterOp { eq, ne, gt, gte, lt, lte, is_null, in, contains };

// The system filter "owner_team_id": records whose owner is a member of the team (users.team_id),
// on every entity (they all have an owner). eq, in and is_null (owners in no team).
inline constexpr std::string_view kOwnerTeamFilter = "owner_team_id";

struct Filter {
  // Null for system columns (owner_id, created_at, ...); a custom field's points into
  // ListQuery::entity.
  const domain::FieldDef* field = nullptr;
  std::string column;  // the field's name as lists spell it ("status", "custom.size")
  FilterOp op = FilterOp::eq;
  store::Value value;
  std::vector<store::Value> values;  // for `in`
};

struct ListQuery {
  // The effective definition the filters and sort were read against (null: the built-in fields
  // only). Held here because custom fields' FieldDefs live in it.
  EffectiveEntityPtr entity;
  std::vector<Filter> filters;
  std::string sort_column = "created_at";  // a sortable field ("custom.NAME" for a custom one)
  bool descending = true;
  int limit = 50;
  // Keyset position after which to continue (decoded cursor), if any.
  std::optional<store::Value> after_value;
  std::optional<std::string> after_id;
  std::string search;    // free text
  bool trashed = false;  // list the trash instead of live records
};

struct ListPage {
  boost::json::array data;
  bool has_more = false;
  store::Value last_sort_value;  // for the next cursor
  std::string last_id;
  std::optional<int64_t> total;  // counted only on a first page
  bool total_exact = true;
};

// Totals of a money column over every record a list query matches: the caller's read scope, the
// filters and the search, never the trash, never paged or capped. One per value of a group
// column, with one total per currency (currencies are never added together).
struct MoneyTotal {
  std::string currency;
  int64_t amount_minor = 0;
  // Σ amount_minor × percent / 100 over the exact sum, rounded once, halves away from zero
  // (domain::divide_half_away_from_zero).
  int64_t weighted_minor = 0;
};
struct GroupTotals {
  std::string group;
  int64_t count = 0;               // every matching record, with an amount or not
  std::vector<MoneyTotal> totals;  // by currency code; records without an amount count above only
};
// Which columns: names of the entity's own fields, never client input.
struct TotalsOf {
  std::string group_by, amount, currency, percent;
};

struct WriteResult {
  boost::json::object record;
  bool created = false;   // true on a fresh create
  bool replayed = false;  // a create whose id already existed with the same owner: nothing written
};

class Records {
 public:
  explicit Records(store::Database& db) : db_(db) {}

  WriteResult create(const Context& ctx, const domain::EntityDef& def, const boost::json::object& input);
  boost::json::object get(const Context& ctx, const domain::EntityDef& def, const std::string& id);
  // `if_match` is the version the client last saw; a mismatch is 412 version_conflict with the
  // current record. It is checked after the permission checks (a caller who may not change the
  // record is not handed its current state) and before validation.
  WriteResult update(const Context& ctx, const domain::EntityDef& def, const std::string& id,
                     const boost::json::object& patch, std::optional<int64_t> if_match);
  boost::json::object remove(const Context& ctx, const domain::EntityDef& def, const std::string& id,
                             std::optional<int64_t> if_match);
  boost::json::object restore(const Context& ctx, const domain::EntityDef& def, const std::string& id,
                              std::optional<int64_t> if_match);
  ListPage list(const Context& ctx, const domain::EntityDef& def, const ListQuery& q);
  // Sorted by group value; groups without a matching record are absent. 409 total_out_of_range if a
  // sum exceeds what an int64_t holds.
  std::vector<GroupTotals> totals(const Context& ctx, const domain::EntityDef& def, const ListQuery& q,
                                  const TotalsOf& of);
  boost::json::array history(const Context& ctx, const domain::EntityDef& def, const std::string& id);

  // Building blocks for composite operations (lead conversion, demo data, a pushed sync
  // mutation with its recorded answer) that need several writes in one transaction.
  WriteResult create_in(store::Tx& tx, const Context& ctx, const domain::EntityDef& def,
                        const boost::json::object& input);
  WriteResult update_in(store::Tx& tx, const Context& ctx, const domain::EntityDef& def, const std::string& id,
                        const boost::json::object& patch, std::optional<int64_t> if_match);
  boost::json::object remove_in(store::Tx& tx, const Context& ctx, const domain::EntityDef& def, const std::string& id,
                                std::optional<int64_t> if_match);
  boost::json::object restore_in(store::Tx& tx, const Context& ctx, const domain::EntityDef& def, const std::string& id,
                                 std::optional<int64_t> if_match);
  // The record as JSON if it exists (trashed or not), without permission checks.
  // `for_update` locks the row until the transaction ends (PostgreSQL), for read-modify-write.
  static std::optional<boost::json::object> load(store::Tx& tx, const domain::EntityDef& def, const std::string& id,
                                                 bool for_update = false);
  // Throws 404 unless the record exists, is not trashed, and the caller may read it.
  static boost::json::object load_visible(store::Tx& tx, const Context& ctx, const domain::EntityDef& def,
                                          const std::string& id, bool for_update = false);
  static std::vector<domain::CustomFieldDef> custom_fields(store::Tx& tx, const std::string& entity);

 private:
  store::Database& db_;
};

// Whether `def`'s table holds any record (in the trash or not).
bool has_records(store::Tx& tx, const domain::EntityDef& def);

// How records of `def` are stored, for write_versioned: the entity's table (every column),
// search terms reindexed when a searchable field changes, and a conflict's `current` read as
// the caller may see it (404 if they no longer may). `def` must outlive the result.
VersionedTable record_table(const domain::EntityDef& def);

// The column list every SELECT of an entity uses, and the row-to-JSON conversion.
std::string select_columns(const domain::EntityDef& def, const std::string& alias = "");
boost::json::object row_to_json(const domain::EntityDef& def, const store::Row& row);

}  // namespace keel::service
