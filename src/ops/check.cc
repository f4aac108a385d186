#include "ops/maintenance.h"
#include "service/integrity.h"
#include "store/migrations.h"

namespace keel::ops {

std::vector<std::string> check(store::Database& db) {
  std::vector<std::string> problems;
  if (store::schema_version(db) != store::latest_schema_version())
    problems.push_back("schema version " + std::to_string(store::schema_version(db)) + " differs from this Keel's " +
                       std::to_string(store::latest_schema_version()) + " (run keel migrate)");
  db.read([&](store::Tx& tx) {
    // The engine's own check first, then Keel's of its data (the same on both engines).
    for (auto& problem : tx.integrity_problems()) problems.push_back(std::move(problem));
    for (auto& problem : service::record_problems(tx)) problems.push_back(std::move(problem));
  });
  return problems;
}

}  // namespace keel::ops
