#include "service/teams.h"

#include <boost/json.hpp>

#include "core/error.h"
#include "core/ids.h"
#include "service/admin.h"
#include "service/journal.h"

namespace keel::service {
namespace json = boost::json;

namespace {

const char* const kColumns = "SELECT id, name, manager_id, version FROM teams";

json::object team_json(const store::Row& r) {
  return {{"id", r.text(0)},
          {"name", r.text(1)},
          {"manager_id", r.is_null(2) ? json::value(nullptr) : json::value(r.text(2))},
          {"version", r.integer(3)}};
}

std::optional<json::object> load(store::Tx& tx, const std::string& id) {
  auto row = tx.one(std::string(kColumns) + " WHERE id = ?", {id});
  if (!row) return std::nullopt;
  return team_json(*row);
}

json::object write_team(store::Tx& tx, const Context& ctx, const std::string& id, const json::object& body,
                        const std::optional<json::object>& old) {
  require_admin(ctx);
  FieldErrors errors;
  json::object in = domain::parse_body(team_body(), body, !old, errors);
  errors.throw_if_any();
  const json::object before = old.value_or(json::object{});
  std::string name = member_text(in, "name", before), manager = member_text(in, "manager_id", before);
  if (!manager.empty() && !tx.one("SELECT 1 FROM users WHERE id = ? AND active = 1", {manager}))
    throw validation_failed({{"manager_id", "reference_not_found", "No such active user"}});
  if (tx.one("SELECT 1 FROM teams WHERE name = ? AND id <> ?", {name, id}))
    throw conflict("name_taken", "A team with this name exists");
  std::string now = ctx.now_utc();
  store::Value m = manager.empty() ? store::Value{} : store::Value{manager};
  if (!old)
    tx.query("INSERT INTO teams (id, name, manager_id, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)",
             {id, name, m, now, now});
  else
    tx.query("UPDATE teams SET name = ?, manager_id = ?, version = version + 1, updated_at = ? WHERE id = ?",
             {name, m, now, id});
  json::object out = *load(tx, id);
  append_audit(tx, ctx, "teams", id, old ? "update" : "create", diff_records(before, out), now);
  return out;
}

}  // namespace

const domain::BodyDef& team_body() {
  static const domain::BodyDef body = [] {
    domain::BodyDef b;
    b.name = "TeamInput";
    b.fields.push_back({domain::required(domain::text("name", 100)), {}, {}});
    b.fields.push_back({domain::text("manager_id", 64), {}, {}});
    b.fields.back().def.ref_entity = "users";
    return b;
  }();
  return body;
}

json::array list_teams(store::Tx& tx) {
  json::array data;
  for (const auto& row : tx.query(std::string(kColumns) + " ORDER BY name").rows) data.push_back(team_json(row));
  return data;
}

json::object create_team(store::Tx& tx, const Context& ctx, const json::object& body) {
  return write_team(tx, ctx, new_uuid_v7(), body, std::nullopt);
}

json::object update_team(store::Tx& tx, const Context& ctx, const std::string& id, const json::object& body) {
  require_admin(ctx);
  auto old = load(tx, id);
  if (!old) throw not_found("No such team");
  return write_team(tx, ctx, id, body, old);
}

void delete_team(store::Tx& tx, const Context& ctx, const std::string& id) {
  require_admin(ctx);
  if (!load(tx, id)) throw not_found("No such team");
  if (tx.one("SELECT 1 FROM users WHERE team_id = ? LIMIT 1", {id}))
    throw conflict("team_in_use", "The team still has members");
  tx.query("DELETE FROM teams WHERE id = ?", {id});
  append_audit(tx, ctx, "teams", id, "delete", {}, ctx.now_utc());
}

}  // namespace keel::service
