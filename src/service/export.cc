#include "service/export.h"

#include <boost/json.hpp>
#include <map>
#include <set>
#include <vector>

#include "auth/principal.h"
#include "core/error.h"
#include "domain/money.h"
#include "service/entity_defs.h"
#include "service/journal.h"
#include "service/scope.h"

namespace keel::service {
namespace json = boost::json;

namespace {

using domain::FieldDef;
using domain::FieldType;

std::string cell_text(const json::value& v) {
  if (v.is_null()) return {};
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_int64()) return std::to_string(v.as_int64());
  if (v.is_uint64()) return std::to_string(v.as_uint64());
  if (v.is_array()) {
    // Lists (emails, phones, tags) joined the way people type them into a spreadsheet.
    std::string out;
    for (const auto& e : v.as_array()) {
      if (!out.empty()) out += "; ";
      out += e.is_string() ? std::string(e.as_string()) : json::serialize(e);
    }
    return out;
  }
  return json::serialize(v);
}

std::string text_of(const json::object& o, std::string_view k) {
  const json::value* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// What a column shows.
enum class Kind {
  value,             // the record's own value of `field` (built-in or system column)
  custom_value,      // the value of custom field `field`
  ref_name,          // the title of the `target` record `field` points to
  ref_names,         // the titles of the `target` records in the list `field`, joined by "; "
  stage_name,        // the name of stage `field` in the record's pipeline
  related_name,      // the title of the record `field` of the entity named by related_entity
  user_name,         // the name of the user `field`
  user_email,        // the email of the user `field`
  money,             // `field` (minor units) as a decimal in the record's currency
  custom_money,      // custom field `field` likewise
  default_currency,  // the currency custom money is shown in on an entity without one
};

struct Column {
  std::string header;
  Kind kind = Kind::value;
  std::string field;
  std::string target;  // ref_name, ref_names: the referenced entity ("users" for a user)
};

// "account_id" -> "account_name", "contact_ids" -> "contact_names".
std::string name_column(const std::string& field) {
  if (field.size() > 4 && field.ends_with("_ids")) return field.substr(0, field.size() - 4) + "_names";
  if (field.size() > 3 && field.ends_with("_id")) return field.substr(0, field.size() - 3) + "_name";
  return field + "_name";
}

// "amount_minor" -> "amount".
std::string amount_column(const std::string& field) {
  return field.ends_with("_minor") ? field.substr(0, field.size() - 6) : field + "_amount";
}

std::vector<Column> export_columns(const EffectiveEntity& entity) {
  const domain::EntityDef& def = *entity.def;
  std::vector<Column> cols = {{"id", Kind::value, "id", ""}};
  for (const auto& f : def.fields) {
    cols.push_back({f.name, Kind::value, f.name, ""});
    if (f.type == FieldType::ref)
      cols.push_back(
          {name_column(f.name), f.ref_entity == "users" ? Kind::user_name : Kind::ref_name, f.name, f.ref_entity});
    else if (f.type == FieldType::ref_list && domain::find_entity(f.ref_entity))
      cols.push_back({name_column(f.name), Kind::ref_names, f.name, f.ref_entity});
    else if (f.ref_entity == "stages")
      cols.push_back({name_column(f.name), Kind::stage_name, f.name, "pipelines"});
    else if (f.ref_entity == "related_entity")
      cols.push_back({name_column(f.name), Kind::related_name, f.name, ""});
    else if (f.type == FieldType::money)
      cols.push_back({amount_column(f.name), Kind::money, f.name, ""});
  }
  bool has_currency = def.field("currency") != nullptr;
  for (const auto& f : entity.custom) {
    std::string header = std::string(kCustomPrefix) + f.name;
    cols.push_back({header, Kind::custom_value, f.name, ""});
    if (f.type == FieldType::money) {
      cols.push_back({header + ".amount", Kind::custom_money, f.name, ""});
      if (!has_currency) cols.push_back({header + ".currency", Kind::default_currency, f.name, ""});
    }
  }
  cols.push_back({"owner_id", Kind::value, "owner_id", ""});
  cols.push_back({"owner_name", Kind::user_name, "owner_id", ""});
  cols.push_back({"owner_email", Kind::user_email, "owner_id", ""});
  cols.push_back({"created_at", Kind::value, "created_at", ""});
  cols.push_back({"created_by", Kind::value, "created_by", ""});
  cols.push_back({"created_by_name", Kind::user_name, "created_by", ""});
  cols.push_back({"updated_at", Kind::value, "updated_at", ""});
  cols.push_back({"updated_by", Kind::value, "updated_by", ""});
  cols.push_back({"updated_by_name", Kind::user_name, "updated_by", ""});
  cols.push_back({"version", Kind::value, "version", ""});
  return cols;
}

// The names one page of rows refers to, read in a few queries (one per referenced entity and
// chunk of ids), each through the caller's read scope for that entity.
struct Names {
  std::map<std::string, std::map<std::string, std::string>> titles;  // entity -> id -> title
  std::map<std::string, std::map<std::string, std::string>> stages;  // pipeline id -> stage id -> name
  std::map<std::string, std::pair<std::string, std::string>> users;  // id -> (name, email)

  const std::string* title(const std::string& entity, const std::string& id) const {
    auto e = titles.find(entity);
    if (e == titles.end()) return nullptr;
    auto r = e->second.find(id);
    return r == e->second.end() ? nullptr : &r->second;
  }
};

constexpr size_t kIdsPerQuery = 200;

std::string placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

template <typename Fn>
void in_chunks(const std::set<std::string>& ids, Fn fn) {
  std::vector<std::string> all(ids.begin(), ids.end());
  for (size_t i = 0; i < all.size(); i += kIdsPerQuery) {
    store::Params params;
    for (size_t j = i; j < all.size() && j < i + kIdsPerQuery; ++j) params.emplace_back(all[j]);
    fn(params);
  }
}

Names look_up(store::Tx& tx, const Context& ctx, const std::map<std::string, std::set<std::string>>& wanted,
              const std::set<std::string>& user_ids) {
  Names names;
  for (const auto& [entity, ids] : wanted) {
    const domain::EntityDef* target = domain::find_entity(entity);
    if (!target || ids.empty()) continue;
    bool pipelines = target->name == "pipelines";
    SqlFilter scope = scope_filter(ctx.principal, ctx.principal.perms.on(target->name).read, "t.owner_id");
    auto& titles = names.titles[target->name];
    in_chunks(ids, [&](store::Params params) {
      std::string sql = "SELECT t.id, t." + target->title_field + (pipelines ? ", t.stages" : "") + " FROM " +
                        target->name + " t WHERE t.id IN (" + placeholders(params.size()) +
                        ") AND t.deleted_at IS NULL AND " + scope.sql;
      params.insert(params.end(), scope.params.begin(), scope.params.end());
      store::Result rows = tx.query(sql, params);
      for (const auto& row : rows.rows) {
        titles[row.text(0)] = row.text(1);
        if (!pipelines) continue;
        boost::system::error_code ec;
        json::value stages = json::parse(row.text(2), ec);
        if (ec || !stages.is_array()) continue;
        auto& by_id = names.stages[row.text(0)];
        for (const auto& s : stages.as_array())
          if (s.is_object()) by_id[text_of(s.as_object(), "id")] = text_of(s.as_object(), "name");
      }
    });
  }
  in_chunks(user_ids, [&](const store::Params& params) {
    store::Result rows =
        tx.query("SELECT id, name, email FROM users WHERE id IN (" + placeholders(params.size()) + ")", params);
    for (const auto& row : rows.rows) names.users[row.text(0)] = {row.text(1), row.text(2)};
  });
  return names;
}

const json::value* custom_value(const json::object& rec, const std::string& name) {
  const json::value* custom = rec.if_contains("custom");
  return custom && custom->is_object() ? custom->as_object().if_contains(name) : nullptr;
}

// The currency a record's amounts are in: its own, else the default (as the web app shows it).
std::string record_currency(const json::object& rec) {
  std::string c = text_of(rec, "currency");
  return c.empty() ? std::string(domain::kDefaultCurrency) : c;
}

std::string money_text(const json::value* v, const json::object& rec) {
  if (!v || !v->is_int64()) return v && v->is_uint64() ? std::to_string(v->as_uint64()) : std::string();
  return domain::minor_to_decimal(v->as_int64(), domain::currency_digits(record_currency(rec)));
}

// What the page's rows refer to, per entity, and the users they name.
void collect(const std::vector<Column>& cols, const json::object& rec,
             std::map<std::string, std::set<std::string>>& wanted, std::set<std::string>& users) {
  for (const auto& c : cols) {
    const json::value* v = rec.if_contains(c.field);
    switch (c.kind) {
      case Kind::ref_name:
      case Kind::stage_name:
        if (c.kind == Kind::stage_name) v = rec.if_contains("pipeline_id");
        if (v && v->is_string()) wanted[c.target].insert(std::string(v->as_string()));
        break;
      case Kind::ref_names:
        if (v && v->is_array())
          for (const auto& e : v->as_array())
            if (e.is_string()) wanted[c.target].insert(std::string(e.as_string()));
        break;
      case Kind::related_name:
        if (v && v->is_string()) wanted[text_of(rec, "related_entity")].insert(std::string(v->as_string()));
        break;
      case Kind::user_name:
      case Kind::user_email:
        if (v && v->is_string()) users.insert(std::string(v->as_string()));
        break;
      default:
        break;
    }
  }
}

std::string cell(const Column& c, const json::object& rec, const Names& names) {
  const json::value* v = rec.if_contains(c.field);
  auto str = [&](const json::value* x) { return x && x->is_string() ? std::string(x->as_string()) : std::string(); };
  auto title = [&](const std::string& entity, const std::string& id) {
    const std::string* t = names.title(entity, id);
    return t ? *t : std::string();
  };
  switch (c.kind) {
    case Kind::value:
      return v ? cell_text(*v) : std::string();
    case Kind::custom_value: {
      const json::value* cv = custom_value(rec, c.field);
      return cv ? cell_text(*cv) : std::string();
    }
    case Kind::ref_name:
      return title(c.target, str(v));
    case Kind::related_name:
      return title(text_of(rec, "related_entity"), str(v));
    case Kind::ref_names: {
      std::string out;
      if (v && v->is_array())
        for (const auto& e : v->as_array()) {
          std::string t = e.is_string() ? title(c.target, std::string(e.as_string())) : std::string();
          if (t.empty()) continue;
          if (!out.empty()) out += "; ";
          out += t;
        }
      return out;
    }
    case Kind::stage_name: {
      // Only through a pipeline the caller may read.
      auto p = names.stages.find(text_of(rec, "pipeline_id"));
      if (p == names.stages.end()) return {};
      auto s = p->second.find(str(v));
      return s == p->second.end() ? std::string() : s->second;
    }
    case Kind::user_name:
    case Kind::user_email: {
      auto u = names.users.find(str(v));
      if (u == names.users.end()) return {};
      return c.kind == Kind::user_name ? u->second.first : u->second.second;
    }
    case Kind::money:
      return money_text(v, rec);
    case Kind::custom_money:
      return money_text(custom_value(rec, c.field), rec);
    case Kind::default_currency: {
      const json::value* cv = custom_value(rec, c.field);
      return cv && !cv->is_null() ? record_currency(rec) : std::string();
    }
  }
  return {};
}

}  // namespace

void append_csv_cell(std::string& out, std::string text) {
  if (!text.empty() &&
      (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' || text[0] == '\r')) {
    // Negative numbers are numbers, not formulas; keep them usable in a spreadsheet.
    bool number = text.size() > 1 && text[0] == '-' && text.find_first_not_of("0123456789.", 1) == std::string::npos;
    if (!number) text.insert(0, "'");
  }
  bool quote = text.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) {
    out += text;
    return;
  }
  out += '"';
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

CsvExport export_csv(store::Database& db, Records& records, const Context& ctx, const domain::EntityDef& def,
                     ListQuery q, const std::string& query_text) {
  if (!ctx.principal.perms.on(def.name).export_) throw forbidden("Your role may not export " + def.name);
  EffectiveEntityPtr entity = q.entity ? q.entity : effective_entity(db, def);
  std::vector<Column> cols = export_columns(*entity);
  q.limit = 200;
  q.after_value.reset();
  q.after_id.reset();

  CsvExport out;
  out.csv = "\xEF\xBB\xBF";
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) out.csv += ',';
    append_csv_cell(out.csv, cols[i].header);
  }
  out.csv += "\r\n";

  for (;;) {
    ListPage page = records.list(ctx, def, q);
    std::map<std::string, std::set<std::string>> wanted;
    std::set<std::string> users;
    for (const auto& rv : page.data) collect(cols, rv.as_object(), wanted, users);
    Names names;
    db.read([&](store::Tx& tx) { names = look_up(tx, ctx, wanted, users); });
    for (const auto& rv : page.data) {
      if (++out.rows > kMaxExportRows)
        throw ApiError(ErrorKind::too_large, "export_too_large",
                       "More than " + std::to_string(kMaxExportRows) + " records match; narrow the filters");
      const json::object& rec = rv.as_object();
      for (size_t i = 0; i < cols.size(); ++i) {
        if (i) out.csv += ',';
        append_csv_cell(out.csv, cell(cols[i], rec, names));
      }
      out.csv += "\r\n";
    }
    if (!page.has_more) break;
    q.after_value = page.last_sort_value;
    q.after_id = page.last_id;
  }

  db.write([&](store::Tx& tx) {
    append_audit(tx, ctx, def.name, "", "export", json::object{{"rows", out.rows}, {"query", query_text}},
                 ctx.now_utc());
  });
  return out;
}

}  // namespace keel::service
