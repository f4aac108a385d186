#include <boost/json.hpp>

#include "auth/principal.h"
#include "core/ids.h"
#include "domain/entity.h"
#include "service/rules/entity_rules.h"
#include "service/scope.h"

namespace keel::service::rules {
namespace json = boost::json;

void task_before_save(RuleContext& rc) {
  json::object& r = rc.record;
  if (r["status"].is_null()) r["status"] = "open";
  if (r["priority"].is_null()) r["priority"] = "normal";
  bool done = r["status"] == "done";
  bool was_done = rc.old && rc.old->at("status") == "done";
  if (done && !was_done) r["completed_at"] = rc.now;
  if (!done) r["completed_at"] = nullptr;

  const json::value& ent = r["related_entity"];
  const json::value& rid = r["related_id"];
  if (ent.is_null() != rid.is_null()) {
    rc.errors.add(ent.is_null() ? "related_entity" : "related_id", "required",
                  "related_entity and related_id go together");
    return;
  }
  if (ent.is_null()) return;
  if (rc.old && rc.old->at("related_entity") == ent && rc.old->at("related_id") == rid) return;
  std::string id(rid.as_string());
  if (!is_uuid(id)) {
    rc.errors.add("related_id", "invalid_format", "Must be the id (UUID) of a record");
    return;
  }
  id = canonical_uuid(id);
  r["related_id"] = id;
  const domain::EntityDef* target = domain::find_entity(ent.as_string());
  auto row = rc.tx.one("SELECT owner_id FROM " + target->name + " WHERE id = ? AND deleted_at IS NULL", {id});
  if (!row || !owner_in_scope(rc.tx, rc.ctx.principal, rc.ctx.principal.perms.on(target->name).read, row->text(0)))
    rc.errors.add("related_id", "reference_not_found", "No such record, or you cannot see it");
}

}  // namespace keel::service::rules
