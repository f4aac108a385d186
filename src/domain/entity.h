// The CRM's entities, described once as data.
//
// Each entity is a table of the same name with the system columns below plus one column per
// field. Entity-specific rules (lead conversion, deal stages, order totals) live in
// service/rules/, keyed by entity name; everything else is generic.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/field.h"

namespace keel::domain {

// Columns every record has, in addition to its fields.
//   id TEXT (UUID), version BIGINT (starts at 1, +1 per write), owner_id TEXT (a user),
//   created_at/created_by, updated_at/updated_by, deleted_at/deleted_by (trash),
//   custom TEXT (JSON object of custom field values).
inline const std::vector<std::string>& system_columns() {
  static const std::vector<std::string> cols = {"id",         "version",    "owner_id",   "created_at", "created_by",
                                                "updated_at", "updated_by", "deleted_at", "deleted_by", "custom"};
  return cols;
}

struct EntityDef {
  std::string name;         // plural: URL segment, table name, permission key ("contacts")
  std::string singular;     // "contact"
  std::string title_field;  // what names a record in search results and the audit log
  std::vector<FieldDef> fields;
  // Shared reference data (pipelines, products): every role may read it by default.
  bool catalog = false;
  // Rules across fields, enforced by the entity's hooks (service/rules) and stated here so the
  // OpenAPI document states them too: a record has at least one of `any_of_required`; for each
  // {field, needed}, a record with `field` set also has `needed` set.
  std::vector<std::string> any_of_required = {};
  std::vector<std::pair<std::string, std::string>> needs = {};

  const FieldDef* field(std::string_view n) const {
    for (const auto& f : fields)
      if (f.name == n) return &f;
    return nullptr;
  }
};

const std::vector<EntityDef>& entities();
const EntityDef* find_entity(std::string_view name);

// Entities that can be the target of a task's related record or the audit log.
bool is_entity(std::string_view name);

}  // namespace keel::domain
