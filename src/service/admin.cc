#include "service/admin.h"

namespace keel::service {
namespace json = boost::json;

void require_admin(const Context& ctx) {
  if (!ctx.principal.is_admin()) throw forbidden("Administrators only");
}

const std::vector<std::string>& admin_resources() {
  static const std::vector<std::string> names = {"users", "roles", "teams", "custom_fields"};
  return names;
}

std::string member_text(const json::object& change, std::string_view key, const json::object& current) {
  const json::value* v = change.if_contains(key);
  if (!v) v = current.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

store::Value nullable_text(const json::object& row, std::string_view key) {
  const json::value* v = row.if_contains(key);
  return v && v->is_string() ? store::Value{std::string(v->as_string())} : store::null_value();
}

int64_t flag(const json::object& row, std::string_view key) {
  const json::value* v = row.if_contains(key);
  return v && v->is_bool() && v->as_bool() ? 1 : 0;
}

std::optional<json::object> load_row(store::Tx& tx, std::string_view select, const std::string& id, bool for_update,
                                     json::object (*to_json)(const store::Row&)) {
  std::string sql = std::string(select) + " WHERE id = ?";
  if (for_update) sql += tx.row_lock_suffix();
  auto row = tx.one(sql, {id});
  if (!row) return std::nullopt;
  return to_json(*row);
}

json::object row_for_update(store::Tx& tx, std::string_view select, const std::string& id,
                            json::object (*to_json)(const store::Row&), const std::string& missing) {
  auto row = load_row(tx, select, id, true, to_json);
  if (!row) throw not_found(missing);
  return *row;
}

VersionedTable admin_table(const std::string& entity, ColumnsOf columns, LoadRow load) {
  return VersionedTable{
      .entity = entity,
      .write_row = [entity, columns = std::move(columns)](store::Tx& tx, const json::object& row,
                                                          std::optional<int64_t> expected) -> int64_t {
        Columns cols = columns(row, !expected);
        cols.emplace_back("version", row.at("version").as_int64());
        cols.emplace_back("updated_at", member_text(row, "updated_at", {}));
        if (!expected) {
          cols.emplace_back("id", member_text(row, "id", {}));
          cols.emplace_back("created_at", member_text(row, "created_at", {}));
        }
        std::string names, marks;
        store::Params params;
        for (auto& [name, value] : cols) {
          names += (names.empty() ? "" : ", ") + name + (expected ? " = ?" : "");
          marks += marks.empty() ? "?" : ", ?";
          params.push_back(std::move(value));
        }
        if (!expected)
          return tx.query("INSERT INTO " + entity + " (" + names + ") VALUES (" + marks + ")", params).affected;
        params.push_back(member_text(row, "id", {}));
        params.push_back(*expected);
        return tx.query("UPDATE " + entity + " SET " + names + " WHERE id = ? AND version = ?", params).affected;
      },
      .current = [load](store::Tx& tx, const Context&, const std::string& id) { return load(tx, id); },
      .delete_row = [entity](store::Tx& tx, const std::string& id, int64_t expected) -> int64_t {
        return tx.query("DELETE FROM " + entity + " WHERE id = ? AND version = ?", {id, expected}).affected;
      },
  };
}

}  // namespace keel::service
