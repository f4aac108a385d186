// Custom field definitions: fields administrators add to an entity (domain::custom_field_types:
// text, number, integer, money, date, select, boolean). Values live in each record's `custom`
// object and are validated on every write against the definitions (domain::check_custom). Every
// write of a definition goes through write_versioned (entity "custom_fields"): version check,
// audit entry, change-log entry.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "domain/body.h"
#include "service/context.h"
#include "store/db.h"

namespace keel::service {

// Create: {entity, name ([a-z][a-z0-9_]{0,39}, not a built-in field), label (1-100), type
// (domain::custom_field_types), options (select: 1-100 characters each), required, max_length
// (1-5000), position}. Change: the same without entity, name and type (fixed: stored values
// are keyed by name and typed by type), plus version.
const domain::BodyDef& custom_field_create_body();
const domain::BodyDef& custom_field_update_body();

// All definitions (by entity, position, name), or one entity's. Any signed-in user may read them.
boost::json::array list_custom_fields(store::Tx& tx, const std::string& entity = "");
// Administrators only. 409 name_taken; 409 records_exist for a required field on an entity that
// has records (it must start optional).
boost::json::object create_custom_field(store::Tx& tx, const Context& ctx, const boost::json::object& body);
// 404, 412 version_conflict (with `current`) when `if_match` (or else the body's version) is not
// the stored version, 422, 409 records_exist (becoming required). A change that changes nothing
// writes nothing.
boost::json::object update_custom_field(store::Tx& tx, const Context& ctx, const std::string& id,
                                        const boost::json::object& body,
                                        std::optional<int64_t> if_match = std::nullopt);
// 404, 412 version_conflict (`if_match`). Stored values stay in the records (and the audit log)
// but are no longer accepted on writes; re-creating the field with the same name brings them back.
void delete_custom_field(store::Tx& tx, const Context& ctx, const std::string& id,
                         std::optional<int64_t> if_match = std::nullopt);

}  // namespace keel::service
