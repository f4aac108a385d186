// Backups made by the running server: on request (the backup screen, POST /api/v1/admin/backups)
// and on a schedule (every interval, daily by default). The record of each is a row that every
// server sharing the database sees (service/backups.h); this class makes the files.
//
// One backup: the store writes a consistent copy (Database::backup_to: VACUUM INTO on SQLite,
// pg_dump on PostgreSQL) to NAME.partial in the backup directory; it is synced, read back and
// verified as restorable (store::verify_backup: every page, the schema version), its size and
// SHA-256 recorded, and only then renamed to NAME and reported "ok". A failure at any step leaves
// no file and a "failed" row with the reason. Then the oldest files beyond `keep` that this
// server made are deleted (their rows stay, marked pruned).
//
// The work runs on a thread of its own, so the request that asked answers 202 at once and the
// screen follows the row. stop() waits for a backup in progress to finish.
#pragma once

#include <boost/json/object.hpp>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "service/context.h"
#include "store/db.h"

namespace keel::ops {

struct BackupSettings {
  std::string dir;                   // where the files go (created if missing)
  int keep = 14;                     // newest successful backups whose files are kept, per server
  int64_t interval_ms = 86'400'000;  // scheduled backups; 0: none
  int64_t check_every_ms = 10'000;   // how often the schedule is looked at
  std::string server;                // this server's name in the record (host name)
};

class BackupRunner {
 public:
  // `url` is the database's URL (which engine's verification applies). `clock` is the server's one
  // clock: scheduled backups follow it, so tests can move time to make one due.
  BackupRunner(store::Database& db, std::string url, BackupSettings settings, const Clock& clock);
  ~BackupRunner();
  BackupRunner(const BackupRunner&) = delete;
  BackupRunner& operator=(const BackupRunner&) = delete;

  // Starts a backup for ctx's administrator and returns its row (status "running"). 409
  // backup_running when one is running on any server sharing the database.
  boost::json::object start(const service::Context& ctx);
  // Starts looking at the schedule (a thread that wakes every check_every_ms).
  void start_schedule();
  // Stops the schedule and waits for a backup in progress to finish.
  void stop();

  const BackupSettings& settings() const { return settings_; }

 private:
  void launch(const std::string& id);
  void make(const std::string& id);  // the worker: write, verify, record, prune
  void prune();
  void schedule_loop();

  store::Database& db_;
  const std::string url_;
  const BackupSettings settings_;
  const Clock& clock_;

  // Lock annotation (GCC has no -Wthread-safety): worker_, busy_ and stopping_ are guarded by mu_.
  std::mutex mu_;
  std::condition_variable wake_;  // the schedule's sleep, ended early by stop()
  std::thread worker_;            // the backup being made, or the last one (joined before the next)
  bool busy_ = false;             // a backup of this server is being made
  bool stopping_ = false;
  std::thread scheduler_;  // written only by start_schedule and stop, on the owner's thread
};

// SHA-256 of a file's content, as lowercase hex (libsodium).
std::string sha256_file(const std::string& path);

}  // namespace keel::ops
