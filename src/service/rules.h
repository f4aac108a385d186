// Entity-specific business rules, run by the generic record path inside its transaction.
// before_save may compute fields and add errors; after_save may write related rows (stage
// history). Rules see the full new state of the record, and the old one on update.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/error.h"
#include "domain/entity.h"
#include "service/context.h"
#include "store/db.h"

namespace keel::service {

struct RuleContext {
  store::Tx& tx;
  const Context& ctx;
  const domain::EntityDef& def;
  boost::json::object& record;     // new state, may be changed by rules
  const boost::json::object* old;  // null on create
  FieldErrors& errors;
  std::string now;
};

// An entity's rules, registered once per entity name in the table of service/rules/rules.cc
// (the one place that says which entity has which rule); an entity without an entry has none.
// A null hook is a step without a rule.
struct EntityHooks {
  void (*before_save)(RuleContext&) = nullptr;
  // Runs after before_save: a rule of this entity alone where before_save is shared with others
  // (leads: the status rules, after the person rules they share with contacts).
  void (*before_save_own)(RuleContext&) = nullptr;
  void (*after_save)(RuleContext&) = nullptr;
  void (*before_restore)(RuleContext&) = nullptr;
  void (*after_restore)(RuleContext&) = nullptr;
  void (*before_delete)(store::Tx&, const Context&, const boost::json::object& record) = nullptr;
};
// The hooks of an entity (all null for one without rules).
const EntityHooks& hooks_of(const domain::EntityDef& def);

// The generic record path calls these at each step; each runs the entity's hook if it has one.
void before_save(RuleContext& rc);
void after_save(RuleContext& rc);
// Restoring from the trash: the record comes back with its links, but what it pointed at may
// have changed meanwhile (a deal's stage removed from its pipeline). before_restore may adjust
// the record or refuse (throws ApiError); after_restore writes related rows as after_save does.
void before_restore(RuleContext& rc);
void after_restore(RuleContext& rc);
// The pipeline a deal goes to when it names none: the first live one by position (then age).
std::optional<std::string> default_pipeline_id(store::Tx& tx);

// Refuses deletes that would break other records' meaning (a pipeline that deals still use:
// pipelines' before_delete); throws ApiError.
void before_delete(store::Tx& tx, const Context& ctx, const domain::EntityDef& def, const boost::json::object& record);

}  // namespace keel::service
