#include "service/entity_defs.h"

#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <set>

#include "core/ids.h"

namespace keel::service {
namespace json = boost::json;
using domain::FieldType;

namespace {

constexpr const char* kVersionKey = "custom_fields_version";
// The names of the custom field indexes that exist, so that a deleted field's index is dropped
// (by name: DROP INDEX is portable, listing indexes is not).
constexpr const char* kIndexesKey = "custom_field_indexes";

using Entities = std::map<std::string, EffectiveEntityPtr, std::less<>>;

struct Cache {
  std::mutex mu;
  std::string version;                  // guarded by mu
  std::shared_ptr<const Entities> all;  // guarded by mu
};

Cache& cache() {
  static Cache c;
  return c;
}

std::vector<std::string> parse_options(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (!ec && v.is_array())
    for (const auto& o : v.as_array())
      if (o.is_string()) out.emplace_back(o.as_string());
  return out;
}

// Every entity's effective definition, from the definitions table as `tx` sees it.
std::shared_ptr<const Entities> load_all(store::Tx& tx) {
  std::map<std::string, EffectiveEntity, std::less<>> built;
  for (const auto& def : domain::entities()) built[def.name].def = &def;
  auto r = tx.query(
      "SELECT entity, name, label, type, options, required, max_length FROM custom_fields "
      "ORDER BY entity, position, name");
  for (const auto& row : r.rows) {
    auto it = built.find(row.text(0));
    if (it == built.end()) continue;
    domain::CustomFieldDef d;
    d.name = row.text(1);
    d.label = row.text(2);
    d.type = row.text(3);
    d.options = parse_options(row.text(4));
    d.required = row.integer(5) != 0;
    d.max_length = static_cast<int>(row.integer(6));
    it->second.custom.push_back(domain::custom_field_def(d));
    it->second.custom_defs.push_back(std::move(d));
  }
  auto out = std::make_shared<Entities>();
  for (auto& [name, e] : built) (*out)[name] = std::make_shared<const EffectiveEntity>(std::move(e));
  return out;
}

store::JsonKind json_kind(FieldType t) {
  switch (t) {
    case FieldType::integer:
    case FieldType::money:
      return store::JsonKind::integer;
    case FieldType::boolean:
      return store::JsonKind::boolean;
    case FieldType::decimal:
      return store::JsonKind::decimal;
    default:
      return store::JsonKind::text;
  }
}

// Index names go into DDL as they are: only the characters entity, field and type names allow.
bool safe_name(const std::string& s) {
  return !s.empty() && s.size() <= 63 &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
}

void set_meta(store::Tx& tx, const std::string& key, const std::string& value) {
  tx.query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
           {key, value});
}

}  // namespace

const domain::FieldDef* EffectiveEntity::field(std::string_view name) const {
  if (name.substr(0, kCustomPrefix.size()) != kCustomPrefix) return def ? def->field(name) : nullptr;
  name.remove_prefix(kCustomPrefix.size());
  for (const auto& f : custom)
    if (f.name == name) return &f;
  return nullptr;
}

EffectiveEntityPtr effective_entity(store::Tx& tx, const domain::EntityDef& def) {
  // One statement: the version, and whether any definition exists at all.
  auto v = tx.one(
      "SELECT (SELECT value FROM meta WHERE key = ?), "
      "(SELECT count(*) FROM (SELECT 1 FROM custom_fields LIMIT 1) AS any_field)",
      {std::string(kVersionKey)});
  const bool any_field = v && v->integer(1) > 0;
  const std::string version = v && !v->is_null(0) ? v->text(0) : std::string();
  // No definitions: the built-in entity alone, nothing to load (the usual case before an
  // administrator adds a field; it must cost no more than the one read above).
  if (!any_field) {
    auto bare = std::make_shared<EffectiveEntity>();
    bare->def = &def;
    return bare;
  }
  // Definitions without a version (made before versions existed) are loaded every time until
  // the next change writes one; a version is cached per process.
  std::shared_ptr<const Entities> all;
  Cache& c = cache();
  if (!version.empty()) {
    std::lock_guard lock(c.mu);
    if (c.version == version) all = c.all;
  }
  if (!all) {
    all = load_all(tx);
    if (!version.empty()) {
      std::lock_guard lock(c.mu);
      c.version = version;
      c.all = all;
    }
  }
  auto it = all->find(def.name);
  if (it != all->end()) return it->second;
  auto bare = std::make_shared<EffectiveEntity>();
  bare->def = &def;
  return bare;
}

EffectiveEntityPtr effective_entity(store::Database& db, const domain::EntityDef& def) {
  EffectiveEntityPtr out;
  db.read([&](store::Tx& tx) { out = effective_entity(tx, def); });
  return out;
}

std::string custom_field_index_name(const std::string& entity, const domain::CustomFieldDef& d) {
  return "cf_" + entity + "_" + d.name + "_" + d.type;
}

store::JsonMemberSql field_value_sql(store::Dialect d, const domain::FieldDef& f, const std::string& alias) {
  const std::string prefix = alias.empty() ? "" : alias + ".";
  if (!f.custom) return {prefix + f.name, "?"};
  return store::json_member_sql(d, prefix + "custom", f.name, json_kind(f.type));
}

void custom_fields_changed(store::Tx& tx) {
  std::shared_ptr<const Entities> all = load_all(tx);
  std::set<std::string> wanted;
  for (const auto& [name, e] : *all) {
    for (size_t i = 0; i < e->custom.size(); ++i) {
      if (!e->custom[i].filterable && !e->custom[i].sortable) continue;
      const std::string index = custom_field_index_name(name, e->custom_defs[i]);
      if (!safe_name(index)) continue;
      wanted.insert(index);
      tx.query("CREATE INDEX IF NOT EXISTS " + index + " ON " + name + " (" +
               field_value_sql(tx.sql_dialect(), e->custom[i], "").value + ", id) WHERE deleted_at IS NULL");
    }
  }
  json::array names;
  if (auto row = tx.one("SELECT value FROM meta WHERE key = ?", {std::string(kIndexesKey)})) {
    for (const auto& had : parse_options(row->text(0)))
      if (!wanted.count(had) && safe_name(had)) tx.query("DROP INDEX IF EXISTS " + had);
  }
  for (const auto& n : wanted) names.push_back(json::value(n));
  set_meta(tx, kIndexesKey, json::serialize(names));
  set_meta(tx, kVersionKey, new_uuid_v7());
}

}  // namespace keel::service
