// The table of entity rules, and the steps of the generic record path that run them.
#include "service/rules.h"

#include <map>
#include <string_view>

#include "service/rules/entity_rules.h"

namespace keel::service {

const EntityHooks& hooks_of(const domain::EntityDef& def) {
  static const std::map<std::string, EntityHooks, std::less<>> table = {
      {"contacts", {.before_save = rules::person_before_save}},
      {"leads", {.before_save = rules::person_before_save, .before_save_own = rules::lead_status_rules}},
      {"pipelines", {.before_save = rules::pipeline_before_save, .before_delete = rules::pipeline_before_delete}},
      {"deals",
       {.before_save = rules::deal_before_save,
        .after_save = rules::deal_after_save,
        .before_restore = rules::deal_before_restore,
        .after_restore = rules::deal_after_save}},  // a restored deal's stage is recorded as a move
      {"activities", {.before_save = rules::activity_before_save}},
      {"orders", {.before_save = rules::order_before_save}},
      {"tasks", {.before_save = rules::task_before_save}},
  };
  static const EntityHooks none;
  auto it = table.find(def.name);
  return it == table.end() ? none : it->second;
}

void before_save(RuleContext& rc) {
  const EntityHooks& hooks = hooks_of(rc.def);
  if (hooks.before_save) hooks.before_save(rc);
  if (hooks.before_save_own) hooks.before_save_own(rc);
}

void after_save(RuleContext& rc) {
  if (auto h = hooks_of(rc.def).after_save) h(rc);
}

void before_restore(RuleContext& rc) {
  if (auto h = hooks_of(rc.def).before_restore) h(rc);
}

void after_restore(RuleContext& rc) {
  if (auto h = hooks_of(rc.def).after_restore) h(rc);
}

void before_delete(store::Tx& tx, const Context& ctx, const domain::EntityDef& def, const boost::json::object& record) {
  if (auto h = hooks_of(def).before_delete) h(tx, ctx, record);
}

}  // namespace keel::service
