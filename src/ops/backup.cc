#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "ops/maintenance.h"
#include "store/migrations.h"

namespace keel::ops {
namespace fs = std::filesystem;

namespace {

bool is_postgres(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

std::string sqlite_path(const std::string& url) { return url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url; }

// Runs a program with arguments (no shell, so nothing in a URL or path is interpreted).
void run_program(const std::vector<std::string>& argv) {
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(argv[0] + " failed (exit " + std::to_string(WEXITSTATUS(status)) + ")");
}

void fsync_path(const fs::path& p) {
  int fd = ::open(p.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

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
  if (is_postgres(url)) {
    run_program({"pg_dump", "--format=custom", "--no-owner", "--file=" + out, url});
    return;
  }
  auto db = store::open_sqlite(sqlite_path(url), 1);
  std::string escaped;
  for (char c : out) escaped += c == '\'' ? std::string("''") : std::string(1, c);
  db->exec_outside_tx("VACUUM INTO '" + escaped + "'");
  db->close();
  fsync_path(out);
}

void restore(const std::string& url, const std::string& backup_path) {
  if (!fs::exists(backup_path)) throw std::runtime_error("no such backup file: " + backup_path);
  if (is_postgres(url)) {
    run_program({"pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname=" + url, backup_path});
    return;
  }
  fs::path target = sqlite_path(url);
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  if (DataDirLock::is_locked(dir.string()))
    throw std::runtime_error("a Keel server is running on " + dir.string() + "; stop it before restoring");
  {
    // Verify before touching anything.
    auto b = store::open_sqlite(backup_path, 1);
    std::string result;
    b->read([&](store::Tx& tx) { result = tx.one("PRAGMA integrity_check")->text(0); });
    if (result != "ok") throw std::runtime_error("the backup is damaged: " + result);
    int v = store::schema_version(*b);
    if (v == 0) throw std::runtime_error("the file is not a Keel database");
    if (v > store::latest_schema_version()) throw std::runtime_error("the backup comes from a newer Keel");
    b->close();
  }
  fs::path tmp = target;
  tmp += ".restoring";
  fs::copy_file(backup_path, tmp, fs::copy_options::overwrite_existing);
  fsync_path(tmp);
  for (const char* suffix : {"-wal", "-shm"}) {
    fs::path side = target;
    side += suffix;
    fs::remove(side);
  }
  fs::rename(tmp, target);
  fsync_path(dir);
}

}  // namespace keel::ops
