// Backup and restore on PostgreSQL, through its own tools: pg_dump writes a custom-format
// archive of one consistent snapshot while servers keep writing; pg_restore puts it back.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/engines.h"
#include "store/migrations.h"

namespace keel::store {
namespace {

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
int backup_schema_version(const std::string& backup_path) {
  std::string sql =
      run_program({"pg_restore", "--data-only", "--table=schema_migrations", "--file=-", backup_path}, true);
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

}  // namespace

void dump_postgres(const std::string& conninfo, const std::string& out_path) {
  run_program({"pg_dump", "--format=custom", "--no-owner", "--file=" + out_path, conninfo});
}

int verify_postgres_backup(const std::string& backup_path) {
  int v = 0;
  try {
    v = backup_schema_version(backup_path);
    // The schema version comes from one table; turning the whole archive into SQL (thrown away)
    // reads every table's data, so a file cut short anywhere fails here.
    run_program({"pg_restore", "--file=/dev/null", backup_path});
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string("the backup is damaged or not a PostgreSQL archive: ") + e.what());
  }
  if (v == 0) throw std::runtime_error("the backup holds no Keel database");
  if (v > latest_schema_version()) throw std::runtime_error("the backup comes from a newer Keel");
  return v;
}

void restore_postgres(const std::string& conninfo, const std::string& backup_path) {
  verify_postgres_backup(backup_path);  // before touching anything, as for SQLite
  run_program({"pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname=" + conninfo,
               backup_path});
}

}  // namespace keel::store
