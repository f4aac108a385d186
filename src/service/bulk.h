// Bulk actions on any entity: update, delete or restore many records, each through the same
// operation as its single-record route (permission checks, validation, rules, the versioned
// write with its audit and change-log entries) in its own transaction. Every record's outcome is
// reported: a manager reassigning 50 deals, 3 of which a colleague just closed, gets 47 done and
// 3 clear reasons rather than all-or-nothing. A version given with an id is checked as If-Match
// is, so a bulk action never silently overwrites an edit it has not seen (its 412 carries the
// current record, as a single write's does).
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "domain/body.h"
#include "domain/entity.h"
#include "service/context.h"
#include "service/records.h"

namespace keel::service {

enum class BulkAction { update, remove, restore };

struct BulkTarget {
  std::string id;                  // canonical UUID
  std::optional<int64_t> version;  // checked as If-Match, if given
};

// One record's outcome: the record as written, or the error its single-record route would have
// answered.
struct BulkOutcome {
  std::string id;
  std::optional<boost::json::object> record;
  std::optional<ApiError> error;
};

// A bulk request as its body states it, validated: what to do, to which records, and an
// update's changes.
struct BulkRequest {
  BulkAction action = BulkAction::update;
  std::string action_name;          // "update", "delete" or "restore", as the answer names it
  std::vector<BulkTarget> targets;  // 1 to kMaxBulkIds distinct records, in the order given
  boost::json::object changes;      // an update's patch; empty for the others
};
inline constexpr size_t kMaxBulkIds = 200;

// The body of POST /api/v1/{entity}/bulk for records of `def`: action (delete, restore or
// update), ids (1 to 200 distinct record ids, each a UUID or {id, version}) and changes (update
// only, and then required: the fields to set, as the entity's PATCH takes them; each record's
// update validates them).
const domain::BodyDef& bulk_body(const domain::EntityDef& def);
// Validates `body` against bulk_body(def) and the rule between its members: one 422 naming
// every problem, before anything is done.
BulkRequest parse_bulk_request(const domain::EntityDef& def, const boost::json::object& body);

// Runs `action` on every target in order, one transaction each. `changes` is the patch of an
// update (ignored otherwise). Never throws an ApiError for one record's failure.
std::vector<BulkOutcome> run_bulk(Records& records, const Context& ctx, const domain::EntityDef& def, BulkAction action,
                                  const std::vector<BulkTarget>& targets, const boost::json::object& changes);

}  // namespace keel::service
