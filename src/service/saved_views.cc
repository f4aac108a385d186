#include "service/saved_views.h"

#include <boost/json.hpp>
#include <regex>

#include "core/error.h"
#include "core/ids.h"
#include "domain/entity.h"
#include "service/admin.h"
#include "service/journal.h"
#include "service/versioned_write.h"

namespace keel::service {
namespace json = boost::json;

namespace {

constexpr int kMaxColumns = 50;
constexpr int kMaxQuery = 2000;

const char* const kColumns =
    "SELECT v.id, v.entity, v.name, v.query, v.columns, v.shared, v.owner_id, o.name, v.version, v.created_at, "
    "v.updated_at FROM saved_views v LEFT JOIN users o ON o.id = v.owner_id";

// Who sees a shared view: the members of its owner's team and of the teams the owner manages;
// everyone when the owner is in no team and manages none. Parameters: the caller's id, then
// the caller's team id twice ('' when in no team, which matches no team).
const char* const kVisible =
    "(v.owner_id = ? OR (v.shared = 1 AND (o.team_id = ? OR EXISTS (SELECT 1 FROM teams t WHERE t.manager_id = "
    "v.owner_id AND t.id = ?) OR (o.team_id IS NULL AND NOT EXISTS (SELECT 1 FROM teams t2 WHERE t2.manager_id = "
    "v.owner_id)))))";

store::Params visible_params(const Context& ctx) {
  return {ctx.principal.user_id, ctx.principal.team_id, ctx.principal.team_id};
}

json::object view_json(const store::Row& r) {
  boost::system::error_code ec;
  json::value cols = json::parse(r.text(4), ec);
  return {{"id", r.text(0)},
          {"entity", r.text(1)},
          {"name", r.text(2)},
          {"query", r.text(3)},
          {"columns", ec || !cols.is_array() ? json::value(json::array{}) : cols},
          {"shared", r.integer(5) != 0},
          {"owner_id", r.text(6)},
          {"owner_name", r.is_null(7) ? json::value(nullptr) : json::value(r.text(7))},
          {"version", r.integer(8)},
          {"created_at", r.text(9)},
          {"updated_at", r.text(10)}};
}

std::optional<json::object> load_visible(store::Tx& tx, const Context& ctx, const std::string& id) {
  store::Params p{id};
  for (auto& v : visible_params(ctx)) p.push_back(v);
  auto row = tx.one(std::string(kColumns) + " WHERE v.id = ? AND " + kVisible, p);
  if (!row) return std::nullopt;
  return view_json(*row);
}

void require_reader(const Context& ctx, const std::string& entity) {
  if (ctx.principal.perms.on(entity).read == auth::Scope::none)
    throw forbidden("Your role may not read " + entity + ", so it has no views of it");
}

bool may_share(store::Tx& tx, const Context& ctx) {
  return ctx.principal.is_admin() ||
         tx.one("SELECT 1 FROM teams WHERE manager_id = ? LIMIT 1", {ctx.principal.user_id}).has_value();
}

const VersionedTable& views_table() {
  static const VersionedTable t{
      .entity = "saved_views",
      .write_row = [](store::Tx& tx, const json::object& row, std::optional<int64_t> expected) -> int64_t {
        auto text = [&](const char* k) { return std::string(row.at(k).as_string()); };
        const std::string columns = json::serialize(row.at("columns"));
        const int64_t shared = row.at("shared").as_bool() ? 1 : 0;
        if (!expected)
          return tx
              .query(
                  "INSERT INTO saved_views (id, entity, name, query, columns, shared, owner_id, version, "
                  "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  {text("id"), text("entity"), text("name"), text("query"), columns, shared, text("owner_id"),
                   row.at("version").as_int64(), text("created_at"), text("updated_at")})
              .affected;
        return tx
            .query(
                "UPDATE saved_views SET name = ?, query = ?, columns = ?, shared = ?, version = ?, updated_at = ? "
                "WHERE id = ? AND version = ?",
                {text("name"), text("query"), columns, shared, row.at("version").as_int64(), text("updated_at"),
                 text("id"), *expected})
            .affected;
      },
      .current = [](store::Tx& tx, const Context& ctx, const std::string& id) { return load_visible(tx, ctx, id); },
  };
  return t;
}

// The list's query as the address holds it, without a leading "?". A page position is not part
// of a view: a cursor goes stale as records change.
json::value check_query(const json::value& v, const std::string& path, FieldErrors& errors) {
  if (!v.is_string()) {
    errors.add(path, "invalid_type", "Must be a string");
    return nullptr;
  }
  std::string q(v.as_string());
  if (!q.empty() && q[0] == '?') q.erase(0, 1);
  // Characters as the document's maxLength counts them (code points), not bytes.
  size_t chars = 0;
  for (unsigned char ch : q) chars += (ch & 0xC0) != 0x80;
  if (chars > static_cast<size_t>(kMaxQuery)) errors.add(path, "too_long", "At most 2000 characters");
  if (q.find('#') != std::string::npos) errors.add(path, "invalid_format", "A URL query string has no #");
  static const std::regex page_param("(^|&)(cursor|limit)=");
  if (std::regex_search(q, page_param))
    errors.add(path, "invalid_format", "A view keeps filters, search and sort, not a page position (cursor, limit)");
  return json::value(q);
}

json::value check_columns(const json::value& v, const std::string& path, FieldErrors& errors) {
  static const std::regex name_re("^[a-z][a-z0-9_]{0,59}(\\.[a-z][a-z0-9_]{0,59})?$");
  if (!v.is_array()) {
    errors.add(path, "invalid_type", "Must be an array of field names");
    return nullptr;
  }
  const auto& a = v.as_array();
  if (a.size() > static_cast<size_t>(kMaxColumns)) errors.add(path, "too_many_items", "At most 50 columns");
  for (size_t i = 0; i < a.size(); ++i)
    if (!a[i].is_string() || !std::regex_match(std::string(a[i].as_string()), name_re))
      errors.add(path + "[" + std::to_string(i) + "]", "invalid_format",
                 "A field name such as amount_minor or custom.region");
  return v;
}

domain::BodyDef view_body(bool creating) {
  domain::BodyDef b;
  b.name = creating ? "SavedViewInput" : "SavedViewChange";
  std::vector<std::string> names;
  for (const auto& e : domain::entities()) names.push_back(e.name);
  domain::FieldDef entity = domain::choice("entity", names);
  b.fields.push_back({creating ? domain::required(entity) : entity, {}, {}, false});
  domain::FieldDef name = domain::text("name", 100);
  b.fields.push_back({creating ? domain::required(name) : name, {}, {}, false});
  domain::BodyField query{domain::text("query", kMaxQuery),
                          check_query,
                          {{"type", "string"},
                           {"maxLength", kMaxQuery},
                           {"description", "The list's URL query string (filters, q, sort), without cursor or limit"}},
                          false};
  b.fields.push_back(std::move(query));
  domain::BodyField columns{
      domain::typed("columns", domain::FieldType::tags),
      check_columns,
      {{"type", "array"},
       {"maxItems", kMaxColumns},
       {"items", {{"type", "string"}, {"pattern", "^[a-z][a-z0-9_]{0,59}(\\.[a-z][a-z0-9_]{0,59})?$"}}}},
      false};
  b.fields.push_back(std::move(columns));
  b.fields.push_back({domain::typed("shared", domain::FieldType::boolean), {}, {}, false});
  b.fields.back().def.description = "Seen by the owner's team (team managers and administrators only)";
  if (!creating) {
    b.fields.push_back({domain::typed("version", domain::FieldType::integer), {}, {}, false});
    b.fields.back().def.description = "The version the change is based on (or If-Match)";
    b.fixed = {"entity"};
    b.fixed_message = "A view's NAME cannot be changed; save a new view instead";
  }
  return b;
}

void check_name_free(store::Tx& tx, const json::object& row) {
  if (tx.one("SELECT 1 FROM saved_views WHERE owner_id = ? AND entity = ? AND name = ? AND id <> ?",
             {std::string(row.at("owner_id").as_string()), std::string(row.at("entity").as_string()),
              std::string(row.at("name").as_string()), std::string(row.at("id").as_string())}))
    throw conflict("name_taken", "You already have a view of this name");
}

json::object owned_or_throw(store::Tx& tx, const Context& ctx, const std::string& id) {
  auto view = load_visible(tx, ctx, id);
  if (!view) throw not_found("No such view");
  if (view->at("owner_id") != json::value(ctx.principal.user_id) && !ctx.principal.is_admin())
    throw forbidden("Only the person who saved this view can change it");
  return *view;
}

}  // namespace

const domain::BodyDef& saved_view_create_body() {
  static const domain::BodyDef b = view_body(true);
  return b;
}
const domain::BodyDef& saved_view_update_body() {
  static const domain::BodyDef b = view_body(false);
  return b;
}

json::array list_saved_views(store::Tx& tx, const Context& ctx, const std::string& entity) {
  if (!domain::find_entity(entity)) throw bad_request("invalid_parameter", "No such entity", "entity");
  require_reader(ctx, entity);
  store::Params p{entity};
  for (auto& v : visible_params(ctx)) p.push_back(v);
  p.push_back(ctx.principal.user_id);
  json::array out;
  for (const auto& r : tx.query(std::string(kColumns) + " WHERE v.entity = ? AND " + kVisible +
                                    " ORDER BY CASE WHEN v.owner_id = ? THEN 0 ELSE 1 END, v.name, v.id",
                                p)
                           .rows)
    out.push_back(view_json(r));
  return out;
}

json::object get_saved_view(store::Tx& tx, const Context& ctx, const std::string& id) {
  auto view = load_visible(tx, ctx, id);
  if (!view) throw not_found("No such view");
  return *view;
}

json::object create_saved_view(store::Tx& tx, const Context& ctx, const json::object& body) {
  FieldErrors errors;
  json::object in = domain::parse_body(saved_view_create_body(), body, true, errors);
  errors.throw_if_any();
  const std::string entity(in.at("entity").as_string());
  require_reader(ctx, entity);
  const bool shared = in.contains("shared") && in.at("shared").is_bool() && in.at("shared").as_bool();
  if (shared && !may_share(tx, ctx))
    throw forbidden("Only team managers and administrators share views; save it as your own");
  const std::string now = ctx.now_utc();
  json::object row{{"id", new_uuid_v7()},
                   {"entity", entity},
                   {"name", in.at("name")},
                   {"query", in.contains("query") && in.at("query").is_string() ? in.at("query") : json::value("")},
                   {"columns", in.contains("columns") && in.at("columns").is_array() ? in.at("columns")
                                                                                     : json::value(json::array{})},
                   {"shared", shared},
                   {"owner_id", ctx.principal.user_id},
                   {"owner_name", ctx.principal.name},
                   {"created_at", now},
                   {"updated_at", now}};
  check_name_free(tx, row);
  write_versioned(tx, ctx, views_table(), {.action = "create", .after = row, .at = now});
  return *load_visible(tx, ctx, std::string(row.at("id").as_string()));
}

json::object update_saved_view(store::Tx& tx, const Context& ctx, const std::string& id, const json::object& body,
                               std::optional<int64_t> version) {
  json::object old = owned_or_throw(tx, ctx, id);
  if (!version && body.contains("version") && body.at("version").is_int64()) version = body.at("version").as_int64();
  expect_version(old, version);
  FieldErrors errors;
  json::object in = domain::parse_body(saved_view_update_body(), body, false, errors);
  errors.throw_if_any();
  json::object row = old;
  for (const char* k : {"name", "query", "columns", "shared"})
    if (in.contains(k) && !in.at(k).is_null()) row[k] = in.at(k);
  if (row.at("shared").as_bool() && !old.at("shared").as_bool() && !may_share(tx, ctx))
    throw forbidden("Only team managers and administrators share views; save it as your own");
  row["updated_at"] = ctx.now_utc();
  check_name_free(tx, row);
  write_versioned(
      tx, ctx, views_table(),
      {.action = "update", .before = &old, .after = row, .at = std::string(row.at("updated_at").as_string())});
  return *load_visible(tx, ctx, id);
}

void delete_saved_view(store::Tx& tx, const Context& ctx, const std::string& id, std::optional<int64_t> version) {
  json::object old = owned_or_throw(tx, ctx, id);
  expect_version(old, version);
  tx.query("DELETE FROM saved_views WHERE id = ?", {id});
  const std::string now = ctx.now_utc();
  append_audit(tx, ctx, "saved_views", id, "delete", {{"name", json::array{old.at("name"), nullptr}}}, now);
  append_change(tx, ctx, "saved_views", id, "delete", old.at("version").as_int64() + 1, std::nullopt, now);
}

}  // namespace keel::service
