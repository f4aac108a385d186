#include "service/users.h"

#include <boost/json.hpp>

#include "auth/password.h"
#include "auth/permissions.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/text.h"
#include "core/time.h"
#include "domain/validate.h"
#include "service/admin.h"
#include "service/journal.h"
#include "service/json_rows.h"
#include "service/records.h"
#include "service/roles.h"
#include "service/sessions.h"
#include "service/versioned_write.h"
#include "store/migrations.h"

namespace keel::service {
namespace json = boost::json;

namespace {

const char* const kSelect =
    "SELECT id, email, name, role_id, team_id, locale, time_zone, active, version, created_at, updated_at FROM users";

json::object user_json(const store::Row& row) {
  return {{"id", row.text(0)},
          {"email", row.text(1)},
          {"name", row.text(2)},
          {"role_id", row.text(3)},
          {"team_id", text_or_null(row, 4)},
          // An empty locale is "not chosen": null, and the web app follows the browser's languages.
          {"locale", row.text(5).empty() ? json::value(nullptr) : json::value(row.text(5))},
          {"time_zone", row.text(6)},
          {"active", row.integer(7) != 0},
          {"version", row.integer(8)},
          {"created_at", row.text(9)},
          {"updated_at", row.text(10)}};
}

std::optional<json::object> load(store::Tx& tx, const std::string& id, bool for_update = false) {
  return load_row(tx, kSelect, id, for_update, user_json);
}

json::object user_for_update(store::Tx& tx, const std::string& id) {
  return row_for_update(tx, kSelect, id, user_json, "No such user");
}

// Users as write_versioned stores them. The row is user_json's and never holds the password
// hash (it would reach the audit log's diff and the answer): `password_hash`, when not empty, is
// written with the row (a create needs one; a password change sets it). The email is written by
// the create only: it never changes.
VersionedTable user_table(std::string password_hash = {}) {
  return admin_table(
      "users",
      [hash = std::move(password_hash)](const json::object& u, bool creating) -> Columns {
        Columns c{{"name", member_text(u, "name", {})},
                  {"role_id", member_text(u, "role_id", {})},
                  {"team_id", nullable_text(u, "team_id")},
                  {"locale", member_text(u, "locale", {})},  // null (not chosen) is stored as ""
                  {"time_zone", member_text(u, "time_zone", {})},
                  {"active", flag(u, "active")}};
        if (creating) c.emplace_back("email", member_text(u, "email", {}));
        if (!hash.empty()) c.emplace_back("password_hash", hash);
        return c;
      },
      [](store::Tx& tx, const std::string& id) { return load(tx, id); });
}

void check_name(const std::string& name, FieldErrors& errors) {
  if (name.empty())
    errors.add("name", "required", "A user needs a name");
  else if (!is_valid_utf8(name) || has_control_chars(name, false))
    errors.add("name", "invalid_characters", "Invalid characters");
  else if (utf8_length(name) > 100)
    errors.add("name", "too_long", "Must be at most 100 characters");
}

void check_locale_tz(const std::string& locale, const std::string& tz, FieldErrors& errors) {
  if (!locale.empty() && locale != "en" && locale != "zh-CN")
    errors.add("locale", "invalid_choice", "Must be en, zh-CN or null (follow the browser)");
  if (!is_known_time_zone(tz))
    errors.add("time_zone", "unknown_time_zone", "Must be an IANA time zone such as Asia/Shanghai");
}

void check_role_team(store::Tx& tx, const std::string& role_id, const std::string& team_id, FieldErrors& errors) {
  if (!tx.one("SELECT 1 FROM roles WHERE id = ?", {role_id}))
    errors.add("role_id", "reference_not_found", "No such role");
  if (!team_id.empty() && !tx.one("SELECT 1 FROM teams WHERE id = ?", {team_id}))
    errors.add("team_id", "reference_not_found", "No such team");
}

// Replaces the user's password (10 to 200 bytes, else 422 naming `password`) and signs them out
// everywhere except the credential `keep_credential_id` (the session that changed its own). One
// versioned write of the user: `action` in the audit log (with no changes: the hash stays out of
// it), "update" in the change log.
json::object store_password(store::Tx& tx, const Context& ctx, const std::string& user_id, const std::string& password,
                            const std::string& keep_credential_id, const std::string& action) {
  if (auto p = auth::password_problem(password); !p.empty())
    throw validation_failed({{"password", p, "Use 10 to 200 characters"}});
  const json::object old = user_for_update(tx, user_id);
  json::object row = old;
  const std::string now = ctx.now_utc();
  row["updated_at"] = now;
  write_versioned(tx, ctx, user_table(auth::hash_password(password)),
                  {.action = action, .before = &old, .after = row, .at = now, .change_action = "update"});
  service::AuthService::revoke_all(tx, now, user_id, keep_credential_id);
  return row;
}

// A create body (user_create_body) after parse_body, before the checks that need the database.
struct NewUser {
  std::string email;
  std::string name;
  std::string password;  // empty: generate one
  std::string role_id;   // empty: auth::kDefaultRole
  std::string team_id;   // empty: none
  std::string locale;    // "en" or "zh-CN"; empty: not chosen, each device follows its browser
  std::string time_zone = "UTC";
};

json::object insert_user(store::Tx& tx, const Context& ctx, NewUser u) {
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
    throw ApiError(ErrorKind::conflict, "email_taken", "A user with this email already exists");
  const std::string now = ctx.now_utc();
  json::object row{{"id", new_uuid_v7()},
                   {"email", u.email},
                   {"name", u.name},
                   {"role_id", u.role_id},
                   {"team_id", u.team_id.empty() ? json::value(nullptr) : json::value(u.team_id)},
                   {"locale", u.locale.empty() ? json::value(nullptr) : json::value(u.locale)},
                   {"time_zone", u.time_zone},
                   {"active", true},
                   {"created_at", now},
                   {"updated_at", now}};
  write_versioned(tx, ctx, user_table(auth::hash_password(u.password)), {.action = "create", .after = row, .at = now});
  if (generated) row["initial_password"] = u.password;
  return row;
}

// A validated change (user_update_body or profile_body) applied to the user `old`, read for
// update in this transaction. A change that changes nothing writes nothing.
json::object apply_user_change(store::Tx& tx, const Context& ctx, const json::object& old, const json::object& in) {
  FieldErrors errors;
  json::object row = old;
  for (const char* k : {"name", "role_id", "time_zone"}) row[k] = member_text(in, k, old);
  // team_id and locale may be cleared (null): no team; back to following the browser.
  for (const char* k : {"team_id", "locale"}) {
    const std::string v = member_text(in, k, old);
    row[k] = v.empty() ? json::value(nullptr) : json::value(v);
  }
  if (in.contains("active")) row["active"] = in.at("active");
  const std::string id(old.at("id").as_string()), role = member_text(row, "role_id", {});
  check_role_team(tx, role, member_text(row, "team_id", {}), errors);
  check_locale_tz(member_text(row, "locale", {}), member_text(row, "time_zone", {}), errors);
  errors.throw_if_any();
  const bool active = row.at("active").as_bool(), role_changed = role != old.at("role_id").as_string();
  if (id == ctx.principal.user_id && (!active || role_changed))
    throw conflict("cannot_demote_self", "You cannot deactivate yourself or change your own role");
  if (diff_records(old, row).empty()) return old;
  const std::string now = ctx.now_utc();
  row["updated_at"] = now;
  write_versioned(tx, ctx, user_table(), {.action = "update", .before = &old, .after = row, .at = now});
  if (!active || role_changed) service::AuthService::revoke_all(tx, now, id);
  return row;
}

}  // namespace

json::object update_user(store::Tx& tx, const Context& ctx, const std::string& id, const json::object& patch,
                         std::optional<int64_t> if_match) {
  require_admin(ctx);
  FieldErrors errors;
  json::object in = domain::parse_body(user_update_body(), patch, false, errors);
  errors.throw_if_any();
  const json::object old = user_for_update(tx, id);
  expect_version(old, client_version(in, if_match));
  return apply_user_change(tx, ctx, old, in);
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

std::optional<std::string> first_admin_id(store::Tx& tx) {
  auto row = tx.one("SELECT id FROM users WHERE role_id = 'admin' ORDER BY created_at LIMIT 1");
  return row ? std::optional<std::string>(row->text(0)) : std::nullopt;
}

std::string user_id_for_email(store::Tx& tx, const std::string& email) {
  auto row = tx.one("SELECT id FROM users WHERE email = ?", {auth::normalize_email(email)});
  if (!row) throw not_found("No such user");
  return row->text(0);
}

std::optional<std::pair<std::string, std::string>> bootstrap(store::Database& db, const std::string& admin_email,
                                                             const std::string& locale) {
  const bool zh = locale == "zh-CN";
  std::optional<std::pair<std::string, std::string>> created;
  db.write([&](store::Tx& tx) {
    // Servers starting together: one creates the built-in roles, the first admin and the
    // pipeline, and the others then find them.
    store::lock_schema(tx);
    // The server itself, at start-up: an administrator without a user id, with request id
    // "bootstrap" in the audit log; its clock is the system's (no request has come in yet).
    const Context first_start{command_line_principal(), "bootstrap"};
    install_builtin_roles(tx, first_start);
    if (tx.one("SELECT 1 FROM users LIMIT 1")) return;
    // The first administrator is made like any other user (the API's body and checks), in the
    // company's language when one was set (otherwise the browser's).
    json::object first{{"email", admin_email}, {"name", "Administrator"}, {"role_id", "admin"}};
    if (!locale.empty()) first["locale"] = locale;
    json::object u = create_user(tx, first_start, first);
    created = {std::string(u["email"].as_string()), std::string(u["initial_password"].as_string())};
    std::string admin_id(u["id"].as_string());
    // A sales pipeline to start from, named in the company's language (stage names are data,
    // not interface text: the app shows them as stored); admins can rename or replace its stages.
    json::array stages;
    const std::tuple<const char*, const char*, int> names[] = {{"Qualification", "初步接触", 10},
                                                               {"Needs analysis", "需求确认", 25},
                                                               {"Proposal", "方案报价", 50},
                                                               {"Negotiation", "商务谈判", 75}};
    for (auto [en, cn, p] : names)
      stages.push_back(
          {{"id", new_uuid_v7()}, {"name", zh ? cn : en}, {"probability", p}, {"is_won", false}, {"is_lost", false}});
    stages.push_back({{"id", new_uuid_v7()},
                      {"name", zh ? "赢单" : "Won"},
                      {"probability", 100},
                      {"is_won", true},
                      {"is_lost", false}});
    stages.push_back({{"id", new_uuid_v7()},
                      {"name", zh ? "输单" : "Lost"},
                      {"probability", 0},
                      {"is_won", false},
                      {"is_lost", true}});
    auth::Principal system;
    system.user_id = admin_id;
    system.role_id = "admin";
    system.time_zone = "UTC";
    system.perms = auth::builtin_roles().front().permissions;
    Context ctx{system, "bootstrap"};
    Records records(db);
    records.create_in(tx, ctx, *domain::find_entity("pipelines"),
                      json::object{{"name", zh ? "销售流程" : "Sales"}, {"position", 0}, {"stages", stages}});
  });
  return created;
}

namespace {

// Limits check_field cannot state: a password is 10 to 200 bytes (auth::password_problem), a
// time zone one of the IANA names (is_known_time_zone).
json::object password_schema() {
  return {{"type", "string"},
          {"format", "password"},
          {"minLength", 10},
          {"maxLength", 200},
          {"description", "10 to 200 bytes of UTF-8"}};
}
json::object time_zone_schema() {
  return {{"type", "string"},
          {"format", "time-zone"},
          {"maxLength", 64},
          {"description", "An IANA time zone such as Asia/Shanghai"}};
}

}  // namespace

const domain::BodyDef& user_create_body() {
  static const domain::BodyDef body = [] {
    domain::BodyDef b;
    b.name = "UserInput";
    b.fields.push_back({domain::required(domain::typed("email", domain::FieldType::email)), {}, {}});
    b.fields.back().def.max_length = 254;
    b.fields.push_back({domain::required(domain::text("name", 100)), {}, {}});
    b.fields.push_back({domain::text("password", 200), {}, password_schema()});
    b.fields.back().def.description = "10 to 200 bytes; generated and returned once as initial_password if absent";
    b.fields.push_back({domain::text("role_id", 64), {}, {}});
    b.fields.back().def.ref_entity = "roles";
    b.fields.push_back({domain::text("team_id", 64), {}, {}});
    b.fields.back().def.ref_entity = "teams";
    b.fields.push_back({domain::choice("locale", {"en", "zh-CN"}), {}, {}});
    b.fields.back().def.description = "null: each device follows its browser's languages";
    b.fields.push_back({domain::text("time_zone", 64), {}, time_zone_schema()});
    return b;
  }();
  return body;
}

const domain::BodyDef& user_update_body() {
  static const domain::BodyDef body = [] {
    domain::BodyDef b;
    b.name = "UserChange";
    b.fields.push_back({domain::required(domain::text("name", 100)), {}, {}});
    b.fields.push_back({domain::required(domain::text("role_id", 64)), {}, {}});
    b.fields.back().def.ref_entity = "roles";
    b.fields.push_back({domain::text("team_id", 64), {}, {}});
    b.fields.back().def.ref_entity = "teams";
    b.fields.push_back({domain::choice("locale", {"en", "zh-CN"}), {}, {}});
    b.fields.back().def.description = "null: each device follows its browser's languages";
    b.fields.push_back({domain::required(domain::text("time_zone", 64)), {}, time_zone_schema()});
    b.fields.push_back({domain::typed("active", domain::FieldType::boolean), {}, {}, false});
    b.fields.push_back({domain::typed("version", domain::FieldType::integer), {}, {}, false});
    return b;
  }();
  return body;
}

json::object create_user(store::Tx& tx, const Context& ctx, const json::object& body) {
  require_admin(ctx);
  FieldErrors errors;
  json::object in = domain::parse_body(user_create_body(), body, true, errors);
  errors.throw_if_any();
  NewUser u;
  u.email = member_text(in, "email", {});
  u.name = member_text(in, "name", {});
  u.password = member_text(in, "password", {});
  u.role_id = member_text(in, "role_id", {});
  u.team_id = member_text(in, "team_id", {});
  u.locale = member_text(in, "locale", {});
  if (std::string tz = member_text(in, "time_zone", {}); !tz.empty()) u.time_zone = tz;
  return insert_user(tx, ctx, std::move(u));
}

json::array list_users(store::Tx& tx, std::optional<bool> active) {
  std::string where = !active ? "" : *active ? " WHERE active = 1" : " WHERE active = 0";
  json::array data;
  for (const auto& row : tx.query(std::string(kSelect) + where + " ORDER BY name, id").rows)
    data.push_back(user_json(row));
  return data;
}

json::object get_user(store::Tx& tx, const std::string& id) {
  auto user = load(tx, id);
  if (!user) throw not_found("No such user");
  return *user;
}

std::string reset_password(store::Tx& tx, const Context& ctx, const std::string& user_id, std::string password) {
  require_admin(ctx);
  if (password.empty()) password = auth::generate_password();
  store_password(tx, ctx, user_id, password, "", "reset_password");
  return password;
}

const domain::BodyDef& profile_body() {
  static const domain::BodyDef body = [] {
    domain::BodyDef b;
    b.name = "ProfileChange";
    for (const char* n : {"name", "locale", "time_zone"}) b.fields.push_back(*user_update_body().field(n));
    b.fields.push_back({domain::text("password", 200), {}, password_schema(), false});
    b.fields.back().def.description = "A new password, 10 to 200 bytes; needs current_password";
    b.fields.push_back({domain::text("current_password", 200), {}, {}, false});
    return b;
  }();
  return body;
}

bool password_matches(store::Tx& tx, const std::string& user_id, const std::string& password) {
  auto row = tx.one("SELECT password_hash FROM users WHERE id = ?", {user_id});
  return row && auth::verify_password(row->text(0), password);
}

json::object update_profile(store::Tx& tx, const Context& ctx, const json::object& body) {
  FieldErrors errors;
  json::object in = domain::parse_body(profile_body(), body, false, errors);
  std::string password = member_text(in, "password", {});
  if (in.contains("password") && !in.contains("current_password"))
    errors.add("current_password", "required", "This field is required");
  errors.throw_if_any();
  in.erase("password");
  in.erase("current_password");
  // The profile change and the password change are two writes (two versions, two audit entries:
  // update, change_password), so the audit log tells them apart.
  json::object out = user_for_update(tx, ctx.principal.user_id);
  if (!in.empty()) out = apply_user_change(tx, ctx, out, in);
  if (!password.empty())
    out = store_password(tx, ctx, ctx.principal.user_id, password, ctx.principal.credential_id, "change_password");
  return out;
}

json::object me(store::Tx& tx, const auth::Principal& p) {
  json::object out;
  if (auto user = load(tx, p.user_id)) out = *user;
  out["permissions"] = p.perms.to_json();
  return out;
}

}  // namespace keel::service
