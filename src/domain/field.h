// The vocabulary of record fields. Every entity is a table of FieldDefs; one generic path
// validates input, stores columns, renders JSON, indexes search terms and documents the API
// from that table, so a rule written here holds for every entity at once.
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/text.h"

namespace keel {
class FieldErrors;
}

namespace keel::domain {

enum class FieldType {
  text,       // one line, max_length code points
  long_text,  // multi-line
  email,      // one address
  phone,      // one number: digits with + ( ) - . space, 5..15 digits
  url,        // http(s) URL
  integer,    // 64-bit
  decimal,    // exact decimal kept as a string ("12.50"), never through a float (custom number fields)
  money,      // integer minor units (cents, fen); never a float
  currency,   // ISO 4217 code
  date,       // "YYYY-MM-DD"
  datetime,   // instant, stored UTC
  boolean,
  choice,    // one of `choices`
  ref,       // id of a record of `ref_entity` (or a user)
  uuid,      // an identifier chosen by the client or by Keel (a stage's id), not a reference
  ref_list,  // array of ids of `ref_entity`
  tags,      // array of short labels
  emails,    // array of addresses
  phones,    // array of numbers
  objects,   // array of objects whose members are a field table of their own (`items`)
};

const char* type_name(FieldType t);
// Stored as an integer column (money, integer, boolean) rather than text.
bool stored_as_integer(FieldType t);
// Stored as JSON text.
bool stored_as_json(FieldType t);

struct ItemsDef;

struct FieldDef {
  std::string name;
  FieldType type = FieldType::text;
  int max_length = 200;            // text kinds: code points; arrays: max items
  bool required = false;           // must be present on create and can never become null
  bool read_only = false;          // computed by the entity's rules; clients may not send it
  bool filterable = false;         // ?name=value (and [gte]/[lte] for ordered kinds)
  bool sortable = false;           // ?sort=name / -name
  std::optional<TermKind> search;  // fed into the search index
  std::vector<std::string> choices;
  // For ref/ref_list: "accounts", "users", ... On a text field that holds an id of something
  // else (a deal's stage_id), what it points into: documentation only (x-ref in OpenAPI).
  std::string ref_entity;
  int64_t min = INT64_MIN, max = INT64_MAX;  // integer/money bounds
  std::string description;                   // for the OpenAPI document
  // A custom field (an administrator's definition): its value lives in the record's `custom` JSON
  // object under `name`, not in a column of its own. Lists, validation, export and the OpenAPI
  // document treat it like any other field; only the SQL that reads its value differs.
  bool custom = false;
  // Within an `objects` item: no two items may have the same value (compared case-folded).
  bool unique = false;
  // For `objects`: what each item is (shared: entity tables are copied, the item table is not).
  std::shared_ptr<const ItemsDef> items;
};

// The items of an `objects` field: a field table checked member by member with check_field, the
// same rules as top-level fields, then `finish` for what spans members (a stage is not both won
// and lost) and defaults. Rules that need the database (a line's product) stay in the entity's
// rules; `any_of_required` documents those for clients.
struct ItemsDef {
  std::string kind;    // what clients know the field as ("stages", "line_items")
  std::string noun;    // one item, for messages: "stage"
  std::string plural;  // "stages"
  std::vector<FieldDef> members;
  int min_items = 0;
  std::vector<std::vector<std::string>> any_of_required;  // an item gives one of these sets in full
  std::string description;
  // Called with each item's checked members (absent ones null) and the item's path.
  void (*finish)(boost::json::object& item, const std::string& path, FieldErrors& errors) = nullptr;
};

// Builders that keep entity tables short and readable.
FieldDef text(std::string name, int max_length = 200);
FieldDef long_text(std::string name, int max_length = 20000);
FieldDef ref(std::string name, std::string entity);
FieldDef choice(std::string name, std::vector<std::string> choices);
FieldDef typed(std::string name, FieldType type);
// An array of at most `max_items` objects described by `items`.
FieldDef objects(std::string name, std::shared_ptr<const ItemsDef> items, int max_items);

// Chainable modifiers.
FieldDef required(FieldDef f);
FieldDef computed(FieldDef f);
FieldDef filterable(FieldDef f);
FieldDef sortable(FieldDef f);  // implies filterable
FieldDef searchable(FieldDef f, TermKind kind = TermKind::words);
FieldDef bounded(FieldDef f, int64_t min, int64_t max);

}  // namespace keel::domain
