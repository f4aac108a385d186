// The two logs every write appends to, inside the write's own transaction:
//  - the audit log: who changed which fields from what to what (for people);
//  - the change log: a monotonic sequence of committed writes (for sync, webhooks, reminders).
// Because both are written in the same transaction as the change, a rolled-back write leaves
// no entry and a committed write always has one.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "service/context.h"
#include "store/db.h"

namespace keel::service {

// Field-by-field difference {"field": [old, new]} between two record states (system bookkeeping
// columns are left out; custom fields appear as "custom.name").
boost::json::object diff_records(const boost::json::object& before, const boost::json::object& after);

void append_audit(store::Tx& tx, const Context& ctx, const std::string& entity, const std::string& record_id,
                  const std::string& action, const boost::json::object& changes, const std::string& at);

// `owner_id` is empty for resources without an owner (stored as NULL).
void append_change(store::Tx& tx, const Context& ctx, const std::string& entity, const std::string& record_id,
                   const std::string& action, int64_t version, const std::optional<std::string>& owner_id,
                   const std::string& at);

}  // namespace keel::service
