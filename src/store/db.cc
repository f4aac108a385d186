#include "store/db.h"

#include "store/engines.h"

namespace keel::store {

int64_t Row::integer(size_t i) const {
  const Value& v = cols.at(i);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto s = std::get_if<std::string>(&v)) return s->empty() ? 0 : std::stoll(*s);
  return 0;
}

std::string Row::text(size_t i) const {
  const Value& v = cols.at(i);
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  return {};
}

std::optional<std::string> Row::opt_text(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

size_t Result::column(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return i;
  throw std::logic_error("no column " + std::string(name));
}

std::optional<Row> Tx::one(std::string_view sql, const Params& params) {
  Result r = query(sql, params);
  if (r.rows.empty()) return std::nullopt;
  return std::move(r.rows.front());
}

// The one place a URL chooses the engine.
std::optional<std::string> local_file(const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return std::nullopt;
  return url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
}

std::string contains_sql(Dialect d, std::string_view text, std::string_view part) {
  return std::string(d == Dialect::postgres ? "strpos(" : "instr(") + std::string(text) + ", " + std::string(part) +
         ") > 0";
}

JsonMemberSql json_member_sql(Dialect d, std::string_view column, std::string_view key, JsonKind kind) {
  if (key.empty() || key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string_view::npos)
    throw std::invalid_argument("json_member_sql: unsafe key");
  const std::string c(column), k(key);
  if (d == Dialect::sqlite) {
    const std::string type = "json_type(" + c + ", '$." + k + "')", get = "json_extract(" + c + ", '$." + k + "')";
    switch (kind) {
      case JsonKind::text:
        return {"(CASE WHEN " + type + " = 'text' THEN " + get + " END)", "?"};
      case JsonKind::integer:
        return {"(CASE WHEN " + type + " = 'integer' THEN " + get + " END)", "?"};
      case JsonKind::boolean:
        return {"(CASE " + type + " WHEN 'true' THEN 1 WHEN 'false' THEN 0 END)", "?"};
      case JsonKind::decimal:
        return {"(CASE WHEN " + type + " = 'text' THEN CAST(" + get + " AS REAL) END)", "CAST(? AS REAL)"};
    }
  }
  const std::string member = "(" + c + "::jsonb -> '" + k + "')", text = "(" + c + "::jsonb ->> '" + k + "')";
  const std::string type = "jsonb_typeof" + member;
  switch (kind) {
    case JsonKind::text:
      return {"(CASE WHEN " + type + " = 'string' THEN " + text + " END)", "?"};
    case JsonKind::integer:
      return {"(CASE WHEN " + type + " = 'number' THEN " + text + "::numeric END)", "?"};
    case JsonKind::boolean:
      return {"(CASE WHEN " + type + " = 'boolean' THEN CAST(" + text + " = 'true' AS INTEGER) END)", "?"};
    case JsonKind::decimal:
      return {"(CASE WHEN " + type + " = 'string' AND " + text + " ~ '^-{0,1}([0-9]+|[0-9]*[.][0-9]+)$' THEN " + text +
                  "::numeric END)",
              "?"};
  }
  return {"NULL", "?"};
}

std::unique_ptr<Database> Database::open(const std::string& url, int pool_size) {
  if (auto path = local_file(url)) return open_sqlite(*path, pool_size);
  return open_postgres(url, pool_size);
}

void restore_backup(const std::string& url, const std::string& backup_path) {
  if (auto path = local_file(url)) return restore_sqlite(*path, backup_path);
  restore_postgres(url, backup_path);
}

int verify_backup(const std::string& url, const std::string& backup_path) {
  return local_file(url) ? verify_sqlite_backup(backup_path) : verify_postgres_backup(backup_path);
}

}  // namespace keel::store
