#include <boost/json.hpp>
#include <cstdint>

#include "service/rules/entity_rules.h"

namespace keel::service::rules {
namespace json = boost::json;

namespace {

// Names in Chinese, Japanese and Korean scripts are written family name first with no space.
bool starts_with_cjk(const std::string& s) {
  if (s.empty()) return false;
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[i])); };
  uint32_t cp = 0;
  if (b(0) < 0x80) return false;
  if ((b(0) & 0xE0) == 0xC0 && s.size() >= 2)
    cp = ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
  else if ((b(0) & 0xF0) == 0xE0 && s.size() >= 3)
    cp = ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  else if ((b(0) & 0xF8) == 0xF0 && s.size() >= 4)
    cp = ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  return (cp >= 0x1100 && cp <= 0x11FF) ||  // Hangul Jamo
         (cp >= 0x2E80 && cp <= 0x9FFF) ||  // CJK radicals, kana, CJK unified ideographs
         (cp >= 0xAC00 && cp <= 0xD7AF) ||  // Hangul syllables
         (cp >= 0xF900 && cp <= 0xFAFF) ||  // CJK compatibility ideographs
         (cp >= 0x20000 && cp <= 0x3134F);  // CJK extensions B..H
}

bool has_error_on(const FieldErrors& errors, std::initializer_list<const char*> fields) {
  for (const auto& e : errors.list())
    for (const char* f : fields)
      if (e.field == f) return true;
  return false;
}

std::string status_of(const json::object& o) {
  auto it = o.find("status");
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

}  // namespace

void person_before_save(RuleContext& rc) {
  auto get = [&](const char* k) {
    auto it = rc.record.find(k);
    return it != rc.record.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
  };
  // A name already rejected (too long, wrong type) is reported once, not also as missing.
  if (has_error_on(rc.errors, {"first_name", "last_name"})) return;
  std::string first = get("first_name"), last = get("last_name");
  if (first.empty() && last.empty()) {
    rc.errors.add("last_name", "required", "Give a first or last name");
    return;
  }
  std::string name;
  if (first.empty() || last.empty())
    name = first + last;
  else if (starts_with_cjk(last))
    name = last + first;  // Chinese order: family name first, no space
  else
    name = first + " " + last;
  rc.record["name"] = name;
}

void lead_status_rules(RuleContext& rc) {
  if (rc.record["status"].is_null()) rc.record["status"] = "new";
  // "converted" is the mark of a conversion (which writes its links in the same transaction);
  // a lead set to it by hand would have no account or contact, and one set back from it could
  // be converted twice.
  std::string now = status_of(rc.record), before = rc.old ? status_of(*rc.old) : std::string();
  if (before == "converted" && now != "converted")
    rc.errors.add("status", "not_allowed", "A converted lead stays converted");
  else if (now == "converted" && before != "converted")
    rc.errors.add("status", "not_allowed",
                  "A lead becomes converted only by converting it (POST /api/v1/leads/{id}/convert)");
}

}  // namespace keel::service::rules
