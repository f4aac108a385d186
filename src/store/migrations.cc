#include "store/migrations.h"

#include "core/time.h"

namespace keel::store {
namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
}

int read_version(Tx& tx) {
  bool exists;
  if (tx.dialect() == Dialect::sqlite) {
    exists = tx.one("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'").has_value();
  } else {
    exists = tx.one("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND "
                    "table_name = 'schema_migrations'")
                 .has_value();
  }
  if (!exists) return 0;
  auto row = tx.one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return row ? static_cast<int>(row->integer(0)) : 0;
}

}  // namespace

std::vector<std::string> render_migration(const std::string& sql, Dialect dialect) {
  std::string s;
  // Drop comments line by line.
  size_t i = 0;
  while (i < sql.size()) {
    size_t end = sql.find('\n', i);
    if (end == std::string::npos) end = sql.size();
    std::string line = sql.substr(i, end - i);
    auto dash = line.find("--");
    if (dash != std::string::npos) line.resize(dash);
    s += line;
    s += '\n';
    i = end + 1;
  }
  bool pg = dialect == Dialect::postgres;
  replace_all(s, "{{SERIAL}}", pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
  replace_all(s, "{{C}}", pg ? "COLLATE \"C\"" : "");
  replace_all(s, "{{WITHOUT_ROWID}}", pg ? "" : "WITHOUT ROWID");
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t p = 0; p < s.size(); ++p) {
    if (s[p] != ';') continue;
    std::string stmt = s.substr(start, p - start);
    start = p + 1;
    if (stmt.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(stmt);
  }
  // A final statement without its closing ';' is still a statement.
  std::string tail = s.substr(std::min(start, s.size()));
  if (tail.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(tail);
  return out;
}

int latest_schema_version() {
  int v = 0;
  for (const auto& m : embedded_migrations()) v = std::max(v, m.version);
  return v;
}

int schema_version(Database& db) {
  int v = 0;
  db.read([&](Tx& tx) { v = read_version(tx); });
  return v;
}

void lock_schema(Tx& tx) {
  if (tx.dialect() == Dialect::postgres) tx.query("SELECT pg_advisory_xact_lock(735301)");
}

int migrate(Database& db) {
  int applied = 0;
  db.write([&](Tx& tx) {
    lock_schema(tx);
    int current = read_version(tx);
    if (current > latest_schema_version())
      throw std::runtime_error("the database schema is version " + std::to_string(current) +
                               ", newer than this Keel knows (" + std::to_string(latest_schema_version()) +
                               "); upgrade Keel instead of downgrading");
    if (current == 0)
      tx.query("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    for (const auto& m : embedded_migrations()) {
      if (m.version <= current) continue;
      for (const auto& stmt : render_migration(m.sql, tx.dialect())) tx.query(stmt);
      tx.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
               {int64_t{m.version}, std::string(m.name), format_utc(now_ms())});
      ++applied;
    }
  });
  return applied;
}

}  // namespace keel::store
