// Generic record operations for every entity: create, get, update, delete to trash, restore,
// list (filters, sort, keyset paging, search) and history. Each call is one transaction that
// checks permissions, validates, writes the row, the search terms, the audit entry and the
// change-log entry together. Entity-specific rules plug in through service/rules.h.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/entity.h"
#include "domain/validate.h"
#include "service/context.h"
#include "store/db.h"

namespace keel::service {

// `in` matches any of `values`; `contains` matches list fields (tags, ref lists) holding `value`.
enum class FilterOp { eq, ne, gt, gte, lt, lte, is_null, in, contains };

struct Filter {
  const domain::FieldDef* field = nullptr;  // null for system columns (owner_id, created_at, ...)
  std::string column;
  FilterOp op = FilterOp::eq;
  store::Value value;
  std::vector<store::Value> values;  // for `in`
};

struct ListQuery {
  std::vector<Filter> filters;
  std::string sort_column = "created_at";
  bool descending = true;
  int limit = 50;
  // Keyset position after which to continue (decoded cursor), if any.
  std::optional<store::Value> after_value;
  std::optional<std::string> after_id;
  std::string search;  // free text
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
  // `if_match` is the version the client last saw; a mismatch is 412 with the current record.
  WriteResult update(const Context& ctx, const domain::EntityDef& def, const std::string& id,
                     const boost::json::object& patch, std::optional<int64_t> if_match);
  boost::json::object remove(const Context& ctx, const domain::EntityDef& def, const std::string& id,
                             std::optional<int64_t> if_match);
  boost::json::object restore(const Context& ctx, const domain::EntityDef& def, const std::string& id);
  ListPage list(const Context& ctx, const domain::EntityDef& def, const ListQuery& q);
  boost::json::array history(const Context& ctx, const domain::EntityDef& def, const std::string& id);

  // Building blocks for composite operations (lead conversion) that need several records
  // written in one transaction.
  WriteResult create_in(store::Tx& tx, const Context& ctx, const domain::EntityDef& def,
                        const boost::json::object& input);
  WriteResult update_in(store::Tx& tx, const Context& ctx, const domain::EntityDef& def, const std::string& id,
                        const boost::json::object& patch, std::optional<int64_t> if_match, bool as_system);
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

// The column list every SELECT of an entity uses, and the row-to-JSON conversion.
std::string select_columns(const domain::EntityDef& def, const std::string& alias = "");
boost::json::object row_to_json(const domain::EntityDef& def, const store::Row& row);

}  // namespace keel::service
