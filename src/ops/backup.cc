#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
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

// Runs a program with arguments (no shell, so nothing in a URL or path is interpreted) and
// returns its standard output when `capture` is set.
std::string run_program(const std::vector<std::string>& argv, bool capture = false) {
  int fds[2] = {-1, -1};
  if (capture && pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (capture) {
      dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  std::string out;
  if (capture) {
    ::close(fds[1]);
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    ::close(fds[0]);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(argv[0] + " failed (exit " + std::to_string(WEXITSTATUS(status)) + ")");
  return out;
}

// The schema version recorded inside a pg_dump archive (0 if it holds no Keel schema). Reading
// the archive also proves it is complete: pg_restore fails on a truncated or foreign file.
int postgres_backup_schema_version(const std::string& backup_path) {
  std::string sql = run_program({"pg_restore", "--data-only", "--table=schema_migrations", "--file=-", backup_path}, true);
  int version = 0;
  bool in_copy = false;
  size_t pos = 0;
  while (pos < sql.size()) {
    size_t end = sql.find('\n', pos);
    if (end == std::string::npos) end = sql.size();
    std::string line = sql.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("COPY ", 0) == 0 && line.find("schema_migrations") != std::string::npos) {
      in_copy = true;
    } else if (in_copy && line == "\\.") {
      in_copy = false;
    } else if (in_copy) {
      try {
        version = std::max(version, std::stoi(line.substr(0, line.find('\t'))));
      } catch (const std::exception&) {
        throw std::runtime_error("the backup's schema_migrations table is unreadable");
      }
    }
  }
  return version;
}

void fsync_path(const fs::path& p) {
  int fd = ::open(p.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

std::unique_ptr<store::Database> open_existing(const std::string& url, int pool) {
  if (!is_postgres(url) && !fs::exists(sqlite_path(url)))
    throw std::runtime_error("no Keel database at " + sqlite_path(url) + " (check --data-dir)");
  auto db = store::Database::open(url, pool);
  int v = store::schema_version(*db);
  if (v == 0) throw std::runtime_error("the database at " + url + " has no Keel schema; run keel migrate or check the location");
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
  {
    auto db = open_existing(url);
    db->close();
  }
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
    // Verify before touching anything, as for SQLite: a complete archive of a Keel database no
    // newer than this binary.
    int v = postgres_backup_schema_version(backup_path);
    if (v == 0) throw std::runtime_error("the backup holds no Keel database");
    if (v > store::latest_schema_version()) throw std::runtime_error("the backup comes from a newer Keel");
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
