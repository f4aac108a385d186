#include "auth/permissions.h"

#include <boost/json.hpp>

#include "domain/entity.h"

namespace keel::auth {
namespace json = boost::json;

const char* scope_name(Scope s) {
  switch (s) {
    case Scope::none:
      return "none";
    case Scope::own:
      return "own";
    case Scope::team:
      return "team";
    case Scope::all:
      return "all";
  }
  return "none";
}

const char* action_name(Action a) {
  switch (a) {
    case Action::read:
      return "read";
    case Action::create:
      return "create";
    case Action::update:
      return "update";
    case Action::remove:
      return "delete";
    case Action::export_:
      return "export";
  }
  return "read";
}

const EntityPermission& Permissions::on(std::string_view entity) const {
  static const EntityPermission nothing;
  auto it = entities.find(entity);
  return it == entities.end() ? nothing : it->second;
}

json::object Permissions::to_json() const {
  json::object ents;
  for (const auto& [name, p] : entities) {
    ents[name] = {{"read", scope_name(p.read)},
                  {"create", p.create},
                  {"update", scope_name(p.update)},
                  {"delete", scope_name(p.remove)},
                  {"export", p.export_}};
  }
  return {{"admin", admin}, {"entities", std::move(ents)}};
}

namespace {

bool parse_scope(const json::value& v, Scope& out) {
  if (!v.is_string()) return false;
  auto s = v.as_string();
  if (s == "none")
    out = Scope::none;
  else if (s == "own")
    out = Scope::own;
  else if (s == "team")
    out = Scope::team;
  else if (s == "all")
    out = Scope::all;
  else
    return false;
  return true;
}

}  // namespace

Permissions Permissions::from_json(const json::value& v, FieldErrors& errors, const std::string& prefix) {
  Permissions p;
  if (!v.is_object()) {
    errors.add(prefix, "invalid_type", "Permissions must be an object");
    return p;
  }
  for (const auto& [key, val] : v.as_object()) {
    std::string k(key);
    if (k == "admin") {
      if (!val.is_bool())
        errors.add(prefix + ".admin", "invalid_type", "Must be true or false");
      else
        p.admin = val.as_bool();
    } else if (k == "entities") {
      if (!val.is_object()) {
        errors.add(prefix + ".entities", "invalid_type", "Must be an object");
        continue;
      }
      for (const auto& [ename, eval] : val.as_object()) {
        std::string path = prefix + ".entities." + std::string(ename);
        if (!domain::is_entity(ename)) {
          errors.add(path, "unknown_entity", "No such entity");
          continue;
        }
        if (!eval.is_object()) {
          errors.add(path, "invalid_type", "Must be an object");
          continue;
        }
        EntityPermission ep;
        for (const auto& [akey, aval] : eval.as_object()) {
          std::string a(akey), apath = path + "." + a;
          if (a == "read" || a == "update" || a == "delete") {
            Scope s;
            if (!parse_scope(aval, s)) {
              errors.add(apath, "invalid_choice", "Must be one of none, own, team, all");
              continue;
            }
            (a == "read" ? ep.read : a == "update" ? ep.update : ep.remove) = s;
          } else if (a == "create" || a == "export") {
            if (!aval.is_bool()) {
              errors.add(apath, "invalid_type", "Must be true or false");
              continue;
            }
            (a == "create" ? ep.create : ep.export_) = aval.as_bool();
          } else {
            errors.add(apath, "unknown_field", "Unknown permission");
          }
        }
        // Changing or deleting what one cannot see makes no sense; clamp to the read scope.
        if (ep.update > ep.read) ep.update = ep.read;
        if (ep.remove > ep.read) ep.remove = ep.read;
        p.entities[std::string(ename)] = ep;
      }
    } else {
      errors.add(prefix + "." + k, "unknown_field", "Unknown member");
    }
  }
  return p;
}

namespace {

EntityPermission full() { return {Scope::all, Scope::all, Scope::all, true, true}; }
EntityPermission scoped(Scope read, Scope update, Scope remove, bool create, bool exp) {
  return {read, update, remove, create, exp};
}

std::vector<BuiltinRole> make_builtin() {
  std::vector<BuiltinRole> roles;
  const std::vector<std::string> crm = {"accounts", "contacts", "leads", "deals", "activities", "tasks", "orders"};

  BuiltinRole admin{"admin", "Everything, including users, roles, custom fields and backups", {}};
  for (const auto& e : domain::entities()) admin.permissions.entities[e.name] = full();
  admin.permissions.admin = true;
  roles.push_back(admin);

  BuiltinRole manager{"manager", "Reads and edits the records of their team; exports; manages products", {}};
  for (const auto& e : crm) manager.permissions.entities[e] = scoped(Scope::team, Scope::team, Scope::team, true, true);
  manager.permissions.entities["pipelines"] = scoped(Scope::all, Scope::none, Scope::none, false, true);
  manager.permissions.entities["products"] = scoped(Scope::all, Scope::all, Scope::all, true, true);
  roles.push_back(manager);

  BuiltinRole sales{"sales", "Sees team accounts and contacts; works on own leads, deals, activities, tasks", {}};
  sales.permissions.entities["accounts"] = scoped(Scope::team, Scope::own, Scope::own, true, false);
  sales.permissions.entities["contacts"] = scoped(Scope::team, Scope::own, Scope::own, true, false);
  for (const auto& e : {"leads", "deals", "activities", "tasks", "orders"})
    sales.permissions.entities[e] = scoped(Scope::own, Scope::own, Scope::own, true, false);
  sales.permissions.entities["pipelines"] = scoped(Scope::all, Scope::none, Scope::none, false, false);
  sales.permissions.entities["products"] = scoped(Scope::all, Scope::none, Scope::none, false, false);
  roles.push_back(sales);

  BuiltinRole support{"support", "Reads all customers and orders; logs activities and tasks", {}};
  for (const auto& e : {"accounts", "contacts", "orders"})
    support.permissions.entities[e] = scoped(Scope::all, Scope::own, Scope::none, false, false);
  for (const auto& e : {"activities", "tasks"})
    support.permissions.entities[e] = scoped(Scope::all, Scope::own, Scope::own, true, false);
  support.permissions.entities["products"] = scoped(Scope::all, Scope::none, Scope::none, false, false);
  support.permissions.entities["pipelines"] = scoped(Scope::all, Scope::none, Scope::none, false, false);
  roles.push_back(support);

  BuiltinRole read_only{"read_only", "Reads the records of their team; changes nothing (the default)", {}};
  for (const auto& e : crm)
    read_only.permissions.entities[e] = scoped(Scope::team, Scope::none, Scope::none, false, false);
  read_only.permissions.entities["pipelines"] = scoped(Scope::all, Scope::none, Scope::none, false, false);
  read_only.permissions.entities["products"] = scoped(Scope::all, Scope::none, Scope::none, false, false);
  roles.push_back(read_only);
  return roles;
}

}  // namespace

const std::vector<BuiltinRole>& builtin_roles() {
  static const std::vector<BuiltinRole> roles = make_builtin();
  return roles;
}

}  // namespace keel::auth
