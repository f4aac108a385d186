// Administration: users, roles, teams and custom field definitions. Reading the lists is open
// to every signed-in user (assignee pickers, role names, custom field forms); changing them is
// for administrators.
#include <boost/json.hpp>
#include <regex>

#include "api/api.h"
#include "auth/permissions.h"
#include "core/ids.h"
#include "core/text.h"
#include "core/time.h"
#include "domain/entity.h"
#include "service/journal.h"
#include "service/users.h"

namespace keel::api {
namespace json = boost::json;

namespace {

http::Response no_content() {
  http::Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

std::string text_member(const json::object& o, const char* k, int max_len, bool required, FieldErrors& errors,
                        bool* present = nullptr) {
  auto it = o.find(k);
  if (present) *present = it != o.end();
  if (it == o.end() || it->value().is_null()) {
    if (required) errors.add(k, "required", "This field is required");
    return {};
  }
  if (!it->value().is_string() || !is_valid_utf8(it->value().as_string())) {
    errors.add(k, "invalid_type", "Must be a string");
    return {};
  }
  std::string s(it->value().as_string());
  if (has_control_chars(s, false)) errors.add(k, "invalid_characters", "Must not contain control characters");
  if (static_cast<int>(utf8_length(s)) > max_len) errors.add(k, "too_long", "Must be at most " + std::to_string(max_len) + " characters");
  if (required && s.empty()) errors.add(k, "required", "This field is required");
  return s;
}

void only_members(const json::object& o, std::initializer_list<std::string_view> allowed, FieldErrors& errors) {
  for (const auto& [k, v] : o) {
    bool ok = false;
    for (auto a : allowed) ok = ok || a == k;
    if (!ok) errors.add(std::string(k), "unknown_field", "Unknown field");
  }
}

json::object role_json(const store::Row& r) {
  boost::system::error_code ec;
  json::value perms = json::parse(r.text(3), ec);
  return {{"id", r.text(0)}, {"name", r.text(1)}, {"description", r.text(2)},
          {"permissions", ec ? json::value(json::object{}) : perms}, {"builtin", r.integer(4) != 0},
          {"version", r.integer(5)}};
}

json::object team_json(const store::Row& r) {
  return {{"id", r.text(0)}, {"name", r.text(1)}, {"manager_id", r.is_null(2) ? json::value(nullptr) : json::value(r.text(2))},
          {"version", r.integer(3)}};
}

json::object custom_field_json(const store::Row& r) {
  boost::system::error_code ec;
  json::value opts = json::parse(r.text(5), ec);
  return {{"id", r.text(0)},       {"entity", r.text(1)},   {"name", r.text(2)},
          {"label", r.text(3)},    {"type", r.text(4)},     {"options", ec ? json::value(json::array{}) : opts},
          {"required", r.integer(6) != 0}, {"max_length", r.integer(7)}, {"position", r.integer(8)},
          {"version", r.integer(9)}};
}

// The settings a custom field definition shares between create and change, each checked the same
// way in both; absent members stay nullopt. `null_options` says whether "options": null means
// "not given" (create) or is a type error (change).
struct CustomFieldSettings {
  std::optional<json::array> options;
  std::optional<bool> required;
  std::optional<int64_t> max_length, position;
};

CustomFieldSettings parse_custom_field_settings(const json::object& body, bool null_options, FieldErrors& errors) {
  CustomFieldSettings out;
  if (auto it = body.find("options"); it != body.end() && !(null_options && it->value().is_null())) {
    if (!it->value().is_array()) {
      errors.add("options", "invalid_type", "Must be an array of strings");
    } else {
      out.options.emplace();
      for (size_t i = 0; i < it->value().as_array().size(); ++i) {
        const auto& o = it->value().as_array()[i];
        if (!o.is_string() || o.as_string().empty() || utf8_length(o.as_string()) > 100)
          errors.add("options[" + std::to_string(i) + "]", "invalid_format", "Each option is 1 to 100 characters");
        else out.options->push_back(o);
      }
    }
  }
  if (auto it = body.find("required"); it != body.end()) {
    if (!it->value().is_bool()) errors.add("required", "invalid_type", "Must be true or false");
    else out.required = it->value().as_bool();
  }
  if (auto it = body.find("max_length"); it != body.end()) {
    if (!it->value().is_int64() || it->value().as_int64() < 1 || it->value().as_int64() > 5000)
      errors.add("max_length", "out_of_range", "Must be from 1 to 5000");
    else out.max_length = it->value().as_int64();
  }
  if (auto it = body.find("position"); it != body.end()) {
    if (!it->value().is_int64()) errors.add("position", "invalid_type", "Must be a whole number");
    else out.position = it->value().as_int64();
  }
  return out;
}

void add_user_routes(Api& api) {
  api.route("GET", "/api/v1/users", Access::user, [&api](Call& c) {
    allow_only(c.req, {"active"});
    std::string where;
    for (const auto& [k, v] : c.req.query) {
      if (v != "true" && v != "false") throw bad_request("invalid_parameter", "active must be true or false", "active");
      where = v == "true" ? " WHERE active = 1" : " WHERE active = 0";
    }
    json::array data;
    api.db().read([&](store::Tx& tx) {
      auto r = tx.query(std::string("SELECT ") + service::kUserColumns + " FROM users" + where + " ORDER BY name, id");
      for (const auto& row : r.rows) data.push_back(service::user_json(row));
    });
    return http::json_response(200, json::object{{"data", data}});
  }, "All users (for assignment); admins manage them");

  api.route("POST", "/api/v1/users", Access::admin, [&api](Call& c) {
    allow_only(c.req, {});
    json::object body = parse_json_object(c.req);
    FieldErrors errors;
    only_members(body, {"email", "name", "password", "role_id", "team_id", "locale", "time_zone"}, errors);
    service::NewUser u;
    u.email = text_member(body, "email", 254, true, errors);
    u.name = text_member(body, "name", 100, true, errors);
    u.password = text_member(body, "password", 200, false, errors);
    u.role_id = text_member(body, "role_id", 64, false, errors);
    u.team_id = text_member(body, "team_id", 64, false, errors);
    std::string locale = text_member(body, "locale", 10, false, errors);
    std::string tz = text_member(body, "time_zone", 64, false, errors);
    if (!locale.empty()) u.locale = locale;
    if (!tz.empty()) u.time_zone = tz;
    errors.throw_if_any();
    json::object out;
    service::Context ctx = c.ctx();
    api.db().write([&](store::Tx& tx) { out = service::create_user(tx, &ctx, u); });
    return http::json_response(201, out);
  }, "Create a user (a password is generated and returned once if none is given)");

  api.route("GET", "/api/v1/users/{id}", Access::user, [&api](Call& c) {
    allow_only(c.req, {});
    json::object out;
    api.db().read([&](store::Tx& tx) {
      auto row = tx.one(std::string("SELECT ") + service::kUserColumns + " FROM users WHERE id = ?", {c.req.param("id")});
      if (!row) throw not_found("No such user");
      out = service::user_json(*row);
    });
    return http::json_response(200, out);
  }, "One user");

  api.route("PATCH", "/api/v1/users/{id}", Access::admin, [&api](Call& c) {
    allow_only(c.req, {});
    json::object body = parse_json_object(c.req);
    json::object out;
    api.db().write([&](store::Tx& tx) { out = service::update_user(tx, c.ctx(), c.req.param("id"), body); });
    return http::json_response(200, out);
  }, "Change a user's name, role, team, language, time zone or active flag; role changes and deactivation sign the user out everywhere");

  api.route("POST", "/api/v1/users/{id}/reset-password", Access::admin, [&api](Call& c) {
    allow_only(c.req, {});
    std::string pw;
    api.db().write([&](store::Tx& tx) {
      pw = service::reset_password(tx, c.req.param("id"), "");
      service::append_audit(tx, c.ctx(), "users", c.req.param("id"), "reset_password", {}, format_utc(now_ms()));
    });
    return http::json_response(200, json::object{{"password", pw}});
  }, "Generate a new password for a user and sign them out everywhere");
}

void add_role_routes(Api& api) {
  const std::string cols = "SELECT id, name, description, permissions, builtin, version FROM roles";
  api.route("GET", "/api/v1/roles", Access::user, [&api, cols](Call& c) {
    allow_only(c.req, {});
    json::array data;
    api.db().read([&](store::Tx& tx) {
      for (const auto& row : tx.query(cols + " ORDER BY builtin DESC, name").rows) data.push_back(role_json(row));
    });
    return http::json_response(200, json::object{{"data", data}});
  }, "Roles and their permissions");

  auto write_role = [&api, cols](Call& c, bool creating) {
    allow_only(c.req, {});
    json::object body = parse_json_object(c.req);
    FieldErrors errors;
    only_members(body, {"name", "description", "permissions", "version"}, errors);
    bool has_name, has_desc;
    std::string name = text_member(body, "name", 64, creating, errors, &has_name);
    std::string desc = text_member(body, "description", 500, false, errors, &has_desc);
    std::optional<auth::Permissions> perms;
    if (auto it = body.find("permissions"); it != body.end()) perms = auth::Permissions::from_json(it->value(), errors, "permissions");
    else if (creating) errors.add("permissions", "required", "This field is required");
    errors.throw_if_any();
    json::object out;
    api.db().write([&](store::Tx& tx) {
      std::string now = format_utc(now_ms());
      std::string id = creating ? new_uuid_v7() : c.req.param("id");
      if (!creating) {
        auto row = tx.one(cols + " WHERE id = ?", {id});
        if (!row) throw not_found("No such role");
        if (row->integer(4)) throw conflict("builtin_role", "Built-in roles cannot be changed; copy one instead");
        if (auto v = body.find("version"); v != body.end() && v->value() != json::value(row->integer(5))) {
          ApiError e(412, "version_conflict", "The role was changed by someone else; reload");
          e.extra()["current_version"] = row->integer(5);
          throw e;
        }
        json::object old = role_json(*row);
        if (!has_name) name = row->text(1);
        if (!has_desc) desc = row->text(2);
        std::string p = perms ? json::serialize(perms->to_json()) : row->text(3);
        if (tx.one("SELECT 1 FROM roles WHERE name = ? AND id <> ?", {name, id})) throw conflict("name_taken", "A role with this name exists");
        tx.query("UPDATE roles SET name = ?, description = ?, permissions = ?, version = version + 1, updated_at = ? WHERE id = ?",
                 {name, desc, p, now, id});
        out = role_json(*tx.one(cols + " WHERE id = ?", {id}));
        service::append_audit(tx, c.ctx(), "roles", id, "update", service::diff_records(old, out), now);
      } else {
        if (tx.one("SELECT 1 FROM roles WHERE name = ?", {name})) throw conflict("name_taken", "A role with this name exists");
        tx.query("INSERT INTO roles (id, name, description, permissions, builtin, version, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, 0, 1, ?, ?)",
                 {id, name, desc, json::serialize(perms->to_json()), now, now});
        out = role_json(*tx.one(cols + " WHERE id = ?", {id}));
        service::append_audit(tx, c.ctx(), "roles", id, "create", service::diff_records({}, out), now);
      }
    });
    return http::json_response(creating ? 201 : 200, out);
  };
  api.route("POST", "/api/v1/roles", Access::admin, [write_role](Call& c) { return write_role(c, true); },
            "Create a custom role");
  api.route("PATCH", "/api/v1/roles/{id}", Access::admin, [write_role](Call& c) { return write_role(c, false); },
            "Change a custom role; takes effect on the next request of every user who has it");
  api.route("DELETE", "/api/v1/roles/{id}", Access::admin, [&api, cols](Call& c) {
    allow_only(c.req, {});
    api.db().write([&](store::Tx& tx) {
      auto row = tx.one(cols + " WHERE id = ?", {c.req.param("id")});
      if (!row) throw not_found("No such role");
      if (row->integer(4)) throw conflict("builtin_role", "Built-in roles cannot be deleted");
      if (tx.one("SELECT 1 FROM users WHERE role_id = ? LIMIT 1", {c.req.param("id")}))
        throw conflict("role_in_use", "Users still have this role; give them another role first");
      tx.query("DELETE FROM roles WHERE id = ?", {c.req.param("id")});
      service::append_audit(tx, c.ctx(), "roles", c.req.param("id"), "delete", {}, format_utc(now_ms()));
    });
    return no_content();
  }, "Delete a custom role no user has");
}

void add_team_routes(Api& api) {
  const std::string cols = "SELECT id, name, manager_id, version FROM teams";
  api.route("GET", "/api/v1/teams", Access::user, [&api, cols](Call& c) {
    allow_only(c.req, {});
    json::array data;
    api.db().read([&](store::Tx& tx) {
      for (const auto& row : tx.query(cols + " ORDER BY name").rows) data.push_back(team_json(row));
    });
    return http::json_response(200, json::object{{"data", data}});
  }, "Teams");
  auto write_team = [&api, cols](Call& c, bool creating) {
    allow_only(c.req, {});
    json::object body = parse_json_object(c.req);
    FieldErrors errors;
    only_members(body, {"name", "manager_id"}, errors);
    bool has_name, has_mgr;
    std::string name = text_member(body, "name", 100, creating, errors, &has_name);
    std::string mgr = text_member(body, "manager_id", 64, false, errors, &has_mgr);
    errors.throw_if_any();
    json::object out;
    api.db().write([&](store::Tx& tx) {
      std::string now = format_utc(now_ms());
      std::string id = creating ? new_uuid_v7() : c.req.param("id");
      std::optional<store::Row> row;
      if (!creating) {
        row = tx.one(cols + " WHERE id = ?", {id});
        if (!row) throw not_found("No such team");
        if (!has_name) name = row->text(1);
        if (!has_mgr) mgr = row->text(2);
      }
      if (!mgr.empty() && !tx.one("SELECT 1 FROM users WHERE id = ? AND active = 1", {mgr}))
        throw validation_failed({{"manager_id", "reference_not_found", "No such active user"}});
      if (tx.one("SELECT 1 FROM teams WHERE name = ? AND id <> ?", {name, id})) throw conflict("name_taken", "A team with this name exists");
      store::Value m = mgr.empty() ? store::Value{} : store::Value{mgr};
      if (creating)
        tx.query("INSERT INTO teams (id, name, manager_id, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)",
                 {id, name, m, now, now});
      else
        tx.query("UPDATE teams SET name = ?, manager_id = ?, version = version + 1, updated_at = ? WHERE id = ?",
                 {name, m, now, id});
      out = team_json(*tx.one(cols + " WHERE id = ?", {id}));
      service::append_audit(tx, c.ctx(), "teams", id, creating ? "create" : "update",
                            service::diff_records(row ? team_json(*row) : json::object{}, out), now);
    });
    return http::json_response(creating ? 201 : 200, out);
  };
  api.route("POST", "/api/v1/teams", Access::admin, [write_team](Call& c) { return write_team(c, true); }, "Create a team");
  api.route("PATCH", "/api/v1/teams/{id}", Access::admin, [write_team](Call& c) { return write_team(c, false); },
            "Rename a team or change its manager");
  api.route("DELETE", "/api/v1/teams/{id}", Access::admin, [&api](Call& c) {
    allow_only(c.req, {});
    api.db().write([&](store::Tx& tx) {
      if (!tx.one("SELECT 1 FROM teams WHERE id = ?", {c.req.param("id")})) throw not_found("No such team");
      if (tx.one("SELECT 1 FROM users WHERE team_id = ? LIMIT 1", {c.req.param("id")}))
        throw conflict("team_in_use", "The team still has members");
      tx.query("DELETE FROM teams WHERE id = ?", {c.req.param("id")});
      service::append_audit(tx, c.ctx(), "teams", c.req.param("id"), "delete", {}, format_utc(now_ms()));
    });
    return no_content();
  }, "Delete an empty team");
}

void add_custom_field_routes(Api& api) {
  const std::string cols =
      "SELECT id, entity, name, label, type, options, required, max_length, position, version FROM custom_fields";
  api.route("GET", "/api/v1/custom-fields", Access::user, [&api, cols](Call& c) {
    allow_only(c.req, {"entity"});
    json::array data;
    std::string entity;
    for (auto& [k, v] : c.req.query) entity = v;
    api.db().read([&](store::Tx& tx) {
      auto r = entity.empty() ? tx.query(cols + " ORDER BY entity, position, name")
                              : tx.query(cols + " WHERE entity = ? ORDER BY position, name", {entity});
      for (const auto& row : r.rows) data.push_back(custom_field_json(row));
    });
    return http::json_response(200, json::object{{"data", data}});
  }, "Custom field definitions");

  api.route("POST", "/api/v1/custom-fields", Access::admin, [&api, cols](Call& c) {
    allow_only(c.req, {});
    json::object body = parse_json_object(c.req);
    FieldErrors errors;
    only_members(body, {"entity", "name", "label", "type", "options", "required", "max_length", "position"}, errors);
    std::string entity = text_member(body, "entity", 40, true, errors);
    std::string name = text_member(body, "name", 40, true, errors);
    std::string label = text_member(body, "label", 100, true, errors);
    std::string type = text_member(body, "type", 10, true, errors);
    const domain::EntityDef* def = domain::find_entity(entity);
    if (!entity.empty() && !def) errors.add("entity", "unknown_entity", "No such entity");
    static const std::regex name_re("^[a-z][a-z0-9_]{0,39}$");
    if (!name.empty() && !std::regex_match(name, name_re))
      errors.add("name", "invalid_format", "Use lower-case letters, digits and _; start with a letter");
    if (def && def->field(name)) errors.add("name", "duplicate", "A built-in field has this name");
    if (!type.empty() && type != "text" && type != "number" && type != "date" && type != "select")
      errors.add("type", "invalid_choice", "Must be one of text, number, date, select");
    CustomFieldSettings settings = parse_custom_field_settings(body, true, errors);
    json::array options = settings.options.value_or(json::array{});
    if (type == "select" && options.empty()) errors.add("options", "required", "A select field needs options");
    bool required = settings.required.value_or(false);
    int64_t max_length = settings.max_length.value_or(200), position = settings.position.value_or(0);
    errors.throw_if_any();
    json::object out;
    api.db().write([&](store::Tx& tx) {
      if (tx.one("SELECT 1 FROM custom_fields WHERE entity = ? AND name = ?", {entity, name}))
        throw conflict("name_taken", "This entity already has a custom field with this name");
      // A required field cannot be added while records lack it; it must start optional.
      if (required && tx.one("SELECT 1 FROM " + entity + " LIMIT 1"))
        throw conflict("records_exist", "Add the field as optional, fill it in, then make it required");
      std::string id = new_uuid_v7(), now = format_utc(now_ms());
      tx.query("INSERT INTO custom_fields (id, entity, name, label, type, options, required, max_length, position, "
               "version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
               {id, entity, name, label, type, json::serialize(options), int64_t{required ? 1 : 0}, max_length, position, now, now});
      out = custom_field_json(*tx.one(cols + " WHERE id = ?", {id}));
      service::append_audit(tx, c.ctx(), "custom_fields", id, "create", service::diff_records({}, out), now);
    });
    return http::json_response(201, out);
  }, "Define a custom field (text, number, date or select) on an entity");

  api.route("PATCH", "/api/v1/custom-fields/{id}", Access::admin, [&api, cols](Call& c) {
    allow_only(c.req, {});
    json::object body = parse_json_object(c.req);
    FieldErrors errors;
    // The entity, name and type are fixed: stored values are keyed by name and typed by type.
    for (const char* fixed : {"entity", "name", "type", "id"})
      if (body.contains(fixed))
        errors.add(fixed, "read_only", std::string("A custom field's ") + fixed + " cannot be changed");
    json::object rest = body;
    for (const char* fixed : {"entity", "name", "type", "id"}) rest.erase(fixed);
    only_members(rest, {"label", "options", "required", "max_length", "position", "version"}, errors);
    bool has_label = false;
    std::string label = text_member(body, "label", 100, false, errors, &has_label);
    if (has_label && label.empty()) errors.add("label", "required", "A field needs a label");
    CustomFieldSettings settings = parse_custom_field_settings(body, false, errors);
    const auto& [options, required, max_length, position] = settings;
    std::optional<int64_t> version;
    if (auto it = body.find("version"); it != body.end()) {
      if (!it->value().is_int64()) errors.add("version", "invalid_type", "Must be a whole number");
      else version = it->value().as_int64();
    }
    errors.throw_if_any();
    json::object out;
    api.db().write([&](store::Tx& tx) {
      auto row = tx.one(cols + " WHERE id = ?", {c.req.param("id")});
      if (!row) throw not_found("No such custom field");
      json::object old = custom_field_json(*row);
      if (version && *version != row->integer(9)) {
        ApiError e(412, "version_conflict", "The field was changed by someone else; reload");
        e.extra()["current_version"] = row->integer(9);
        throw e;
      }
      const std::string entity = row->text(1), type = row->text(4);
      if (options && type == "select" && options->empty())
        throw validation_failed({{"options", "required", "A select field needs options"}});
      if (options && type != "select") throw validation_failed({{"options", "not_allowed", "Only select fields have options"}});
      bool was_required = row->integer(6) != 0;
      if (required && *required && !was_required && tx.one("SELECT 1 FROM " + entity + " LIMIT 1"))
        throw conflict("records_exist", "Records exist that may lack this field; it cannot become required");
      std::string now = format_utc(now_ms());
      tx.query("UPDATE custom_fields SET label = ?, options = ?, required = ?, max_length = ?, position = ?, "
               "version = version + 1, updated_at = ? WHERE id = ?",
               {has_label ? label : row->text(3), options ? json::serialize(*options) : row->text(5),
                int64_t{(required ? *required : was_required) ? 1 : 0}, max_length ? *max_length : row->integer(7),
                position ? *position : row->integer(8), now, c.req.param("id")});
      out = custom_field_json(*tx.one(cols + " WHERE id = ?", {c.req.param("id")}));
      service::append_audit(tx, c.ctx(), "custom_fields", c.req.param("id"), "update", service::diff_records(old, out), now);
    });
    return http::json_response(200, out);
  }, "Change a custom field's label, options, required flag, length or position");

  api.route("DELETE", "/api/v1/custom-fields/{id}", Access::admin, [&api](Call& c) {
    allow_only(c.req, {});
    api.db().write([&](store::Tx& tx) {
      if (tx.query("DELETE FROM custom_fields WHERE id = ?", {c.req.param("id")}).affected == 0)
        throw not_found("No such custom field");
      // Stored values stay inside the records' custom JSON (and in the audit log) but are no
      // longer accepted on writes; re-creating the field with the same name brings them back.
      service::append_audit(tx, c.ctx(), "custom_fields", c.req.param("id"), "delete", {}, format_utc(now_ms()));
    });
    return no_content();
  }, "Remove a custom field definition");
}

}  // namespace

void add_admin_routes(Api& api) {
  add_user_routes(api);
  add_role_routes(api);
  add_team_routes(api);
  add_custom_field_routes(api);
}

}  // namespace keel::api
