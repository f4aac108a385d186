#include "service/backups.h"

#include <boost/json.hpp>

#include "core/error.h"
#include "core/ids.h"
#include "core/time.h"
#include "service/admin.h"
#include "service/journal.h"
#include "service/json_rows.h"

namespace keel::service {
namespace json = boost::json;

namespace {

const char* const kColumns =
    "SELECT b.id, b.kind, b.status, b.requested_by, u.name, b.server, b.started_at, b.heartbeat_at, b.finished_at, "
    "b.file_name, b.size_bytes, b.sha256, b.schema_version, b.verified_at, b.error, b.pruned_at "
    "FROM backups b LEFT JOIN users u ON u.id = b.requested_by";

constexpr const char* kInterrupted = "interrupted: the server stopped before the backup finished";

int64_t instant_ms(const std::string& text) { return parse_instant(text, "").ms; }

json::value int_or_null(const store::Row& r, size_t i) {
  return r.is_null(i) ? json::value(nullptr) : json::value(r.integer(i));
}

bool is_stale(const store::Row& r, int64_t now_ms) {
  return r.text(2) == "running" && now_ms - instant_ms(r.text(7)) > kBackupStaleMs;
}

json::object backup_json(const store::Row& r, int64_t now_ms) {
  const bool stale = is_stale(r, now_ms);
  json::value duration = nullptr;
  if (!r.is_null(8)) duration = instant_ms(r.text(8)) - instant_ms(r.text(6));
  return {{"id", r.text(0)},
          {"kind", r.text(1)},
          {"status", stale ? "failed" : r.text(2)},
          {"requested_by", text_or_null(r, 3)},
          {"requested_by_name", text_or_null(r, 4)},
          {"server", r.text(5)},
          {"started_at", r.text(6)},
          {"finished_at", stale ? json::value(r.text(7)) : text_or_null(r, 8)},
          {"duration_ms", duration},
          {"file_name", text_or_null(r, 9)},
          {"size_bytes", int_or_null(r, 10)},
          {"sha256", text_or_null(r, 11)},
          {"schema_version", int_or_null(r, 12)},
          {"verified_at", text_or_null(r, 13)},
          {"error", stale ? json::value(kInterrupted) : text_or_null(r, 14)},
          {"pruned_at", text_or_null(r, 15)}};
}

}  // namespace

json::object begin_backup(store::Database& db, const Context& ctx, const std::string& kind, const std::string& server) {
  require_admin(ctx);
  const std::string id = new_uuid_v7();
  const int64_t now = ctx.now_ms();
  const std::string at = format_utc(now);
  json::object out;
  db.write([&](store::Tx& tx) {
    tx.lock(store::NamedLock::backups);
    // A server that stopped mid-backup left a running row behind: it is over.
    tx.query(
        "UPDATE backups SET status = 'failed', error = ?, finished_at = heartbeat_at "
        "WHERE status = 'running' AND heartbeat_at < ?",
        {kInterrupted, format_utc(now - kBackupStaleMs)});
    if (auto running = tx.one("SELECT id, server FROM backups WHERE status = 'running'"))
      throw ApiError(ErrorKind::conflict, "backup_running",
                     "A backup is already being made (on " + running->text(1) + "); wait for it to finish");
    store::Value by = ctx.principal.user_id.empty() ? store::Value{} : store::Value{ctx.principal.user_id};
    tx.query(
        "INSERT INTO backups (id, kind, status, requested_by, server, started_at, heartbeat_at) "
        "VALUES (?, ?, 'running', ?, ?, ?, ?)",
        {id, kind, by, server, at, at});
    append_audit(tx, ctx, "backups", id, "backup", json::object{{"kind", kind}, {"server", server}}, at);
    out = backup_json(*tx.one(std::string(kColumns) + " WHERE b.id = ?", {id}), now);
  });
  return out;
}

void heartbeat_backup(store::Database& db, const std::string& id, int64_t now_ms) {
  db.write([&](store::Tx& tx) {
    tx.query("UPDATE backups SET heartbeat_at = ? WHERE id = ? AND status = 'running'", {format_utc(now_ms), id});
  });
}

void finish_backup_ok(store::Database& db, const std::string& id, const BackupFile& file, int64_t now_ms) {
  const std::string at = format_utc(now_ms);
  db.write([&](store::Tx& tx) {
    tx.query(
        "UPDATE backups SET status = 'ok', finished_at = ?, heartbeat_at = ?, file_name = ?, size_bytes = ?, "
        "sha256 = ?, schema_version = ?, verified_at = ?, error = NULL WHERE id = ?",
        {at, at, file.file_name, file.size_bytes, file.sha256, int64_t{file.schema_version}, at, id});
  });
}

void finish_backup_failed(store::Database& db, const std::string& id, const std::string& error, int64_t now_ms) {
  const std::string at = format_utc(now_ms);
  db.write([&](store::Tx& tx) {
    tx.query("UPDATE backups SET status = 'failed', finished_at = ?, heartbeat_at = ?, error = ? WHERE id = ?",
             {at, at, error.substr(0, 2000), id});
  });
}

json::array list_backups(store::Database& db, const Context& ctx, int64_t limit) {
  require_admin(ctx);
  const int64_t now = ctx.now_ms();
  json::array out;
  db.read([&](store::Tx& tx) {
    for (const auto& r :
         tx.query(std::string(kColumns) + " ORDER BY b.started_at DESC, b.id DESC LIMIT ?", {limit}).rows)
      out.push_back(backup_json(r, now));
  });
  return out;
}

json::object get_backup(store::Database& db, const Context& ctx, const std::string& id) {
  require_admin(ctx);
  std::optional<store::Row> row;
  db.read([&](store::Tx& tx) { row = tx.one(std::string(kColumns) + " WHERE b.id = ?", {id}); });
  if (!row) throw not_found("No such backup");
  return backup_json(*row, ctx.now_ms());
}

std::optional<int64_t> next_scheduled_backup_ms(store::Database& db, int64_t now_ms, int64_t interval_ms) {
  if (interval_ms <= 0) return std::nullopt;
  std::optional<int64_t> last;
  db.read([&](store::Tx& tx) {
    auto r = tx.one(
        "SELECT MAX(started_at) FROM backups WHERE status = 'ok' OR (status = 'running' AND "
        "heartbeat_at >= ?)",
        {format_utc(now_ms - kBackupStaleMs)});
    if (r && !r->is_null(0)) {
      last = instant_ms(r->text(0));
      return;
    }
    auto created = tx.one("SELECT MIN(applied_at) FROM schema_migrations");
    if (created && !created->is_null(0)) last = instant_ms(created->text(0));
  });
  // A database with neither (cannot happen after migrate) gets its first backup now.
  return next_backup_ms(last, now_ms, interval_ms);
}

std::vector<PrunableBackup> backups_to_prune(store::Database& db, const std::string& server, int keep) {
  std::vector<PrunableBackup> out;
  db.read([&](store::Tx& tx) {
    auto rows = tx.query(
        "SELECT id, file_name FROM backups WHERE server = ? AND status = 'ok' AND pruned_at IS NULL "
        "ORDER BY started_at DESC, id DESC",
        {server});
    for (size_t i = static_cast<size_t>(std::max(keep, 0)); i < rows.rows.size(); ++i)
      out.push_back({rows.rows[i].text(0), rows.rows[i].text(1)});
  });
  return out;
}

void mark_backup_pruned(store::Database& db, const std::string& id, int64_t now_ms) {
  db.write([&](store::Tx& tx) {
    tx.query("UPDATE backups SET pruned_at = ? WHERE id = ? AND pruned_at IS NULL", {format_utc(now_ms), id});
  });
}

}  // namespace keel::service
