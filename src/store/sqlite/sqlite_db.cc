// SQLite engine: one writer connection (SQLite allows one writer at a time anyway, and a mutex
// queues writers far more cheaply than SQLITE_BUSY retries), and a pool of reader connections
// that see committed snapshots concurrently thanks to WAL. synchronous=FULL makes every
// acknowledged commit survive power loss, not only a process crash.
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/db.h"
#include "store/engines.h"

namespace keel::store {
namespace {

class Connection {
 public:
  Connection(const std::string& path, bool writer, const std::atomic<int64_t>& timeout_ms) : timeout_ms_(timeout_ms) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (writer ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw DbError(DbError::Kind::connection, "cannot open " + path + ": " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 10000);
    try {
      // The first statements read the file: one that is not a database fails here, and the
      // handle must not outlive the constructor that failed.
      if (writer) {
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=FULL");
      }
      exec("PRAGMA foreign_keys=ON");
      exec("PRAGMA cache_size=-32000");  // 32 MiB page cache per connection
    } catch (...) {
      sqlite3_close_v2(db_);
      throw;
    }
    // Every 1000 virtual machine steps: past the statement's deadline, interrupt it.
    sqlite3_progress_handler(db_, 1000, &Connection::on_progress, this);
  }
  ~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "error";
      sqlite3_free(err);
      throw classify(sqlite3_extended_errcode(db_), msg);
    }
  }

  Result query(std::string_view sql, const Params& params) {
    int64_t limit = timeout_ms_.load(std::memory_order_relaxed);
    deadline_ = limit > 0 ? std::chrono::steady_clock::now() + std::chrono::milliseconds(limit)
                          : std::chrono::steady_clock::time_point::max();
    timed_out_ = false;
    struct NoDeadline {
      Connection* c;
      ~NoDeadline() { c->deadline_ = std::chrono::steady_clock::time_point::max(); }
    } reset{this};
    sqlite3_stmt* stmt = prepare(sql);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      const Value& v = params[i];
      if (auto p = std::get_if<int64_t>(&v)) {
        sqlite3_bind_int64(stmt, idx, *p);
      } else if (auto s = std::get_if<std::string>(&v)) {
        sqlite3_bind_text(stmt, idx, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
      } else {
        sqlite3_bind_null(stmt, idx);
      }
    }
    Result out;
    int ncol = sqlite3_column_count(stmt);
    out.columns.reserve(static_cast<size_t>(ncol));
    for (int c = 0; c < ncol; ++c) out.columns.emplace_back(sqlite3_column_name(stmt, c));
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        std::string msg = sqlite3_errmsg(db_);
        sqlite3_reset(stmt);
        if (rc == SQLITE_INTERRUPT && timed_out_)
          throw DbError(DbError::Kind::timeout, "statement cancelled after " + std::to_string(limit) + " ms");
        throw classify(rc, msg);
      }
      Row row;
      row.cols.reserve(static_cast<size_t>(ncol));
      for (int c = 0; c < ncol; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            row.cols.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_NULL:
            row.cols.emplace_back(std::monostate{});
            break;
          default: {
            const auto* txt = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            row.cols.emplace_back(std::string(txt ? txt : "", static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
          }
        }
      }
      out.rows.push_back(std::move(row));
    }
    out.affected = sqlite3_changes64(db_);
    sqlite3_reset(stmt);
    return out;
  }

  static DbError classify(int rc, const std::string& msg) {
    switch (rc) {
      case SQLITE_CONSTRAINT_UNIQUE:
      case SQLITE_CONSTRAINT_PRIMARYKEY:
        return DbError(DbError::Kind::unique_violation, msg);
      case SQLITE_CONSTRAINT_FOREIGNKEY:
        return DbError(DbError::Kind::foreign_key, msg);
      default:
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return DbError(DbError::Kind::busy, msg);
        return DbError(DbError::Kind::other, msg);
    }
  }

 private:
  static int on_progress(void* self) {
    auto* c = static_cast<Connection*>(self);
    c->timed_out_ = std::chrono::steady_clock::now() > c->deadline_;
    return c->timed_out_ ? 1 : 0;
  }

  sqlite3_stmt* prepare(std::string_view sql) {
    std::string key(sql);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK)
      throw classify(sqlite3_extended_errcode(db_), std::string(sqlite3_errmsg(db_)) + " in: " + key);
    // Statements built from user-chosen filters vary; bound the cache so it cannot grow forever.
    if (cache_.size() > 512) {
      for (auto& [s, st] : cache_) sqlite3_finalize(st);
      cache_.clear();
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  const std::atomic<int64_t>& timeout_ms_;
  // Statements outside query() (BEGIN, COMMIT, VACUUM INTO) run without a deadline.
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  bool timed_out_ = false;
};

class SqliteTx final : public Tx {
 public:
  SqliteTx(Connection& c, bool writes) : conn_(c), writes_(writes) {}
  Result query(std::string_view sql, const Params& params) override { return conn_.query(sql, params); }

  // BEGIN IMMEDIATE on the one writer already holds every named lock (see NamedLock).
  void lock(NamedLock) override { require_write("a named lock"); }
  std::string_view row_lock_suffix() const override {
    require_write("a row lock");
    return "";
  }

  std::vector<std::string> integrity_problems() override {
    std::vector<std::string> problems;
    for (const auto& row : query("PRAGMA integrity_check", {}).rows)
      if (row.text(0) != "ok") problems.push_back("sqlite integrity: " + row.text(0));
    for (const auto& row : query("PRAGMA foreign_key_check", {}).rows)
      problems.push_back("foreign key broken in " + row.text(0) + " rowid " + row.text(1) + " -> " + row.text(2));
    return problems;
  }

 private:
  Dialect dialect() const override { return Dialect::sqlite; }
  void require_write(const char* what) const {
    if (!writes_) throw std::logic_error(std::string(what) + " is for write transactions");
  }

  Connection& conn_;
  bool writes_;
};

class SqliteDatabase final : public Database {
 public:
  Dialect sql_dialect() const override { return Dialect::sqlite; }
  SqliteDatabase(std::string path, int readers) : path_(std::move(path)) {
    writer_ = std::make_unique<Connection>(path_, true, timeout_ms_);
    for (int i = 0; i < std::max(1, readers); ++i)
      idle_.push_back(std::make_unique<Connection>(path_, false, timeout_ms_));
  }

  void set_statement_timeout(int64_t ms) override { timeout_ms_ = ms; }

  std::string describe() const override { return "sqlite:" + path_; }

  bool plans_from_statistics() const override { return false; }

  void backup_to(const std::string& out_path) override {
    std::string escaped;
    for (char c : out_path) escaped += c == '\'' ? std::string("''") : std::string(1, c);
    // On a reader: VACUUM INTO copies one read snapshot, and in WAL mode the server's writes go on
    // meanwhile. On the writer connection it would hold every write until the copy is done.
    with_reader([&](Connection& c) { c.exec(("VACUUM INTO '" + escaped + "'").c_str()); });
    sync_to_disk(out_path);
  }

  // Runs fn on a reader connection taken from the pool (waiting for one), and gives it back.
  void with_reader(const std::function<void(Connection&)>& fn) {
    std::unique_ptr<Connection> conn;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !idle_.empty() || closed_; });
      if (closed_) throw DbError(DbError::Kind::connection, "database is closed");
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
    struct Return {
      SqliteDatabase* self;
      std::unique_ptr<Connection>& c;
      ~Return() {
        std::lock_guard lock(self->mu_);
        self->idle_.push_back(std::move(c));
        self->cv_.notify_one();
      }
    } give_back{this, conn};
    fn(*conn);
  }

  void read(const std::function<void(Tx&)>& fn) override {
    with_reader([&](Connection& c) { read_on(c, fn); });
  }

  static void read_on(Connection& conn_ref, const std::function<void(Tx&)>& fn) {
    Connection* conn = &conn_ref;
    conn->exec("BEGIN");
    try {
      SqliteTx tx(*conn, false);
      fn(tx);
    } catch (...) {
      try {
        conn->exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
    try {
      conn->exec("COMMIT");
    } catch (...) {
      try {
        conn->exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  }

  void write(const std::function<void(Tx&)>& fn) override {
    std::lock_guard lock(write_mu_);
    if (!writer_) throw DbError(DbError::Kind::connection, "database is closed");
    writer_->exec("BEGIN IMMEDIATE");
    try {
      SqliteTx tx(*writer_, true);
      fn(tx);
    } catch (...) {
      try {
        writer_->exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
    try {
      writer_->exec("COMMIT");
    } catch (...) {
      // A failed COMMIT (deferred constraint, I/O error, disk full) can leave the transaction
      // open; roll it back so the next write does not start inside it.
      try {
        writer_->exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  }

  void exec_outside_tx(std::string_view sql) override {
    std::lock_guard lock(write_mu_);
    writer_->exec(std::string(sql).c_str());
  }

  void close() override {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
      idle_.clear();
      cv_.notify_all();
    }
    std::lock_guard lock(write_mu_);
    if (writer_) {
      try {
        writer_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch (...) {
      }
      writer_.reset();
    }
  }

  ~SqliteDatabase() override { close(); }

 private:
  std::string path_;
  std::atomic<int64_t> timeout_ms_{0};  // declared before the connections that refer to it
  // The one writer is used only while write_mu_ is held (writers queue on it); the reader pool,
  // idle_ and closed_, is guarded by mu_, and cv_ waits on mu_ for a reader to come back.
  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;  // used under write_mu_
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  bool closed_ = false;                            // guarded by mu_
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, int readers) {
  return std::make_unique<SqliteDatabase>(path, readers);
}

}  // namespace keel::store
