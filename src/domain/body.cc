#include "domain/body.h"

#include "domain/validate.h"

namespace keel::domain {
namespace json = boost::json;

const BodyField* BodyDef::field(std::string_view n) const {
  for (const auto& f : fields)
    if (f.def.name == n) return &f;
  return nullptr;
}

json::object parse_body(const BodyDef& body, const json::object& input, bool creating, FieldErrors& errors) {
  json::object out;
  for (const auto& [k, v] : input) {
    std::string key(k);
    bool fixed = false;
    for (const auto& f : body.fixed) fixed = fixed || f == key;
    if (fixed) {
      std::string message = body.fixed_message;
      if (auto at = message.find("NAME"); at != std::string::npos) message.replace(at, 4, key);
      errors.add(key, "read_only", message.empty() ? "This member cannot be changed" : message);
      continue;
    }
    const BodyField* f = body.field(key);
    if (!f) {
      errors.add(key, "unknown_field", "Unknown field");
      continue;
    }
    if (v.is_null()) {
      if (f->def.required)
        errors.add(key, "required", "This field is required");
      else if (!f->nullable)
        errors.add(key, "invalid_type", "Must not be null");
      out[key] = nullptr;
      continue;
    }
    // check_field drops blank text (stored as absent); a body keeps it as null, so that a
    // change that sends "" clears an optional member, and a required one is refused like null
    // whatever its type (check_field itself refuses only blank required text: "" is no email).
    const size_t problems = errors.list().size();
    json::value value = f->check ? f->check(v, key, errors) : check_field(f->def, v, key, "UTC", errors);
    if (value.is_null() && f->def.required && errors.list().size() == problems)
      errors.add(key, "required", "This field is required");
    out[key] = std::move(value);
  }
  if (creating)
    for (const auto& f : body.fields)
      if (f.def.required && !input.contains(f.def.name)) errors.add(f.def.name, "required", "This field is required");
  return out;
}

}  // namespace keel::domain
