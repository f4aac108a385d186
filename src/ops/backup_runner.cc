#include "ops/backup_runner.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>

#include "core/logging.h"
#include "core/time.h"
#include "service/backups.h"
#include "service/users.h"

namespace keel::ops {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

void fsync_path(const fs::path& p) {
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// "keel-20261202T171500Z-0193ab12.db": sorts by time, names the engine's format, and is unique
// even for two backups in one second (the id's tail).
std::string file_name_for(const std::string& id, int64_t started_ms, bool sqlite) {
  std::string t = format_utc(started_ms);  // 2026-12-02T17:15:00.000Z
  std::string stamp;
  for (char ch : t.substr(0, 19))
    if (ch != '-' && ch != ':') stamp += ch;
  return "keel-" + stamp + "Z-" + id.substr(id.size() - 8) + (sqlite ? ".db" : ".dump");
}

}  // namespace

std::string sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0)
      crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(buf.data()),
                                static_cast<unsigned long long>(in.gcount()));
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

BackupRunner::BackupRunner(store::Database& db, std::string url, BackupSettings settings, const Clock& clock)
    : db_(db), url_(std::move(url)), settings_(std::move(settings)), clock_(clock) {}

BackupRunner::~BackupRunner() { stop(); }

json::object BackupRunner::start(const service::Context& ctx) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) throw ApiError(ErrorKind::unavailable, "draining", "The server is shutting down");
  }
  json::object row = service::begin_backup(db_, ctx, "manual", settings_.server);
  launch(std::string(row.at("id").as_string()));
  return row;
}

void BackupRunner::launch(const std::string& id) {
  // The row says no backup runs anywhere, so a previous worker of this server is done or only
  // pruning: join it (outside the lock, which its last step takes) before starting the next.
  std::thread previous;
  {
    std::lock_guard lock(mu_);
    previous = std::move(worker_);
  }
  if (previous.joinable()) previous.join();
  std::lock_guard lock(mu_);
  busy_ = true;
  worker_ = std::thread([this, id] {
    make(id);
    std::lock_guard done(mu_);
    busy_ = false;
  });
}

void BackupRunner::make(const std::string& id) {
  const int64_t started = clock_.now_ms();
  const bool sqlite = store::local_file(url_).has_value();
  const fs::path dir = settings_.dir;
  const std::string name = file_name_for(id, started, sqlite);
  const fs::path final_path = dir / name;
  fs::path partial = final_path;
  partial += ".partial";

  // The heartbeat tells other servers this backup is alive; it runs beside the copy, which is
  // one long call.
  std::atomic<bool> copying{true};
  std::mutex hb_mu;
  std::condition_variable hb_cv;
  std::thread heartbeat([&] {
    std::unique_lock lock(hb_mu);
    while (!hb_cv.wait_for(lock, std::chrono::milliseconds(service::kBackupHeartbeatMs),
                           [&] { return !copying.load(); })) {
      try {
        service::heartbeat_backup(db_, id, clock_.now_ms());
      } catch (const std::exception& e) {
        logging::log(logging::LogLevel::warn, "backup heartbeat failed", {{"backup_id", id}, {"error", e.what()}});
      }
    }
  });
  auto end_heartbeat = [&] {
    {
      std::lock_guard lock(hb_mu);
      copying = false;
    }
    hb_cv.notify_all();
    if (heartbeat.joinable()) heartbeat.join();
  };

  try {
    fs::create_directories(dir);
    fs::remove(partial);
    db_.backup_to(partial.string());
    fsync_path(partial);
    service::BackupFile file;
    file.schema_version = store::verify_backup(url_, partial.string());
    file.size_bytes = static_cast<int64_t>(fs::file_size(partial));
    file.sha256 = sha256_file(partial.string());
    file.file_name = name;
    fs::rename(partial, final_path);
    fsync_path(dir);
    end_heartbeat();
    service::finish_backup_ok(db_, id, file, clock_.now_ms());
    logging::log(logging::LogLevel::info, "backup made",
                 {{"backup_id", id},
                  {"file", final_path.string()},
                  {"bytes", file.size_bytes},
                  {"ms", clock_.now_ms() - started}});
  } catch (const std::exception& e) {
    end_heartbeat();
    std::error_code ignored;
    fs::remove(partial, ignored);
    logging::log(logging::LogLevel::error, "backup failed", {{"backup_id", id}, {"error", e.what()}});
    try {
      service::finish_backup_failed(db_, id, e.what(), clock_.now_ms());
    } catch (const std::exception& e2) {
      // The row stays "running" and turns "interrupted" once its heartbeat is stale.
      logging::log(logging::LogLevel::error, "backup result not recorded", {{"backup_id", id}, {"error", e2.what()}});
    }
    return;
  }
  prune();
}

void BackupRunner::prune() {
  try {
    for (const auto& b : service::backups_to_prune(db_, settings_.server, settings_.keep)) {
      std::error_code ec;
      fs::remove(fs::path(settings_.dir) / b.file_name, ec);
      if (ec) {
        logging::log(logging::LogLevel::warn, "old backup not deleted",
                     {{"backup_id", b.id}, {"file", b.file_name}, {"error", ec.message()}});
        continue;
      }
      service::mark_backup_pruned(db_, b.id, clock_.now_ms());
    }
  } catch (const std::exception& e) {
    logging::log(logging::LogLevel::warn, "pruning old backups failed", {{"error", e.what()}});
  }
}

void BackupRunner::start_schedule() {
  if (settings_.interval_ms <= 0 || scheduler_.joinable()) return;
  scheduler_ = std::thread([this] { schedule_loop(); });
}

void BackupRunner::schedule_loop() {
  // Scheduled backups are the server's own work: audited as the command line is, with request id
  // "schedule".
  const service::Context ctx{service::command_line_principal(), "schedule", clock_};
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(settings_.check_every_ms), [this] { return stopping_; })) {
    if (busy_) continue;
    lock.unlock();
    try {
      const int64_t now = clock_.now_ms();
      if (auto due = service::next_scheduled_backup_ms(db_, now, settings_.interval_ms); due && *due <= now) {
        json::object row = service::begin_backup(db_, ctx, "scheduled", settings_.server);
        launch(std::string(row.at("id").as_string()));
      }
    } catch (const ApiError& e) {
      // backup_running: another server (or a person) got there first; nothing to do.
      if (e.code() != "backup_running")
        logging::log(logging::LogLevel::warn, "scheduled backup not started", {{"error", e.what()}});
    } catch (const std::exception& e) {
      logging::log(logging::LogLevel::warn, "scheduled backup not started", {{"error", e.what()}});
    }
    lock.lock();
  }
}

void BackupRunner::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  std::thread worker;
  {
    std::lock_guard lock(mu_);
    worker = std::move(worker_);
  }
  if (worker.joinable()) worker.join();
}

}  // namespace keel::ops
