#include "service/roles.h"

#include <boost/json.hpp>

#include "auth/permissions.h"
#include "core/error.h"
#include "core/ids.h"
#include "service/admin.h"
#include "service/journal.h"

namespace keel::service {
namespace json = boost::json;
using domain::FieldType;

namespace {

const char* const kColumns = "SELECT id, name, description, permissions, builtin, version FROM roles";

json::object role_json(const store::Row& r) {
  boost::system::error_code ec;
  json::value perms = json::parse(r.text(3), ec);
  return {{"id", r.text(0)},
          {"name", r.text(1)},
          {"description", r.text(2)},
          {"permissions", ec ? json::value(json::object{}) : perms},
          {"builtin", r.integer(4) != 0},
          {"version", r.integer(5)}};
}

struct RoleRow {
  json::object json;
  bool builtin = false;
};

std::optional<RoleRow> load(store::Tx& tx, const std::string& id) {
  auto row = tx.one(std::string(kColumns) + " WHERE id = ?", {id});
  if (!row) return std::nullopt;
  return RoleRow{role_json(*row), row->integer(4) != 0};
}

void check_name_free(store::Tx& tx, const std::string& name, const std::string& id) {
  if (tx.one("SELECT 1 FROM roles WHERE name = ? AND id <> ?", {name, id}))
    throw conflict("name_taken", "A role with this name exists");
}

}  // namespace

const domain::BodyDef& role_body() {
  static const domain::BodyDef body = [] {
    domain::BodyDef b;
    b.name = "RoleInput";
    b.fields.push_back({domain::required(domain::text("name", 64)), {}, {}});
    b.fields.push_back({domain::text("description", 500), {}, {}});
    domain::BodyField perms{domain::required(domain::typed("permissions", FieldType::text)), {}, {}};
    perms.def.description = "What the role may do: {entity: {read, write, delete: none|own|team|all}, admin, export}";
    perms.check = [](const json::value& v, const std::string& path, FieldErrors& errors) -> json::value {
      return auth::Permissions::from_json(v, errors, path).to_json();
    };
    perms.schema = {{"type", "object"}};
    b.fields.push_back(std::move(perms));
    b.fields.push_back({domain::typed("version", FieldType::integer), {}, {}, false});
    return b;
  }();
  return body;
}

json::array list_roles(store::Tx& tx) {
  json::array data;
  for (const auto& row : tx.query(std::string(kColumns) + " ORDER BY builtin DESC, name").rows)
    data.push_back(role_json(row));
  return data;
}

json::object create_role(store::Tx& tx, const Context& ctx, const json::object& body) {
  require_admin(ctx);
  FieldErrors errors;
  json::object in = domain::parse_body(role_body(), body, true, errors);
  errors.throw_if_any();
  std::string id = new_uuid_v7(), now = ctx.now_utc();
  std::string name = member_text(in, "name", {}), desc = member_text(in, "description", {});
  check_name_free(tx, name, id);
  tx.query(
      "INSERT INTO roles (id, name, description, permissions, builtin, version, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, 0, 1, ?, ?)",
      {id, name, desc, json::serialize(in.at("permissions")), now, now});
  json::object out = load(tx, id)->json;
  append_audit(tx, ctx, "roles", id, "create", diff_records({}, out), now);
  return out;
}

json::object update_role(store::Tx& tx, const Context& ctx, const std::string& id, const json::object& body) {
  require_admin(ctx);
  FieldErrors errors;
  json::object in = domain::parse_body(role_body(), body, false, errors);
  errors.throw_if_any();
  auto current = load(tx, id);
  if (!current) throw not_found("No such role");
  if (current->builtin) throw conflict("builtin_role", "Built-in roles cannot be changed; copy one instead");
  check_version(in, current->json, "The role was changed by someone else; reload");
  const json::object& old = current->json;
  std::string name = member_text(in, "name", old), desc = member_text(in, "description", old);
  const json::value& perms = in.contains("permissions") ? in.at("permissions") : old.at("permissions");
  check_name_free(tx, name, id);
  std::string now = ctx.now_utc();
  tx.query(
      "UPDATE roles SET name = ?, description = ?, permissions = ?, version = version + 1, updated_at = ? "
      "WHERE id = ?",
      {name, desc, json::serialize(perms), now, id});
  json::object out = load(tx, id)->json;
  append_audit(tx, ctx, "roles", id, "update", diff_records(old, out), now);
  return out;
}

void delete_role(store::Tx& tx, const Context& ctx, const std::string& id) {
  require_admin(ctx);
  auto current = load(tx, id);
  if (!current) throw not_found("No such role");
  if (current->builtin) throw conflict("builtin_role", "Built-in roles cannot be deleted");
  if (tx.one("SELECT 1 FROM users WHERE role_id = ? LIMIT 1", {id}))
    throw conflict("role_in_use", "Users still have this role; give them another role first");
  tx.query("DELETE FROM roles WHERE id = ?", {id});
  append_audit(tx, ctx, "roles", id, "delete", {}, ctx.now_utc());
}

}  // namespace keel::service
