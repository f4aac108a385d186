#include "service/users.h"

#include <boost/json.hpp>

#include "auth/password.h"
#include "auth/permissions.h"
#include "auth/sessions.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/text.h"
#include "core/time.h"
#include "domain/validate.h"
#include "service/journal.h"
#include "service/records.h"
#include "store/migrations.h"

namespace keel::service {
namespace json = boost::json;

const char* const kUserColumns = "id, email, name, role_id, team_id, locale, time_zone, active, version, created_at, updated_at";

json::object user_json(const store::Row& row) {
  return {{"id", row.text(0)},
          {"email", row.text(1)},
          {"name", row.text(2)},
          {"role_id", row.text(3)},
          {"team_id", row.is_null(4) ? json::value(nullptr) : json::value(row.text(4))},
          // An empty locale is "not chosen": null, and the web app follows the browser's languages.
          {"locale", row.text(5).empty() ? json::value(nullptr) : json::value(row.text(5))},
          {"time_zone", row.text(6)},
          {"active", row.integer(7) != 0},
          {"version", row.integer(8)},
          {"created_at", row.text(9)},
          {"updated_at", row.text(10)}};
}

namespace {

void check_name(const std::string& name, FieldErrors& errors) {
  if (name.empty()) errors.add("name", "required", "A user needs a name");
  else if (!is_valid_utf8(name) || has_control_chars(name, false)) errors.add("name", "invalid_characters", "Invalid characters");
  else if (utf8_length(name) > 100) errors.add("name", "too_long", "Must be at most 100 characters");
}

void check_locale_tz(const std::string& locale, const std::string& tz, FieldErrors& errors) {
  if (!locale.empty() && locale != "en" && locale != "zh-CN")
    errors.add("locale", "invalid_choice", "Must be en, zh-CN or null (follow the browser)");
  if (!is_known_time_zone(tz)) errors.add("time_zone", "unknown_time_zone", "Must be an IANA time zone such as Asia/Shanghai");
}

void check_role_team(store::Tx& tx, const std::string& role_id, const std::string& team_id, FieldErrors& errors) {
  if (!tx.one("SELECT 1 FROM roles WHERE id = ?", {role_id})) errors.add("role_id", "reference_not_found", "No such role");
  if (!team_id.empty() && !tx.one("SELECT 1 FROM teams WHERE id = ?", {team_id}))
    errors.add("team_id", "reference_not_found", "No such team");
}

std::string string_member(const json::object& o, const char* k, FieldErrors& errors, bool& present) {
  auto it = o.find(k);
  present = it != o.end();
  if (!present || it->value().is_null()) return {};
  if (!it->value().is_string()) {
    errors.add(k, "invalid_type", "Must be a string");
    return {};
  }
  std::string s(it->value().as_string());
  if (!is_valid_utf8(s)) errors.add(k, "invalid_encoding", "Must be valid UTF-8");
  return s;
}

}  // namespace

json::object create_user(store::Tx& tx, const Context* ctx, NewUser u) {
  FieldErrors errors;
  u.email = auth::normalize_email(u.email);
  if (!domain::is_valid_email(u.email)) errors.add("email", "invalid_format", "Must be an email address");
  check_name(u.name, errors);
  bool generated = u.password.empty();
  if (generated) u.password = auth::generate_password();
  if (auto p = auth::password_problem(u.password); !p.empty())
    errors.add("password", p, p == "too_short" ? "Use at least 10 characters" : "Use at most 200 bytes");
  if (u.role_id.empty()) u.role_id = auth::kDefaultRole;
  check_role_team(tx, u.role_id, u.team_id, errors);
  check_locale_tz(u.locale, u.time_zone, errors);
  errors.throw_if_any();
  if (tx.one("SELECT 1 FROM users WHERE email = ?", {u.email}))
    throw ApiError(409, "email_taken", "A user with this email already exists");
  std::string id = new_uuid_v7(), now = format_utc(now_ms());
  tx.query("INSERT INTO users (id, email, name, password_hash, role_id, team_id, locale, time_zone, active, version, "
           "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?)",
           {id, u.email, u.name, auth::hash_password(u.password), u.role_id,
            u.team_id.empty() ? store::Value{} : store::Value{u.team_id}, u.locale, u.time_zone, now, now});
  auto row = tx.one(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {id});
  json::object out = user_json(*row);
  if (ctx) append_audit(tx, *ctx, "users", id, "create", {{"email", json::array{nullptr, u.email}}, {"role_id", json::array{nullptr, u.role_id}}}, now);
  if (generated) out["initial_password"] = u.password;
  return out;
}

json::object update_user(store::Tx& tx, const Context& ctx, const std::string& id, const json::object& patch) {
  auto row = tx.one(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {id});
  if (!row) throw not_found("No such user");
  json::object old = user_json(*row);
  FieldErrors errors;
  for (const auto& [k, v] : patch)
    if (k != "name" && k != "role_id" && k != "team_id" && k != "locale" && k != "time_zone" && k != "active" &&
        k != "version")
      errors.add(std::string(k), "unknown_field", "Cannot change this field here");
  bool has;
  std::string name = string_member(patch, "name", errors, has);
  if (!has) name = std::string(old["name"].as_string());
  std::string role = string_member(patch, "role_id", errors, has);
  if (!has) role = std::string(old["role_id"].as_string());
  std::string team = string_member(patch, "team_id", errors, has);
  if (!has) team = old["team_id"].is_string() ? std::string(old["team_id"].as_string()) : "";
  std::string locale = string_member(patch, "locale", errors, has);  // null: back to following the browser
  if (!has) locale = old["locale"].is_string() ? std::string(old["locale"].as_string()) : "";
  std::string tz = string_member(patch, "time_zone", errors, has);
  if (!has) tz = std::string(old["time_zone"].as_string());
  bool active = old["active"].as_bool();
  if (auto it = patch.find("active"); it != patch.end()) {
    if (!it->value().is_bool()) errors.add("active", "invalid_type", "Must be true or false");
    else active = it->value().as_bool();
  }
  if (auto it = patch.find("version"); it != patch.end() && it->value() != old["version"]) {
    ApiError e(412, "version_conflict", "The user was changed by someone else; reload");
    e.extra()["current_version"] = old["version"];
    e.extra()["current"] = old;
    throw e;
  }
  check_name(name, errors);
  check_role_team(tx, role, team, errors);
  check_locale_tz(locale, tz, errors);
  errors.throw_if_any();
  if (id == ctx.principal.user_id && (!active || role != old["role_id"].as_string()))
    throw conflict("cannot_demote_self", "You cannot deactivate yourself or change your own role");
  std::string now = format_utc(now_ms());
  tx.query("UPDATE users SET name = ?, role_id = ?, team_id = ?, locale = ?, time_zone = ?, active = ?, "
           "version = version + 1, updated_at = ? WHERE id = ?",
           {name, role, team.empty() ? store::Value{} : store::Value{team}, locale, tz, int64_t{active ? 1 : 0}, now, id});
  if (!active || role != old["role_id"].as_string()) auth::AuthService::revoke_all(tx, id);
  auto fresh = tx.one(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {id});
  json::object out = user_json(*fresh);
  append_audit(tx, ctx, "users", id, "update", diff_records(old, out), now);
  return out;
}

std::string reset_password(store::Tx& tx, const std::string& who, std::string password,
                           const std::string& keep_credential_id) {
  auto row = tx.one("SELECT id FROM users WHERE id = ? OR email = ?", {who, auth::normalize_email(who)});
  if (!row) throw not_found("No such user");
  if (password.empty()) password = auth::generate_password();
  if (auto p = auth::password_problem(password); !p.empty())
    throw validation_failed({{"password", p, "Use 10 to 200 characters"}});
  tx.query("UPDATE users SET password_hash = ?, version = version + 1, updated_at = ? WHERE id = ?",
           {auth::hash_password(password), format_utc(now_ms()), row->text(0)});
  auth::AuthService::revoke_all(tx, row->text(0), keep_credential_id);
  return password;
}

const auth::Principal& command_line_principal() {
  static const auth::Principal p = [] {
    auth::Principal cli;
    cli.role_id = "admin";
    cli.time_zone = "UTC";
    cli.perms = auth::builtin_roles().front().permissions;
    return cli;
  }();
  return p;
}

json::object deactivate_user(store::Tx& tx, const Context& ctx, const std::string& email) {
  auto row = tx.one("SELECT id FROM users WHERE email = ?", {auth::normalize_email(email)});
  if (!row) throw not_found("No such user");
  return update_user(tx, ctx, row->text(0), json::object{{"active", false}});
}

std::optional<std::pair<std::string, std::string>> bootstrap(store::Database& db, const std::string& admin_email) {
  std::optional<std::pair<std::string, std::string>> created;
  db.write([&](store::Tx& tx) {
    // Servers starting together: one creates the built-in roles, the first admin and the
    // pipeline, and the others then find them.
    store::lock_schema(tx);
    std::string now = format_utc(now_ms());
    for (const auto& r : auth::builtin_roles()) {
      std::string perms = json::serialize(r.permissions.to_json());
      auto existing = tx.one("SELECT permissions FROM roles WHERE id = ?", {r.id});
      if (!existing) {
        tx.query("INSERT INTO roles (id, name, description, permissions, builtin, version, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, 1, 1, ?, ?)",
                 {r.id, r.id, r.description, perms, now, now});
      } else if (existing->text(0) != perms) {
        // A newer Keel may refine built-in roles; the version bump refreshes permission caches.
        tx.query("UPDATE roles SET permissions = ?, description = ?, version = version + 1, updated_at = ? WHERE id = ?",
                 {perms, r.description, now, r.id});
      }
    }
    if (tx.one("SELECT 1 FROM users LIMIT 1")) return;
    NewUser admin;
    admin.email = admin_email;
    admin.name = "Administrator";
    admin.role_id = "admin";
    json::object u = create_user(tx, nullptr, admin);
    created = {std::string(u["email"].as_string()), std::string(u["initial_password"].as_string())};
    std::string admin_id(u["id"].as_string());
    // A sales pipeline to start from; admins can rename or replace its stages.
    json::array stages;
    const std::pair<const char*, int> names[] = {{"Qualification", 10}, {"Needs analysis", 25}, {"Proposal", 50},
                                                 {"Negotiation", 75}};
    for (auto [n, p] : names)
      stages.push_back({{"id", new_uuid_v7()}, {"name", n}, {"probability", p}, {"is_won", false}, {"is_lost", false}});
    stages.push_back({{"id", new_uuid_v7()}, {"name", "Won"}, {"probability", 100}, {"is_won", true}, {"is_lost", false}});
    stages.push_back({{"id", new_uuid_v7()}, {"name", "Lost"}, {"probability", 0}, {"is_won", false}, {"is_lost", true}});
    auth::Principal system;
    system.user_id = admin_id;
    system.role_id = "admin";
    system.time_zone = "UTC";
    system.perms = auth::builtin_roles().front().permissions;
    Context ctx{system, "bootstrap"};
    Records records(db);
    records.create_in(tx, ctx, *domain::find_entity("pipelines"),
                      json::object{{"name", "Sales"}, {"position", 0}, {"stages", stages}});
  });
  return created;
}

}  // namespace keel::service
