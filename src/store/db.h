// The storage contract: transactions over SQL that runs unchanged on SQLite and PostgreSQL.
//
// Callers write portable SQL with `?` placeholders; the PostgreSQL engine rewrites them to $n.
// Values are NULL, 64-bit integers or text (money is integer minor units, instants are UTC text),
// so nothing ever travels as a float. Each engine keeps its prepared statements per connection.
//
// A transaction is a function: `db.write(fn)` runs fn inside BEGIN...COMMIT and rolls back if fn
// throws, so a failed request leaves nothing half-written. Writes on SQLite are serialised on one
// connection; reads run concurrently on a pool of readers (WAL mode).
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
  int64_t integer(size_t i) const;        // NULL reads as 0
  std::string text(size_t i) const;       // NULL reads as ""; integers are printed
  std::optional<std::string> opt_text(size_t i) const;
};

struct Result {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
  bool empty() const { return rows.empty(); }
  size_t column(std::string_view name) const;  // index of a column by name; throws if absent
};

enum class Dialect { sqlite, postgres };

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
  virtual Dialect dialect() const = 0;
  // Convenience: first row, or nullopt.
  std::optional<Row> one(std::string_view sql, const Params& params = {});
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
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

  // Opens "sqlite:PATH", a plain file path, or "postgresql://..." / "postgres://...".
  static std::unique_ptr<Database> open(const std::string& url, int pool_size);
};

std::unique_ptr<Database> open_sqlite(const std::string& path, int readers);
std::unique_ptr<Database> open_postgres(const std::string& conninfo, int pool_size);

}  // namespace keel::store
