#include <boost/json.hpp>

#include "service/rules/entity_rules.h"

namespace keel::service::rules {

void activity_before_save(RuleContext& rc) {
  if (rc.record["occurred_at"].is_null()) rc.record["occurred_at"] = rc.record["created_at"];
}

}  // namespace keel::service::rules
