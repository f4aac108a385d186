#include "service/teams.h"

#include <boost/json.hpp>

#include "core/error.h"
#include "core/ids.h"
#include "service/admin.h"
#include "service/journal.h"
#include "service/versioned_write.h"

namespace keel::service {
namespace json = boost::json;

namespace {

const char* const kSelect = "SELECT id, name, manager_id, version, created_at, updated_at FROM teams";

json::object team_json(const store::Row& r) {
  return {{"id", r.text(0)},
          {"name", r.text(1)},
          {"manager_id", r.is_null(2) ? json::value(nullptr) : json::value(r.text(2))},
          {"version", r.integer(3)},
          {"created_at", r.text(4)},
          {"updated_at", r.text(5)}};
}

std::optional<json::object> load(store::Tx& tx, const std::string& id, bool for_update = false) {
  return load_row(tx, kSelect, id, for_update, team_json);
}

// Teams as write_versioned stores them: the row is team_json's.
const VersionedTable& team_table() {
  static const VersionedTable table = admin_table(
      "teams",
      [](const json::object& t, bool) -> Columns {
        return {{"name", member_text(t, "name", {})}, {"manager_id", nullable_text(t, "manager_id")}};
      },
      [](store::Tx& tx, const std::string& id) { return load(tx, id); });
  return table;
}

json::object team_for_update(store::Tx& tx, const std::string& id) {
  return row_for_update(tx, kSelect, id, team_json, "No such team");
}

// `body` validated against team_body (422 naming every problem).
json::object parse_team(const json::object& body, bool creating) {
  FieldErrors errors;
  json::object in = domain::parse_body(team_body(), body, creating, errors);
  errors.throw_if_any();
  return in;
}

// The team `old` (only an id on a create) as the parsed change `in` leaves it; 422 for a manager
// who is not an active user, 409 name_taken.
json::object changed_team(store::Tx& tx, const json::object& old, const json::object& in) {
  json::object row = old;
  row["name"] = member_text(in, "name", old);
  const std::string manager = member_text(in, "manager_id", old);
  row["manager_id"] = manager.empty() ? json::value(nullptr) : json::value(manager);
  if (!manager.empty() && !tx.one("SELECT 1 FROM users WHERE id = ? AND active = 1", {manager}))
    throw validation_failed({{"manager_id", "reference_not_found", "No such active user"}});
  if (tx.one("SELECT 1 FROM teams WHERE name = ? AND id <> ?",
             {member_text(row, "name", {}), member_text(row, "id", {})}))
    throw conflict("name_taken", "A team with this name exists");
  return row;
}

}  // namespace

const domain::BodyDef& team_body() {
  static const domain::BodyDef body = [] {
    domain::BodyDef b;
    b.name = "TeamInput";
    b.fields.push_back({domain::required(domain::text("name", 100)), {}, {}});
    b.fields.push_back({domain::text("manager_id", 64), {}, {}});
    b.fields.back().def.ref_entity = "users";
    b.fields.push_back({domain::typed("version", domain::FieldType::integer), {}, {}, false});
    return b;
  }();
  return body;
}

json::array list_teams(store::Tx& tx) {
  json::array data;
  for (const auto& row : tx.query(std::string(kSelect) + " ORDER BY name").rows) data.push_back(team_json(row));
  return data;
}

json::object create_team(store::Tx& tx, const Context& ctx, const json::object& body) {
  require_admin(ctx);
  json::object row = changed_team(tx, json::object{{"id", new_uuid_v7()}}, parse_team(body, true));
  const std::string now = ctx.now_utc();
  row["created_at"] = now;
  row["updated_at"] = now;
  write_versioned(tx, ctx, team_table(), {.action = "create", .after = row, .at = now});
  return row;
}

json::object update_team(store::Tx& tx, const Context& ctx, const std::string& id, const json::object& body,
                         std::optional<int64_t> if_match) {
  require_admin(ctx);
  const json::object in = parse_team(body, false);
  const json::object old = team_for_update(tx, id);
  expect_version(old, client_version(in, if_match));
  json::object row = changed_team(tx, old, in);
  if (diff_records(old, row).empty()) return old;  // nothing changed: no new version, no log entries
  const std::string now = ctx.now_utc();
  row["updated_at"] = now;
  write_versioned(tx, ctx, team_table(), {.action = "update", .before = &old, .after = row, .at = now});
  return row;
}

void delete_team(store::Tx& tx, const Context& ctx, const std::string& id, std::optional<int64_t> if_match) {
  require_admin(ctx);
  const json::object old = team_for_update(tx, id);
  expect_version(old, if_match);
  if (tx.one("SELECT 1 FROM users WHERE team_id = ? LIMIT 1", {id}))
    throw conflict("team_in_use", "The team still has members");
  delete_versioned(tx, ctx, team_table(), old, ctx.now_utc());
}

}  // namespace keel::service
