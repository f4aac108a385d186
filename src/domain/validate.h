// Input validation for record fields: pure functions, no I/O. References are checked for
// existence and visibility later, in the service, because that needs the database.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/error.h"
#include "domain/entity.h"

namespace keel::domain {

bool is_valid_email(std::string_view s);
bool is_valid_phone(std::string_view s);
bool is_valid_url(std::string_view s);
bool is_currency_code(std::string_view s);

// Checks one value against its field definition and returns the normalised value to store
// (trimmed text, canonical UUIDs, UTC instants). Problems are added to `errors` under `path`.
// `time_zone` reads date-times given without an offset.
boost::json::value check_field(const FieldDef& f, const boost::json::value& v, const std::string& path,
                               const std::string& time_zone, FieldErrors& errors);

// Validates a create body or an update patch. Returns the normalised field values present in
// the input. Members that are neither fields nor the accepted system members ("id" on create,
// "version", "owner_id", "custom") are rejected as unknown_field; computed fields as read_only.
// "custom" is returned untouched for the custom-field checker.
boost::json::object parse_input(const EntityDef& def, const boost::json::object& input, bool creating,
                                const std::string& time_zone, FieldErrors& errors);

// Custom field definitions as admins create them.
struct CustomFieldDef {
  std::string name;
  std::string label;
  std::string type;  // one of custom_field_types()
  std::vector<std::string> options;
  bool required = false;
  int max_length = 200;
};

// The types an administrator may give a custom field, and the field type each becomes:
//   text -> text (max_length, searchable), number -> decimal (exact string), integer -> integer,
//   money -> money (minor units, 0..9e18), date -> date, select -> choice (options), boolean -> boolean.
const std::vector<std::string>& custom_field_types();
bool is_custom_field_type(std::string_view type);

// A custom field as a field: `custom` set, filterable and sortable (every custom field gets an
// index when it is created, so lists on it stay fast), described by its label.
FieldDef custom_field_def(const CustomFieldDef& d);

// Validates `custom` (an object of name -> value) against the definitions; merges onto `current`
// (null removes a value) and returns the result. Unknown names are errors; each value is checked
// by check_field against custom_field_def, so its errors are a built-in field's, under "custom.NAME".
boost::json::object check_custom(const std::vector<CustomFieldDef>& defs, const boost::json::value& input,
                                 const boost::json::object& current, bool creating, FieldErrors& errors);

}  // namespace keel::domain
