#include "store/db.h"

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

std::unique_ptr<Database> Database::open(const std::string& url, int pool_size) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return open_postgres(url, pool_size);
  std::string path = url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
  return open_sqlite(path, pool_size);
}

}  // namespace keel::store
