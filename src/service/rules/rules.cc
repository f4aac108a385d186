// Dispatch from the generic record path to each entity's rules.
#include "service/rules.h"

#include "service/rules/entity_rules.h"

namespace keel::service {

void before_save(RuleContext& rc) {
  const std::string& e = rc.def.name;
  if (e == "contacts" || e == "leads") rules::person_before_save(rc);
  else if (e == "pipelines") rules::pipeline_before_save(rc);
  else if (e == "deals") rules::deal_before_save(rc);
  else if (e == "orders") rules::order_before_save(rc);
  else if (e == "tasks") rules::task_before_save(rc);
}

void after_save(RuleContext& rc) {
  if (rc.def.name == "deals") rules::deal_after_save(rc);
}

void before_restore(RuleContext& rc) {
  if (rc.def.name == "deals") rules::deal_before_restore(rc);
}

void after_restore(RuleContext& rc) {
  if (rc.def.name == "deals") rules::deal_after_save(rc);
}

void before_delete(store::Tx& tx, const Context& ctx, const domain::EntityDef& def, const boost::json::object& record) {
  if (def.name == "pipelines") rules::pipeline_before_delete(tx, ctx, record);
}

}  // namespace keel::service
