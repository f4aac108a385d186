// Operator commands that work on a database directly: backup, restore, integrity check, and
// demo data. Each is also a `keel` subcommand (see main.cc).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/db.h"

namespace keel::ops {

// Opens a database that must already hold a Keel schema (for backup and check): a mistyped
// --data-dir or URL is an error, never an empty database created on the spot.
std::unique_ptr<store::Database> open_existing(const std::string& database_url, int pool = 1);

// A consistent copy while the server keeps running. SQLite: VACUUM INTO (a snapshot of one
// read transaction, compacted). PostgreSQL: pg_dump in custom format.
void backup(const std::string& database_url, const std::string& out_path);

// Puts a backup back. SQLite: the backup is verified (integrity, schema) before it replaces the
// database file atomically (write beside, fsync, rename), and refuses while a server holds the
// data directory lock. PostgreSQL: the archive is read first (complete, a Keel schema no newer
// than this binary), then pg_restore --clean --single-transaction into the target database.
void restore(const std::string& database_url, const std::string& backup_path);

// Verifies the database: engine integrity, foreign keys, references between records, deal
// stages, and that every record's current version has its change-log entry. Returns the list
// of problems (empty when healthy).
std::vector<std::string> check(store::Database& db);

// Loads a sample company (accounts, contacts with Chinese and English names, deals across the
// stages, activities, tasks, products, orders) unless the database already has accounts. Its
// industries, titles, subjects, deal names and tags are in `locale` ("en" or "zh-CN").
// Returns the number of records created.
int load_demo_data(store::Database& db, const std::string& locale = "en");

// Holds an exclusive lock on DIR/keel.lock for the life of the object, so that restore cannot
// swap the database under a running server. Throws if another process holds it.
class DataDirLock {
 public:
  explicit DataDirLock(const std::string& dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  static bool is_locked(const std::string& dir);

 private:
  int fd_ = -1;
};

}  // namespace keel::ops
