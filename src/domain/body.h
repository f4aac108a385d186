// Request bodies that are not CRM records (users, roles, teams, custom field definitions, the
// sign-in, API tokens), described as field tables the way entities are: a table says which
// members a body has, their types and limits. parse_body validates any body against its table
// with the records' own value checks (check_field), and the OpenAPI document states the same
// limits from the same table. Each service defines its tables beside its code (service/roles.h,
// ...).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "domain/field.h"

namespace keel::domain {

struct BodyField {
  FieldDef def;
  // A check beyond the field type (a permission set, a name pattern, a list of options): takes
  // the value as sent (never null), adds problems under `path`, returns the value to keep.
  // Unset: check_field alone. `schema` then describes the value for the OpenAPI document.
  std::function<boost::json::value(const boost::json::value&, const std::string& path, FieldErrors&)> check;
  boost::json::object schema;
  // Whether null may be sent (to clear an optional member). A required member is never null.
  bool nullable = true;
};

struct BodyDef {
  std::string name;  // the schema's name in the OpenAPI document, e.g. "RoleInput"
  std::vector<BodyField> fields;
  // Members that may be sent but never change (a custom field's name): refused as read_only.
  std::vector<std::string> fixed;
  std::string fixed_message;  // "A custom field's NAME cannot be changed"; NAME is replaced
  // Members of the body's JSON Schema beyond the fields (cross-member rules as x- extensions).
  boost::json::object schema_extra = {};

  const BodyField* field(std::string_view n) const;
};

// Validates `input` against `body`. Unknown members are unknown_field, fixed ones read_only;
// when `creating`, a required member that is absent is `required`. Returns the normalised value
// of every member present (a member sent as null stays null, so a change can clear it).
boost::json::object parse_body(const BodyDef& body, const boost::json::object& input, bool creating,
                               FieldErrors& errors);

}  // namespace keel::domain
