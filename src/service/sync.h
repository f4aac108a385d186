// Offline sync: what a device pulls (the records its user may read, then every change to them)
// and how the mutations it made offline are applied (pushed). The protocol is in the README
// ("Offline use and sync"); this is its contract.
//
// Pull. A device names itself (a UUID it chose) and hands back the cursor of its last pull. With
// no cursor it starts a snapshot: the server notes the change-log head S, then pages through the
// working set (every record of the sync entities the user may read, not in the trash, within the
// windows of SyncSettings; and the user list) by (entity, id). After the last snapshot page it
// catches up from S: change-log entries after the cursor's position, each answered with the
// record's current state ("upsert"), a "delete" when it went to the trash or was deleted, or
// "gone" when it left the user's read scope. A change committed while the snapshot was paged is
// therefore seen in the catch-up, and catch-up pages follow the log's order, so no committed
// change is missed or answered twice across page boundaries.
//  - "delete" and "gone" name only records the device was sent before (sync_sent), so they tell
//    a device nothing it could not already see.
//  - When the user's read scope changes (their role, its permissions, their team, the members of
//    the teams they reach), the next pull starts a new snapshot; at its end every record the
//    device was sent before and is not sent again is "gone".
//  - A cursor is the device's own: another user's, or another device's, is 403 cursor_not_yours.
//    A device forgotten as stale (SyncSettings::stale_days, then compaction) gets 410
//    cursor_expired and starts over without a cursor.
//  - A pull acknowledges the cursor it carries: the device holds everything before it.
//
// Push. Mutations in order, each applied in its own transaction through the same service calls
// as the REST API (validation, permissions, rules, audit and change log), and answered one by
// one. The answer is stored in the same transaction (sync_mutations), so a mutation sent again
// (same device, same mutation id) writes nothing and gets the answer it got the first time.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/body.h"
#include "service/context.h"
#include "service/records.h"
#include "store/db.h"

namespace keel::service {

struct SyncSettings {
  int activity_days = 90;   // activities that occurred (or were made) this many days back
  int done_task_days = 30;  // done or cancelled tasks changed this many days back; open ones always
  int stale_days = 30;      // a device that has not pulled for this long is stale
  int retention_days = 90;  // change-log entries superseded for this long may be compacted away
  int mutation_days = 30;   // how long pushed mutations' answers are kept for replays
};

// The entities a device replicates, in snapshot order (records before the ones that refer to them).
const std::vector<std::string>& sync_entities();

struct PullRequest {
  std::string device_id;              // canonical UUID
  std::string device_name;            // shown on the devices page; may be empty
  std::optional<std::string> cursor;  // the last pull's, or none to start over
  int64_t limit = 500;                // entries per page
};

struct PullPage {
  // {op: "upsert", entity, id, version, record} | {op: "delete" | "gone", entity, id}. Users (for
  // pickers) come as entity "users" with {id, name, email, team_id, active}.
  boost::json::array changes;
  std::string cursor;     // hand back on the next pull
  bool has_more = false;  // pull again at once: the snapshot or the catch-up goes on
  bool snapshot = false;  // this page is part of a snapshot
  int64_t lag = 0;        // change-log entries after the new cursor's position
};

// One pull. 401 device_revoked (the device was revoked: wipe), 403 cursor_not_yours, 410
// cursor_expired, 400 invalid_cursor.
PullPage pull(store::Database& db, const Context& ctx, const SyncSettings& settings, const PullRequest& in);

// One mutation as pushed. `fields`: a create's or a conversion's body, an update's changed
// fields; `base`: for an update, the value of each changed field at base_version as the device
// had it (a custom field under "custom").
struct Mutation {
  std::string id;  // the client's mutation id
  std::string entity;
  std::string op;                       // create, update, delete, restore, convert
  std::string record_id;                // canonical UUID (client-chosen for a create)
  std::optional<int64_t> base_version;  // the version the change was based on (not for a create)
  boost::json::object fields;
  boost::json::object base;
};

// The body of POST /api/v1/sync/push: device, device_name, mutations (1 to kMaxPushMutations).
const domain::BodyDef& push_body();
inline constexpr size_t kMaxPushMutations = 500;
struct PushRequest {
  std::string device_id;
  std::string device_name;
  std::vector<Mutation> mutations;
};
// Validates a push body: one 422 naming every member at fault ("mutations[3].op").
PushRequest parse_push(const boost::json::object& body);

// Applies every mutation in order and answers each:
//   {id, entity, record_id, status: "applied" | "merged", version, record}
//   {id, entity, record_id, status: "conflict", conflicts: [{field, base, client, server}],
//    server: record or null, reason: "changed" | "deleted"}
//   {id, entity, record_id, status: "rejected", http_status, code, message, errors?}
// A replayed mutation gets its first answer with "replay": true. Never throws for one mutation's
// fault; 401 device_revoked as pull.
boost::json::array push(store::Database& db, Records& records, const Context& ctx, const PushRequest& in);

// Devices and sync (administrators), newest activity first:
// {id, name, user_id, user_name, created_at, last_pull_at, last_push_at, lag, stale, revoked_at,
//  expired_at, pulls, pushes, applied, conflicts, rejected}.
boost::json::array list_devices(store::Database& db, const Context& ctx, const SyncSettings& settings);
// The refused and conflicting mutations of one device, newest first (administrators).
boost::json::array device_problems(store::Database& db, const std::string& device_id, int64_t limit);
// Revokes a device: its session ends (the next request is 401) and its next sync is 401
// device_revoked, on which the app wipes its copy. 404 unless it exists.
void revoke_device(store::Database& db, const Context& ctx, const std::string& device_id);

// What a compaction did.
struct CompactionReport {
  int64_t log_entries_removed = 0;
  int64_t devices_expired = 0;
  int64_t mutations_removed = 0;
};
// Change-log retention: removes entries older than retention_days that a later entry for the
// same record supersedes (every record keeps its latest entry, so a cursor reading after any
// position still sees every record changed since), forgets devices stale for longer than
// stale_days (their cursors get 410), and drops pushed mutations' answers older than
// mutation_days. Run by the server every hour and by `keel compact`.
CompactionReport compact(store::Database& db, const SyncSettings& settings, int64_t now_ms);

// For /metrics: stale devices, and the largest lag of a device that is not.
struct SyncHealth {
  int64_t devices = 0, stale = 0, max_lag = 0;
};
SyncHealth sync_health(store::Database& db, const SyncSettings& settings, int64_t now_ms);

}  // namespace keel::service
