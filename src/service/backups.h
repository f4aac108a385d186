// The record of backups the server makes (the backup screen, and the daily schedule): one row
// per backup in the `backups` table, shared by every server on the database, so any of them can
// show the history and only one backup runs at a time across all of them. Making the file is
// ops::BackupRunner's work; this module keeps the rows and decides what is due.
//
// A backup's life: begin_backup (status "running", under NamedLock::backups so two requests
// cannot both start one), heartbeat_backup every few seconds while the file is written, then
// finish_backup_ok (the file was written, synced, read back and found restorable) or
// finish_backup_failed. A running row whose heartbeat is older than kBackupStaleMs belongs to a
// server that stopped mid-backup: it is shown, and then stored, as failed ("interrupted").
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "service/context.h"
#include "store/db.h"

namespace keel::service {

constexpr int64_t kBackupHeartbeatMs = 5'000;
constexpr int64_t kBackupStaleMs = 60'000;

// Starts a backup's row: kind "manual" (ctx's user asked) or "scheduled". Administrators only
// (403). 409 backup_running when another backup is running on any server. Audited ("backup").
// Returns the row as backup_json shows it.
boost::json::object begin_backup(store::Database& db, const Context& ctx, const std::string& kind,
                                 const std::string& server);
void heartbeat_backup(store::Database& db, const std::string& id, int64_t now_ms);
struct BackupFile {
  std::string file_name;  // inside the backup directory
  int64_t size_bytes = 0;
  std::string sha256;  // hex
  int schema_version = 0;
};
void finish_backup_ok(store::Database& db, const std::string& id, const BackupFile& file, int64_t now_ms);
void finish_backup_failed(store::Database& db, const std::string& id, const std::string& error, int64_t now_ms);

// The newest backups first (at most `limit`), and one by id (404). Each is {id, kind, status,
// requested_by, requested_by_name, server, started_at, finished_at, duration_ms, file_name,
// size_bytes, sha256, schema_version, verified_at, error, pruned_at}. Administrators only.
boost::json::array list_backups(store::Database& db, const Context& ctx, int64_t limit);
boost::json::object get_backup(store::Database& db, const Context& ctx, const std::string& id);

// When the next scheduled backup is due, with one every interval_ms (nullopt: interval_ms is 0,
// no schedule): interval_ms after the newest backup that succeeded or is still running; with
// none, interval_ms after the database was created (so a new installation makes its first one
// day later, not at its first start). A failed backup does not count: the next look tries again.
std::optional<int64_t> next_scheduled_backup_ms(store::Database& db, int64_t now_ms, int64_t interval_ms);
// The pure rule behind it: `last_ms` is the newest counting start (or the creation time).
inline std::optional<int64_t> next_backup_ms(std::optional<int64_t> last_ms, int64_t now_ms, int64_t interval_ms) {
  if (interval_ms <= 0) return std::nullopt;
  return last_ms ? *last_ms + interval_ms : now_ms;
}

// The successful backups made by `server` beyond the newest `keep` of them whose files are still
// there: the runner deletes their files and then calls mark_backup_pruned. Failed backups have no
// file to keep (a partial one is deleted when the backup fails).
struct PrunableBackup {
  std::string id, file_name;
};
std::vector<PrunableBackup> backups_to_prune(store::Database& db, const std::string& server, int keep);
void mark_backup_pruned(store::Database& db, const std::string& id, int64_t now_ms);

}  // namespace keel::service
