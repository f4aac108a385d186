// The effective definition of an entity: its built-in fields (domain/entities.cc) plus one field
// per custom field an administrator defined (domain::custom_field_def), so that lists (filters,
// sort, keyset paging, search), validation, export and the OpenAPI document treat custom fields
// like built-in ones.
//
// Custom field definitions change at run time, on any of several servers sharing one
// PostgreSQL. The definitions are therefore cached per process by a version kept in the database
// (the `meta` row `custom_fields_version`, a fresh UUID written by custom_fields_changed in the
// same transaction as every create, change or delete of a definition): each lookup reads that one
// row and rebuilds only when it differs, so a field created through one server is seen by the
// next request on every other.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entity.h"
#include "domain/validate.h"
#include "store/db.h"

namespace keel::service {

// Lists name a custom field "custom.NAME" (?custom.size=10, sort=-custom.size), as its errors
// are named and as its value appears in a record ({"custom": {"size": 10}}).
inline constexpr std::string_view kCustomPrefix = "custom.";

struct EffectiveEntity {
  const domain::EntityDef* def = nullptr;           // the built-in definition
  std::vector<domain::CustomFieldDef> custom_defs;  // as administered, in display order
  std::vector<domain::FieldDef> custom;             // custom_field_def() of each, same order

  // A field by the name lists use: a built-in field's name, or "custom.NAME".
  const domain::FieldDef* field(std::string_view name) const;
};
using EffectiveEntityPtr = std::shared_ptr<const EffectiveEntity>;

// The current effective definition, read in `tx`: one statement reads the version and whether
// any custom field exists; definitions are loaded only when the version changed (and never when
// there are none). Never null.
EffectiveEntityPtr effective_entity(store::Tx& tx, const domain::EntityDef& def);
EffectiveEntityPtr effective_entity(store::Database& db, const domain::EntityDef& def);

// To be called in the transaction that creates, changes or deletes a custom field definition,
// after the write: gives every filterable custom field its expression index (and drops the
// indexes of fields that are gone), then changes the version so every server's cache rebuilds.
void custom_fields_changed(store::Tx& tx);

// The expression index of a custom field: "cf_<entity>_<name>_<type>" over its value and id, on
// live records (lists of the trash are rare and small), so filters and sorts on it seek.
std::string custom_field_index_name(const std::string& entity, const domain::CustomFieldDef& d);

// How SQL reads a field's value in a query over `alias` (a column, or a custom field's member
// of the custom JSON), and how an operand compared with it is written.
store::JsonMemberSql field_value_sql(store::Dialect d, const domain::FieldDef& f, const std::string& alias);

}  // namespace keel::service
