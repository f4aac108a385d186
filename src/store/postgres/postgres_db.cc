// PostgreSQL engine: a fixed pool of libpq connections shared by request threads. Several Keel
// servers may use one database, so this engine keeps no state of its own between transactions.
// Statements are prepared once per connection, parameters travel as text.
#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "store/db.h"
#include "store/engines.h"
#include "store/sql_text.h"

namespace keel::store {
namespace {

constexpr unsigned kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kBoolOid = 16;

DbError classify(const PGresult* res, PGconn* conn) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
  std::string s = state ? state : "";
  if (s == "23505") return DbError(DbError::Kind::unique_violation, msg);
  if (s == "23503") return DbError(DbError::Kind::foreign_key, msg);
  if (s == "40001" || s == "40P01") return DbError(DbError::Kind::serialization, msg);
  if (s == "57014") return DbError(DbError::Kind::timeout, msg);  // query_canceled: statement_timeout
  if (s.rfind("08", 0) == 0 || PQstatus(conn) != CONNECTION_OK) return DbError(DbError::Kind::connection, msg);
  return DbError(DbError::Kind::other, msg);
}

class Connection {
 public:
  explicit Connection(const std::string& conninfo) : conninfo_(conninfo) { connect(); }
  ~Connection() {
    if (conn_) PQfinish(conn_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Applies the pool's statement timeout to this connection if it is not in force yet.
  void use_statement_timeout(int64_t ms) {
    if (ms == timeout_ms_) return;
    exec(("SET statement_timeout = " + std::to_string(ms)).c_str());
    timeout_ms_ = ms;
  }

  void ensure_healthy() {
    if (PQstatus(conn_) == CONNECTION_OK) return;
    PQreset(conn_);
    statements_.clear();
    timeout_ms_ = 0;
    if (PQstatus(conn_) != CONNECTION_OK)
      throw DbError(DbError::Kind::connection, std::string("database unreachable: ") + PQerrorMessage(conn_));
  }

  void exec(const char* sql) {
    PGresult* res = PQexec(conn_, sql);
    auto st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      DbError e = classify(res, conn_);
      PQclear(res);
      throw e;
    }
    PQclear(res);
  }

  Result query(std::string_view sql, const Params& params) {
    const std::string& name = prepare(sql);
    std::vector<std::string> holders(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (auto p = std::get_if<int64_t>(&params[i])) {
        holders[i] = std::to_string(*p);
        values[i] = holders[i].c_str();
      } else if (auto s = std::get_if<std::string>(&params[i])) {
        values[i] = s->c_str();
      }
    }
    PGresult* res =
        PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(), nullptr, nullptr, 0);
    auto st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      DbError e = classify(res, conn_);
      PQclear(res);
      throw e;
    }
    Result out;
    int ncol = PQnfields(res), nrow = PQntuples(res);
    std::vector<unsigned> types(static_cast<size_t>(ncol));
    for (int c = 0; c < ncol; ++c) {
      out.columns.emplace_back(PQfname(res, c));
      types[static_cast<size_t>(c)] = PQftype(res, c);
    }
    out.rows.reserve(static_cast<size_t>(nrow));
    for (int r = 0; r < nrow; ++r) {
      Row row;
      row.cols.reserve(static_cast<size_t>(ncol));
      for (int c = 0; c < ncol; ++c) {
        if (PQgetisnull(res, r, c)) {
          row.cols.emplace_back(std::monostate{});
          continue;
        }
        const char* v = PQgetvalue(res, r, c);
        unsigned t = types[static_cast<size_t>(c)];
        if (t == kInt8Oid || t == kInt4Oid || t == kInt2Oid) {
          row.cols.emplace_back(static_cast<int64_t>(std::stoll(v)));
        } else if (t == kBoolOid) {
          row.cols.emplace_back(static_cast<int64_t>(v[0] == 't' ? 1 : 0));
        } else {
          row.cols.emplace_back(std::string(v, static_cast<size_t>(PQgetlength(res, r, c))));
        }
      }
      out.rows.push_back(std::move(row));
    }
    const char* affected = PQcmdTuples(res);
    out.affected = (affected && *affected) ? std::stoll(affected) : 0;
    PQclear(res);
    return out;
  }

 private:
  void connect() {
    conn_ = PQconnectdb(conninfo_.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      throw DbError(DbError::Kind::connection, "cannot connect to PostgreSQL: " + msg);
    }
    exec("SET client_min_messages = warning");
    exec("SET TIME ZONE 'UTC'");
  }

  const std::string& prepare(std::string_view sql) {
    std::string key(sql);
    auto it = statements_.find(key);
    if (it != statements_.end()) return it->second;
    if (statements_.size() > 512) {
      exec("DEALLOCATE ALL");
      statements_.clear();
    }
    std::string name = "k" + std::to_string(++counter_);
    PGresult* res = PQprepare(conn_, name.c_str(), sql::number_placeholders(sql).c_str(), 0, nullptr);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
      DbError e = classify(res, conn_);
      PQclear(res);
      throw DbError(e.kind(), std::string(e.what()) + " in: " + key);
    }
    PQclear(res);
    return statements_.emplace(std::move(key), std::move(name)).first->second;
  }

  std::string conninfo_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> statements_;
  uint64_t counter_ = 0;
  int64_t timeout_ms_ = 0;  // the session's statement_timeout (0: none, PostgreSQL's default)
};

class PgTx final : public Tx {
 public:
  PgTx(Connection& c, bool writes) : conn_(c), writes_(writes) {}
  Result query(std::string_view sql, const Params& params) override { return conn_.query(sql, params); }

  void lock(NamedLock name) override {
    require_write("a named lock");
    conn_.query("SELECT pg_advisory_xact_lock(" + std::to_string(advisory_key(name)) + ")", {});
  }
  std::string_view row_lock_suffix() const override {
    require_write("a row lock");
    return " FOR UPDATE";
  }
  std::vector<std::string> integrity_problems() override { return {}; }

 private:
  Dialect dialect() const override { return Dialect::postgres; }
  void require_write(const char* what) const {
    if (!writes_) throw std::logic_error(std::string(what) + " is for write transactions");
  }

  Connection& conn_;
  bool writes_;
};

class PostgresDatabase final : public Database {
 public:
  Dialect sql_dialect() const override { return Dialect::postgres; }
  PostgresDatabase(std::string conninfo, int pool_size) : conninfo_(std::move(conninfo)) {
    for (int i = 0; i < std::max(1, pool_size); ++i) idle_.push_back(std::make_unique<Connection>(conninfo_));
  }

  bool plans_from_statistics() const override { return true; }
  void backup_to(const std::string& out_path) override { dump_postgres(conninfo_, out_path); }

  std::string describe() const override {
    // Never print a password that may sit in the URL.
    std::string s = conninfo_;
    auto at = s.find('@');
    auto scheme = s.find("://");
    if (at != std::string::npos && scheme != std::string::npos) {
      auto colon = s.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at) s.replace(colon + 1, at - colon - 1, "***");
    }
    return s;
  }

  void read(const std::function<void(Tx&)>& fn) override {
    run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", false, fn, 1);
  }
  void write(const std::function<void(Tx&)>& fn) override { run("BEGIN", true, fn, 5); }

  void exec_outside_tx(std::string_view sql) override {
    Lease lease(*this);
    lease.conn->exec(std::string(sql).c_str());
  }

  void set_statement_timeout(int64_t ms) override { timeout_ms_ = ms; }

  void close() override {
    std::lock_guard lock(mu_);
    closed_ = true;
    idle_.clear();
    cv_.notify_all();
  }

 private:
  struct Lease {
    PostgresDatabase& db;
    std::unique_ptr<Connection> conn;
    explicit Lease(PostgresDatabase& d) : db(d) {
      std::unique_lock lock(db.mu_);
      db.cv_.wait(lock, [&] { return !db.idle_.empty() || db.closed_; });
      if (db.closed_) throw DbError(DbError::Kind::connection, "database is closed");
      conn = std::move(db.idle_.back());
      db.idle_.pop_back();
      lock.unlock();
      try {
        conn->ensure_healthy();
        conn->use_statement_timeout(db.timeout_ms_.load(std::memory_order_relaxed));
      } catch (...) {
        // The connection goes back to the pool (to be reset on its next use): a failed lease
        // must not shrink the pool for good.
        lock.lock();
        if (!db.closed_) db.idle_.push_back(std::move(conn));
        db.cv_.notify_one();
        throw;
      }
    }
    ~Lease() {
      std::lock_guard lock(db.mu_);
      if (!db.closed_) db.idle_.push_back(std::move(conn));
      db.cv_.notify_one();
    }
  };

  void run(const char* begin, bool writes, const std::function<void(Tx&)>& fn, int attempts) {
    for (int attempt = 1;; ++attempt) {
      Lease lease(*this);
      try {
        lease.conn->exec(begin);
        PgTx tx(*lease.conn, writes);
        fn(tx);
        lease.conn->exec("COMMIT");
        return;
      } catch (const DbError& e) {
        try {
          lease.conn->exec("ROLLBACK");
        } catch (...) {
        }
        if (e.kind() != DbError::Kind::serialization || attempt >= attempts) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(2 * attempt));
      } catch (...) {
        try {
          lease.conn->exec("ROLLBACK");
        } catch (...) {
        }
        throw;
      }
    }
  }

  std::string conninfo_;
  std::atomic<int64_t> timeout_ms_{0};
  // The pool. idle_ and closed_ are guarded by mu_; cv_ waits on mu_ for a connection to come back.
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  bool closed_ = false;                            // guarded by mu_
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& conninfo, int pool_size) {
  return std::make_unique<PostgresDatabase>(conninfo, pool_size);
}

}  // namespace keel::store
