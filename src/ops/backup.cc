// keel backup / restore: the operator's checks around the store's backup_to and restore_backup
// (a backup never overwrites a file or copies a database that is not there; a restore never
// swaps the file under a running server). How each engine copies is the store's business.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "ops/maintenance.h"
#include "store/migrations.h"

namespace keel::ops {
namespace fs = std::filesystem;

std::unique_ptr<store::Database> open_existing(const std::string& url, int pool) {
  if (auto file = store::local_file(url); file && !fs::exists(*file))
    throw std::runtime_error("no Keel database at " + *file + " (check --data-dir)");
  auto db = store::Database::open(url, pool);
  int v = store::schema_version(*db);
  if (v == 0)
    throw std::runtime_error("the database at " + url + " has no Keel schema; run keel migrate or check the location");
  return db;
}

DataDirLock::DataDirLock(const std::string& dir) {
  fs::create_directories(dir);
  fd_ = ::open((fs::path(dir) / "keel.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0 || ::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (fd_ >= 0) ::close(fd_);
    throw std::runtime_error("another Keel process is using " + dir + " (keel.lock is held)");
  }
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);
}

bool DataDirLock::is_locked(const std::string& dir) {
  int fd = ::open((fs::path(dir) / "keel.lock").c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  bool locked = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  ::close(fd);
  return locked;
}

void backup(const std::string& url, const std::string& out) {
  if (fs::exists(out)) throw std::runtime_error(out + " already exists; choose a new file name");
  // A mistyped data directory or URL must not produce a "good" backup of nothing.
  auto db = open_existing(url);
  db->backup_to(out);
  db->close();
}

void restore(const std::string& url, const std::string& backup_path) {
  if (!fs::exists(backup_path)) throw std::runtime_error("no such backup file: " + backup_path);
  // A database kept in a local file sits in a data directory that a running server locks.
  if (auto file = store::local_file(url)) {
    fs::path dir = fs::path(*file).parent_path().empty() ? fs::path(".") : fs::path(*file).parent_path();
    if (DataDirLock::is_locked(dir.string()))
      throw std::runtime_error("a Keel server is running on " + dir.string() + "; stop it before restoring");
  }
  store::restore_backup(url, backup_path);
}

}  // namespace keel::ops
