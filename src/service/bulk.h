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

// Runs `action` on every target in order, one transaction each. `changes` is the patch of an
// update (ignored otherwise). Never throws an ApiError for one record's failure.
std::vector<BulkOutcome> run_bulk(Records& records, const Context& ctx, const domain::EntityDef& def, BulkAction action,
                                  const std::vector<BulkTarget>& targets, const boost::json::object& changes);

}  // namespace keel::service
