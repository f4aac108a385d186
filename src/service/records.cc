#include "service/records.h"

#include <algorithm>
#include <boost/json.hpp>
#include <limits>
#include <map>

#include "auth/principal.h"
#include "core/ids.h"
#include "core/text.h"
#include "core/time.h"
#include "domain/money.h"
#include "service/journal.h"
#include "service/json_rows.h"
#include "service/rules.h"
#include "service/scope.h"
#include "service/versioned_write.h"

namespace keel::service {
namespace json = boost::json;
using domain::EntityDef;
using domain::FieldDef;
using domain::FieldType;

namespace {

constexpr int64_t kTotalCap = 10000;
constexpr int64_t kSearchTotalCap = 1000;
// Index entries of a search term from which SQLite is better off walking the sort order (about
// sqrt(page x rows) for 100,000 records).
constexpr int64_t kBroadSearch = 2000;

store::Value to_db(const FieldDef& f, const json::value& v) {
  if (v.is_null()) return store::null_value();
  if (domain::stored_as_json(f.type)) return json::serialize(v);
  if (f.type == FieldType::boolean) return int64_t{v.as_bool() ? 1 : 0};
  if (v.is_int64()) return v.as_int64();
  if (v.is_string()) return std::string(v.as_string());
  return json::serialize(v);
}

json::value from_db(const FieldDef& f, const store::Row& row, size_t i) {
  if (row.is_null(i)) return nullptr;
  if (f.type == FieldType::boolean) return row.integer(i) != 0;
  if (domain::stored_as_integer(f.type)) return row.integer(i);
  if (domain::stored_as_json(f.type)) {
    boost::system::error_code ec;
    json::value v = json::parse(row.text(i), ec);
    return ec ? json::value(nullptr) : v;
  }
  return json::value(row.text(i));
}

std::string tz_of(const Context& ctx) { return ctx.principal.time_zone; }

std::string str(const json::object& o, std::string_view k) {
  const auto& v = member(o, k);
  return v.is_string() ? std::string(v.as_string()) : std::string();
}

ApiError record_not_found(const EntityDef& def) {
  return ApiError(ErrorKind::not_found, "not_found", "No such " + def.singular + ", or you cannot see it");
}

// Checks that a referenced record exists, is not in the trash, and is visible to the caller.
bool reference_visible(store::Tx& tx, const Context& ctx, const std::string& entity, const std::string& id) {
  if (entity == "users") return tx.one("SELECT 1 FROM users WHERE id = ? AND active = 1", {id}).has_value();
  const EntityDef* target = domain::find_entity(entity);
  if (!target) return false;
  auto row = tx.one("SELECT owner_id FROM " + target->name + " WHERE id = ? AND deleted_at IS NULL", {id});
  if (!row) return false;
  return owner_in_scope(tx, ctx.principal, ctx.principal.perms.on(entity).read, row->text(0));
}

void check_references(store::Tx& tx, const Context& ctx, const EntityDef& def, const json::object& record,
                      const json::object* old, FieldErrors& errors) {
  for (const auto& f : def.fields) {
    if (f.type != FieldType::ref && f.type != FieldType::ref_list) continue;
    if (f.read_only) continue;
    const json::value& v = member(record, f.name);
    if (v.is_null()) continue;
    if (old && member(*old, f.name) == v) continue;  // unchanged links are not re-checked
    const EntityDef* target = domain::find_entity(f.ref_entity);
    std::string msg = "No such " + (target ? target->singular : std::string("user")) + ", or you cannot see it";
    if (f.type == FieldType::ref) {
      if (!reference_visible(tx, ctx, f.ref_entity, std::string(v.as_string())))
        errors.add(f.name, "reference_not_found", msg);
    } else if (v.is_array()) {
      const auto& arr = v.as_array();
      for (size_t i = 0; i < arr.size(); ++i)
        if (!reference_visible(tx, ctx, f.ref_entity, std::string(arr[i].as_string())))
          errors.add(f.name + "[" + std::to_string(i) + "]", "reference_not_found", msg);
    }
  }
}

void check_owner(store::Tx& tx, const Context& ctx, const EntityDef& def, const std::string& owner,
                 FieldErrors& errors) {
  if (owner == ctx.principal.user_id) return;
  if (!tx.one("SELECT 1 FROM users WHERE id = ? AND active = 1", {owner})) {
    errors.add("owner_id", "reference_not_found", "No such active user");
    return;
  }
  // Handing a record to someone is allowed within the caller's update scope.
  if (!owner_in_scope(tx, ctx.principal, ctx.principal.perms.on(def.name).update, owner))
    errors.add("owner_id", "not_allowed", "You may not assign records to this user");
}

// Search terms come from the searchable fields (and custom values) only: a write that changes
// none of them (a delete, a restore, a stage move) keeps the terms it has.
bool search_terms_differ(const EntityDef& def, const json::object* before, const json::object& after) {
  if (!before || member(*before, "custom") != member(after, "custom")) return true;
  for (const auto& f : def.fields)
    if (f.search && member(*before, f.name) != member(after, f.name)) return true;
  return false;
}

void reindex(store::Tx& tx, const EntityDef& def, const json::object& record) {
  const std::string id = str(record, "id");
  tx.query("DELETE FROM search_index WHERE record_id = ? AND entity = ?", {id, def.name});
  std::vector<std::string> terms;
  for (const auto& f : def.fields) {
    if (!f.search) continue;
    const json::value& v = member(record, f.name);
    if (v.is_string())
      index_terms(v.as_string(), *f.search, terms);
    else if (v.is_array())
      for (const auto& item : v.as_array())
        if (item.is_string()) index_terms(item.as_string(), *f.search, terms);
  }
  // Searchable custom fields (text) are indexed like built-in ones, from the record's custom values.
  const json::value& custom = member(record, "custom");
  const EffectiveEntityPtr effective = effective_entity(tx, def);
  for (const auto& f : effective->custom) {
    const json::value* v = custom.is_object() ? custom.as_object().if_contains(f.name) : nullptr;
    if (f.search && v && v->is_string()) index_terms(v->as_string(), *f.search, terms);
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  for (const auto& t : terms)
    tx.query("INSERT INTO search_index (entity, term, record_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
             {def.name, t, id});
}

store::Params row_params(const EntityDef& def, const json::object& r) {
  store::Params p;
  for (const auto& c : domain::system_columns()) {
    const json::value& v = member(r, c);
    if (c == "custom")
      p.push_back(json::serialize(v.is_object() ? v : json::object{}));
    else if (v.is_int64())
      p.push_back(v.as_int64());
    else if (v.is_string())
      p.push_back(std::string(v.as_string()));
    else
      p.push_back(store::null_value());
  }
  for (const auto& f : def.fields) p.push_back(to_db(f, member(r, f.name)));
  return p;
}

std::string insert_sql(const EntityDef& def) {
  std::string cols, marks;
  for (const auto& c : domain::system_columns()) {
    cols += (cols.empty() ? "" : ", ") + c;
    marks += marks.empty() ? "?" : ", ?";
  }
  for (const auto& f : def.fields) {
    cols += ", " + f.name;
    marks += ", ?";
  }
  return "INSERT INTO " + def.name + " (" + cols + ") VALUES (" + marks + ")";
}

std::string update_sql(const EntityDef& def) {
  std::string sets;
  for (const auto& c : domain::system_columns()) sets += (sets.empty() ? "" : ", ") + c + " = ?";
  for (const auto& f : def.fields) sets += ", " + f.name + " = ?";
  return "UPDATE " + def.name + " SET " + sets + " WHERE id = ? AND version = ?";
}

int64_t write_row(store::Tx& tx, const EntityDef& def, const json::object& r, std::optional<int64_t> expected_version) {
  store::Params p = row_params(def, r);
  if (!expected_version) return tx.query(insert_sql(def), p).affected;
  p.push_back(str(r, "id"));
  p.push_back(*expected_version);
  return tx.query(update_sql(def), p).affected;
}

bool readable(store::Tx& tx, const Context& ctx, const EntityDef& def, const json::object& rec) {
  return owner_in_scope(tx, ctx.principal, ctx.principal.perms.on(def.name).read, str(rec, "owner_id"));
}

}  // namespace

std::string select_columns(const EntityDef& def, const std::string& alias) {
  std::string a = alias.empty() ? "" : alias + ".";
  std::string out;
  for (const auto& c : domain::system_columns()) out += (out.empty() ? "" : ", ") + a + c;
  for (const auto& f : def.fields) out += ", " + a + f.name;
  return out;
}

json::object row_to_json(const EntityDef& def, const store::Row& row) {
  json::object o;
  const auto& sys = domain::system_columns();
  for (size_t i = 0; i < sys.size(); ++i) {
    const std::string& c = sys[i];
    if (c == "version")
      o[c] = row.integer(i);
    else if (c == "custom") {
      boost::system::error_code ec;
      json::value v = json::parse(row.text(i), ec);
      o[c] = (!ec && v.is_object()) ? v : json::object{};
    } else
      o[c] = row.is_null(i) ? json::value(nullptr) : json::value(row.text(i));
  }
  for (size_t k = 0; k < def.fields.size(); ++k) o[def.fields[k].name] = from_db(def.fields[k], row, sys.size() + k);
  return o;
}

bool has_records(store::Tx& tx, const EntityDef& def) {
  return tx.one("SELECT 1 FROM " + def.name + " LIMIT 1").has_value();
}

VersionedTable record_table(const EntityDef& def) {
  return VersionedTable{
      .entity = def.name,
      .write_row = [&def](store::Tx& tx, const json::object& row,
                          std::optional<int64_t> expected) { return write_row(tx, def, row, expected); },
      .current = [&def](store::Tx& tx, const Context& ctx, const std::string& id) -> std::optional<json::object> {
        auto rec = Records::load(tx, def, id);
        if (rec && !readable(tx, ctx, def, *rec)) throw record_not_found(def);
        return rec;
      },
      .reindex =
          [&def](store::Tx& tx, const json::object* before, const json::object& after) {
            if (search_terms_differ(def, before, after)) reindex(tx, def, after);
          },
  };
}

std::optional<json::object> Records::load(store::Tx& tx, const EntityDef& def, const std::string& id, bool for_update) {
  // On PostgreSQL a write locks the row it read, so concurrent writers of one record queue up
  // and each sees the version the previous one committed (a PATCH without If-Match is never
  // refused, and a refused one is told the true current version). SQLite has one writer.
  std::string lock = for_update ? std::string(tx.row_lock_suffix()) : "";
  auto row = tx.one("SELECT " + select_columns(def) + " FROM " + def.name + " WHERE id = ?" + lock, {id});
  if (!row) return std::nullopt;
  return row_to_json(def, *row);
}

json::object Records::load_visible(store::Tx& tx, const Context& ctx, const EntityDef& def, const std::string& id,
                                   bool for_update) {
  if (!is_uuid(id)) throw record_not_found(def);
  auto rec = load(tx, def, canonical_uuid(id), for_update);
  if (!rec || !member(*rec, "deleted_at").is_null() || !readable(tx, ctx, def, *rec)) throw record_not_found(def);
  return *rec;
}

std::vector<domain::CustomFieldDef> Records::custom_fields(store::Tx& tx, const std::string& entity) {
  const EntityDef* def = domain::find_entity(entity);
  return def ? effective_entity(tx, *def)->custom_defs : std::vector<domain::CustomFieldDef>{};
}

WriteResult Records::create_in(store::Tx& tx, const Context& ctx, const EntityDef& def, const json::object& input) {
  const auth::Principal& p = ctx.principal;
  if (!p.perms.on(def.name).create) throw forbidden("Your role may not create " + def.name);
  FieldErrors errors;
  json::object parsed = domain::parse_input(def, input, true, tz_of(ctx), errors);
  std::string id = str(parsed, "id");
  if (!id.empty()) {
    if (auto existing = load(tx, def, id)) {
      // A replayed offline create: same id, same author. Hand back what exists, write nothing.
      if (str(*existing, "created_by") == p.user_id && readable(tx, ctx, def, *existing))
        return {*existing, false, true};
      throw conflict("id_conflict", "A record with this id already exists");
    }
  } else {
    id = new_uuid_v7();
  }
  std::string owner = parsed.contains("owner_id") ? str(parsed, "owner_id") : p.user_id;
  check_owner(tx, ctx, def, owner, errors);

  json::object record;
  for (const auto& f : def.fields) record[f.name] = parsed.contains(f.name) ? parsed[f.name] : json::value(nullptr);
  std::string now = ctx.now_utc();
  record["id"] = id;
  record["owner_id"] = owner;
  record["created_at"] = now;
  record["created_by"] = p.user_id;
  record["updated_at"] = now;
  record["updated_by"] = p.user_id;
  record["deleted_at"] = nullptr;
  record["deleted_by"] = nullptr;
  record["custom"] = domain::check_custom(custom_fields(tx, def.name), member(parsed, "custom"), {}, true, errors);

  RuleContext rc{tx, ctx, def, record, nullptr, errors, now};
  before_save(rc);
  check_references(tx, ctx, def, record, nullptr, errors);
  errors.throw_if_any();

  write_versioned(tx, ctx, record_table(def), {.action = "create", .after = record, .at = now});
  after_save(rc);
  return {record, true, false};
}

WriteResult Records::update_in(store::Tx& tx, const Context& ctx, const EntityDef& def, const std::string& id_in,
                               const json::object& patch, std::optional<int64_t> if_match) {
  const auth::Principal& p = ctx.principal;
  if (!is_uuid(id_in)) throw record_not_found(def);
  std::string id = canonical_uuid(id_in);
  auto old = load(tx, def, id, true);
  if (!old || !readable(tx, ctx, def, *old)) throw record_not_found(def);
  if (!member(*old, "deleted_at").is_null())
    throw conflict("in_trash", "This " + def.singular + " is in the trash; restore it first");
  if (!owner_in_scope(tx, p, p.perms.on(def.name).update, str(*old, "owner_id")))
    throw forbidden("Your role may not change this " + def.singular);

  expect_version(*old, client_version(patch, if_match));

  FieldErrors errors;
  json::object parsed = domain::parse_input(def, patch, false, tz_of(ctx), errors);
  json::object record = *old;
  for (const auto& [k, v] : parsed)
    if (k != "custom" && k != "owner_id") record[k] = v;
  if (parsed.contains("owner_id") && str(parsed, "owner_id") != str(*old, "owner_id")) {
    record["owner_id"] = parsed["owner_id"];
    check_owner(tx, ctx, def, str(record, "owner_id"), errors);
  }
  if (parsed.contains("custom"))
    record["custom"] = domain::check_custom(custom_fields(tx, def.name), parsed["custom"],
                                            member(*old, "custom").as_object(), false, errors);
  std::string now = ctx.now_utc();
  RuleContext rc{tx, ctx, def, record, &*old, errors, now};
  before_save(rc);
  check_references(tx, ctx, def, record, &*old, errors);
  errors.throw_if_any();

  json::object changes = diff_records(*old, record);
  if (changes.empty()) return {*old, false, false};  // nothing changed: no new version, no log entries

  record["updated_at"] = now;
  record["updated_by"] = p.user_id;
  write_versioned(tx, ctx, record_table(def),
                  {.action = "update", .before = &*old, .after = record, .at = now, .changes = &changes});
  after_save(rc);
  return {record, false, false};
}

WriteResult Records::create(const Context& ctx, const EntityDef& def, const json::object& input) {
  WriteResult out;
  try {
    db_.write([&](store::Tx& tx) { out = create_in(tx, ctx, def, input); });
  } catch (const store::DbError& e) {
    // Two replays of one create with a client-chosen id, racing (a phone retrying on a flaky
    // network, on PostgreSQL where writers run concurrently): both found no record and both
    // inserted; the loser's insert hit the primary key. Run it again: it now finds the winner's
    // record and returns it as the replay it is.
    if (e.kind() != store::DbError::Kind::unique_violation || !input.contains("id")) throw;
    db_.write([&](store::Tx& tx) { out = create_in(tx, ctx, def, input); });
  }
  return out;
}

json::object Records::get(const Context& ctx, const EntityDef& def, const std::string& id) {
  json::object out;
  db_.read([&](store::Tx& tx) { out = load_visible(tx, ctx, def, id); });
  return out;
}

WriteResult Records::update(const Context& ctx, const EntityDef& def, const std::string& id, const json::object& patch,
                            std::optional<int64_t> if_match) {
  WriteResult out;
  db_.write([&](store::Tx& tx) { out = update_in(tx, ctx, def, id, patch, if_match); });
  return out;
}

json::object Records::remove_in(store::Tx& tx, const Context& ctx, const EntityDef& def, const std::string& id,
                                std::optional<int64_t> if_match) {
  json::object rec = load_visible(tx, ctx, def, id, true);
  const auth::Principal& p = ctx.principal;
  if (!owner_in_scope(tx, p, p.perms.on(def.name).remove, str(rec, "owner_id")))
    throw forbidden("Your role may not delete this " + def.singular);
  expect_version(rec, if_match);
  before_delete(tx, ctx, def, rec);
  std::string now = ctx.now_utc();
  json::object before = rec;
  rec["deleted_at"] = now;
  rec["deleted_by"] = p.user_id;
  rec["updated_at"] = now;
  rec["updated_by"] = p.user_id;
  write_versioned(tx, ctx, record_table(def), {.action = "delete", .before = &before, .after = rec, .at = now});
  return rec;
}

json::object Records::remove(const Context& ctx, const EntityDef& def, const std::string& id,
                             std::optional<int64_t> if_match) {
  json::object out;
  db_.write([&](store::Tx& tx) { out = remove_in(tx, ctx, def, id, if_match); });
  return out;
}

json::object Records::restore_in(store::Tx& tx, const Context& ctx, const EntityDef& def, const std::string& id_in,
                                 std::optional<int64_t> if_match) {
  if (!is_uuid(id_in)) throw record_not_found(def);
  auto rec = load(tx, def, canonical_uuid(id_in), true);
  const auth::Principal& p = ctx.principal;
  if (!rec || !readable(tx, ctx, def, *rec)) throw record_not_found(def);
  if (member(*rec, "deleted_at").is_null())
    throw conflict("not_in_trash", "This " + def.singular + " is not in the trash");
  if (!owner_in_scope(tx, p, p.perms.on(def.name).remove, str(*rec, "owner_id")))
    throw forbidden("Your role may not restore this " + def.singular);
  expect_version(*rec, if_match);
  std::string now = ctx.now_utc();
  json::object before = *rec;
  (*rec)["deleted_at"] = nullptr;
  (*rec)["deleted_by"] = nullptr;
  (*rec)["updated_at"] = now;
  (*rec)["updated_by"] = p.user_id;
  FieldErrors errors;
  RuleContext rc{tx, ctx, def, *rec, &before, errors, now};
  before_restore(rc);
  errors.throw_if_any();
  write_versioned(tx, ctx, record_table(def), {.action = "restore", .before = &before, .after = *rec, .at = now});
  after_restore(rc);
  return *rec;
}

json::object Records::restore(const Context& ctx, const EntityDef& def, const std::string& id,
                              std::optional<int64_t> if_match) {
  json::object out;
  db_.write([&](store::Tx& tx) { out = restore_in(tx, ctx, def, id, if_match); });
  return out;
}

namespace {

// A piece of SQL and its parameters, in the order of their placeholders.
struct Sql {
  std::string text;
  store::Params params;
};

const char* op_sql(FilterOp op) {
  switch (op) {
    case FilterOp::eq:
      return " = ";
    case FilterOp::ne:
      return " <> ";
    case FilterOp::gt:
      return " > ";
    case FilterOp::gte:
      return " >= ";
    case FilterOp::lt:
      return " < ";
    case FilterOp::lte:
      return " <= ";
    case FilterOp::is_null:
    case FilterOp::in:
    case FilterOp::contains:
      break;  // built by append_filter
  }
  return " = ";
}

// The value a filter or the sort reads: a column of `t`, or a custom field's member of t.custom.
store::JsonMemberSql list_value_sql(store::Dialect d, const FieldDef* f, const std::string& column) {
  if (f && f->custom) return field_value_sql(d, *f, "t");
  return {"t." + column, "?"};
}

// List fields are stored as JSON arrays of strings, serialized without spaces. An element is
// its quoted JSON form between the array's delimiters: ["vip"], ["vip",, ,"vip"] or ,"vip",.
// The quotes keep "vip" from matching "vip-2", and the delimiters keep it from matching inside
// another element (the tag `a","vip` is stored as "a\",\"vip", where every inner quote is
// escaped). Case-sensitive on both stores.
void append_contains(Sql& w, const Filter& f, store::Dialect d) {
  const std::string element = std::get<std::string>(f.value);
  w.text += " AND (";
  const std::pair<const char*, const char*> around[] = {{"[", "]"}, {"[", ","}, {",", "]"}, {",", ","}};
  for (size_t i = 0; i < 4; ++i) {
    w.text += std::string(i ? " OR " : "") + store::contains_sql(d, "t." + f.column, "?");
    w.params.push_back(std::string(around[i].first) + element + around[i].second);
  }
  w.text += ")";
}

// Owned by a member of the team(s): one subquery on users (indexed by team_id).
void append_owner_team(Sql& w, const Filter& f) {
  const char* members = " AND t.owner_id IN (SELECT ou.id FROM users ou WHERE ou.team_id";
  if (f.op == FilterOp::is_null) {
    w.text += std::string(members) + " IS NULL)";
    return;
  }
  const std::vector<store::Value> values = f.op == FilterOp::in ? f.values : std::vector<store::Value>{f.value};
  std::string marks;
  for (size_t i = 0; i < values.size(); ++i) marks += i ? ", ?" : "?";
  w.text += std::string(members) + " IN (" + marks + "))";
  w.params.insert(w.params.end(), values.begin(), values.end());
}

void append_filter(Sql& w, const Filter& f, store::Dialect d) {
  if (f.column == kOwnerTeamFilter) return append_owner_team(w, f);
  if (f.op == FilterOp::contains) return append_contains(w, f, d);
  const store::JsonMemberSql v = list_value_sql(d, f.field, f.column);
  switch (f.op) {
    case FilterOp::in: {
      std::string marks;
      for (size_t i = 0; i < f.values.size(); ++i) marks += (i ? ", " : "") + v.param;
      w.text += " AND " + v.value + " IN (" + marks + ")";
      w.params.insert(w.params.end(), f.values.begin(), f.values.end());
      return;
    }
    case FilterOp::is_null:
      w.text += " AND " + v.value + " IS NULL";
      return;
    case FilterOp::ne:
      // "not equal to X" includes records with no value: people filtering out one stage or
      // source expect the blanks to stay in the list.
      w.text += " AND (" + v.value + " <> " + v.param + " OR " + v.value + " IS NULL)";
      break;
    default:
      w.text += " AND " + v.value + op_sql(f.op) + v.param;
  }
  w.params.push_back(f.value);
}

// Trash or live records, the caller's read scope, and the query's filters.
Sql filter_sql(const auth::Principal& p, auth::Scope scope, const ListQuery& q, store::Dialect d) {
  Sql w{q.trashed ? "t.deleted_at IS NOT NULL" : "t.deleted_at IS NULL", {}};
  SqlFilter sf = scope_filter(p, scope, "t.owner_id");
  w.text += " AND " + sf.sql;
  w.params.insert(w.params.end(), sf.params.begin(), sf.params.end());
  for (const auto& f : q.filters) append_filter(w, f, d);
  return w;
}

// What a search needs besides its text. Records that belong to an account are also found by the
// account's name ("company"): matched at query time through the account's own index entries, so
// renaming an account needs no re-indexing of its contacts and deals. Only through accounts the
// caller may read (live ones, in the caller's read scope for accounts): words of an account
// hidden from the caller must find nothing, or its name could be learnt one prefix at a time.
struct Search {
  std::string entity;
  std::vector<std::string> terms;
  bool by_account = false;
  SqlFilter account_visible;
  // The planner cannot tell a broad search from a narrow one (SQLite): measure and choose.
  bool choose_plan = false;
};

Search search_of(const auth::Principal& p, const EntityDef& def, const std::string& text) {
  Search s;
  s.entity = def.name;
  s.terms = query_terms(text);
  const FieldDef* account_link = def.field("account_id");
  const auth::Scope account_scope = p.perms.on("accounts").read;
  s.by_account = account_link && account_link->type == FieldType::ref && account_link->ref_entity == "accounts" &&
                 account_scope != auth::Scope::none;
  s.account_visible = scope_filter(p, account_scope, "a.owner_id");
  return s;
}

// The search condition, in two spellings for SQLite's planner: `probe` finds the matches through
// the term index and sorts them (best when few records match); `walk` marks the id test
// unindexable ("+t.id"), so SQLite walks the sort index and stops after one page (best when many
// match: "王" finds about one contact in fifteen).
std::string search_sql(const Search& s, bool walk, store::Params& ps) {
  std::string out;
  const std::string id_col = walk ? "+t.id" : "t.id", account_col = walk ? "+t.account_id" : "t.account_id";
  const char* in_index = "(SELECT s.record_id FROM search_index s WHERE s.entity = ? AND s.term >= ? AND s.term < ?)";
  for (const auto& term : s.terms) {
    if (!s.by_account) {
      out += " AND " + id_col + " IN " + in_index;
      ps.insert(ps.end(), {s.entity, term, prefix_upper_bound(term)});
      continue;
    }
    out += " AND (" + id_col + " IN " + in_index + " OR " + account_col +
           " IN (SELECT s.record_id FROM search_index s JOIN accounts a ON a.id = s.record_id"
           " WHERE s.entity = ? AND s.term >= ? AND s.term < ? AND a.deleted_at IS NULL AND " +
           s.account_visible.sql + "))";
    ps.insert(ps.end(),
              {s.entity, term, prefix_upper_bound(term), std::string("accounts"), term, prefix_upper_bound(term)});
    ps.insert(ps.end(), s.account_visible.params.begin(), s.account_visible.params.end());
  }
  return out;
}

// How broad is the search? The number of index entries of its most selective term (cheap: an
// index range, bounded) decides the plan on SQLite; PostgreSQL's planner has statistics.
bool broad_search(store::Tx& tx, const Search& s) {
  if (s.terms.empty()) return false;
  int64_t narrowest = INT64_MAX;
  for (const auto& term : s.terms) {
    int64_t n = 0;
    for (const std::string& entity :
         s.by_account ? std::vector<std::string>{s.entity, "accounts"} : std::vector<std::string>{s.entity}) {
      auto c =
          tx.one("SELECT COUNT(*) FROM (SELECT 1 FROM search_index WHERE entity = ? AND term >= ? AND term < ? LIMIT " +
                     std::to_string(kBroadSearch) + ") x",
                 {entity, term, prefix_upper_bound(term)});
      n += c ? c->integer(0) : 0;
    }
    narrowest = std::min(narrowest, n);
  }
  return narrowest >= kBroadSearch;
}

// The sort of a list: its value expression, the keyset continuation after the cursor's position,
// and the ORDER BY.
struct Sort {
  const FieldDef* field = nullptr;  // null for created_at/updated_at
  store::JsonMemberSql value;
  bool never_null = false;
  Sql after;
  std::string order_by;
};

Sort sort_of(const ListQuery& q, const EntityDef& def, store::Dialect d) {
  Sort s;
  s.field = q.entity ? q.entity->field(q.sort_column) : def.field(q.sort_column);
  s.value = list_value_sql(d, s.field, q.sort_column);
  const std::string& col = s.value.value;
  const char* cmp = q.descending ? " < " : " > ";
  const char* dir = q.descending ? " DESC" : " ASC";
  // The bookkeeping times are never NULL: their order needs no NULLS LAST (which PostgreSQL
  // cannot read from an ascending index backwards), and the keyset continuation is one row-value
  // comparison that both engines answer with a seek into the (column, id) index instead of a
  // scan from the start, so the hundredth page costs what the first does.
  s.never_null = q.sort_column == "created_at" || q.sort_column == "updated_at";
  s.order_by = " ORDER BY " + col + dir + (s.never_null ? "" : " NULLS LAST") + ", t.id" + dir;
  if (!q.after_id) return s;
  if (s.never_null) {
    s.after = {" AND (" + col + ", t.id)" + cmp + "(?, ?)", {*q.after_value, *q.after_id}};
  } else if (std::holds_alternative<std::monostate>(*q.after_value)) {
    // Keyset continuation with NULLs sorted last in both directions.
    s.after = {" AND (" + col + " IS NULL AND t.id" + cmp + "?)", {*q.after_id}};
  } else {
    const std::string& p = s.value.param;
    s.after = {" AND (" + col + cmp + p + " OR (" + col + " = " + p + " AND t.id" + cmp + "?) OR " + col + " IS NULL)",
               {*q.after_value, *q.after_value, *q.after_id}};
  }
  return s;
}

// A custom sort value as its SQL expression reads it (store::json_member_sql): null unless the
// stored JSON value has the field's type; booleans as 1/0.
store::Value custom_sort_value(const FieldDef& f, const json::object& record) {
  const json::value* custom = record.if_contains("custom");
  const json::value* v = custom && custom->is_object() ? custom->as_object().if_contains(f.name) : nullptr;
  if (!v) return store::null_value();
  if (f.type == FieldType::boolean) return v->is_bool() ? store::Value{int64_t{v->as_bool() ? 1 : 0}} : store::Value{};
  if (domain::stored_as_integer(f.type)) return v->is_int64() ? store::Value{v->as_int64()} : store::Value{};
  return v->is_string() ? store::Value{std::string(v->as_string())} : store::Value{};
}

void read_page(store::Tx& tx, const EntityDef& def, const ListQuery& q, const Sql& where, const Search& search,
               const Sort& sort, ListPage& page) {
  store::Params ps = where.params;
  std::string sql = "SELECT " + select_columns(def, "t") + " FROM " + def.name + " t WHERE " + where.text +
                    search_sql(search, search.choose_plan && broad_search(tx, search), ps) + sort.after.text +
                    sort.order_by + " LIMIT " + std::to_string(q.limit + 1);
  ps.insert(ps.end(), sort.after.params.begin(), sort.after.params.end());
  auto r = tx.query(sql, ps);
  size_t sort_index = 0;
  for (size_t i = 0; i < r.columns.size(); ++i)
    if (r.columns[i] == q.sort_column) sort_index = i;
  for (size_t i = 0; i < r.rows.size() && static_cast<int>(i) < q.limit; ++i) {
    json::object rec = row_to_json(def, r.rows[i]);
    page.last_sort_value =
        sort.field && sort.field->custom ? custom_sort_value(*sort.field, rec) : r.rows[i].cols[sort_index];
    page.last_id = r.rows[i].text(0);
    page.data.push_back(std::move(rec));
  }
  page.has_more = static_cast<int>(r.rows.size()) > q.limit;
}

// Counting is bounded: past the cap the total is reported as a lower bound. A search counts
// through the term index, up to a lower cap (each match costs a lookup).
void count_total(store::Tx& tx, const EntityDef& def, const Sql& where, const Search& search, ListPage& page) {
  const int64_t cap = search.terms.empty() ? kTotalCap : kSearchTotalCap;
  store::Params ps = where.params;
  std::string sql = "SELECT COUNT(*) FROM (SELECT 1 FROM " + def.name + " t WHERE " + where.text +
                    search_sql(search, false, ps) + " LIMIT " + std::to_string(cap + 1) + ") x";
  auto c = tx.one(sql, ps);
  int64_t n = c ? c->integer(0) : 0;
  page.total = std::min(n, cap);
  page.total_exact = n <= cap;
}

}  // namespace

ListPage Records::list(const Context& ctx, const EntityDef& def, const ListQuery& q) {
  const auth::Scope scope = ctx.principal.perms.on(def.name).read;
  if (scope == auth::Scope::none) throw forbidden("Your role may not read " + def.name);
  const Sql where = filter_sql(ctx.principal, scope, q, db_.sql_dialect());
  Search search = search_of(ctx.principal, def, q.search);
  search.choose_plan = !db_.plans_from_statistics();
  const Sort sort = sort_of(q, def, db_.sql_dialect());
  ListPage page;
  db_.read([&](store::Tx& tx) {
    read_page(tx, def, q, where, search, sort, page);
    if (!q.after_id) count_total(tx, def, where, search, page);
  });
  return page;
}

std::vector<GroupTotals> Records::totals(const Context& ctx, const EntityDef& def, const ListQuery& q,
                                         const TotalsOf& of) {
  const auth::Scope scope = ctx.principal.perms.on(def.name).read;
  if (scope == auth::Scope::none) throw forbidden("Your role may not read " + def.name);
  ListQuery live = q;
  live.trashed = false;  // the trash is never in a total
  const Sql where = filter_sql(ctx.principal, scope, live, db_.sql_dialect());
  const Search search = search_of(ctx.principal, def, q.search);
  // Each amount is summed as its two halves (amount / 1e9 and amount % 1e9): neither sum can
  // overflow a BIGINT for any realistic number of rows, where SUM(amount) could (SQLite raises
  // "integer overflow"), and the exact total is put together below in 128 bits.
  const std::string t = "t.";
  store::Params ps = where.params;
  std::string sql = "SELECT " + t + of.group_by + ", " + t + of.currency + ", " + t + of.percent +
                    ", COUNT(*), COUNT(" + t + of.amount + "), CAST(SUM(" + t + of.amount +
                    " / 1000000000) AS BIGINT), CAST(SUM(" + t + of.amount + " % 1000000000) AS BIGINT) FROM " +
                    def.name + " t WHERE " + where.text + search_sql(search, false, ps) + " GROUP BY " + t +
                    of.group_by + ", " + t + of.currency + ", " + t + of.percent;
  struct Sums {
    int64_t count = 0;
    std::map<std::string, std::pair<domain::Int128, domain::Int128>> by_currency;  // amount, amount × percent
  };
  std::map<std::string, Sums> groups;
  db_.read([&](store::Tx& tx) {
    for (const auto& row : tx.query(sql, ps).rows) {
      Sums& g = groups[row.text(0)];
      g.count += row.integer(3);
      if (row.integer(4) == 0) continue;  // no amounts in this group: counted, not totalled
      const domain::Int128 amount = domain::Int128{row.integer(5)} * 1'000'000'000 + row.integer(6);
      auto& [sum, weighted] = g.by_currency[row.text(1)];
      sum += amount;
      weighted += amount * row.integer(2);  // a NULL percent reads as 0: no weight
    }
  });
  constexpr domain::Int128 kMax = std::numeric_limits<int64_t>::max();
  std::vector<GroupTotals> out;
  for (const auto& [group, sums] : groups) {
    GroupTotals g{group, sums.count, {}};
    for (const auto& [currency, s] : sums.by_currency) {
      const domain::Int128 weighted = domain::divide_half_away_from_zero(s.second, 100);
      if (s.first > kMax || s.first < -kMax || weighted > kMax || weighted < -kMax)
        throw conflict("total_out_of_range", "A total in " + currency + " exceeds what the API can state exactly");
      g.totals.push_back({currency, static_cast<int64_t>(s.first), static_cast<int64_t>(weighted)});
    }
    out.push_back(std::move(g));
  }
  return out;
}

json::array Records::history(const Context& ctx, const EntityDef& def, const std::string& id) {
  json::array out;
  db_.read([&](store::Tx& tx) {
    // A record in the trash keeps its history readable (who deleted it, and what it was), for
    // whoever may see it in the trash list.
    if (!is_uuid(id)) throw record_not_found(def);
    auto found = load(tx, def, canonical_uuid(id));
    if (!found || !readable(tx, ctx, def, *found)) throw record_not_found(def);
    const json::object& rec = *found;
    auto r = tx.query(
        "SELECT a.id, a.at, a.user_id, u.name, a.action, a.changes FROM audit_log a "
        "LEFT JOIN users u ON u.id = a.user_id WHERE a.entity = ? AND a.record_id = ? ORDER BY a.id",
        {def.name, str(rec, "id")});
    for (const auto& row : r.rows) {
      boost::system::error_code ec;
      json::value changes = json::parse(row.text(5), ec);
      out.push_back(json::object{{"id", row.integer(0)},
                                 {"at", row.text(1)},
                                 {"user_id", row.text(2)},
                                 {"user_name", row.text(3)},
                                 {"action", row.text(4)},
                                 {"changes", ec ? json::value(json::object{}) : changes}});
    }
  });
  return out;
}

}  // namespace keel::service
