#include <boost/json.hpp>

#include "service/rules/entity_rules.h"

namespace keel::service::rules {
namespace json = boost::json;

namespace {
bool starts_with_cjk(const std::string& s) {
  // CJK Unified Ideographs and friends start with lead bytes E2..E9 in UTF-8 (U+2E80..U+9FFF).
  return !s.empty() && static_cast<unsigned char>(s[0]) >= 0xE2 && static_cast<unsigned char>(s[0]) <= 0xE9;
}
}  // namespace

void person_before_save(RuleContext& rc) {
  auto get = [&](const char* k) {
    auto it = rc.record.find(k);
    return it != rc.record.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
  };
  std::string first = get("first_name"), last = get("last_name");
  if (first.empty() && last.empty()) {
    rc.errors.add("last_name", "required", "Give a first or last name");
    return;
  }
  std::string name;
  if (first.empty() || last.empty()) name = first + last;
  else if (starts_with_cjk(last)) name = last + first;  // Chinese order: family name first, no space
  else name = first + " " + last;
  rc.record["name"] = name;
  if (rc.def.name == "leads" && rc.record["status"].is_null()) rc.record["status"] = "new";
}

}  // namespace keel::service::rules
