// store/db.h and store/migrations.h on SQLite: migrations, transactions, error kinds, and what the
// store hides of the engines.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/text.h"
#include "store/db.h"
#include "store/migrations.h"
#include "temp_dir.h"

namespace keel::store {
namespace {

class SqliteStore : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("keel.db");
    db_ = open_sqlite(path_, 2);
  }
  void TearDown() override {
    if (db_) db_->close();
  }

  // Runs `sql` in a read transaction and returns its result.
  Result read(const std::string& sql, const Params& params = {}) {
    Result r;
    db_->read([&](Tx& tx) { r = tx.query(sql, params); });
    return r;
  }
  std::optional<std::string> meta(const std::string& key) {
    Result r = read("SELECT value FROM meta WHERE key = ?", {key});
    if (r.empty()) return std::nullopt;
    return r.rows[0].text(0);
  }
  // The single integer a read returns.
  int64_t count(const std::string& sql, const Params& params = {}) { return read(sql, params).rows.at(0).integer(0); }
  void put_meta(const std::string& key, const std::string& value) {
    db_->write([&](Tx& tx) { tx.query("INSERT INTO meta (key, value) VALUES (?, ?)", {key, value}); });
  }

  keel::testing::TempDir dir_;
  std::string path_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteStore, MigrateAppliesOnceAndRecordsTheVersion) {
  EXPECT_EQ(schema_version(*db_), 0);
  ASSERT_FALSE(embedded_migrations().empty());
  int applied = migrate(*db_);
  EXPECT_GT(applied, 0);
  EXPECT_EQ(applied, static_cast<int>(embedded_migrations().size()));
  EXPECT_EQ(schema_version(*db_), latest_schema_version());
  EXPECT_EQ(migrate(*db_), 0);  // nothing pending
  EXPECT_EQ(schema_version(*db_), latest_schema_version());

  Result r = read("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  ASSERT_EQ(r.rows.size(), embedded_migrations().size());
  EXPECT_EQ(r.rows[0].integer(0), 1);
  EXPECT_EQ(r.rows[0].text(1), "001_initial");
  EXPECT_EQ(r.rows[0].text(2).size(), 24u);  // "YYYY-MM-DDTHH:MM:SS.mmmZ"
}

// Migration 006: free-text sources written as version 5 held them become codes; unknown text
// becomes 'other' and is kept in the description, after what was there.
TEST_F(SqliteStore, Migration006MapsFreeTextSourcesToCodesAndKeepsTheRest) {
  ASSERT_EQ(migrate(*db_, 5), 5);
  EXPECT_EQ(schema_version(*db_), 5);
  const std::string t = "2026-01-01T00:00:00.000Z";
  const std::pair<const char*, const char*> before[] = {// source as stored, description as stored
                                                        {"Trade Show", nullptr},
                                                        {" trade-show ", "Met at the booth"},
                                                        {"WEB", nullptr},
                                                        {"website", ""},
                                                        {"Referral", nullptr},
                                                        {"cold_call", nullptr},
                                                        {"展会", nullptr},
                                                        {"Golf with the CEO", nullptr},
                                                        {"Yellow pages", "Old notes"},
                                                        {"", nullptr},
                                                        {nullptr, "no source"}};
  db_->write([&](Tx& tx) {
    tx.query("INSERT INTO roles (id, name, permissions, created_at, updated_at) VALUES ('r', 'r', '{}', ?, ?)", {t, t});
    tx.query(
        "INSERT INTO users (id, email, name, password_hash, role_id, created_at, updated_at) "
        "VALUES ('u', 'u@example.com', 'U', 'x', 'r', ?, ?)",
        {t, t});
    int i = 0;
    for (auto [source, description] : before) {
      Value src = source ? Value{std::string(source)} : Value{};
      Value desc = description ? Value{std::string(description)} : Value{};
      std::string id = std::to_string(i++);
      for (const char* table : {"contacts", "leads", "deals"})
        tx.query(std::string("INSERT INTO ") + table +
                     " (id, version, owner_id, created_at, created_by, updated_at, updated_by, name, source, "
                     "description) VALUES (?, 1, 'u', ?, 'u', ?, 'u', 'N', ?, ?)",
                 {id, t, t, src, desc});
    }
  });
  ASSERT_EQ(migrate(*db_), latest_schema_version() - 5);

  const std::pair<std::optional<std::string>, std::optional<std::string>> after[] = {
      {"trade_show", std::nullopt},
      {"trade_show", "Met at the booth"},
      {"website", std::nullopt},
      {"website", ""},
      {"referral", std::nullopt},
      {"cold_call", std::nullopt},
      {"trade_show", std::nullopt},
      {"other", "Source: Golf with the CEO"},
      {"other", "Old notes\n\nSource: Yellow pages"},
      {std::nullopt, std::nullopt},
      {std::nullopt, "no source"}};
  for (const char* table : {"contacts", "leads", "deals"}) {
    Result r = read(std::string("SELECT id, source, description, version FROM ") + table + " ORDER BY id");
    ASSERT_EQ(r.rows.size(), std::size(after)) << table;
    for (const Row& row : r.rows) {
      size_t i = std::stoul(row.text(0));
      EXPECT_EQ(row.opt_text(1), after[i].first) << table << " row " << i;
      EXPECT_EQ(row.opt_text(2), after[i].second) << table << " row " << i;
      EXPECT_EQ(row.integer(3), 1) << "a schema change is no user's edit";
    }
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'source_spellings'"), 0);
}

TEST_F(SqliteStore, MigrationsSurviveReopening) {
  ASSERT_GT(migrate(*db_), 0);
  put_meta("k", "v");
  db_->close();
  db_ = open_sqlite(path_, 1);
  EXPECT_EQ(schema_version(*db_), latest_schema_version());
  EXPECT_EQ(migrate(*db_), 0);
  EXPECT_EQ(meta("k"), std::optional<std::string>("v"));
}

TEST_F(SqliteStore, RefusesASchemaFromANewerKeel) {
  ASSERT_GT(migrate(*db_), 0);
  db_->write([&](Tx& tx) {
    tx.query(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        {int64_t{latest_schema_version() + 1}, std::string("999_future"), std::string("2030-01-01T00:00:00.000Z")});
  });
  EXPECT_THROW(migrate(*db_), std::runtime_error);
  EXPECT_EQ(schema_version(*db_), latest_schema_version() + 1);  // untouched
}

TEST_F(SqliteStore, WriteCommitsWhenFnReturns) {
  ASSERT_GT(migrate(*db_), 0);
  put_meta("greeting", "你好");
  EXPECT_EQ(meta("greeting"), std::optional<std::string>("你好"));
}

TEST_F(SqliteStore, WriteRollsBackWhenFnThrows) {
  ASSERT_GT(migrate(*db_), 0);
  struct Boom : std::runtime_error {
    Boom() : std::runtime_error("boom") {}
  };
  EXPECT_THROW(db_->write([&](Tx& tx) {
    tx.query("INSERT INTO meta (key, value) VALUES (?, ?)", {std::string("half"), std::string("written")});
    // Visible inside the transaction...
    EXPECT_TRUE(tx.one("SELECT value FROM meta WHERE key = ?", {std::string("half")}).has_value());
    throw Boom();  // ...but not after it
  }),
               Boom);
  EXPECT_EQ(meta("half"), std::nullopt);
  Result all = read("SELECT COUNT(*) FROM meta");
  EXPECT_EQ(all.rows[0].integer(0), 0);
  // The writer is usable again afterwards (no transaction left open).
  put_meta("after", "ok");
  EXPECT_EQ(meta("after"), std::optional<std::string>("ok"));
}

TEST_F(SqliteStore, RollbackUndoesEveryStatementOfTheTransaction) {
  ASSERT_GT(migrate(*db_), 0);
  put_meta("keep", "1");
  EXPECT_THROW(db_->write([&](Tx& tx) {
    tx.query("UPDATE meta SET value = '2' WHERE key = 'keep'");
    tx.query("INSERT INTO meta (key, value) VALUES ('new', 'x')");
    tx.query("DELETE FROM meta WHERE key = 'keep'");
    throw std::logic_error("abort");
  }),
               std::logic_error);
  EXPECT_EQ(meta("keep"), std::optional<std::string>("1"));
  EXPECT_EQ(meta("new"), std::nullopt);
}

TEST_F(SqliteStore, DuplicateKeyIsUniqueViolation) {
  ASSERT_GT(migrate(*db_), 0);
  put_meta("dup", "first");
  try {
    put_meta("dup", "second");
    FAIL() << "expected a DbError";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::unique_violation) << e.what();
  }
  EXPECT_EQ(meta("dup"), std::optional<std::string>("first"));
  // A UNIQUE column (not the primary key) classifies the same way.
  db_->write([&](Tx& tx) {
    tx.query(
        "INSERT INTO roles (id, name, permissions, created_at, updated_at) VALUES ('r1', 'sales', '{}', 't', 't')");
  });
  try {
    db_->write([&](Tx& tx) {
      tx.query(
          "INSERT INTO roles (id, name, permissions, created_at, updated_at) VALUES ('r2', 'sales', '{}', 't', 't')");
    });
    FAIL() << "expected a DbError";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::unique_violation) << e.what();
  }
}

TEST_F(SqliteStore, MissingReferenceIsForeignKey) {
  ASSERT_GT(migrate(*db_), 0);
  try {
    db_->write([&](Tx& tx) {
      tx.query(
          "INSERT INTO users (id, email, name, password_hash, role_id, created_at, updated_at) "
          "VALUES ('u1', 'a@example.com', 'A', 'h', 'no-such-role', 't', 't')");
    });
    FAIL() << "expected a DbError";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::foreign_key) << e.what();
  }
  EXPECT_TRUE(read("SELECT id FROM users").empty());
}

TEST_F(SqliteStore, FailedCommitRollsBackAndLeavesTheWriterUsable) {
  ASSERT_GT(migrate(*db_), 0);
  // With deferred foreign keys the violation surfaces at COMMIT, after fn has returned: the
  // same path as any other COMMIT failure (disk full, I/O error).
  EXPECT_THROW(db_->write([&](Tx& tx) {
    tx.query("PRAGMA defer_foreign_keys = ON");
    tx.query("INSERT INTO meta (key, value) VALUES ('orphan-marker', 'x')");
    tx.query(
        "INSERT INTO users (id, email, name, password_hash, role_id, created_at, updated_at) "
        "VALUES ('u1', 'a@example.com', 'A', 'h', 'no-such-role', 't', 't')");
  }),
               DbError);
  EXPECT_EQ(meta("orphan-marker"), std::nullopt);
  // The failed transaction must not stay open on the writer connection.
  EXPECT_NO_THROW(put_meta("after", "ok"));
  EXPECT_EQ(meta("after"), std::optional<std::string>("ok"));
  EXPECT_EQ(meta("orphan-marker"), std::nullopt);
}

TEST_F(SqliteStore, BadSqlIsOther) {
  try {
    db_->write([&](Tx& tx) { tx.query("SELEKT 1"); });
    FAIL() << "expected a DbError";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::other);
  }
  EXPECT_THROW(read("SELECT * FROM no_such_table"), DbError);
}

TEST_F(SqliteStore, ValuesRoundTrip) {
  Result r = read("SELECT ? AS n, ? AS s, ? AS z, ? AS big",
                  {int64_t{-42}, std::string("王小明"), null_value(), int64_t{9'000'000'000'000'000}});
  ASSERT_EQ(r.rows.size(), 1u);
  const Row& row = r.rows[0];
  EXPECT_EQ(r.columns, (std::vector<std::string>{"n", "s", "z", "big"}));
  EXPECT_EQ(row.integer(r.column("n")), -42);
  EXPECT_EQ(row.text(r.column("n")), "-42");  // integers print as text
  EXPECT_EQ(row.text(r.column("s")), "王小明");
  EXPECT_TRUE(row.is_null(r.column("z")));
  EXPECT_EQ(row.integer(r.column("z")), 0);
  EXPECT_EQ(row.text(r.column("z")), "");
  EXPECT_EQ(row.opt_text(r.column("z")), std::nullopt);
  EXPECT_EQ(row.opt_text(r.column("s")), "王小明");
  EXPECT_EQ(row.integer(r.column("big")), 9'000'000'000'000'000);
  EXPECT_THROW(r.column("missing"), std::logic_error);
  // Text with an embedded NUL survives binding.
  Result nul = read("SELECT length(CAST(? AS BLOB))", {std::string("a\0b", 3)});
  EXPECT_EQ(nul.rows[0].integer(0), 3);
}

TEST_F(SqliteStore, AffectedRowsAndOne) {
  ASSERT_GT(migrate(*db_), 0);
  for (const char* k : {"a", "b", "c"}) put_meta(k, "0");
  int64_t affected = -1;
  db_->write([&](Tx& tx) { affected = tx.query("UPDATE meta SET value = '1' WHERE key <> 'c'").affected; });
  EXPECT_EQ(affected, 2);
  db_->read([&](Tx& tx) {
    auto row = tx.one("SELECT value FROM meta WHERE key = ?", {std::string("a")});
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->text(0), "1");
    EXPECT_FALSE(tx.one("SELECT value FROM meta WHERE key = 'zzz'").has_value());
  });
}

TEST_F(SqliteStore, ReadersSeeOnlyCommittedData) {
  ASSERT_GT(migrate(*db_), 0);
  put_meta("k", "old");
  // A reader running while a write is open sees the last committed value.
  db_->write([&](Tx& tx) {
    tx.query("UPDATE meta SET value = 'new' WHERE key = 'k'");
    EXPECT_EQ(meta("k"), std::optional<std::string>("old"));
  });
  EXPECT_EQ(meta("k"), std::optional<std::string>("new"));
}

TEST_F(SqliteStore, ConcurrentWritersAndReaders) {
  ASSERT_GT(migrate(*db_), 0);
  constexpr int kThreads = 4, kWrites = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        try {
          put_meta("t" + std::to_string(t) + "-" + std::to_string(i), "v");
          Result r = read("SELECT COUNT(*) FROM meta");
          if (r.rows.at(0).integer(0) < 1) ++failures;
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(read("SELECT COUNT(*) FROM meta").rows[0].integer(0), kThreads * kWrites);
}

TEST_F(SqliteStore, SearchPrefixRangeScan) {
  ASSERT_GT(migrate(*db_), 0);
  // One record per value; a record's terms are stored once each.
  const std::vector<std::pair<std::string, TermKind>> values = {{"王小明", TermKind::words},
                                                                {"王五", TermKind::words},
                                                                {"Alice Wong", TermKind::words},
                                                                {"+86 138-1234-5678", TermKind::phone}};
  db_->write([&](Tx& tx) {
    for (size_t i = 0; i < values.size(); ++i) {
      std::vector<std::string> terms;
      index_terms(values[i].first, values[i].second, terms);
      for (const auto& t : terms)
        tx.query("INSERT OR IGNORE INTO search_index (entity, term, record_id) VALUES ('contacts', ?, ?)",
                 {t, "r" + std::to_string(i)});
    }
  });
  auto lookup = [&](const std::string& prefix) {
    Result r = read("SELECT term FROM search_index WHERE entity = 'contacts' AND term >= ? AND term < ? ORDER BY term",
                    {prefix, prefix_upper_bound(prefix)});
    std::vector<std::string> out;
    for (const auto& row : r.rows) out.push_back(row.text(0));
    return out;
  };
  EXPECT_EQ(lookup("王"), (std::vector<std::string>{"王五", "王小明"}));
  EXPECT_EQ(lookup("小明"), (std::vector<std::string>{"小明"}));
  EXPECT_EQ(lookup("wo"), (std::vector<std::string>{"wong"}));
  EXPECT_EQ(lookup("5678"), (std::vector<std::string>{"5678"}));
  EXPECT_TRUE(lookup("zzz").empty());
}

TEST_F(SqliteStore, CloseStopsFurtherUse) {
  EXPECT_EQ(db_->describe(), "sqlite:" + path_);
  db_->close();
  EXPECT_THROW(db_->read([](Tx&) {}), DbError);
  EXPECT_THROW(db_->write([](Tx&) {}), DbError);
  db_->close();  // idempotent
}

TEST(OpenDatabase, SqliteUrlsAndPlainPaths) {
  keel::testing::TempDir dir;
  for (const std::string& url : {"sqlite:" + dir.file("a.db"), dir.file("b.db")}) {
    auto db = Database::open(url, 1);
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->describe(), "sqlite:" + *local_file(url));  // the SQLite engine, on that file
    EXPECT_GT(migrate(*db), 0);
    db->close();
  }
  EXPECT_TRUE(std::filesystem::exists(dir.file("a.db")));
  EXPECT_TRUE(std::filesystem::exists(dir.file("b.db")));
}

TEST(OpenDatabase, UnopenablePathIsAConnectionError) {
  try {
    open_sqlite("/nonexistent-dir/for/keel/test.db", 1);
    FAIL() << "expected a DbError";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::connection);
  }
}

// ---------------------------------------------------------------------------------------------
// What store/db.h hides of the engines, on SQLite: named locks, row locking, containment, the
// planner question, the engine's integrity check, backup and restore, and which URLs are files.
// (PostgreSQL's side of each runs through the integration suite on PostgreSQL.)

TEST(NamedLocks, AdvisoryKeysAreDistinctAndNeverChange) {
  // Servers of two versions sharing a PostgreSQL during an upgrade must take the same keys.
  EXPECT_EQ(advisory_key(NamedLock::schema), 735301);
  EXPECT_EQ(advisory_key(NamedLock::change_log), 735302);
  EXPECT_EQ(advisory_key(NamedLock::login_attempts), 735303);
  std::set<int64_t> keys;
  for (NamedLock n : {NamedLock::schema, NamedLock::change_log, NamedLock::login_attempts})
    keys.insert(advisory_key(n));
  EXPECT_EQ(keys.size(), 3u);
}

TEST_F(SqliteStore, NamedLocksAndRowLocksAreForWriteTransactions) {
  db_->exec_outside_tx("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  db_->write([&](Tx& tx) {
    tx.query("INSERT INTO t (id, v) VALUES (1, 'a')");
    for (NamedLock n : {NamedLock::schema, NamedLock::change_log, NamedLock::login_attempts}) tx.lock(n);
    lock_schema(tx);
    EXPECT_EQ(tx.row_lock_suffix(), "");
    auto row = tx.one("SELECT v FROM t WHERE id = ?" + std::string(tx.row_lock_suffix()), {int64_t{1}});
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->text(0), "a");
  });
  db_->read([&](Tx& tx) {
    EXPECT_THROW(tx.lock(NamedLock::change_log), std::logic_error);
    EXPECT_THROW(tx.row_lock_suffix(), std::logic_error);
  });
}

// What makes a named lock a no-op on SQLite: a write transaction already excludes every other
// writer, through this process's writer and through another connection to the same file.
TEST_F(SqliteStore, AWriteTransactionExcludesOtherWritersAsANamedLockWould) {
  db_->exec_outside_tx("CREATE TABLE log (seq INTEGER PRIMARY KEY, writer TEXT NOT NULL)");
  auto other = open_sqlite(path_, 1);  // as another server process would open the file
  for (Database* second : {db_.get(), other.get()}) {
    std::atomic<bool> inside{false};
    int64_t seen_by_second = -1;
    std::thread first([&] {
      db_->write([&](Tx& tx) {
        tx.lock(NamedLock::change_log);
        inside = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        tx.query("INSERT INTO log (writer) VALUES ('first')");
      });
    });
    while (!inside) std::this_thread::yield();
    second->write([&](Tx& tx) {
      tx.lock(NamedLock::change_log);
      // Reached only after the first committed: its row is there.
      seen_by_second = tx.one("SELECT COUNT(*) FROM log WHERE writer = 'first'")->integer(0);
      tx.query("INSERT INTO log (writer) VALUES ('second')");
    });
    first.join();
    EXPECT_EQ(seen_by_second, 1);
    db_->write([&](Tx& tx) { tx.query("DELETE FROM log"); });
  }
  other->close();
}

TEST_F(SqliteStore, ContainsIsCaseSensitiveAndFalseOnNull) {
  auto contains = [&](const Value& text, const std::string& part) {
    return count("SELECT CASE WHEN " + contains_sql(db_->sql_dialect(), "?", "?") + " THEN 1 ELSE 0 END", {text, part});
  };
  EXPECT_EQ(contains(std::string("[\"vip\",\"new\"]"), "\"vip\","), 1);
  EXPECT_EQ(contains(std::string("abc"), "abc"), 1);
  EXPECT_EQ(contains(std::string("abc"), "B"), 0);
  EXPECT_EQ(contains(std::string("abc"), "abcd"), 0);
  EXPECT_EQ(contains(std::string("王小明"), "小明"), 1);
  EXPECT_EQ(contains(null_value(), "a"), 0);
}

TEST_F(SqliteStore, ThePlannerHasNoStatistics) { EXPECT_FALSE(db_->plans_from_statistics()); }

TEST_F(SqliteStore, IntegrityProblemsNameBrokenForeignKeys) {
  ASSERT_GT(migrate(*db_), 0);
  db_->read([&](Tx& tx) { EXPECT_TRUE(tx.integrity_problems().empty()); });
  db_->exec_outside_tx("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
  db_->exec_outside_tx("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))");
  // Rows that break a foreign key exist in SQLite only where enforcement was off.
  db_->exec_outside_tx("PRAGMA foreign_keys=OFF");
  db_->write([&](Tx& tx) { tx.query("INSERT INTO child (id, parent_id) VALUES (7, 42)"); });
  db_->exec_outside_tx("PRAGMA foreign_keys=ON");
  db_->read([&](Tx& tx) {
    EXPECT_EQ(tx.integrity_problems(), std::vector<std::string>{"foreign key broken in child rowid 7 -> parent"});
  });
}

TEST_F(SqliteStore, BackupAndRestore) {
  ASSERT_GT(migrate(*db_), 0);
  db_->write([&](Tx& tx) { tx.query("INSERT INTO meta (key, value) VALUES ('kept', 'it''s ?')"); });
  const std::string backup = dir_.file("keel.backup");
  db_->backup_to(backup);
  db_->write([&](Tx& tx) { tx.query("INSERT INTO meta (key, value) VALUES ('later', 'x')"); });
  db_->close();
  db_.reset();

  // Refused before anything is touched: a file that is not a Keel database, a damaged one.
  const std::string empty = dir_.file("empty.db");
  open_sqlite(empty, 1)->close();
  EXPECT_THROW(restore_backup("sqlite:" + path_, empty), std::runtime_error);
  const std::string garbage = dir_.file("garbage.db");
  {
    std::FILE* f = std::fopen(garbage.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("not a database at all, but long enough to look like a header..........", f);
    std::fclose(f);
  }
  EXPECT_ANY_THROW(restore_backup("sqlite:" + path_, garbage));
  db_ = open_sqlite(path_, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM meta WHERE key = 'later'"), 1);
  db_->close();
  db_.reset();

  restore_backup("sqlite:" + path_, backup);
  EXPECT_FALSE(std::filesystem::exists(path_ + ".restoring"));
  db_ = open_sqlite(path_, 1);
  EXPECT_EQ(schema_version(*db_), latest_schema_version());
  EXPECT_EQ(count("SELECT COUNT(*) FROM meta WHERE key = 'kept' AND value = 'it''s ?'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM meta WHERE key = 'later'"), 0);
}

TEST(LocalFile, SqliteUrlsArePathsAndServersAreNot) {
  EXPECT_EQ(local_file("sqlite:/var/lib/keel/keel.db"), std::optional<std::string>("/var/lib/keel/keel.db"));
  EXPECT_EQ(local_file("data/keel.db"), std::optional<std::string>("data/keel.db"));
  EXPECT_EQ(local_file("sqlite:relative.db"), std::optional<std::string>("relative.db"));
  EXPECT_EQ(local_file("postgresql://keel@db.example/keel"), std::nullopt);
  EXPECT_EQ(local_file("postgres://db.example/keel"), std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// render_migration

bool any_contains(const std::vector<std::string>& stmts, const std::string& needle) {
  return std::any_of(stmts.begin(), stmts.end(),
                     [&](const std::string& s) { return s.find(needle) != std::string::npos; });
}

TEST(RenderMigration, Postgres) {
  ASSERT_FALSE(embedded_migrations().empty());
  auto stmts = render_migration(embedded_migrations().front().sql, Dialect::postgres);
  ASSERT_FALSE(stmts.empty());
  EXPECT_TRUE(any_contains(stmts, "BIGSERIAL"));
  EXPECT_TRUE(any_contains(stmts, "COLLATE \"C\""));
  EXPECT_FALSE(any_contains(stmts, "{{"));
  EXPECT_FALSE(any_contains(stmts, "}}"));
  EXPECT_FALSE(any_contains(stmts, "AUTOINCREMENT"));
  EXPECT_FALSE(any_contains(stmts, "WITHOUT ROWID"));
  EXPECT_FALSE(any_contains(stmts, "--"));  // comments are dropped
  for (const auto& s : stmts) EXPECT_EQ(s.find(';'), std::string::npos) << s;
}

TEST(RenderMigration, Sqlite) {
  for (const auto& m : embedded_migrations()) {
    auto stmts = render_migration(m.sql, Dialect::sqlite);
    EXPECT_FALSE(any_contains(stmts, "{{")) << m.name;
    EXPECT_FALSE(any_contains(stmts, "BIGSERIAL")) << m.name;
    EXPECT_FALSE(any_contains(stmts, "COLLATE")) << m.name;
  }
  auto stmts = render_migration(embedded_migrations().front().sql, Dialect::sqlite);
  EXPECT_TRUE(any_contains(stmts, "INTEGER PRIMARY KEY AUTOINCREMENT"));
  EXPECT_TRUE(any_contains(stmts, "WITHOUT ROWID"));
}

TEST(RenderMigration, SplitsStatementsAndDropsComments) {
  auto stmts = render_migration(
      "-- a comment; with a semicolon\n"
      "CREATE TABLE a (id {{SERIAL}}, x TEXT {{C}});  -- trailing\n"
      "\n"
      "CREATE TABLE b (y BIGINT) {{WITHOUT_ROWID}};\n",
      Dialect::postgres);
  ASSERT_EQ(stmts.size(), 2u);
  EXPECT_NE(stmts[0].find("CREATE TABLE a (id BIGSERIAL PRIMARY KEY, x TEXT COLLATE \"C\")"), std::string::npos)
      << stmts[0];
  EXPECT_EQ(stmts[0].find("comment"), std::string::npos);
  EXPECT_NE(stmts[1].find("CREATE TABLE b (y BIGINT)"), std::string::npos) << stmts[1];
}

TEST(RenderMigration, KeepsAFinalStatementWithoutSemicolon) {
  // A migration file whose last statement lacks the closing ';' must not lose that statement.
  auto stmts = render_migration("CREATE TABLE a (x BIGINT);\nCREATE INDEX a_x ON a(x)\n", Dialect::sqlite);
  ASSERT_EQ(stmts.size(), 2u);
  EXPECT_NE(stmts[1].find("CREATE INDEX a_x ON a(x)"), std::string::npos);
}

}  // namespace
}  // namespace keel::store
