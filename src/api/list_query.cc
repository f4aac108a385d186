#include "api/list_query.h"

#include <algorithm>
#include <boost/json.hpp>

#include "api/schema.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/text.h"
#include "core/time.h"
#include "domain/validate.h"

namespace keel::api {
namespace json = boost::json;
using domain::FieldType;

namespace {

// Hash of everything that defines the result set except the cursor and limit.
// Order-insensitive: a client that rebuilds its query string with the same filters in another
// order is asking for the same result set.
std::string query_fingerprint(const http::Request& req) {
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& [k, v] : req.query)
    if (k != "cursor" && k != "limit") params.emplace_back(k, v);
  std::sort(params.begin(), params.end());
  std::string s;
  for (const auto& [k, v] : params) s += k + "=" + v + "&";
  return content_hash(s).substr(0, 16);
}

ApiError bad_param(const std::string& name, const std::string& code, const std::string& message) {
  return bad_request(code, message, name);
}

const std::vector<std::string>& system_sortable() {
  static const std::vector<std::string> v = {"created_at", "updated_at"};
  return v;
}

// One filter value from the query string, read as the field's type and checked by the field's
// own rules (400 invalid_parameter naming the parameter otherwise); normalised as stored.
json::value filter_operand(const domain::FieldDef& check, const std::string& text, const std::string& key,
                           const std::string& tz) {
  json::value in;
  if (domain::stored_as_integer(check.type) && check.type != FieldType::boolean) {
    try {
      size_t used = 0;
      long long n = std::stoll(text, &used);
      if (used != text.size()) throw std::invalid_argument("trailing");
      in = static_cast<int64_t>(n);
    } catch (const std::exception&) {
      throw bad_param(key, "invalid_parameter", key + " must be a whole number");
    }
  } else if (check.type == FieldType::boolean) {
    if (text != "true" && text != "false") throw bad_param(key, "invalid_parameter", key + " must be true or false");
    in = text == "true";
  } else {
    in = json::value(text);
  }
  FieldErrors fe;
  json::value norm = domain::check_field(check, in, key, tz, fe);
  if (!fe.empty())
    throw ApiError(ErrorKind::bad_request, "invalid_parameter", fe.list().front().message,
                   {{key, fe.list().front().code, fe.list().front().message}});
  return norm;
}

// Booleans are stored as 0/1.
store::Value store_value(const json::value& v) {
  if (v.is_bool()) return int64_t{v.as_bool() ? 1 : 0};
  if (v.is_int64()) return v.as_int64();
  if (v.is_string()) return std::string(v.as_string());
  return store::Value{};
}

}  // namespace

std::string parse_search_text(const std::string& value, const std::string& key) {
  if (!is_valid_utf8(value)) throw bad_param(key, "invalid_parameter", "Search text must be UTF-8");
  if (value.size() > kMaxSearchBytes)
    throw bad_param(key, "too_long", "Search text must be at most " + std::to_string(kMaxSearchBytes) + " bytes");
  if (query_terms(value).size() > kMaxSearchTerms)
    throw bad_param(key, "too_many_search_terms",
                    "Search text may have at most " + std::to_string(kMaxSearchTerms) + " words");
  return value;
}

namespace {

int parse_limit(const std::string& value, const std::string& key) {
  if (value.empty() || value.size() > 4 || value.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(value) < 1 || std::stoi(value) > kMaxListLimit)
    throw bad_param(key, "invalid_parameter",
                    "limit must be a whole number from 1 to " + std::to_string(kMaxListLimit));
  return std::stoi(value);
}

void parse_sort(const service::EffectiveEntity& e, const std::string& value, const std::string& key,
                service::ListQuery& q) {
  std::string col = value;
  q.descending = !col.empty() && col[0] == '-';
  if (q.descending) col = col.substr(1);
  const domain::FieldDef* f = e.field(col);
  bool ok = (f && f->sortable) ||
            std::find(system_sortable().begin(), system_sortable().end(), col) != system_sortable().end();
  if (!ok) throw bad_param(key, "invalid_sort", "Cannot sort " + e.def->name + " by \"" + col + "\"");
  q.sort_column = col;
}

bool is_system_filter(const std::string& name) {
  return name == "id" || name == "owner_id" || name == "created_at" || name == "updated_at" || name == "created_by" ||
         name == service::kOwnerTeamFilter;
}

// "name" or "name[op]": the operator, or nullopt for [null] (checked by the caller).
std::optional<service::FilterOp> filter_op(const std::string& op, const std::string& key) {
  static const std::pair<const char*, service::FilterOp> ops[] = {
      {"eq", service::FilterOp::eq},   {"ne", service::FilterOp::ne}, {"gt", service::FilterOp::gt},
      {"gte", service::FilterOp::gte}, {"lt", service::FilterOp::lt}, {"lte", service::FilterOp::lte},
      {"in", service::FilterOp::in},
  };
  for (const auto& [name, value] : ops)
    if (op == name) return value;
  if (op == "null") return std::nullopt;
  throw bad_param(key, "invalid_operator", "Unknown operator [" + op + "]; use gt, gte, lt, lte, ne, in or null");
}

// The definition a filter's operand is checked against: the field's own (never required), or
// the type of a system column. A list field (tags, linked records) is filtered by one element it
// contains, so its operand is checked as one element.
domain::FieldDef operand_def(const domain::FieldDef* f, const std::string& name, const std::string& key,
                             service::Filter& filter) {
  domain::FieldDef check = f ? *f : domain::FieldDef{};
  if (is_system_filter(name)) {
    check.name = name;
    check.type = (name == "id" || name == "owner_id" || name == "created_by" || name == service::kOwnerTeamFilter)
                     ? FieldType::ref
                     : FieldType::datetime;
  }
  // A team is matched or not: its members' records, or those of owners in no team ([null]).
  if (name == service::kOwnerTeamFilter && filter.op != service::FilterOp::eq && filter.op != service::FilterOp::in)
    throw bad_param(key, "invalid_operator", name + " takes " + name + "=TEAM, " + name + "[in]=A,B or [null]=true");
  check.required = false;
  if (check.type == FieldType::tags || check.type == FieldType::ref_list) {
    if (filter.op != service::FilterOp::eq)
      throw bad_param(key, "invalid_operator", name + " holds a list; filter it with " + name + "=VALUE (contains)");
    check.type = check.type == FieldType::tags ? FieldType::text : FieldType::ref;
    check.max_length = 50;
    filter.op = service::FilterOp::contains;
  }
  return check;
}

// ?status[in]=open,won  ?id[in]=ID1,ID2  (1..200 values, each checked like an equality)
std::vector<store::Value> in_operands(const domain::FieldDef& check, const std::string& value, const std::string& key,
                                      const std::string& tz) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    if (comma == std::string::npos) comma = value.size();
    items.push_back(value.substr(start, comma - start));
    start = comma + 1;
  }
  if (value.empty() || items.size() > 200)
    throw bad_param(key, "invalid_parameter", key + " takes 1 to 200 comma-separated values");
  std::vector<store::Value> out;
  for (const auto& item : items) out.push_back(store_value(filter_operand(check, item, key, tz)));
  return out;
}

// One filter parameter: name or name[op], on a filterable field (custom.NAME for a custom one)
// or a system column.
service::Filter parse_filter(const service::EffectiveEntity& e, const std::string& key, const std::string& value,
                             const std::string& tz) {
  std::string name = key, op = "eq";
  if (auto b = key.find('['); b != std::string::npos && key.back() == ']') {
    name = key.substr(0, b);
    op = key.substr(b + 1, key.size() - b - 2);
  }
  service::Filter filter;
  const domain::FieldDef* f = e.field(name);
  if (!is_system_filter(name) && (!f || !f->filterable))
    throw bad_param(key, "unknown_parameter", "Unknown query parameter (or a field that cannot be filtered): " + key);
  filter.field = f;
  filter.column = name;
  std::optional<service::FilterOp> parsed = filter_op(op, key);
  if (!parsed) {
    if (value != "true") throw bad_param(key, "invalid_parameter", "Use [null]=true");
    filter.op = service::FilterOp::is_null;
    return filter;
  }
  filter.op = *parsed;
  domain::FieldDef check = operand_def(f, name, key, filter);
  if (filter.op == service::FilterOp::in) {
    filter.values = in_operands(check, value, key, tz);
    return filter;
  }
  if (check.type == FieldType::text || check.type == FieldType::long_text) check.max_length = 500;
  json::value norm = filter_operand(check, value, key, tz);
  filter.value = store_value(norm);
  if (filter.op == service::FilterOp::contains && norm.is_string())
    filter.value = json::serialize(norm);  // the element as it appears inside the stored JSON array
  return filter;
}

// A cursor is opaque but comes from outside: every member's presence and type is checked before
// any of it reaches SQL, and it must belong to this sort and these filters.
void apply_cursor(const service::EffectiveEntity& e, const std::string& cursor, const http::Request& req,
                  service::ListQuery& q) {
  auto raw = from_base64url(cursor);
  boost::system::error_code ec;
  json::value v = raw ? json::parse(*raw, ec) : json::value();
  auto malformed = [] {
    return bad_param("cursor", "invalid_cursor", "The cursor is malformed; start again without it");
  };
  if (!raw || ec || !v.is_object()) throw malformed();
  const auto& o = v.as_object();
  const json::value *id = o.if_contains("id"), *sv = o.if_contains("v"), *sc = o.if_contains("s"),
                    *d = o.if_contains("d"), *h = o.if_contains("h");
  if (!id || !sv || !sc || !d || !h || !id->is_string() || !is_uuid(id->as_string()) || !sc->is_string() ||
      !d->is_bool() || !h->is_string())
    throw malformed();
  if (*sc != json::value(q.sort_column) || *d != json::value(q.descending) || *h != json::value(query_fingerprint(req)))
    throw bad_param("cursor", "cursor_mismatch",
                    "The cursor belongs to a different sort or filter; start again without it");
  const domain::FieldDef* sort_field = e.field(q.sort_column);
  bool integer_sort = sort_field && domain::stored_as_integer(sort_field->type);
  if (sv->is_int64() && integer_sort)
    q.after_value = sv->as_int64();
  else if (sv->is_string() && !integer_sort)
    q.after_value = std::string(sv->as_string());
  else if (sv->is_null())
    q.after_value = store::Value{};
  else
    throw malformed();
  q.after_id = canonical_uuid(id->as_string());
}

}  // namespace

service::ListQuery parse_list_query(const service::EffectiveEntityPtr& entity, const http::Request& req,
                                    const std::string& tz) {
  service::ListQuery q;
  q.entity = entity;
  std::string cursor;
  for (const auto& [key, value] : req.query) {
    if (key == "limit") {
      q.limit = parse_limit(value, key);
    } else if (key == "sort") {
      parse_sort(*entity, value, key, q);
    } else if (key == "q") {
      q.search = parse_search_text(value, key);
    } else if (key == "cursor") {
      cursor = value;
    } else if (key == "trashed") {
      if (value != "true" && value != "false")
        throw bad_param(key, "invalid_parameter", "trashed must be true or false");
      q.trashed = value == "true";
    } else {
      if (q.filters.size() >= kMaxFilters)
        throw bad_param(key, "too_many_filters",
                        "A list takes at most " + std::to_string(kMaxFilters) + " filter parameters");
      q.filters.push_back(parse_filter(*entity, key, value, tz));
    }
  }
  if (!cursor.empty()) apply_cursor(*entity, cursor, req, q);
  return q;
}

std::string encode_cursor(const service::ListQuery& q, const service::ListPage& page, const http::Request& req) {
  json::object o;
  o["s"] = q.sort_column;
  o["d"] = q.descending;
  o["h"] = query_fingerprint(req);
  if (auto p = std::get_if<int64_t>(&page.last_sort_value))
    o["v"] = *p;
  else if (auto s = std::get_if<std::string>(&page.last_sort_value))
    o["v"] = *s;
  else
    o["v"] = nullptr;
  o["id"] = page.last_id;
  return base64url(json::serialize(o));
}

json::object search_text_schema() { return {{"type", "string"}, {"maxLength", kMaxSearchBytes}}; }

std::string filter_description(const std::string& name) {
  return "Equals; also " + name + "[gte|gt|lte|lt|ne]=value, " + name + "[in]=a,b,c and " + name + "[null]=true";
}

std::vector<QueryParam> list_parameters(const domain::EntityDef& def, bool paged) {
  std::vector<QueryParam> ps;
  if (paged)
    ps.push_back({"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxListLimit}, {"default", 50}}});
  ps.push_back({"sort", schema::str(),
                "A sortable field, custom.NAME (a custom field), created_at or updated_at; prefix '-' for descending "
                "(default -created_at)"});
  ps.push_back({"q", search_text_schema(), "Search text: names, company, email, phone tail, tags"});
  if (paged)
    ps.push_back(
        {"cursor", schema::str(), "next_cursor of the previous page; only valid with the same filters and sort"});
  ps.push_back({"trashed", schema::boolean(), "List the trash instead of live records"});
  for (const auto& f : def.fields) {
    if (!f.filterable) continue;
    bool list = f.type == FieldType::tags || f.type == FieldType::ref_list;
    ps.push_back({f.name, schema::str(), list ? "Contains this element" : filter_description(f.name)});
  }
  ps.push_back({"id", schema::str(), "Equals; id[in]=ID1,ID2,... (up to 200) fetches several records at once"});
  for (const char* sys : {"owner_id", "created_at", "updated_at"})
    ps.push_back({sys, schema::str(), std::string("Equals; also ") + sys + "[gte|gt|lte|lt|ne|in]=value"});
  ps.push_back({std::string(service::kOwnerTeamFilter), schema::str(),
                "Owned by a member of this team (a user whose team_id it is); also owner_team_id[in]=T1,T2 and "
                "owner_team_id[null]=true (owners in no team)"});
  return ps;
}

}  // namespace keel::api
