// restore_backup on SQLite: the backup is one database file (written by VACUUM INTO). It is
// verified first, then put in place with a rename, so the database is at every moment either
// the old file or the new one.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "store/db.h"
#include "store/engines.h"
#include "store/migrations.h"

namespace keel::store {
namespace fs = std::filesystem;

void sync_to_disk(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

int verify_sqlite_backup(const std::string& backup_path) {
  // Opening a missing path would create an empty database: that is no backup.
  if (!fs::is_regular_file(backup_path)) throw std::runtime_error("no backup file at " + backup_path);
  int v = 0;
  try {
    auto b = open_sqlite(backup_path, 1);
    std::string result;
    b->read([&](Tx& tx) { result = tx.one("PRAGMA integrity_check")->text(0); });
    if (result != "ok") throw std::runtime_error("the backup is damaged: " + result);
    v = schema_version(*b);
    b->close();
  } catch (const DbError& e) {
    // Not a database at all ("file is not a database"), or damaged beyond reading a page.
    throw std::runtime_error(std::string("the backup is damaged: ") + e.what());
  }
  if (v == 0) throw std::runtime_error("the file is not a Keel database");
  if (v > latest_schema_version()) throw std::runtime_error("the backup comes from a newer Keel");
  return v;
}

void restore_sqlite(const std::string& path, const std::string& backup_path) {
  verify_sqlite_backup(backup_path);  // before touching anything
  fs::path target = path;
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  fs::path tmp = target;
  tmp += ".restoring";
  fs::copy_file(backup_path, tmp, fs::copy_options::overwrite_existing);
  sync_to_disk(tmp);
  for (const char* suffix : {"-wal", "-shm"}) {
    fs::path side = target;
    side += suffix;
    fs::remove(side);
  }
  fs::rename(tmp, target);
  sync_to_disk(dir);
}

}  // namespace keel::store
