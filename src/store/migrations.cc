#include "store/migrations.h"

#include "core/time.h"
#include "store/sql_text.h"

namespace keel::store {

// The one reader of a transaction's dialect (a friend of Tx): what differs between the engines
// in running migrations stays in this file.
class MigrationRunner {
 public:
  static Dialect dialect(const Tx& tx) { return tx.dialect(); }

  static int read_version(Tx& tx) {
    bool exists;
    if (tx.dialect() == Dialect::sqlite) {
      exists = tx.one("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'").has_value();
    } else {
      exists = tx.one(
                     "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND "
                     "table_name = 'schema_migrations'")
                   .has_value();
    }
    if (!exists) return 0;
    auto row = tx.one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    return row ? static_cast<int>(row->integer(0)) : 0;
  }
};

namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
}

// A statement as it goes to the engine: without the blank lines and spaces around it.
void add_statement(std::vector<std::string>& out, const std::string& stmt) {
  size_t first = stmt.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return;
  out.push_back(stmt.substr(first, stmt.find_last_not_of(" \t\r\n") + 1 - first));
}

}  // namespace

std::vector<std::string> render_migration(const std::string& sql, Dialect dialect) {
  const bool pg = dialect == Dialect::postgres;
  std::vector<std::string> out;
  std::string stmt;
  // Only code is rewritten and split: a literal, a quoted name or a comment may hold `;`, `--`
  // or `{{C}}` as text (see "SQL text" in store/db.h).
  for (const sql::Span& span : sql::scan(sql)) {
    if (span.kind == sql::SpanKind::comment) {
      stmt += ' ';  // a line comment's end of line is code and stays; /* */ separates like a space
      continue;
    }
    if (span.kind != sql::SpanKind::code) {
      stmt += span.text;
      continue;
    }
    std::string code(span.text);
    replace_all(code, "{{SERIAL}}", pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
    replace_all(code, "{{C}}", pg ? "COLLATE \"C\"" : "");
    replace_all(code, "{{WITHOUT_ROWID}}", pg ? "" : "WITHOUT ROWID");
    for (char c : code) {
      if (c != ';') {
        stmt += c;
        continue;
      }
      add_statement(out, stmt);
      stmt.clear();
    }
  }
  // A final statement without its closing ';' is still a statement.
  add_statement(out, stmt);
  return out;
}

int latest_schema_version() {
  int v = 0;
  for (const auto& m : embedded_migrations()) v = std::max(v, m.version);
  return v;
}

int schema_version(Database& db) {
  int v = 0;
  db.read([&](Tx& tx) { v = MigrationRunner::read_version(tx); });
  return v;
}

void lock_schema(Tx& tx) { tx.lock(NamedLock::schema); }

int migrate(Database& db, int up_to) {
  int applied = 0;
  db.write([&](Tx& tx) {
    lock_schema(tx);
    int current = MigrationRunner::read_version(tx);
    if (current > latest_schema_version())
      throw std::runtime_error("the database schema is version " + std::to_string(current) +
                               ", newer than this Keel knows (" + std::to_string(latest_schema_version()) +
                               "); upgrade Keel instead of downgrading");
    if (current == 0)
      tx.query(
          "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    for (const auto& m : embedded_migrations()) {
      if (m.version <= current || m.version > up_to) continue;
      for (const auto& stmt : render_migration(m.sql, MigrationRunner::dialect(tx))) tx.query(stmt);
      tx.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
               {int64_t{m.version}, std::string(m.name), format_utc(now_ms())});
      ++applied;
    }
  });
  return applied;
}

}  // namespace keel::store
