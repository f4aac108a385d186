#include "domain/field.h"

namespace keel::domain {

const char* type_name(FieldType t) {
  switch (t) {
    case FieldType::text:
      return "text";
    case FieldType::long_text:
      return "long_text";
    case FieldType::email:
      return "email";
    case FieldType::phone:
      return "phone";
    case FieldType::url:
      return "url";
    case FieldType::integer:
      return "integer";
    case FieldType::decimal:
      return "decimal";
    case FieldType::money:
      return "money";
    case FieldType::currency:
      return "currency";
    case FieldType::date:
      return "date";
    case FieldType::datetime:
      return "datetime";
    case FieldType::boolean:
      return "boolean";
    case FieldType::choice:
      return "choice";
    case FieldType::ref:
      return "ref";
    case FieldType::ref_list:
      return "ref_list";
    case FieldType::tags:
      return "tags";
    case FieldType::emails:
      return "emails";
    case FieldType::phones:
      return "phones";
    case FieldType::uuid:
      return "uuid";
    case FieldType::objects:
      return "objects";
  }
  return "text";
}

bool stored_as_integer(FieldType t) {
  return t == FieldType::integer || t == FieldType::money || t == FieldType::boolean;
}

bool stored_as_json(FieldType t) {
  return t == FieldType::ref_list || t == FieldType::tags || t == FieldType::emails || t == FieldType::phones ||
         t == FieldType::objects;
}

FieldDef text(std::string name, int max_length) {
  FieldDef f;
  f.name = std::move(name);
  f.type = FieldType::text;
  f.max_length = max_length;
  return f;
}

FieldDef long_text(std::string name, int max_length) {
  FieldDef f = text(std::move(name), max_length);
  f.type = FieldType::long_text;
  return f;
}

FieldDef ref(std::string name, std::string entity) {
  FieldDef f;
  f.name = std::move(name);
  f.type = FieldType::ref;
  f.ref_entity = std::move(entity);
  f.filterable = true;
  return f;
}

FieldDef choice(std::string name, std::vector<std::string> choices) {
  FieldDef f;
  f.name = std::move(name);
  f.type = FieldType::choice;
  f.choices = std::move(choices);
  f.filterable = true;
  return f;
}

FieldDef typed(std::string name, FieldType type) {
  FieldDef f;
  f.name = std::move(name);
  f.type = type;
  switch (type) {
    case FieldType::email:
      f.max_length = 254;
      break;
    case FieldType::phone:
      f.max_length = 32;
      break;
    case FieldType::url:
      f.max_length = 2048;
      break;
    // Lists of labels and links are filterable by containment (?tags=vip, ?contact_ids=ID).
    case FieldType::tags:
      f.max_length = 20;
      f.filterable = true;
      break;  // items
    case FieldType::emails:
      f.max_length = 10;
      break;  // items
    case FieldType::phones:
      f.max_length = 10;
      break;  // items
    case FieldType::ref_list:
      f.max_length = 50;
      f.filterable = true;
      break;  // items
    default:
      break;
  }
  return f;
}

FieldDef objects(std::string name, std::shared_ptr<const ItemsDef> items, int max_items) {
  FieldDef f;
  f.name = std::move(name);
  f.type = FieldType::objects;
  f.max_length = max_items;
  f.items = std::move(items);
  return f;
}

FieldDef required(FieldDef f) {
  f.required = true;
  return f;
}
FieldDef computed(FieldDef f) {
  f.read_only = true;
  return f;
}
FieldDef filterable(FieldDef f) {
  f.filterable = true;
  return f;
}
FieldDef sortable(FieldDef f) {
  f.sortable = true;
  f.filterable = true;
  return f;
}
FieldDef searchable(FieldDef f, TermKind kind) {
  f.search = kind;
  return f;
}
FieldDef bounded(FieldDef f, int64_t min, int64_t max) {
  f.min = min;
  f.max = max;
  return f;
}

}  // namespace keel::domain
