#include <boost/json.hpp>
#include <set>

#include "service/rules/entity_rules.h"

namespace keel::service::rules {
namespace json = boost::json;

void pipeline_before_save(RuleContext& rc) {
  if (!rc.record["require_lost_reason"].is_bool()) rc.record["require_lost_reason"] = false;
  if (!rc.old) return;
  const auto& old_stages = rc.old->at("stages");
  const auto& new_stages = rc.record.at("stages");
  if (!old_stages.is_array() || !new_stages.is_array()) return;
  std::set<std::string> kept;
  for (const auto& s : new_stages.as_array()) kept.insert(std::string(s.at("id").as_string()));
  for (const auto& s : old_stages.as_array()) {
    std::string id(s.at("id").as_string());
    if (kept.count(id)) continue;
    auto n = rc.tx.one("SELECT COUNT(*) FROM deals WHERE pipeline_id = ? AND stage_id = ? AND deleted_at IS NULL",
                       {std::string(rc.record.at("id").as_string()), id});
    if (n && n->integer(0) > 0)
      throw ApiError(ErrorKind::conflict, "stage_in_use",
                     "Stage \"" + std::string(s.at("name").as_string()) + "\" still holds " +
                         std::to_string(n->integer(0)) + " deal(s); move them before removing it");
  }
}

void pipeline_before_delete(store::Tx& tx, const Context&, const json::object& record) {
  auto n = tx.one("SELECT COUNT(*) FROM deals WHERE pipeline_id = ? AND deleted_at IS NULL AND status = 'open'",
                  {std::string(record.at("id").as_string())});
  if (n && n->integer(0) > 0)
    throw ApiError(ErrorKind::conflict, "pipeline_in_use",
                   "This pipeline still has " + std::to_string(n->integer(0)) + " open deal(s)");
}

}  // namespace keel::service::rules
