#include "service/sync.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "core/error.h"
#include "core/ids.h"
#include "core/time.h"
#include "domain/entity.h"
#include "service/journal.h"
#include "service/json_rows.h"
#include "service/leads.h"
#include "service/scope.h"

namespace keel::service {
namespace json = boost::json;

namespace {

// Pseudo-entities a device is sent beside the records: the people and teams its pickers offer.
constexpr const char* kUsers = "users";
constexpr const char* kTeams = "teams";
constexpr int64_t kDayMs = 86'400'000;

std::string placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

// Which records the caller reaches, held in memory for a page of answers: one query for the
// owners reached through teams instead of one per record. The key changes whenever the set of
// readable records can change without a change-log entry of the records themselves.
struct ScopeView {
  const auth::Principal* p = nullptr;
  std::map<std::string, auth::Scope, std::less<>> read;
  std::set<std::string, std::less<>> team_owners;
  std::string key;

  bool reaches(std::string_view entity, std::string_view owner) const {
    if (entity == kUsers || entity == kTeams) return true;
    auto it = read.find(entity);
    auth::Scope s = it == read.end() ? auth::Scope::none : it->second;
    if (s == auth::Scope::all) return true;
    if (s == auth::Scope::none) return false;
    if (owner == p->user_id) return true;
    return s == auth::Scope::team && team_owners.contains(owner);
  }
};

ScopeView scope_view(store::Tx& tx, const auth::Principal& p) {
  ScopeView v;
  v.p = &p;
  bool team = false;
  for (const auto& e : sync_entities()) {
    auth::Scope s = p.perms.on(e).read;
    v.read[e] = s;
    team = team || s == auth::Scope::team;
  }
  std::string material = p.user_id + "|" + json::serialize(p.perms.to_json());
  if (team) {
    SqlFilter f = scope_filter(p, auth::Scope::team, "u.id");
    for (const auto& row : tx.query("SELECT u.id FROM users u WHERE " + f.sql + " ORDER BY u.id", f.params).rows) {
      v.team_owners.insert(row.text(0));
      material += "|" + row.text(0);
    }
  }
  v.key = content_hash(material).substr(0, 32);
  return v;
}

// --- Cursors ---------------------------------------------------------------------------------

// Where a device stands: in snapshot `epoch`, either paging the working set (entity index k,
// after id a, over the log position s the snapshot started at) or catching up after log
// position q. Opaque to clients; every member is checked when it comes back.
struct Cursor {
  std::string device = {}, user = {};
  int64_t epoch = 0;
  bool snapshot = true;
  int64_t s = 0;           // snapshot: the change-log head when it started
  int64_t k = 0;           // snapshot: index into the snapshot order
  std::string after = {};  // snapshot: last id sent of that entity
  int64_t q = 0;           // catch-up: the last change-log position answered
};

// The snapshot order: users and teams first (pickers), then records before those that refer
// to them.
const std::vector<std::string>& snapshot_order() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> out{kUsers, kTeams};
    for (const auto& e : sync_entities()) out.push_back(e);
    return out;
  }();
  return v;
}

std::string encode(const Cursor& c) {
  json::object o{{"v", 1}, {"d", c.device}, {"u", c.user}, {"e", c.epoch}};
  if (c.snapshot) {
    o["s"] = c.s;
    o["k"] = c.k;
    o["a"] = c.after;
  } else {
    o["q"] = c.q;
  }
  return base64url(json::serialize(o));
}

ApiError invalid_cursor() {
  return bad_request("invalid_cursor", "The sync cursor is malformed; pull again without one", "cursor");
}

Cursor decode(const std::string& text) {
  auto raw = from_base64url(text);
  if (!raw) throw invalid_cursor();
  boost::system::error_code ec;
  json::value v = json::parse(*raw, ec);
  if (ec || !v.is_object()) throw invalid_cursor();
  const json::object& o = v.as_object();
  auto str = [&](const char* k) {
    const json::value& m = member(o, k);
    if (!m.is_string()) throw invalid_cursor();
    return std::string(m.as_string());
  };
  auto num = [&](const char* k) {
    const json::value& m = member(o, k);
    if (!m.is_int64() || m.as_int64() < 0) throw invalid_cursor();
    return m.as_int64();
  };
  if (member(o, "v") != json::value(1)) throw invalid_cursor();
  Cursor c;
  c.device = str("d");
  c.user = str("u");
  c.epoch = num("e");
  c.snapshot = o.contains("s");
  if (c.snapshot) {
    c.s = num("s");
    c.k = num("k");
    c.after = str("a");
    if (c.k >= static_cast<int64_t>(snapshot_order().size())) throw invalid_cursor();
  } else {
    c.q = num("q");
  }
  return c;
}

// --- Devices ---------------------------------------------------------------------------------

struct Device {
  bool exists = false;
  int64_t epoch = 0;
  std::string scope_key;
  bool expired = false;
};

// The device row, checked to be the caller's and not revoked (a device never seen is new).
Device load_device(store::Tx& tx, const Context& ctx, const std::string& device_id) {
  Device d;
  auto row =
      tx.one("SELECT user_id, epoch, scope_key, expired_at, revoked_at FROM sync_devices WHERE id = ?", {device_id});
  if (!row) return d;
  if (row->text(0) != ctx.principal.user_id)
    throw ApiError(ErrorKind::forbidden, "device_not_yours", "This device id is registered to another user");
  if (!row->is_null(4))
    throw ApiError(ErrorKind::unauthenticated, "device_revoked",
                   "An administrator revoked this device; its local data must be wiped and the user sign in again");
  d.exists = true;
  d.epoch = row->integer(1);
  d.scope_key = row->text(2);
  d.expired = !row->is_null(3);
  return d;
}

// Registers the device on first contact; afterwards refreshes its name and session.
void touch_device(store::Tx& tx, const Context& ctx, const std::string& device_id, const std::string& name) {
  tx.query(
      "INSERT INTO sync_devices (id, user_id, name, credential_id, created_at) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (id) DO UPDATE SET name = CASE WHEN excluded.name = '' THEN sync_devices.name ELSE excluded.name "
      "END, credential_id = excluded.credential_id",
      {device_id, ctx.principal.user_id, name, ctx.principal.credential_id, ctx.now_utc()});
}

// --- Pull ------------------------------------------------------------------------------------

int64_t log_head(store::Tx& tx) { return tx.one("SELECT COALESCE(MAX(seq), 0) FROM change_log")->integer(0); }

json::object user_summary(const store::Row& row) {
  return {{"id", row.text(0)},
          {"name", row.text(1)},
          {"email", row.text(2)},
          {"team_id", text_or_null(row, 3)},
          {"active", row.integer(4) != 0},
          {"version", row.integer(5)}};
}
json::object team_summary(const store::Row& row) {
  return {
      {"id", row.text(0)}, {"name", row.text(1)}, {"manager_id", text_or_null(row, 2)}, {"version", row.integer(3)}};
}
const char* kUserColumns = "id, name, email, team_id, active, version";
const char* kTeamColumns = "id, name, manager_id, version";

json::object upsert(const std::string& entity, json::object record) {
  std::string id(record.at("id").as_string());
  int64_t version = record.at("version").as_int64();
  return {{"op", "upsert"}, {"entity", entity}, {"id", id}, {"version", version}, {"record", std::move(record)}};
}
json::object removal(const char* op, const std::string& entity, const std::string& id) {
  return {{"op", op}, {"entity", entity}, {"id", id}};
}

// What a pull page changes in the device's bookkeeping, written after the page is read.
struct Marks {
  std::vector<std::pair<std::string, std::string>> sent;               // (entity, id)
  std::vector<std::tuple<std::string, std::string, int64_t>> removed;  // (entity, id, seq)
};

// The working-set conditions beyond scope and trash: the windows of SyncSettings.
std::string window_sql(const std::string& entity, const SyncSettings& st, int64_t now_ms, store::Params& ps) {
  if (entity == "activities") {
    std::string cutoff = format_utc(now_ms - st.activity_days * kDayMs);
    ps.push_back(cutoff);
    ps.push_back(cutoff);
    return " AND (t.occurred_at >= ? OR (t.occurred_at IS NULL AND t.created_at >= ?))";
  }
  if (entity == "tasks") {
    ps.push_back(format_utc(now_ms - st.done_task_days * kDayMs));
    return " AND (t.status IS NULL OR t.status = 'open' OR t.updated_at >= ?)";
  }
  return "";
}

// One snapshot page from cursor `c` (advanced in place), at most `limit` entries.
void snapshot_page(store::Tx& tx, const Context& ctx, const SyncSettings& st, const ScopeView& scope, Cursor& c,
                   int64_t limit, PullPage& page, Marks& marks) {
  const auto& order = snapshot_order();
  int64_t n = 0;
  while (c.k < static_cast<int64_t>(order.size()) && n < limit) {
    const std::string& entity = order[c.k];
    int64_t want = limit - n;
    store::Params ps{c.after};
    std::string sql;
    const domain::EntityDef* def = nullptr;
    if (entity == kUsers) {
      sql = std::string("SELECT ") + kUserColumns + " FROM users t WHERE t.id > ?";
    } else if (entity == kTeams) {
      sql = std::string("SELECT ") + kTeamColumns + " FROM teams t WHERE t.id > ?";
    } else {
      def = domain::find_entity(entity);
      SqlFilter f = scope_filter(ctx.principal, scope.read.at(entity), "t.owner_id");
      sql = "SELECT " + select_columns(*def, "t") + " FROM " + entity +
            " t WHERE t.id > ? AND t.deleted_at IS NULL AND " + f.sql;
      ps.insert(ps.end(), f.params.begin(), f.params.end());
      sql += window_sql(entity, st, ctx.now_ms(), ps);
    }
    sql += " ORDER BY t.id LIMIT " + std::to_string(want);
    auto rows = tx.query(sql, ps).rows;
    for (const auto& row : rows) {
      json::object rec = def ? row_to_json(*def, row) : entity == kUsers ? user_summary(row) : team_summary(row);
      c.after = std::string(rec.at("id").as_string());
      marks.sent.emplace_back(entity, c.after);
      page.changes.push_back(upsert(entity, std::move(rec)));
      ++n;
    }
    if (static_cast<int64_t>(rows.size()) < want) {
      ++c.k;
      c.after.clear();
    }
  }
  if (c.k < static_cast<int64_t>(order.size())) return;
  // The snapshot is complete: whatever the device was sent before it and not during it has
  // left the working set (scope, trash, window). This page's records are marked only after it
  // is read, so they still carry the older epoch here.
  std::set<std::pair<std::string, std::string>> this_page(marks.sent.begin(), marks.sent.end());
  for (const auto& row :
       tx.query("SELECT entity, record_id FROM sync_sent WHERE device_id = ? AND epoch < ?", {c.device, c.epoch}).rows)
    if (!this_page.contains({row.text(0), row.text(1)}))
      page.changes.push_back(removal("gone", row.text(0), row.text(1)));
  c.snapshot = false;
  c.q = c.s;
}

// One catch-up page after c.q (advanced in place).
void catch_up_page(store::Tx& tx, const Context& ctx, const ScopeView& scope, Cursor& c, int64_t limit, PullPage& page,
                   Marks& marks) {
  // The entries the caller may see (by the owner each entry was written with), and every entry
  // about a record the device holds, so that one whose owner moved out of scope is answered
  // "gone" rather than skipped.
  std::string sql =
      "SELECT c.seq, c.entity, c.record_id FROM change_log c WHERE c.seq > ? AND (c.entity IN (?, ?) OR EXISTS "
      "(SELECT 1 FROM sync_sent s WHERE s.device_id = ? AND s.entity = c.entity AND s.record_id = c.record_id)";
  store::Params ps{c.q, kUsers, kTeams, c.device};
  for (const auto& e : sync_entities()) {
    auth::Scope s = scope.read.at(e);
    if (s == auth::Scope::none) continue;
    SqlFilter f = scope_filter(ctx.principal, s, "c.owner_id");
    sql += " OR (c.entity = ? AND " + f.sql + ")";
    ps.push_back(e);
    ps.insert(ps.end(), f.params.begin(), f.params.end());
  }
  sql += ") ORDER BY c.seq LIMIT " + std::to_string(limit);
  auto entries = tx.query(sql, ps).rows;
  const int64_t head = log_head(tx);

  // The last entry of each record in the page decides its answer; answers go out in log order.
  std::map<std::pair<std::string, std::string>, int64_t> last;
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& row : entries) {
    auto k = std::make_pair(row.text(1), row.text(2));
    if (!last.contains(k)) order.push_back(k);
    last[k] = row.integer(0);
  }
  std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) { return last[a] < last[b]; });

  // Current states and the device's holdings, one query per entity.
  std::map<std::string, std::vector<std::string>> ids;
  for (const auto& k : order) ids[k.first].push_back(k.second);
  std::map<std::pair<std::string, std::string>, json::object> current;
  std::set<std::pair<std::string, std::string>> held;
  for (const auto& [entity, list] : ids) {
    store::Params in(list.begin(), list.end());
    std::string sql_rows;
    const domain::EntityDef* def = domain::find_entity(entity);
    if (entity == kUsers)
      sql_rows = std::string("SELECT ") + kUserColumns + " FROM users WHERE id IN (" + placeholders(list.size()) + ")";
    else if (entity == kTeams)
      sql_rows = std::string("SELECT ") + kTeamColumns + " FROM teams WHERE id IN (" + placeholders(list.size()) + ")";
    else if (def)
      sql_rows =
          "SELECT " + select_columns(*def) + " FROM " + entity + " WHERE id IN (" + placeholders(list.size()) + ")";
    else
      continue;
    for (const auto& row : tx.query(sql_rows, in).rows) {
      json::object rec = def ? row_to_json(*def, row) : entity == kUsers ? user_summary(row) : team_summary(row);
      current[{entity, std::string(rec.at("id").as_string())}] = std::move(rec);
    }
    store::Params hp{c.device, entity};
    hp.insert(hp.end(), list.begin(), list.end());
    for (const auto& row :
         tx.query("SELECT record_id FROM sync_sent WHERE device_id = ? AND entity = ? AND record_id IN (" +
                      placeholders(list.size()) + ")",
                  hp)
             .rows)
      held.insert({entity, row.text(0)});
  }

  for (const auto& k : order) {
    auto it = current.find(k);
    bool live = it != current.end() && member(it->second, "deleted_at").is_null();
    if (live && scope.reaches(k.first, member(it->second, "owner_id").is_string()
                                           ? std::string_view(member(it->second, "owner_id").as_string())
                                           : std::string_view())) {
      marks.sent.push_back(k);
      page.changes.push_back(upsert(k.first, it->second));
    } else if (held.contains(k)) {
      const char* op = live ? "gone" : "delete";
      marks.removed.emplace_back(k.first, k.second, last[k]);
      page.changes.push_back(removal(op, k.first, k.second));
    }
  }
  c.q = entries.empty() ? c.q : entries.back().integer(0);
  if (static_cast<int64_t>(entries.size()) < limit) c.q = std::max(c.q, head);
  page.has_more = c.q < head;
  page.lag = head - c.q;
}

void write_marks(store::Tx& tx, const std::string& device, int64_t epoch, const Marks& marks) {
  constexpr size_t kChunk = 200;
  for (size_t i = 0; i < marks.sent.size(); i += kChunk) {
    size_t end = std::min(marks.sent.size(), i + kChunk);
    std::string sql = "INSERT INTO sync_sent (device_id, entity, record_id, epoch, removed_seq) VALUES ";
    store::Params ps;
    for (size_t j = i; j < end; ++j) {
      sql += j == i ? "(?, ?, ?, ?, NULL)" : ", (?, ?, ?, ?, NULL)";
      ps.insert(ps.end(), {device, marks.sent[j].first, marks.sent[j].second, epoch});
    }
    sql += " ON CONFLICT (device_id, entity, record_id) DO UPDATE SET epoch = excluded.epoch, removed_seq = NULL";
    tx.query(sql, ps);
  }
  for (const auto& [entity, id, seq] : marks.removed)
    tx.query("UPDATE sync_sent SET removed_seq = ? WHERE device_id = ? AND entity = ? AND record_id = ?",
             {seq, device, entity, id});
}

}  // namespace

const std::vector<std::string>& sync_entities() {
  static const std::vector<std::string> v{"pipelines", "products", "accounts", "contacts",  "leads",
                                          "deals",     "orders",   "tasks",    "activities"};
  return v;
}

PullPage pull(store::Database& db, const Context& ctx, const SyncSettings& st, const PullRequest& in) {
  PullPage page;
  Cursor c;
  Device dev;
  std::string scope_key;
  std::optional<int64_t> acked;  // the position this pull's cursor confirms
  Marks marks;
  db.read([&](store::Tx& tx) {
    dev = load_device(tx, ctx, in.device_id);
    ScopeView scope = scope_view(tx, ctx.principal);
    scope_key = scope.key;
    bool fresh = true;
    if (in.cursor) {
      c = decode(*in.cursor);
      if (c.user != ctx.principal.user_id || c.device != in.device_id)
        throw ApiError(ErrorKind::forbidden, "cursor_not_yours", "This cursor belongs to another user or device");
      if (!dev.exists || dev.expired)
        throw ApiError(ErrorKind::gone, "cursor_expired",
                       "This device has not synced for too long and the server forgot what it holds; pull again "
                       "without a cursor");
      if (c.epoch > dev.epoch) throw invalid_cursor();
      if (c.epoch == dev.epoch && scope.key == dev.scope_key) {
        fresh = false;
        if (!c.snapshot) acked = c.q;
      } else if (c.epoch < dev.epoch) {
        // An older cursor: an answer that started the current snapshot was lost. Start it again.
        c = Cursor{.device = in.device_id, .user = ctx.principal.user_id, .epoch = dev.epoch};
        c.s = log_head(tx);
        fresh = false;
      }
    }
    if (fresh) {
      // No cursor, or the user's read scope changed since: a new snapshot.
      c = Cursor{.device = in.device_id, .user = ctx.principal.user_id, .epoch = dev.exists ? dev.epoch + 1 : 1};
      c.s = log_head(tx);
    }
    if (c.snapshot) {
      page.snapshot = true;
      snapshot_page(tx, ctx, st, scope, c, in.limit, page, marks);
      page.has_more = true;  // the catch-up after the snapshot, or the rest of it
      page.lag = log_head(tx) - c.s;
    } else {
      catch_up_page(tx, ctx, scope, c, in.limit, page, marks);
    }
    page.cursor = encode(c);
  });
  // The page was read from one snapshot of the database; what it sent is noted after it.
  db.write([&](store::Tx& w) {
    touch_device(w, ctx, in.device_id, in.device_name);
    w.query(
        "UPDATE sync_devices SET epoch = ?, scope_key = ?, pulls = pulls + 1, last_pull_at = ?, expired_at = NULL, "
        "acked_seq = CASE WHEN ? >= 0 THEN ? ELSE acked_seq END WHERE id = ?",
        {c.epoch, scope_key, ctx.now_utc(), acked.value_or(-1), acked.value_or(-1), in.device_id});
    // What the cursor acknowledges is forgotten: removals the device has applied, and records
    // a finished snapshot did not send again.
    if (acked)
      w.query(
          "DELETE FROM sync_sent WHERE device_id = ? AND (epoch < ? OR (removed_seq IS NOT NULL AND removed_seq <= ?))",
          {in.device_id, c.epoch, *acked});
    write_marks(w, in.device_id, c.epoch, marks);
  });
  return page;
}

// --- Push ------------------------------------------------------------------------------------

namespace {

bool is_op(std::string_view op) {
  return op == "create" || op == "update" || op == "delete" || op == "restore" || op == "convert";
}

json::value check_mutations(const json::value& v, const std::string& path, FieldErrors& errors) {
  if (!v.is_array()) {
    errors.add(path, "invalid_type", "Must be an array of mutations");
    return nullptr;
  }
  const auto& arr = v.as_array();
  if (arr.empty()) errors.add(path, "required", "Push at least one mutation");
  if (arr.size() > kMaxPushMutations)
    errors.add(path, "too_many_items", "At most " + std::to_string(kMaxPushMutations) + " mutations per push");
  std::set<std::string> seen;
  for (size_t i = 0; i < arr.size() && i < kMaxPushMutations; ++i) {
    const std::string at = path + "[" + std::to_string(i) + "]";
    if (!arr[i].is_object()) {
      errors.add(at, "invalid_type", "Must be an object");
      continue;
    }
    const json::object& m = arr[i].as_object();
    for (const auto& kv : m) {
      static const std::set<std::string, std::less<>> known{"id",           "entity", "op",  "record_id",
                                                            "base_version", "fields", "base"};
      if (!known.contains(kv.key()))
        errors.add(at + "." + std::string(kv.key()), "unknown_field", "Not a mutation member");
    }
    const json::value& id = member(m, "id");
    if (!id.is_string() || id.as_string().empty() || id.as_string().size() > 100)
      errors.add(at + ".id", id.is_null() ? "required" : "invalid_format",
                 "The client's mutation id: 1 to 100 characters");
    else if (!seen.insert(std::string(id.as_string())).second)
      errors.add(at + ".id", "duplicate", "This mutation id is listed twice");
    const json::value& entity = member(m, "entity");
    const auto& ents = sync_entities();
    if (!entity.is_string() || std::find(ents.begin(), ents.end(), entity.as_string()) == ents.end())
      errors.add(at + ".entity", entity.is_null() ? "required" : "invalid_choice",
                 "One of the entities a device syncs");
    const json::value& op = member(m, "op");
    if (!op.is_string() || !is_op(op.as_string()))
      errors.add(at + ".op", op.is_null() ? "required" : "invalid_choice",
                 "One of create, update, delete, restore, convert");
    else if (op.as_string() == "convert" && entity != json::value("leads"))
      errors.add(at + ".op", "invalid_choice", "Only leads are converted");
    const json::value& rid = member(m, "record_id");
    if (!rid.is_string() || !is_uuid(rid.as_string()))
      errors.add(at + ".record_id", rid.is_null() ? "required" : "invalid_format", "Must be a record id (UUID)");
    const json::value& bv = member(m, "base_version");
    if (!bv.is_null() && (!bv.is_int64() || bv.as_int64() < 1))
      errors.add(at + ".base_version", "invalid_type", "Must be a positive integer");
    bool needs_base = op.is_string() && op.as_string() != "create" && op.as_string() != "convert";
    if (needs_base && bv.is_null()) errors.add(at + ".base_version", "required", "The version the change was based on");
    for (const char* k : {"fields", "base"}) {
      const json::value& o = member(m, k);
      if (!o.is_null() && !o.is_object()) errors.add(at + "." + k, "invalid_type", "Must be an object");
    }
    bool needs_fields = op.is_string() && (op.as_string() == "create" || op.as_string() == "update");
    if (needs_fields && !member(m, "fields").is_object())
      errors.add(at + ".fields", "required", "The fields of the record or of the change");
  }
  return v;
}

domain::BodyDef make_push_body() {
  domain::BodyDef b;
  b.name = "SyncPush";
  domain::BodyField device{domain::required(domain::typed("device", domain::FieldType::text)),
                           [](const json::value& v, const std::string& path, FieldErrors& errors) -> json::value {
                             if (!v.is_string() || !is_uuid(v.as_string())) {
                               errors.add(path, "invalid_format", "The device's id (a UUID)");
                               return nullptr;
                             }
                             return json::value(canonical_uuid(v.as_string()));
                           },
                           {{"type", "string"}, {"format", "uuid"}},
                           false};
  device.def.description = "The device's own id (a UUID it chose and keeps)";
  b.fields.push_back(std::move(device));
  domain::FieldDef name = domain::text("device_name", 200);
  name.description = "What the devices page calls it";
  b.fields.push_back({name, {}, {}});
  json::object mutation{{"type", "object"},
                        {"properties",
                         {{"id", {{"type", "string"}, {"minLength", 1}, {"maxLength", 100}}},
                          {"entity", {{"type", "string"}, {"enum", json::value_from(sync_entities())}}},
                          {"op", {{"type", "string"}, {"enum", {"create", "update", "delete", "restore", "convert"}}}},
                          {"record_id", {{"type", "string"}, {"format", "uuid"}}},
                          {"base_version", {{"type", "integer"}, {"minimum", 1}}},
                          {"fields", {{"type", "object"}}},
                          {"base", {{"type", "object"}}}}},
                        {"required", {"id", "entity", "op", "record_id"}},
                        {"additionalProperties", false}};
  domain::BodyField mutations{
      domain::required(domain::typed("mutations", domain::FieldType::tags)),
      check_mutations,
      {{"type", "array"}, {"minItems", 1}, {"maxItems", kMaxPushMutations}, {"items", mutation}},
      false};
  mutations.def.description = "The device's changes, in the order they were made";
  b.fields.push_back(std::move(mutations));
  return b;
}

json::object outcome_base(const Mutation& m, const char* status) {
  return {{"id", m.id}, {"entity", m.entity}, {"record_id", m.record_id}, {"status", status}};
}

json::object written(const Mutation& m, const char* status, const json::object& record) {
  json::object o = outcome_base(m, status);
  o["version"] = record.at("version");
  o["record"] = record;
  return o;
}

json::object rejected(const Mutation& m, const ApiError& e) {
  json::object o = outcome_base(m, "rejected");
  o["code"] = e.code();
  o["message"] = e.what();
  if (!e.fields().empty()) o["errors"] = field_errors_json(e.fields());
  return o;
}

// The value a change touches, as a record holds it ("custom.size" inside custom).
const json::value& value_at(const json::object& record, const std::string& field, const std::string& custom) {
  static const json::value null;
  if (custom.empty()) return member(record, field);
  const json::value& c = member(record, "custom");
  return c.is_object() ? member(c.as_object(), custom) : null;
}

// An update based on an older version: each changed field whose stored value is still the one
// the device started from takes the device's value; one the server changed to something else
// is a conflict (nothing is written). A field the device had no base for is a conflict unless
// the server already holds the device's value.
json::array field_conflicts(const Mutation& m, const json::object& current) {
  json::array out;
  auto check = [&](const std::string& name, const std::string& custom, const json::value& client,
                   const json::value* base) {
    const json::value& server = value_at(current, custom.empty() ? name : "custom", custom);
    if (server == client) return;
    if (base && *base == server) return;
    out.push_back(json::object{{"field", custom.empty() ? name : "custom." + custom},
                               {"base", base ? *base : json::value(nullptr)},
                               {"client", client},
                               {"server", server}});
  };
  for (const auto& [k, v] : m.fields) {
    std::string key(k);
    if (key == "custom" && v.is_object()) {
      const json::value& bc = member(m.base, "custom");
      for (const auto& [ck, cv] : v.as_object()) {
        const json::value* b = bc.is_object() ? bc.as_object().if_contains(ck) : nullptr;
        check("custom", std::string(ck), cv, b);
      }
      continue;
    }
    if (!current.contains(key)) continue;  // not a field: the update refuses it by name
    check(key, "", v, m.base.if_contains(key));
  }
  return out;
}

json::object conflict_outcome(const Mutation& m, const char* reason, json::array conflicts,
                              const std::optional<json::object>& server) {
  json::object o = outcome_base(m, "conflict");
  o["reason"] = reason;
  o["conflicts"] = std::move(conflicts);
  o["server"] = server ? json::value(*server) : json::value(nullptr);
  if (server) o["version"] = server->at("version");
  return o;
}

// The record as the caller may see it, in the trash or not; 404 when they may not.
json::object visible_or_404(store::Tx& tx, const Context& ctx, const domain::EntityDef& def, const std::string& id) {
  auto rec = Records::load(tx, def, id, true);
  if (!rec || !owner_in_scope(tx, ctx.principal, ctx.principal.perms.on(def.name).read,
                              std::string(member(*rec, "owner_id").as_string())))
    throw ApiError(ErrorKind::not_found, "not_found", "No such " + def.singular + ", or you cannot see it");
  return *rec;
}

// Applies one mutation inside `tx` and says how it went; throws the ApiError of a refusal.
json::object apply(store::Tx& tx, Records& records, const Context& ctx, const Mutation& m) {
  const domain::EntityDef& def = *domain::find_entity(m.entity);
  if (m.op == "create") {
    json::object input = m.fields;
    input["id"] = m.record_id;
    WriteResult w = records.create_in(tx, ctx, def, input);
    return written(m, "applied", w.record);
  }
  if (m.op == "convert") {
    LeadConversion lc = parse_lead_conversion(m.fields);
    json::object out = convert_lead_in(tx, records, ctx, m.record_id, lc);
    json::object o = written(m, "applied", out.at("lead").as_object());
    o["related"] =
        json::object{{"accounts", out.at("account")}, {"contacts", out.at("contact")}, {"deals", out.at("deal")}};
    return o;
  }
  json::object cur = visible_or_404(tx, ctx, def, m.record_id);
  const bool trashed = !member(cur, "deleted_at").is_null();
  const int64_t version = cur.at("version").as_int64();
  if (m.op == "delete") {
    if (trashed) return written(m, "applied", cur);  // already where the device wanted it
    if (m.base_version != version) return conflict_outcome(m, "changed", {}, cur);
    return written(m, "applied", records.remove_in(tx, ctx, def, m.record_id, version));
  }
  if (m.op == "restore") {
    if (!trashed) return written(m, "applied", cur);
    return written(m, "applied", records.restore_in(tx, ctx, def, m.record_id, version));
  }
  // update
  if (trashed) return conflict_outcome(m, "deleted", {}, cur);
  bool merged = m.base_version != version;
  if (merged) {
    json::array conflicts = field_conflicts(m, cur);
    if (!conflicts.empty()) return conflict_outcome(m, "changed", std::move(conflicts), cur);
  }
  WriteResult w = records.update_in(tx, ctx, def, m.record_id, m.fields, version);
  return written(m, merged ? "merged" : "applied", w.record);
}

void mark_held(store::Tx& tx, const std::string& device, const json::object& outcome) {
  auto mark = [&](const std::string& entity, const json::value& rec) {
    if (!rec.is_object()) return;
    tx.query(
        "INSERT INTO sync_sent (device_id, entity, record_id, epoch, removed_seq) "
        "SELECT ?, ?, ?, epoch, NULL FROM sync_devices WHERE id = ? "
        "ON CONFLICT (device_id, entity, record_id) DO UPDATE SET removed_seq = NULL",
        {device, entity, std::string(rec.as_object().at("id").as_string()), device});
  };
  mark(std::string(outcome.at("entity").as_string()), member(outcome, "record"));
  if (const json::value* rel = outcome.if_contains("related"))
    for (const auto& [entity, rec] : rel->as_object()) mark(std::string(entity), rec);
}

std::optional<json::object> stored(store::Tx& tx, const std::string& device, const std::string& mutation) {
  auto row = tx.one("SELECT result FROM sync_mutations WHERE device_id = ? AND mutation_id = ?", {device, mutation});
  if (!row) return std::nullopt;
  json::object o = json::parse(row->text(0)).as_object();
  o["replay"] = true;
  return o;
}

void store_outcome(store::Tx& tx, const Context& ctx, const std::string& device, const json::object& o) {
  tx.query(
      "INSERT INTO sync_mutations (device_id, mutation_id, outcome, entity, record_id, result, at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {device, std::string(o.at("id").as_string()), std::string(o.at("status").as_string()),
       std::string(o.at("entity").as_string()), std::string(o.at("record_id").as_string()), json::serialize(o),
       ctx.now_utc()});
}

json::object push_one(store::Database& db, Records& records, const Context& ctx, const std::string& device,
                      const Mutation& m) {
  json::object out;
  for (int attempt = 0;; ++attempt) {
    try {
      db.write([&](store::Tx& tx) {
        if (auto s = stored(tx, device, m.id)) {
          out = *s;
          return;
        }
        out = apply(tx, records, ctx, m);
        store_outcome(tx, ctx, device, out);
        mark_held(tx, device, out);
      });
      return out;
    } catch (const ApiError& e) {
      // Refused: nothing of it was written. Its answer is kept all the same, so that a replay
      // is answered alike (unless a replay racing this one stored its own first).
      db.write([&](store::Tx& tx) {
        if (auto s = stored(tx, device, m.id)) {
          out = *s;
          return;
        }
        out = rejected(m, e);
        store_outcome(tx, ctx, device, out);
      });
      return out;
    } catch (const store::DbError& e) {
      // Two replays of one create racing on PostgreSQL: the loser's insert met the winner's
      // primary key. Once more, it finds the winner's answer.
      if (e.kind() != store::DbError::Kind::unique_violation || attempt > 0) throw;
    }
  }
}

}  // namespace

const domain::BodyDef& push_body() {
  static const domain::BodyDef body = make_push_body();
  return body;
}

PushRequest parse_push(const json::object& body) {
  FieldErrors errors;
  json::object in = domain::parse_body(push_body(), body, true, errors);
  errors.throw_if_any();
  PushRequest out;
  out.device_id = std::string(in.at("device").as_string());
  if (const json::value* n = in.if_contains("device_name"); n && n->is_string())
    out.device_name = std::string(n->as_string());
  for (const auto& v : in.at("mutations").as_array()) {
    const json::object& o = v.as_object();
    Mutation m;
    m.id = std::string(o.at("id").as_string());
    m.entity = std::string(o.at("entity").as_string());
    m.op = std::string(o.at("op").as_string());
    m.record_id = canonical_uuid(o.at("record_id").as_string());
    if (const json::value* bv = o.if_contains("base_version"); bv && bv->is_int64()) m.base_version = bv->as_int64();
    if (const json::value* f = o.if_contains("fields"); f && f->is_object()) m.fields = f->as_object();
    if (const json::value* b = o.if_contains("base"); b && b->is_object()) m.base = b->as_object();
    out.mutations.push_back(std::move(m));
  }
  return out;
}

json::array push(store::Database& db, Records& records, const Context& ctx, const PushRequest& in) {
  db.write([&](store::Tx& tx) {
    load_device(tx, ctx, in.device_id);
    touch_device(tx, ctx, in.device_id, in.device_name);
  });
  json::array results;
  int64_t applied = 0, conflicts = 0, refused = 0;
  for (const Mutation& m : in.mutations) {
    json::object o = push_one(db, records, ctx, in.device_id, m);
    if (!o.contains("replay")) {
      const auto& s = o.at("status").as_string();
      applied += s == "applied" || s == "merged";
      conflicts += s == "conflict";
      refused += s == "rejected";
    }
    results.push_back(std::move(o));
  }
  db.write([&](store::Tx& tx) {
    tx.query(
        "UPDATE sync_devices SET pushes = pushes + 1, last_push_at = ?, applied = applied + ?, "
        "conflicts = conflicts + ?, rejected = rejected + ? WHERE id = ?",
        {ctx.now_utc(), applied, conflicts, refused, in.device_id});
  });
  return results;
}

// --- Administration --------------------------------------------------------------------------

json::array list_devices(store::Database& db, const Context& ctx, const SyncSettings& st) {
  json::array out;
  const std::string stale_before = format_utc(ctx.now_ms() - st.stale_days * kDayMs);
  db.read([&](store::Tx& tx) {
    const int64_t head = log_head(tx);
    auto rows = tx.query(
        "SELECT d.id, d.name, d.user_id, u.name, d.created_at, d.last_pull_at, d.last_push_at, d.acked_seq, "
        "d.revoked_at, d.expired_at, d.pulls, d.pushes, d.applied, d.conflicts, d.rejected "
        "FROM sync_devices d JOIN users u ON u.id = d.user_id "
        "ORDER BY COALESCE(d.last_pull_at, d.created_at) DESC, d.id");
    for (const auto& r : rows.rows) {
      std::string seen = r.is_null(5) ? r.text(4) : r.text(5);
      out.push_back(json::object{{"id", r.text(0)},
                                 {"name", r.text(1)},
                                 {"user_id", r.text(2)},
                                 {"user_name", r.text(3)},
                                 {"created_at", r.text(4)},
                                 {"last_pull_at", text_or_null(r, 5)},
                                 {"last_push_at", text_or_null(r, 6)},
                                 {"lag", std::max<int64_t>(0, head - r.integer(7))},
                                 {"stale", seen < stale_before},
                                 {"revoked_at", text_or_null(r, 8)},
                                 {"expired_at", text_or_null(r, 9)},
                                 {"pulls", r.integer(10)},
                                 {"pushes", r.integer(11)},
                                 {"applied", r.integer(12)},
                                 {"conflicts", r.integer(13)},
                                 {"rejected", r.integer(14)}});
    }
  });
  return out;
}

json::array device_problems(store::Database& db, const std::string& device_id, int64_t limit) {
  json::array out;
  db.read([&](store::Tx& tx) {
    if (!tx.one("SELECT 1 FROM sync_devices WHERE id = ?", {device_id}))
      throw ApiError(ErrorKind::not_found, "not_found", "No such device");
    auto rows = tx.query(
        "SELECT result, at FROM sync_mutations WHERE device_id = ? AND outcome IN ('conflict', 'rejected') "
        "ORDER BY at DESC LIMIT " +
            std::to_string(limit),
        {device_id});
    for (const auto& r : rows.rows) {
      json::object o = json::parse(r.text(0)).as_object();
      o["at"] = r.text(1);
      out.push_back(std::move(o));
    }
  });
  return out;
}

void revoke_device(store::Database& db, const Context& ctx, const std::string& device_id) {
  db.write([&](store::Tx& tx) {
    auto row = tx.one("SELECT credential_id, revoked_at FROM sync_devices WHERE id = ?", {device_id});
    if (!row) throw ApiError(ErrorKind::not_found, "not_found", "No such device");
    if (!row->is_null(1)) return;
    std::string now = ctx.now_utc();
    tx.query("UPDATE sync_devices SET revoked_at = ?, revoked_by = ? WHERE id = ?",
             {now, ctx.principal.user_id, device_id});
    if (!row->is_null(0))
      tx.query("UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {now, row->text(0)});
    tx.query("DELETE FROM sync_sent WHERE device_id = ?", {device_id});
    append_audit(tx, ctx, "devices", device_id, "revoke", {}, now);
  });
}

CompactionReport compact(store::Database& db, const SyncSettings& st, int64_t now_ms) {
  CompactionReport rep;
  db.write([&](store::Tx& tx) {
    if (st.retention_days > 0) {
      // An entry is superseded when a later one is about the same record; the latest stays.
      rep.log_entries_removed =
          tx.query(
                "DELETE FROM change_log WHERE at < ? AND EXISTS (SELECT 1 FROM change_log n WHERE n.entity = "
                "change_log.entity AND n.record_id = change_log.record_id AND n.seq > change_log.seq)",
                {format_utc(now_ms - st.retention_days * kDayMs)})
              .affected;
    }
    const std::string stale_before = format_utc(now_ms - st.stale_days * kDayMs);
    auto stale = tx.query(
        "SELECT id FROM sync_devices WHERE expired_at IS NULL AND revoked_at IS NULL AND "
        "COALESCE(last_pull_at, created_at) < ?",
        {stale_before});
    for (const auto& r : stale.rows) {
      tx.query("DELETE FROM sync_sent WHERE device_id = ?", {r.text(0)});
      tx.query("UPDATE sync_devices SET expired_at = ? WHERE id = ?", {format_utc(now_ms), r.text(0)});
      ++rep.devices_expired;
    }
    rep.mutations_removed =
        tx.query("DELETE FROM sync_mutations WHERE at < ?", {format_utc(now_ms - st.mutation_days * kDayMs)}).affected;
  });
  return rep;
}

SyncHealth sync_health(store::Database& db, const SyncSettings& st, int64_t now_ms) {
  SyncHealth h;
  const std::string stale_before = format_utc(now_ms - st.stale_days * kDayMs);
  db.read([&](store::Tx& tx) {
    const int64_t head = log_head(tx);
    auto r = tx.one(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN COALESCE(last_pull_at, created_at) < ? THEN 1 ELSE 0 END), 0), "
        "COALESCE(MIN(CASE WHEN COALESCE(last_pull_at, created_at) >= ? THEN acked_seq END), -1) "
        "FROM sync_devices WHERE revoked_at IS NULL AND expired_at IS NULL",
        {stale_before, stale_before});
    h.devices = r->integer(0);
    h.stale = r->integer(1);
    h.max_lag = r->integer(2) < 0 ? 0 : head - r->integer(2);
  });
  return h;
}

}  // namespace keel::service
