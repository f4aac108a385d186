#include "service/integrity.h"

#include <boost/json.hpp>

#include "domain/entity.h"

namespace keel::service {
namespace json = boost::json;

std::vector<std::string> record_problems(store::Tx& tx) {
  std::vector<std::string> problems;
  for (const auto& def : domain::entities()) {
    // Links to records that do not exist.
    for (const auto& f : def.fields) {
      if (f.type != domain::FieldType::ref) continue;
      std::string target = f.ref_entity;
      auto r = tx.query("SELECT t.id FROM " + def.name + " t WHERE t." + f.name +
                        " IS NOT NULL AND NOT EXISTS "
                        "(SELECT 1 FROM " +
                        target + " x WHERE x.id = t." + f.name + ") LIMIT 20");
      for (const auto& row : r.rows)
        problems.push_back(def.name + " " + row.text(0) + ": " + f.name + " points to a missing " + target + " record");
    }
    auto owners = tx.query("SELECT t.id FROM " + def.name +
                           " t WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = t.owner_id) LIMIT 20");
    for (const auto& row : owners.rows) problems.push_back(def.name + " " + row.text(0) + ": owner is not a user");
    // Every committed write appends to the change log: the record's current version must be there.
    auto missing = tx.query("SELECT t.id, t.version FROM " + def.name +
                                " t WHERE NOT EXISTS (SELECT 1 FROM change_log c "
                                "WHERE c.entity = ? AND c.record_id = t.id AND c.version = t.version) LIMIT 20",
                            {def.name});
    for (const auto& row : missing.rows)
      problems.push_back(def.name + " " + row.text(0) + ": version " + row.text(1) + " has no change-log entry");
  }
  // Deals must sit on a stage of their pipeline.
  auto deals = tx.query("SELECT d.id, d.stage_id, p.stages FROM deals d JOIN pipelines p ON p.id = d.pipeline_id");
  for (const auto& row : deals.rows) {
    boost::system::error_code ec;
    json::value stages = json::parse(row.text(2), ec);
    bool found = false;
    if (!ec && stages.is_array())
      for (const auto& s : stages.as_array())
        if (s.is_object() && s.as_object().contains("id") && s.at("id") == json::value(row.text(1))) found = true;
    if (!found) problems.push_back("deals " + row.text(0) + ": stage " + row.text(1) + " is not in its pipeline");
  }
  return problems;
}

}  // namespace keel::service
