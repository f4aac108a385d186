// CSV export of any entity:
//   GET /api/v1/{entity}/export?<the list filters, sort, q, trashed>
//
// Needs the role's `export` permission on the entity, and returns exactly the records the
// caller could page through with the same query (the read scope applies row by row through
// Records::list, the one permission layer). Each export is written to the audit log with its
// row count and query, because a full customer list leaving the system is the event an
// administrator most wants to find afterwards.
//
// Format: RFC 4180 CSV in UTF-8 with a byte-order mark (without it, Excel, which most of our
// users open exports with, reads UTF-8 Chinese text as mojibake). Cells that a spreadsheet would
// run as a formula (=, +, -, @, tab, CR at the start) are prefixed with a single quote, as OWASP
// advises against CSV injection: a contact named "=HYPERLINK(...)" must stay text.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/list_query.h"
#include "core/time.h"
#include "service/journal.h"

namespace keel::api {
namespace json = boost::json;

namespace {

// Hard cap on one export; beyond it the client narrows the filters (the answer says so).
constexpr int kMaxExportRows = 100000;

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

void append_cell(std::string& out, std::string text) {
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' ||
                        text[0] == '\r')) {
    // Negative numbers are numbers, not formulas; keep them usable in a spreadsheet.
    bool number = text.size() > 1 && text[0] == '-' &&
                  text.find_first_not_of("0123456789.", 1) == std::string::npos;
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

}  // namespace

void add_export_routes(Api& api) {
  for (const auto& def_ref : domain::entities()) {
    const domain::EntityDef* def = &def_ref;
    api.route("GET", "/api/v1/" + def->name + "/export", Access::user, [&api, def](Call& c) {
      for (const auto& [k, v] : c.req.query)
        if (k == "cursor" || k == "limit")
          throw bad_request("unknown_parameter", "An export has no paging; '" + k + "' does not apply", k);
      const auth::Principal& p = *c.principal;
      if (!p.perms.on(def->name).export_) throw forbidden("Your role may not export " + def->name);

      service::ListQuery q = parse_list_query(*def, c.req, p.time_zone);
      q.limit = 200;

      std::vector<std::string> custom_names;
      api.db().read([&](store::Tx& tx) {
        for (const auto& cf : service::Records::custom_fields(tx, def->name)) custom_names.push_back(cf.name);
      });

      std::vector<std::string> columns = {"id"};
      for (const auto& f : def->fields) columns.push_back(f.name);
      for (const auto& n : custom_names) columns.push_back("custom." + n);
      for (const char* s : {"owner_id", "created_at", "created_by", "updated_at", "updated_by", "version"})
        columns.push_back(s);

      std::string csv = "\xEF\xBB\xBF";
      for (size_t i = 0; i < columns.size(); ++i) {
        if (i) csv += ',';
        append_cell(csv, columns[i]);
      }
      csv += "\r\n";

      int rows = 0;
      for (;;) {
        service::ListPage page = api.records().list(c.ctx(), *def, q);
        for (const auto& rv : page.data) {
          if (++rows > kMaxExportRows)
            throw ApiError(413, "export_too_large",
                           "More than " + std::to_string(kMaxExportRows) + " records match; narrow the filters");
          const json::object& rec = rv.as_object();
          const json::object* custom = rec.if_contains("custom") ? rec.at("custom").if_object() : nullptr;
          for (size_t i = 0; i < columns.size(); ++i) {
            if (i) csv += ',';
            const std::string& col = columns[i];
            const json::value* v = nullptr;
            if (col.rfind("custom.", 0) == 0) v = custom ? custom->if_contains(col.substr(7)) : nullptr;
            else v = rec.if_contains(col);
            append_cell(csv, v ? cell_text(*v) : std::string());
          }
          csv += "\r\n";
        }
        if (!page.has_more) break;
        q.after_value = page.last_sort_value;
        q.after_id = page.last_id;
      }

      std::string query_text;
      for (const auto& [k, v] : c.req.query) query_text += (query_text.empty() ? "" : "&") + k + "=" + v;
      api.db().write([&](store::Tx& tx) {
        service::append_audit(tx, c.ctx(), def->name, "", "export",
                              json::object{{"rows", rows}, {"query", query_text}}, format_utc(now_ms()));
      });

      http::Response r;
      r.content_type = "text/csv; charset=utf-8";
      r.body = std::move(csv);
      r.set_header("Content-Disposition", "attachment; filename=\"" + def->name + ".csv\"");
      r.set_header("Cache-Control", "no-store");
      return r;
    }, "Export " + def->name + " as CSV");
  }
}

}  // namespace keel::api
