// What the engine files (store/sqlite/, store/postgres/) give the rest of the store: backup and
// restore by engine, chosen in store/db.cc from the URL. Not for layers above the store.
#pragma once

#include <string>

namespace keel::store {

// restore_backup for one engine (see store/db.h).
void restore_sqlite(const std::string& path, const std::string& backup_path);
void restore_postgres(const std::string& conninfo, const std::string& backup_path);
// verify_backup for one engine (see store/db.h).
int verify_sqlite_backup(const std::string& backup_path);
int verify_postgres_backup(const std::string& backup_path);

// Flushes a file (or directory) to stable storage, so a backup or restore reported done survives
// power loss.
void sync_to_disk(const std::string& path);

// Database::backup_to on PostgreSQL: pg_dump of the database at conninfo.
void dump_postgres(const std::string& conninfo, const std::string& out_path);

}  // namespace keel::store
