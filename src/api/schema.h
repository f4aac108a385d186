// Building blocks of the OpenAPI document: JSON Schema for field tables (entities and request
// bodies) and the small builders route specs use to describe parameters and answers. A route's
// shapes are written once, in its RouteSpec (api.h) next to its handler; the document is
// rendered from the specs (openapi.cc).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <initializer_list>
#include <optional>
#include <string>

#include "domain/body.h"
#include "domain/entity.h"
#include "domain/field.h"

namespace keel::api::schema {

// One field as JSON Schema: type, format, maxLength / maxItems, minimum / maximum, enum,
// nullable unless required, readOnly if computed.
boost::json::object field(const domain::FieldDef& f);
// A request body described by a field table: additionalProperties false; when `creating`, its
// required members are listed as required.
boost::json::object body(const domain::BodyDef& b, bool creating);

// A record of an entity (components `contact`, `contact_create`, `contact_patch`): the system
// columns, the entity's fields and `custom` (whose members the document adds per installation,
// openapi::add_custom_fields). A create states the required fields and the entity's any-of
// rule; a patch takes `version` as a precondition.
enum class RecordShape { stored, create, patch };
boost::json::object record(const domain::EntityDef& def, RecordShape shape);

boost::json::object ref(const std::string& component);  // {"$ref": "#/components/schemas/NAME"}
boost::json::object str();
boost::json::object str_fmt(const char* format);
boost::json::object integer();
boost::json::object integer(int64_t minimum, int64_t maximum);
boost::json::object boolean();
boost::json::object nullable(boost::json::object s);
boost::json::object array_of(boost::json::object items);
boost::json::object object_of(boost::json::object props, std::initializer_list<const char*> required = {});
boost::json::object data_of(boost::json::object items);  // {"data": [items]}

}  // namespace keel::api::schema
