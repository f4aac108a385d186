#include "service/roles.h"

#include <boost/json.hpp>

#include "auth/permissions.h"
#include "core/error.h"
#include "core/ids.h"
#include "service/admin.h"
#include "service/journal.h"
#include "service/versioned_write.h"

namespace keel::service {
namespace json = boost::json;
using domain::FieldType;

namespace {

const char* const kSelect =
    "SELECT id, name, description, permissions, builtin, version, created_at, updated_at FROM roles";

json::object role_json(const store::Row& r) {
  boost::system::error_code ec;
  json::value perms = json::parse(r.text(3), ec);
  return {{"id", r.text(0)},
          {"name", r.text(1)},
          {"description", r.text(2)},
          {"permissions", ec ? json::value(json::object{}) : perms},
          {"builtin", r.integer(4) != 0},
          {"version", r.integer(5)},
          {"created_at", r.text(6)},
          {"updated_at", r.text(7)}};
}

std::optional<json::object> load(store::Tx& tx, const std::string& id, bool for_update = false) {
  return load_row(tx, kSelect, id, for_update, role_json);
}

// Roles as write_versioned stores them: the row is role_json's, permissions as JSON text.
const VersionedTable& role_table() {
  static const VersionedTable table = admin_table(
      "roles",
      [](const json::object& r, bool) -> Columns {
        return {{"name", member_text(r, "name", {})},
                {"description", member_text(r, "description", {})},
                {"permissions", json::serialize(r.at("permissions"))},
                {"builtin", flag(r, "builtin")}};
      },
      [](store::Tx& tx, const std::string& id) { return load(tx, id); });
  return table;
}

// A role an administrator may change or delete: it exists (404) and is not built in (409).
json::object custom_role_for_update(store::Tx& tx, const std::string& id, const char* refusal) {
  json::object role = row_for_update(tx, kSelect, id, role_json, "No such role");
  if (role.at("builtin").as_bool()) throw conflict("builtin_role", refusal);
  return role;
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
  for (const auto& row : tx.query(std::string(kSelect) + " ORDER BY builtin DESC, name").rows)
    data.push_back(role_json(row));
  return data;
}

json::object create_role(store::Tx& tx, const Context& ctx, const json::object& body) {
  require_admin(ctx);
  FieldErrors errors;
  json::object in = domain::parse_body(role_body(), body, true, errors);
  errors.throw_if_any();
  std::string id = new_uuid_v7(), now = ctx.now_utc();
  std::string name = member_text(in, "name", {});
  check_name_free(tx, name, id);
  json::object row{{"id", id},
                   {"name", name},
                   {"description", member_text(in, "description", {})},
                   {"permissions", in.at("permissions")},
                   {"builtin", false},
                   {"created_at", now},
                   {"updated_at", now}};
  write_versioned(tx, ctx, role_table(), {.action = "create", .after = row, .at = now});
  return row;
}

json::object update_role(store::Tx& tx, const Context& ctx, const std::string& id, const json::object& body,
                         std::optional<int64_t> if_match) {
  require_admin(ctx);
  FieldErrors errors;
  json::object in = domain::parse_body(role_body(), body, false, errors);
  errors.throw_if_any();
  const json::object old = custom_role_for_update(tx, id, "Built-in roles cannot be changed; copy one instead");
  expect_version(old, client_version(in, if_match));
  json::object row = old;
  row["name"] = member_text(in, "name", old);
  row["description"] = member_text(in, "description", old);
  if (in.contains("permissions")) row["permissions"] = in.at("permissions");
  check_name_free(tx, std::string(row.at("name").as_string()), id);
  if (diff_records(old, row).empty()) return old;  // nothing changed: no new version, no log entries
  std::string now = ctx.now_utc();
  row["updated_at"] = now;
  write_versioned(tx, ctx, role_table(), {.action = "update", .before = &old, .after = row, .at = now});
  return row;
}

void delete_role(store::Tx& tx, const Context& ctx, const std::string& id, std::optional<int64_t> if_match) {
  require_admin(ctx);
  const json::object old = custom_role_for_update(tx, id, "Built-in roles cannot be deleted");
  expect_version(old, if_match);
  if (tx.one("SELECT 1 FROM users WHERE role_id = ? LIMIT 1", {id}))
    throw conflict("role_in_use", "Users still have this role; give them another role first");
  delete_versioned(tx, ctx, role_table(), old, ctx.now_utc());
}

void install_builtin_roles(store::Tx& tx, const Context& ctx) {
  const std::string now = ctx.now_utc();
  for (const auto& r : auth::builtin_roles()) {
    const json::value perms = r.permissions.to_json();
    const std::optional<json::object> existing = load(tx, r.id, true);
    if (!existing) {
      json::object row{{"id", r.id},           {"name", r.id},    {"description", r.description},
                       {"permissions", perms}, {"builtin", true}, {"created_at", now},
                       {"updated_at", now}};
      write_versioned(tx, ctx, role_table(), {.action = "create", .after = row, .at = now});
    } else if (existing->at("permissions") != perms || existing->at("description") != json::value(r.description)) {
      // A newer Keel may refine built-in roles; the version bump refreshes permission caches.
      json::object row = *existing;
      row["permissions"] = perms;
      row["description"] = r.description;
      row["updated_at"] = now;
      write_versioned(tx, ctx, role_table(), {.action = "update", .before = &*existing, .after = row, .at = now});
    }
  }
}

}  // namespace keel::service
