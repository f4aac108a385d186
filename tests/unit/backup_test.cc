// Backups made by the server (ops/backup_runner.h, service/backups.h, store::verify_backup), on a
// real SQLite database in a temp directory.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "auth/permissions.h"
#include "core/error.h"
#include "ops/backup_runner.h"
#include "service/backups.h"
#include "service/users.h"
#include "store/migrations.h"
#include "temp_dir.h"

namespace keel {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

class Backups : public ::testing::Test {
 protected:
  Backups() : url_("sqlite:" + dir_.file("keel.db")), db_(store::Database::open(url_, 2)) { store::migrate(*db_); }
  ~Backups() override { db_->close(); }

  service::Context admin() const { return {service::command_line_principal(), "test", clock_}; }

  ops::BackupSettings settings(int keep = 14) const {
    ops::BackupSettings s;
    s.dir = dir_.file("backups");
    s.keep = keep;
    s.interval_ms = 0;
    s.server = "unit";
    return s;
  }

  // Polls the backup until it is no longer running (at most 20 s).
  json::object wait_done(const std::string& id) {
    for (int i = 0; i < 400; ++i) {
      json::object b = service::get_backup(*db_, admin(), id);
      if (b.at("status") != "running") return b;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "backup " << id << " still running";
    return {};
  }

  testing::TempDir dir_;
  OffsetClock clock_;
  std::string url_;
  std::unique_ptr<store::Database> db_;
};

TEST(BackupSchedule, TheNextIsOneIntervalAfterTheLastOrNowWithNone) {
  const int64_t day = 86'400'000;
  EXPECT_EQ(service::next_backup_ms(1000, 5000, day), 1000 + day);
  EXPECT_EQ(service::next_backup_ms(std::nullopt, 5000, day), 5000);
  EXPECT_EQ(service::next_backup_ms(1000, 5000, 0), std::nullopt);  // no schedule
}

TEST_F(Backups, OnlyOneRunsAtATimeAndOnlyForAdministrators) {
  json::object first = service::begin_backup(*db_, admin(), "manual", "a");
  EXPECT_EQ(first.at("status"), "running");
  try {
    service::begin_backup(*db_, admin(), "manual", "b");
    FAIL() << "a second backup started while one runs";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "backup_running");
    EXPECT_EQ(e.kind(), ErrorKind::conflict);
  }
  auth::Principal sales;
  sales.user_id = "u1";
  for (const auto& r : auth::builtin_roles())
    if (r.id == "sales") sales.perms = r.permissions;
  service::finish_backup_failed(*db_, std::string(first.at("id").as_string()), "test", clock_.now_ms());
  try {
    service::begin_backup(*db_, service::Context{sales, "t", clock_}, "manual", "a");
    FAIL() << "a sales rep started a backup";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::forbidden);
  }
}

TEST_F(Backups, ARunningBackupWhoseHeartbeatStoppedIsInterrupted) {
  json::object b = service::begin_backup(*db_, admin(), "manual", "gone");
  const std::string id(b.at("id").as_string());
  clock_.advance(service::kBackupStaleMs + 1000);
  json::object seen = service::get_backup(*db_, admin(), id);
  EXPECT_EQ(seen.at("status"), "failed");
  EXPECT_NE(std::string(seen.at("error").as_string()).find("interrupted"), std::string::npos);
  // And it no longer blocks the next one, which stores the verdict.
  json::object next = service::begin_backup(*db_, admin(), "manual", "here");
  EXPECT_EQ(next.at("status"), "running");
  EXPECT_EQ(service::list_backups(*db_, admin(), 10).size(), 2u);
}

TEST_F(Backups, TheRunnerWritesAVerifiedFileWithItsHash) {
  ops::BackupRunner runner(*db_, url_, settings(), clock_);
  json::object started = runner.start(admin());
  json::object done = wait_done(std::string(started.at("id").as_string()));
  ASSERT_EQ(done.at("status"), "ok") << json::serialize(done);
  fs::path file = fs::path(dir_.file("backups")) / std::string(done.at("file_name").as_string());
  ASSERT_TRUE(fs::exists(file));
  EXPECT_FALSE(fs::exists(file.string() + ".partial"));
  EXPECT_EQ(done.at("size_bytes").as_int64(), static_cast<int64_t>(fs::file_size(file)));
  EXPECT_EQ(std::string(done.at("sha256").as_string()), ops::sha256_file(file.string()));
  EXPECT_EQ(done.at("schema_version").as_int64(), store::latest_schema_version());
  EXPECT_FALSE(done.at("verified_at").is_null());
  EXPECT_EQ(store::verify_backup(url_, file.string()), store::latest_schema_version());
}

TEST_F(Backups, OnlyTheNewestKeepFilesStay) {
  ops::BackupRunner runner(*db_, url_, settings(2), clock_);
  std::vector<json::object> done;
  for (int i = 0; i < 3; ++i) {
    clock_.advance(1000);  // distinct start times
    done.push_back(wait_done(std::string(runner.start(admin()).at("id").as_string())));
    ASSERT_EQ(done.back().at("status"), "ok");
  }
  runner.stop();  // the last worker's pruning is done
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir_.file("backups"))) files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 2u);
  json::object oldest = service::get_backup(*db_, admin(), std::string(done[0].at("id").as_string()));
  EXPECT_FALSE(oldest.at("pruned_at").is_null());
  EXPECT_FALSE(fs::exists(fs::path(dir_.file("backups")) / std::string(oldest.at("file_name").as_string())));
  EXPECT_TRUE(service::get_backup(*db_, admin(), std::string(done[2].at("id").as_string())).at("pruned_at").is_null());
}

TEST_F(Backups, AScheduledBackupWaitsOneIntervalFromTheDatabasesCreation) {
  ops::BackupSettings s = settings();
  s.interval_ms = 3'600'000;
  s.check_every_ms = 20;
  ops::BackupRunner runner(*db_, url_, s, clock_);
  runner.start_schedule();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(service::list_backups(*db_, admin(), 10).empty()) << "a new database was backed up at once";
  clock_.advance(s.interval_ms + 1000);
  json::array list;
  for (int i = 0; i < 400 && (list.empty() || list[0].at("status") == "running"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    list = service::list_backups(*db_, admin(), 10);
  }
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("kind"), "scheduled");
  EXPECT_EQ(list[0].at("status"), "ok");
  // The next is one interval after that one started: nothing more for now.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(service::list_backups(*db_, admin(), 10).size(), 1u);
}

TEST_F(Backups, WritesGoOnWhileTheDatabaseIsCopied) {
  // A database big enough that copying it takes a while (tens of MB).
  db_->write([](store::Tx& tx) {
    tx.query("CREATE TABLE filler (id INTEGER PRIMARY KEY, pad TEXT)");
    tx.query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000) "
        "INSERT INTO filler SELECT i, printf('%0200d', i) FROM n");
  });
  std::atomic<int64_t> copy_done{0};
  auto t0 = std::chrono::steady_clock::now();
  auto since = [&] {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
  };
  std::thread copy([&] {
    db_->backup_to(dir_.file("big.db"));
    copy_done = since();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  // A write made while the copy runs commits without waiting for it.
  db_->write([](store::Tx& tx) { tx.query("INSERT INTO filler (id, pad) VALUES (0, 'during')"); });
  const int64_t write_done = since();
  copy.join();
  EXPECT_LT(write_done, copy_done.load())
      << "the write waited for the copy (" << write_done << " us vs " << copy_done.load() << " us)";
  EXPECT_EQ(store::verify_backup(url_, dir_.file("big.db")), store::latest_schema_version());
}

TEST_F(Backups, VerificationRefusesWhatCannotBeRestored) {
  EXPECT_THROW(store::verify_backup(url_, dir_.file("missing.db")), std::runtime_error);
  std::ofstream(dir_.file("text.db")) << "not a database";
  EXPECT_THROW(store::verify_backup(url_, dir_.file("text.db")), std::runtime_error);
  // A good backup cut in half.
  db_->backup_to(dir_.file("good.db"));
  EXPECT_EQ(store::verify_backup(url_, dir_.file("good.db")), store::latest_schema_version());
  fs::copy_file(dir_.file("good.db"), dir_.file("cut.db"));
  fs::resize_file(dir_.file("cut.db"), fs::file_size(dir_.file("good.db")) / 2);
  EXPECT_THROW(store::verify_backup(url_, dir_.file("cut.db")), std::runtime_error);
  // An empty SQLite database is not a Keel database.
  store::open_sqlite(dir_.file("empty.db"), 1)->close();
  EXPECT_THROW(store::verify_backup(url_, dir_.file("empty.db")), std::runtime_error);
}

}  // namespace
}  // namespace keel
