// The storage contract: transactions over SQL that runs unchanged on SQLite and PostgreSQL.
//
// Callers write portable SQL with `?` placeholders; the PostgreSQL engine rewrites them to $n.
// Values are NULL, 64-bit integers or text (money is integer minor units, instants are UTC text),
// so nothing ever travels as a float. Each engine keeps its prepared statements per connection.
//
// A transaction is a function: `db.write(fn)` runs fn inside BEGIN...COMMIT and rolls back if fn
// throws, so a failed request leaves nothing half-written. Writes on SQLite are serialised on one
// connection; reads run concurrently on a pool of readers (WAL mode).
//
// Where the engines differ, the store says what a caller means, not which engine it is: named
// locks (Tx::lock), locking the rows a write read (Tx::row_lock_suffix), substring tests
// (contains_sql) and JSON members (json_member_sql), whether the planner needs the caller to pick a plan
// (Database::plans_from_statistics), the engine's own integrity check (Tx::integrity_problems),
// backup and restore (Database::backup_to, restore_backup). Nothing above src/store/ branches
// on the engine.
//
// SQL text. Two rewrites read the SQL before an engine does (store/sql_text.h): the PostgreSQL
// engine numbers `?` placeholders ($1, $2, ...), and the migration renderer drops comments,
// replaces {{WORDS}} and splits a file into statements at `;`. Both act on code only, as the
// engines read it, so these may appear freely inside a '...' literal (with '' for a quote), a
// "..." identifier (with "" for a double quote) or a comment: `?`, `;`, `--`, `/* */`, `$`.
// What they rely on, and callers therefore do not write:
//   - `?` in code is always a placeholder: not PostgreSQL's jsonb operators ?, ?| and ?&
//     (use jsonb_exists and friends), and never $n placeholders of one's own;
//   - no nested /* /* */ */ comments (PostgreSQL nests them, SQLite does not);
//   - backslash escapes only in E'...' literals (standard_conforming_strings, PostgreSQL's
//     default, is assumed); $tag$...$tag$ quoting is understood but SQLite cannot run it;
//   - migrations: {{SERIAL}}, {{C}} and {{WITHOUT_ROWID}} are replaced in code only, and a `;`
//     in code always ends a statement (no trigger bodies with BEGIN ... ; ... END).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace keel::store {

using Value = std::variant<std::monostate, int64_t, std::string>;
using Params = std::vector<Value>;

inline Value null_value() { return std::monostate{}; }
inline Value text_or_null(const std::optional<std::string>& s) { return s ? Value{*s} : Value{}; }

struct Row {
  std::vector<Value> cols;
  bool is_null(size_t i) const { return std::holds_alternative<std::monostate>(cols.at(i)); }
  int64_t integer(size_t i) const;   // NULL reads as 0
  std::string text(size_t i) const;  // NULL reads as ""; integers are printed
  std::optional<std::string> opt_text(size_t i) const;
};

struct Result {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
  bool empty() const { return rows.empty(); }
  size_t column(std::string_view name) const;  // index of a column by name; throws if absent
};

// The SQL spelling of an engine. Layers above the store never look at it: they get it as a token
// (Tx::sql_dialect, Database::sql_dialect) and hand it back to the store's spellers
// (contains_sql, json_member_sql), which, with the migration renderer, are the only code that
// compares it (scripts/check fails on Dialect:: outside src/store).
enum class Dialect { sqlite, postgres };

// Transaction-scoped locks with a name, taken with Tx::lock and held until the transaction ends.
// They serialise work that row locks cannot: appends and count-then-insert sequences, across
// every server sharing one database.
//
// PostgreSQL: pg_advisory_xact_lock(advisory_key(name)). The keys are part of the on-disk
// contract: servers of different versions sharing one database during an upgrade must agree, so
// a key never changes and a new lock takes a new key.
//
// SQLite: nothing more to take. A write transaction there is BEGIN IMMEDIATE on the one writer
// connection: it holds the database file's write lock from its BEGIN to its end (against other
// processes too), and this process queues its writers on a mutex, so no other write transaction
// runs while it does. Every named lock is already held, for the same span.
enum class NamedLock {
  schema,          // migrations and first-start setup: one server works, the others wait
  change_log,      // change-log appends commit in sequence order (a reader never skips one)
  login_attempts,  // counting failed sign-ins and recording one are one step
  backups,         // deciding that no backup is running and starting one are one step
};

constexpr int64_t advisory_key(NamedLock name) {
  switch (name) {
    case NamedLock::schema:
      return 735301;
    case NamedLock::change_log:
      return 735302;
    case NamedLock::login_attempts:
      return 735303;
    case NamedLock::backups:
      return 735304;
  }
  return 0;
}

// Failures from the engine, classified so services can map them to client errors.
class DbError : public std::runtime_error {
 public:
  // timeout: the statement ran past the statement timeout and was cancelled.
  enum class Kind { unique_violation, foreign_key, busy, serialization, connection, timeout, other };
  DbError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

class Tx {
 public:
  virtual ~Tx() = default;
  virtual Result query(std::string_view sql, const Params& params = {}) = 0;
  // Convenience: first row, or nullopt.
  std::optional<Row> one(std::string_view sql, const Params& params = {});

  // Takes the named lock until this transaction ends (see NamedLock). Write transactions only:
  // in a read it would exclude nothing on SQLite, so it throws std::logic_error on both engines.
  virtual void lock(NamedLock name) = 0;

  // Appended to a SELECT whose rows this transaction goes on to update, so that concurrent
  // writers of one row queue up and each reads what the previous one committed. PostgreSQL:
  // " FOR UPDATE". SQLite: "" (it has no row locks nor FOR UPDATE, and needs none: a write
  // transaction already excludes every other writer, see NamedLock). Write transactions only
  // (std::logic_error).
  virtual std::string_view row_lock_suffix() const = 0;

  // The engine's own consistency check, each problem a line for `keel check`. SQLite: page
  // integrity (PRAGMA integrity_check) and foreign keys (PRAGMA foreign_key_check: SQLite can
  // hold rows that break them, written while enforcement was off). PostgreSQL: none to run; it
  // enforces foreign keys on every statement and has no page check without the amcheck
  // extension. Keel's own checks of its data are in ops::check, the same on both engines.
  virtual std::vector<std::string> integrity_problems() = 0;

  // The engine as a token to hand back to the store's SQL spellers (json_member_sql), for code
  // that builds a statement before or outside a transaction. Never compared above the store:
  // scripts/check fails on Dialect:: outside src/store.
  Dialect sql_dialect() const { return dialect(); }

 private:
  // The migration runner (store/migrations.cc) renders a migration for this transaction's engine.
  friend class MigrationRunner;
  virtual Dialect dialect() const = 0;
};

class Database {
 public:
  virtual ~Database() = default;
  // Runs fn in a read-only snapshot.
  virtual void read(const std::function<void(Tx&)>& fn) = 0;
  // Runs fn in a write transaction; commits if fn returns, rolls back if it throws. On
  // PostgreSQL a serialization failure or deadlock re-runs fn (up to a few times).
  virtual void write(const std::function<void(Tx&)>& fn) = 0;
  // Runs a statement outside any transaction (VACUUM INTO, maintenance).
  virtual void exec_outside_tx(std::string_view sql) = 0;
  // Bounds the time any one statement may run from now on (0: no bound): a statement past it is
  // cancelled and fails with DbError::Kind::timeout, so one request cannot occupy the database.
  // Set by `serve` after migrations, which are exempt. PostgreSQL: statement_timeout; SQLite: a
  // progress-handler deadline.
  virtual void set_statement_timeout(int64_t ms) = 0;
  virtual std::string describe() const = 0;  // "sqlite:/path" or "postgresql://host/db" (no password)
  virtual void close() = 0;

  // Whether the engine's planner chooses between index plans from statistics on the data
  // (PostgreSQL). SQLite's does not (Keel runs no ANALYZE), so for a query whose best plan
  // depends on how many rows match, the caller measures and picks the spelling itself.
  virtual bool plans_from_statistics() const = 0;

  // The engine as a token for the store's SQL spellers (see Tx::sql_dialect).
  virtual Dialect sql_dialect() const = 0;

  // Writes a consistent copy of the whole database to the new file out_path while servers keep
  // using it. SQLite: VACUUM INTO (one read snapshot, compacted), then fsync. PostgreSQL: pg_dump
  // in custom format. The file is what restore_backup reads. Writes go on meanwhile (SQLite copies
  // on a reader connection; WAL keeps the writer free).
  virtual void backup_to(const std::string& out_path) = 0;

  // Opens "sqlite:PATH", a plain file path, or "postgresql://..." / "postgres://...".
  static std::unique_ptr<Database> open(const std::string& url, int pool_size);
};

// The file a database URL keeps its data in when the engine stores it in one local file
// (SQLite: the path, whether it exists or not); nullopt for a database server (PostgreSQL).
std::optional<std::string> local_file(const std::string& url);

// Replaces the database at `url` with the content of a backup_to file, after verifying it: a
// complete Keel database no newer than this binary (else std::runtime_error, and nothing is
// touched). SQLite: page integrity and schema checked, then the file is replaced atomically
// (written beside, fsync, rename; the old WAL and shared-memory files removed); no server may
// have the file open (the caller checks). PostgreSQL: the archive's schema version read, then
// pg_restore --clean --single-transaction into the database.
void restore_backup(const std::string& url, const std::string& backup_path);

// The check restore_backup makes before it touches anything, on its own: whether the file at
// backup_path is a complete backup of a Keel database, for the engine of `url`, no newer than this
// binary. Returns its schema version; throws std::runtime_error saying what is wrong. SQLite:
// PRAGMA integrity_check over every page, and the schema version. PostgreSQL: pg_restore reads
// the whole archive (a truncated or foreign file fails) and the schema version inside it.
int verify_backup(const std::string& url, const std::string& backup_path);

// How SQL reads one member of a JSON object held in a text column (a record's custom field
// values), the one engine difference of custom fields: SQLite's json_type/json_extract against
// PostgreSQL's jsonb operators with casts. `value` is the member as a comparable, sortable
// expression: NULL when the member is absent or of another JSON type than `kind` (a value left by
// an earlier field of the same name), so a cast never fails; the same text serves for an
// expression index. `param` is how a bound operand is written so it compares with `value`
// (decimals compare as numbers, not as strings). `key` must be [a-z0-9_]+ (throws otherwise).
//   text    JSON string -> text;  integer: JSON number -> integer;  boolean: true/false -> 1/0;
//   decimal JSON string holding a decimal ("12.50") -> number (SQLite REAL, PostgreSQL numeric).
enum class JsonKind { text, integer, boolean, decimal };
struct JsonMemberSql {
  std::string value;
  std::string param;
};
JsonMemberSql json_member_sql(Dialect d, std::string_view column, std::string_view key, JsonKind kind);
// An SQL condition true where the text `text` contains `part` (both SQL expressions, for example
// a column and `?`): compared byte for byte, case-sensitive; a NULL text is not true. instr on
// SQLite, strpos on PostgreSQL; `d` is the token from Tx::sql_dialect or Database::sql_dialect.
std::string contains_sql(Dialect d, std::string_view text, std::string_view part);

std::unique_ptr<Database> open_sqlite(const std::string& path, int readers);
std::unique_ptr<Database> open_postgres(const std::string& conninfo, int pool_size);

}  // namespace keel::store
