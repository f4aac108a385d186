// CSV export of any entity:
//   GET /api/v1/{entity}/export?<the list filters, sort, q, trashed>
//
// This file decodes the query and encodes the answer; the columns, the names beside ids, money
// in major units, the format (UTF-8 with BOM, CRLF, quoting, formula guard), the `export`
// permission and the audit entry are service/export.h's.
#include "api/api.h"
#include "api/list_query.h"
#include "api/schema.h"
#include "service/export.h"

namespace keel::api {

void add_export_routes(Api& api) {
  for (const auto& def_ref : domain::entities()) {
    const domain::EntityDef* def = &def_ref;
    api.route(RouteSpec{
        .method = "GET",
        .path = "/api/v1/" + def->name + "/export",
        .summary = "Export " + def->name + " as CSV",
        .query = list_parameters(*def, false),
        .replies = {{200,
                     "CSV for spreadsheets: UTF-8 with a byte-order mark, CRLF, RFC 4180 quoting; cells that "
                     "would start a formula (= + - @) are prefixed with '. One row per record the caller may "
                     "read with the same filters (at most 100000). Columns, by machine name: id, the fields, "
                     "custom.NAME per custom field, owner_id, created_at, created_by, updated_at, updated_by, "
                     "version; beside each reference id the referenced record's name (X_id -> X_name, "
                     "contact_ids -> contact_names, stage_id -> stage_name, related_id -> related_name, "
                     "owner_name and owner_email, created_by_name, updated_by_name; empty when the caller may "
                     "not read that record), and beside each money field in minor units its decimal amount in "
                     "major units with the currency's digits (amount_minor -> amount, price_minor -> price, "
                     "total_minor -> total, custom.NAME -> custom.NAME.amount, and custom.NAME.currency on "
                     "an entity without a currency field)",
                     schema::str(), "text/csv"}},
        .handler = [&api, def](Call& c) {
          for (const auto& [k, v] : c.req.query)
            if (k == "cursor" || k == "limit")
              throw bad_request("unknown_parameter", "An export has no paging; '" + k + "' does not apply", k);
          const auth::Principal& p = *c.principal;
          service::EffectiveEntityPtr entity = service::effective_entity(api.db(), *def);
          service::ListQuery q = parse_list_query(entity, c.req, p.time_zone);
          std::string query_text;
          for (const auto& [k, v] : c.req.query) query_text += (query_text.empty() ? "" : "&") + k + "=" + v;

          service::CsvExport out =
              service::export_csv(api.db(), api.records(), c.ctx(), *def, std::move(q), query_text);
          http::Response r;
          r.content_type = "text/csv; charset=utf-8";
          r.body = std::move(out.csv);
          r.set_header("Content-Disposition", "attachment; filename=\"" + def->name + ".csv\"");
          r.set_header("Cache-Control", "no-store");
          return r;
        }});
  }
}

}  // namespace keel::api
