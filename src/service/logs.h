// Readers of the logs every write appends to (service/journal.h), through the caller's
// permission scope: an entry about a record the caller may not read is never returned. Entries
// of the administration resources (users, roles, teams, custom fields: service/admin.h) are
// returned to every signed-in user, as their lists are; an entry holds no field values.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "service/context.h"
#include "store/db.h"

namespace keel::service {

struct ChangesPage {
  boost::json::array data;  // {seq, at, entity, record_id, action, version, owner_id, user_id}
  int64_t next_after = 0;   // where the next read starts; moves past entries the caller may not see
  bool has_more = false;
};
// Committed changes after sequence number `after`, in order, at most `limit`.
ChangesPage read_changes(store::Database& db, const Context& ctx, int64_t after, int64_t limit);

struct AuditQuery {
  int64_t before = INT64_MAX;  // entries with a smaller id, newest first
  int64_t limit = 100;
  std::optional<std::string> entity, user_id, action, record_id;
  std::optional<std::string> from, to;  // instants (stored form): at >= from, at < to
};
struct AuditPage {
  boost::json::array data;  // {id, at, user_id, user_name, entity, record_id, action, changes, request_id}
  std::optional<int64_t> next_before;
};
// The audit log (administrators; the caller checks the role).
AuditPage read_audit(store::Database& db, const AuditQuery& q);

// Every stage a deal entered, oldest first: {from_stage_id, to_stage_id, amount_minor,
// currency, at, user_id}. 404 unless the caller may read the deal.
boost::json::array deal_stage_history(store::Database& db, const Context& ctx, const std::string& deal_id);

}  // namespace keel::service
