#include "domain/validate.h"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <cmath>
#include <set>

#include "core/ids.h"
#include "core/text.h"
#include "core/time.h"

namespace keel::domain {
namespace json = boost::json;

namespace {

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, e - b + 1));
}

bool as_int64(const json::value& v, int64_t& out) {
  if (v.is_int64()) {
    out = v.as_int64();
    return true;
  }
  if (v.is_uint64() && v.as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    out = static_cast<int64_t>(v.as_uint64());
    return true;
  }
  return false;
}

// Why a value is not a usable whole number: a fraction (must_be_integer), a whole number too big
// for 64 bits (out_of_range), or not a number at all (invalid_type).
const char* not_integer_code(const json::value& v) {
  if (v.is_uint64()) return "out_of_range";
  if (v.is_double()) {
    double d = v.as_double();
    // 1250000.0 is written as a fraction; 1e30 is a whole number no 64-bit field can hold.
    return (std::isfinite(d) && d == std::floor(d) && std::fabs(d) >= 9.2e18) ? "out_of_range" : "must_be_integer";
  }
  return "invalid_type";
}

// Text checks shared by every string kind. Returns false if an error was recorded.
bool check_text(const json::value& v, const std::string& path, int max_len, bool multiline, FieldErrors& errors,
                std::string& out) {
  if (!v.is_string()) {
    errors.add(path, "invalid_type", "Must be a string");
    return false;
  }
  std::string_view raw = v.as_string();
  if (!is_valid_utf8(raw)) {
    errors.add(path, "invalid_encoding", "Must be valid UTF-8");
    return false;
  }
  out = multiline ? std::string(raw) : trim(raw);
  if (has_control_chars(out, multiline)) {
    errors.add(path, "invalid_characters", "Must not contain control characters");
    return false;
  }
  if (static_cast<int>(utf8_length(out)) > max_len) {
    errors.add(path, "too_long", "Must be at most " + std::to_string(max_len) + " characters");
    return false;
  }
  return true;
}

// An `objects` field: each item's members checked by check_field against the item table, so a
// stage's name obeys the same text rules as a record's; then the table's own finishing rule.
json::value check_items(const FieldDef& f, const json::value& v, const std::string& path, const std::string& tz,
                        FieldErrors& errors) {
  const ItemsDef& d = *f.items;
  if (!v.is_array()) {
    errors.add(path, "invalid_type", "Must be an array of " + d.plural);
    return nullptr;
  }
  const auto& arr = v.as_array();
  if (static_cast<int>(arr.size()) < d.min_items)
    errors.add(path, "required",
               "At least " + std::to_string(d.min_items) + " " + (d.min_items == 1 ? d.noun : d.plural) + " needed");
  if (static_cast<int>(arr.size()) > f.max_length)
    errors.add(path, "too_many_items", "At most " + std::to_string(f.max_length) + " " + d.plural);
  json::array out;
  std::vector<std::set<std::string>> seen(d.members.size());
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string p = path + "[" + std::to_string(i) + "]";
    if (!arr[i].is_object()) {
      errors.add(p, "invalid_type", "Must be an object");
      continue;
    }
    const auto& in = arr[i].as_object();
    for (const auto& [k, val] : in) {
      bool known = std::any_of(d.members.begin(), d.members.end(), [&](const FieldDef& m) { return m.name == k; });
      if (!known) errors.add(p + "." + std::string(k), "unknown_field", "Unknown " + d.noun + " member");
    }
    json::object item;
    for (size_t m = 0; m < d.members.size(); ++m) {
      const FieldDef& member = d.members[m];
      auto it = in.find(member.name);
      const std::string mp = p + "." + member.name;
      json::value value = check_field(member, it == in.end() ? json::value(nullptr) : it->value(), mp, tz, errors);
      if (member.unique && value.is_string() && !seen[m].insert(fold(value.as_string())).second)
        errors.add(mp, "duplicate", "Each " + d.noun + " needs its own " + member.name);
      item[member.name] = std::move(value);
    }
    if (d.finish) d.finish(item, p, errors);
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

bool is_valid_email(std::string_view s) {
  if (s.size() < 3 || s.size() > 254) return false;
  auto at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || at + 1 >= s.size()) return false;
  std::string_view local = s.substr(0, at), domain_part = s.substr(at + 1);
  for (unsigned char c : local)
    if (c <= 0x20 || c == '@' || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' || c == '<' ||
        c == '>' || c == '[' || c == ']' || c == '\\' || c == 0x7f)
      return false;
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  // Domain: dot-separated labels of letters, digits, hyphens (or any non-ASCII, for IDNs).
  if (domain_part.find('.') == std::string_view::npos) return false;
  size_t start = 0;
  while (start <= domain_part.size()) {
    size_t dot = domain_part.find('.', start);
    if (dot == std::string_view::npos) dot = domain_part.size();
    std::string_view label = domain_part.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (unsigned char c : label)
      if (!(std::isalnum(c) || c == '-' || c >= 0x80)) return false;
    start = dot + 1;
  }
  return true;
}

bool is_valid_phone(std::string_view s) {
  // International or local numbers as people write them: "+86 138-1234-5678", "(021) 5555 0100",
  // optionally an extension "x123" or "ext. 12". 5 to 15 digits before the extension (E.164).
  int digits = 0;
  size_t i = 0;
  if (i < s.size() && s[i] == '+') ++i;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9')
      ++digits;
    else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '/')
      continue;
    else
      break;
  }
  if (i < s.size()) {
    std::string rest = fold(s.substr(i));
    size_t j = 0;
    if (rest.rfind("ext.", 0) == 0)
      j = 4;
    else if (rest.rfind("ext", 0) == 0)
      j = 3;
    else if (rest.rfind("x", 0) == 0 || rest.rfind("#", 0) == 0)
      j = 1;
    else
      return false;
    while (j < rest.size() && rest[j] == ' ') ++j;
    if (j >= rest.size() || rest.size() - j > 6) return false;
    for (; j < rest.size(); ++j)
      if (rest[j] < '0' || rest[j] > '9') return false;
  }
  return digits >= 5 && digits <= 15;
}

bool is_valid_url(std::string_view s) {
  auto r = boost::urls::parse_uri(s);  // absolute URI, fragment allowed
  if (!r) return false;
  auto scheme = r->scheme();
  return (scheme == "http" || scheme == "https") && !r->encoded_host().empty();
}

bool is_currency_code(std::string_view s) {
  // ISO 4217 codes in circulation.
  static const std::set<std::string, std::less<>> codes = {
      "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
      "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC",
      "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS",
      "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD",
      "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL",
      "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD",
      "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
      "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SYP", "SZL",
      "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES", "VND",
      "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL"};
  return codes.count(s) > 0;
}

json::value check_field(const FieldDef& f, const json::value& v, const std::string& path, const std::string& tz,
                        FieldErrors& errors) {
  if (v.is_null()) {
    if (f.required) errors.add(path, "required", "This field is required");
    return nullptr;
  }
  std::string s;
  switch (f.type) {
    case FieldType::text:
    case FieldType::long_text: {
      if (!check_text(v, path, f.max_length, f.type == FieldType::long_text, errors, s)) return nullptr;
      if (s.empty()) {
        if (f.required) errors.add(path, "required", "This field is required");
        return nullptr;  // blank text is stored as absent
      }
      return json::value(s);
    }
    case FieldType::email:
      if (!check_text(v, path, f.max_length, false, errors, s)) return nullptr;
      if (s.empty()) return nullptr;
      if (!is_valid_email(s)) errors.add(path, "invalid_format", "Must be an email address like name@example.com");
      return json::value(s);
    case FieldType::phone:
      if (!check_text(v, path, f.max_length, false, errors, s)) return nullptr;
      if (s.empty()) return nullptr;
      if (!is_valid_phone(s)) errors.add(path, "invalid_format", "Must be a phone number with 5 to 15 digits");
      return json::value(s);
    case FieldType::url:
      if (!check_text(v, path, f.max_length, false, errors, s)) return nullptr;
      if (s.empty()) return nullptr;
      if (!is_valid_url(s)) errors.add(path, "invalid_format", "Must be an http:// or https:// address");
      return json::value(s);
    case FieldType::currency:
      if (!check_text(v, path, 16, false, errors, s)) return nullptr;
      if (!is_currency_code(s)) errors.add(path, "invalid_currency", "Must be an ISO 4217 code such as CNY or USD");
      return json::value(s);
    case FieldType::date:
      if (!check_text(v, path, 40, false, errors, s)) return nullptr;
      if (!is_valid_date(s)) errors.add(path, "invalid_date", "Must be a calendar date YYYY-MM-DD");
      return json::value(s);
    case FieldType::datetime: {
      if (!check_text(v, path, 40, false, errors, s)) return nullptr;
      ParsedInstant p = parse_instant(s, tz);
      if (p.error != TimeParseError::none) {
        errors.add(path, "invalid_datetime", "Must be an ISO 8601 date-time such as 2026-11-24T09:30:00+08:00");
        return nullptr;
      }
      return json::value(format_utc(p.ms));
    }
    case FieldType::integer:
    case FieldType::money: {
      int64_t n;
      if (!as_int64(v, n)) {
        errors.add(path, not_integer_code(v),
                   f.type == FieldType::money ? "Must be a whole number of minor units (e.g. fen or cents)"
                                              : "Must be a whole number");
        return nullptr;
      }
      if (n < f.min || n > f.max) {
        errors.add(path, "out_of_range", "Must be between " + std::to_string(f.min) + " and " + std::to_string(f.max));
        return nullptr;
      }
      return json::value(n);
    }
    case FieldType::decimal: {
      // Exact decimal kept as a string, never through a float: "12.50", "-3", 7.
      if (v.is_int64())
        s = std::to_string(v.as_int64());
      else if (v.is_uint64())
        s = std::to_string(v.as_uint64());
      else if (v.is_string())
        s = std::string(v.as_string());
      bool ok = !s.empty() && s.size() <= 32;
      size_t i = (ok && s[0] == '-') ? 1 : 0, digits = 0, dots = 0;
      for (; ok && i < s.size(); ++i) {
        if (s[i] == '.')
          ok = ++dots <= 1;
        else if (s[i] >= '0' && s[i] <= '9')
          ++digits;
        else
          ok = false;
      }
      if (!ok || digits == 0 || s.back() == '.') {
        errors.add(path, v.is_double() ? "use_decimal_string" : "invalid_number",
                   "Must be a whole number or a decimal string such as \"12.50\"");
        return nullptr;
      }
      return json::value(s);
    }
    case FieldType::boolean:
      if (!v.is_bool()) {
        errors.add(path, "invalid_type", "Must be true or false");
        return nullptr;
      }
      return v;
    case FieldType::choice:
      if (!check_text(v, path, 100, false, errors, s)) return nullptr;
      if (std::find(f.choices.begin(), f.choices.end(), s) == f.choices.end()) {
        std::string all;
        for (const auto& c : f.choices) all += (all.empty() ? "" : ", ") + c;
        errors.add(path, "invalid_choice", "Must be one of: " + all);
        return nullptr;
      }
      return json::value(s);
    case FieldType::ref:
    case FieldType::uuid:
      if (!v.is_string() || !is_uuid(v.as_string())) {
        errors.add(path, "invalid_format",
                   f.type == FieldType::ref ? "Must be the id (UUID) of a record" : "Must be a UUID");
        return nullptr;
      }
      return json::value(canonical_uuid(v.as_string()));
    case FieldType::ref_list:
    case FieldType::tags:
    case FieldType::emails:
    case FieldType::phones: {
      if (!v.is_array()) {
        errors.add(path, "invalid_type", "Must be an array");
        return nullptr;
      }
      const auto& arr = v.as_array();
      if (static_cast<int>(arr.size()) > f.max_length) {
        errors.add(path, "too_many_items", "At most " + std::to_string(f.max_length) + " items");
        return nullptr;
      }
      json::array out;
      std::set<std::string> seen;
      FieldDef item = f;
      item.type = f.type == FieldType::ref_list ? FieldType::ref
                  : f.type == FieldType::emails ? FieldType::email
                  : f.type == FieldType::phones ? FieldType::phone
                                                : FieldType::text;
      item.max_length = f.type == FieldType::tags ? 50 : f.type == FieldType::emails ? 254 : 32;
      item.required = true;
      for (size_t i = 0; i < arr.size(); ++i) {
        json::value one = check_field(item, arr[i], path + "[" + std::to_string(i) + "]", tz, errors);
        if (one.is_string() && seen.insert(fold(one.as_string())).second) out.push_back(one);
      }
      return out;
    }
    case FieldType::objects:
      return check_items(f, v, path, tz, errors);
  }
  return nullptr;
}

json::object parse_input(const EntityDef& def, const json::object& input, bool creating, const std::string& tz,
                         FieldErrors& errors) {
  json::object out;
  for (const auto& [key, value] : input) {
    std::string k(key);
    if (k == "custom") {
      out["custom"] = value;
      continue;
    }
    if (k == "version") continue;  // a precondition, handled by the caller
    if (k == "id") {
      if (!creating) {
        errors.add(k, "read_only", "The id of a record cannot change");
      } else if (!value.is_string() || !is_uuid(value.as_string())) {
        errors.add(k, "invalid_format", "Must be a UUID (version 7 recommended)");
      } else {
        out["id"] = canonical_uuid(value.as_string());
      }
      continue;
    }
    if (k == "owner_id") {
      if (!value.is_string() || !is_uuid(value.as_string()))
        errors.add(k, "invalid_format", "Must be the id of a user");
      else
        out["owner_id"] = canonical_uuid(value.as_string());
      continue;
    }
    const FieldDef* f = def.field(k);
    if (!f) {
      bool system = std::find(system_columns().begin(), system_columns().end(), k) != system_columns().end();
      errors.add(k, system ? "read_only" : "unknown_field",
                 system ? "This field is maintained by Keel" : "No such field on " + def.singular);
      continue;
    }
    if (f->read_only) {
      errors.add(k, "read_only", "This field is computed by Keel");
      continue;
    }
    out[k] = check_field(*f, value, k, tz, errors);
  }
  if (creating) {
    for (const auto& f : def.fields)
      if (f.required && !f.read_only && !input.contains(f.name))
        errors.add(f.name, "required", "This field is required");
  }
  return out;
}

const std::vector<std::string>& custom_field_types() {
  static const std::vector<std::string> types = {"text", "number", "integer", "money", "date", "select", "boolean"};
  return types;
}

bool is_custom_field_type(std::string_view type) {
  const auto& all = custom_field_types();
  return std::find(all.begin(), all.end(), type) != all.end();
}

FieldDef custom_field_def(const CustomFieldDef& d) {
  FieldDef f;
  f.name = d.name;
  f.custom = true;
  f.required = d.required;
  f.description = d.label;
  f.filterable = f.sortable = true;
  if (d.type == "text") {
    f.type = FieldType::text;
    f.max_length = d.max_length;
    f.search = TermKind::words;
  } else if (d.type == "date") {
    f.type = FieldType::date;
  } else if (d.type == "select") {
    f.type = FieldType::choice;
    f.choices = d.options;
  } else if (d.type == "integer") {
    f.type = FieldType::integer;
  } else if (d.type == "money") {
    // Minor units, as the built-in amounts: exact, and never negative.
    f.type = FieldType::money;
    f.min = 0;
    f.max = 9'000'000'000'000'000;
  } else if (d.type == "boolean") {
    f.type = FieldType::boolean;
  } else {
    f.type = FieldType::decimal;
  }
  return f;
}

json::object check_custom(const std::vector<CustomFieldDef>& defs, const json::value& input,
                          const json::object& current, bool creating, FieldErrors& errors) {
  json::object out = current;
  if (!input.is_null() && !input.is_object()) {
    errors.add("custom", "invalid_type", "Must be an object of custom field values");
    return out;
  }
  if (input.is_object()) {
    for (const auto& [key, value] : input.as_object()) {
      std::string path = "custom." + std::string(key);
      auto def = std::find_if(defs.begin(), defs.end(), [&](const CustomFieldDef& d) { return d.name == key; });
      if (def == defs.end()) {
        // A value kept from a field since deleted may come back unchanged (a client saving the
        // record it read) or as null (clearing it): sending back what was read is never an error.
        const json::value* kept = current.if_contains(key);
        if (kept && value.is_null())
          out.erase(key);
        else if (!kept || *kept != value)
          errors.add(path, "unknown_field", "No such custom field");
        continue;
      }
      if (value.is_null()) {
        if (def->required) errors.add(path, "required", "This field is required");
        out.erase(key);
        continue;
      }
      json::value checked = check_field(custom_field_def(*def), value, path, "", errors);
      if (checked.is_null())
        out.erase(key);
      else
        out[key] = checked;
    }
  }
  if (creating) {
    for (const auto& d : defs)
      if (d.required && !out.contains(d.name)) errors.add("custom." + d.name, "required", "This field is required");
  }
  return out;
}

}  // namespace keel::domain
