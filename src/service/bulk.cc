#include "service/bulk.h"

#include <boost/json.hpp>
#include <map>
#include <set>

#include "core/ids.h"

namespace keel::service {
namespace json = boost::json;

namespace {

// The records a bulk request names: up to kMaxBulkIds, each a UUID or {id, version}, none twice.
// Returns them as [{id, version?}] with canonical ids.
json::value check_ids(const json::value& v, const std::string& path, FieldErrors& errors) {
  if (!v.is_array()) {
    errors.add(path, "invalid_type", "Must be an array of ids");
    return nullptr;
  }
  const auto& arr = v.as_array();
  if (arr.empty()) errors.add(path, "required", "List at least one id");
  if (arr.size() > kMaxBulkIds)
    errors.add(path, "too_many_items", "At most " + std::to_string(kMaxBulkIds) + " records per request");
  json::array out;
  std::set<std::string> seen;
  for (size_t i = 0; i < arr.size() && i < kMaxBulkIds; ++i) {
    const std::string at = path + "[" + std::to_string(i) + "]";
    const json::value& e = arr[i];
    const json::value* idv = &e;
    json::object target;
    if (e.is_object()) {
      idv = e.as_object().if_contains("id");
      for (const auto& kv : e.as_object())
        if (kv.key() != "id" && kv.key() != "version")
          errors.add(at + "." + std::string(kv.key()), "unknown_field", "Only id and version may be given");
      if (const json::value* vv = e.as_object().if_contains("version")) {
        if (!vv->is_int64() || vv->as_int64() < 1)
          errors.add(at + ".version", "invalid_type", "Must be a positive integer");
        else
          target["version"] = vv->as_int64();
      }
    }
    if (!idv || !idv->is_string() || !is_uuid(idv->as_string())) {
      errors.add(e.is_object() ? at + ".id" : at, "invalid_format", "Must be a record id (UUID)");
      continue;
    }
    const std::string id = canonical_uuid(idv->as_string());
    if (!seen.insert(id).second) {
      errors.add(at, "duplicate", "This id is listed twice");
      continue;
    }
    target["id"] = id;
    out.push_back(std::move(target));
  }
  return out;
}

json::value check_changes(const json::value& v, const std::string& path, FieldErrors& errors) {
  if (!v.is_object() || v.as_object().empty()) {
    errors.add(path, "invalid_type", "An object with the fields to set");
    return nullptr;
  }
  return v;
}

domain::BodyDef make_bulk_body(const domain::EntityDef& def) {
  domain::BodyDef b;
  b.name = "BulkRequest";
  b.fields.push_back({domain::required(domain::choice("action", {"delete", "restore", "update"})), {}, {}});
  json::object versioned{
      {"type", "object"},
      {"properties",
       {{"id", {{"type", "string"}, {"format", "uuid"}}}, {"version", {{"type", "integer"}, {"minimum", 1}}}}},
      {"required", {"id"}},
      {"additionalProperties", false}};
  domain::BodyField ids{domain::required(domain::typed("ids", domain::FieldType::tags)),
                        check_ids,
                        {{"type", "array"},
                         {"minItems", 1},
                         {"maxItems", kMaxBulkIds},
                         {"uniqueItems", true},
                         {"items", {{"oneOf", {json::object{{"type", "string"}, {"format", "uuid"}}, versioned}}}}},
                        false};
  ids.def.description = "The records, each an id or {id, version} (the version the client saw, checked as If-Match)";
  b.fields.push_back(std::move(ids));
  domain::BodyField changes{domain::typed("changes", domain::FieldType::text),
                            check_changes,
                            {{"$ref", "#/components/schemas/" + def.singular + "_patch"}},
                            false};
  b.fields.push_back(std::move(changes));
  // changes goes with action update only (and an update needs it).
  b.schema_extra = {{"x-needs", {{"changes", {{"action", "update"}}}}}};
  return b;
}

}  // namespace

const domain::BodyDef& bulk_body(const domain::EntityDef& def) {
  static const std::map<std::string, domain::BodyDef, std::less<>> bodies = [] {
    std::map<std::string, domain::BodyDef, std::less<>> out;
    for (const auto& e : domain::entities()) out.emplace(e.name, make_bulk_body(e));
    return out;
  }();
  return bodies.at(def.name);
}

BulkRequest parse_bulk_request(const domain::EntityDef& def, const json::object& body) {
  FieldErrors errors;
  json::object in = domain::parse_body(bulk_body(def), body, true, errors);
  BulkRequest out;
  const json::value* action = in.if_contains("action");
  if (action && action->is_string()) out.action_name = std::string(action->as_string());
  if (out.action_name == "delete") out.action = BulkAction::remove;
  if (out.action_name == "restore") out.action = BulkAction::restore;
  const bool has_changes = body.contains("changes");
  if (out.action_name == "update" && !has_changes)
    errors.add("changes", "required", "An update needs the fields to set");
  else if (has_changes && !out.action_name.empty() && out.action_name != "update")
    errors.add("changes", "not_allowed", "Only an update takes changes");
  errors.throw_if_any();
  for (const auto& t : in.at("ids").as_array()) {
    const json::object& o = t.as_object();
    out.targets.push_back({std::string(o.at("id").as_string()),
                           o.contains("version") ? std::optional<int64_t>(o.at("version").as_int64()) : std::nullopt});
  }
  if (out.action == BulkAction::update) out.changes = in.at("changes").as_object();
  return out;
}

std::vector<BulkOutcome> run_bulk(Records& records, const Context& ctx, const domain::EntityDef& def, BulkAction action,
                                  const std::vector<BulkTarget>& targets, const boost::json::object& changes) {
  std::vector<BulkOutcome> out;
  out.reserve(targets.size());
  for (const BulkTarget& t : targets) {
    BulkOutcome o{t.id, std::nullopt, std::nullopt};
    try {
      switch (action) {
        case BulkAction::update:
          o.record = records.update(ctx, def, t.id, changes, t.version).record;
          break;
        case BulkAction::remove:
          o.record = records.remove(ctx, def, t.id, t.version);
          break;
        case BulkAction::restore:
          o.record = records.restore(ctx, def, t.id, t.version);
          break;
      }
    } catch (const ApiError& e) {
      o.error = e;
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace keel::service
