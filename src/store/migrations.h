// Versioned schema migrations. Each file src/store/migrations/NNN_name.sql is applied once, in
// order, inside one transaction together with its row in schema_migrations, so a crash mid-way
// leaves the schema at the previous version, never between two.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "store/db.h"

namespace keel::store {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// Compiled into the binary from the .sql files (see cmake/embed_migrations.cmake).
const std::vector<Migration>& embedded_migrations();

// Portable SQL with {{SERIAL}}, {{C}} and {{WITHOUT_ROWID}} turned into the engine's words,
// comments dropped, split into single statements at `;`, all in code only: literals and quoted
// names pass through as written (see "SQL text" in store/db.h).
std::vector<std::string> render_migration(const std::string& sql, Dialect dialect);

// Highest applied version (0 for an empty database).
int schema_version(Database& db);
// Highest version this binary knows.
int latest_schema_version();

// Applies what is pending, up to version `up_to` (all of them by default; tests of a migration
// stop before it to write data as the older schema held it); returns how many migrations ran.
// Throws if the database was written by a newer Keel (its schema version is higher than this
// binary knows).
int migrate(Database& db, int up_to = std::numeric_limits<int>::max());

// Serialises schema work (migrations, first-start setup) across servers sharing one database,
// until the transaction ends: several servers starting at once against one PostgreSQL, one
// works and the others wait. Tx::lock(NamedLock::schema).
void lock_schema(Tx& tx);

}  // namespace keel::store
