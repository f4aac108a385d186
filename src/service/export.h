// CSV export of any entity's records, as a manager opens it in Excel (issue 8).
//
// The rows are exactly the records the caller could page through with the same query (through
// Records::list, the one permission layer), at most kMaxExportRows. Columns, machine names:
//   id, then each built-in field, then each custom field (custom.NAME), then the system columns
//   owner_id, created_at, created_by, updated_at, updated_by, version; beside them:
//   - after each reference id, the referenced record's name: X_id -> X_name (account_name,
//     contact_name, pipeline_name, deal_name, converted_account_name, ...), contact_ids ->
//     contact_names, stage_id -> stage_name, a task's related_id -> related_name, owner_id ->
//     owner_name and owner_email, created_by -> created_by_name, updated_by -> updated_by_name;
//   - after each money field (minor units, kept for round-tripping) its decimal amount in major
//     units with the currency's digits: amount_minor -> amount, price_minor -> price,
//     total_minor -> total, custom.NAME -> custom.NAME.amount, plus custom.NAME.currency when the
//     entity has no currency field of its own (the default currency, as the web app shows it).
// Names are looked up in bulk per page of rows, through the caller's read scope: a referenced
// record the caller may not read (or in the trash) leaves its name cell empty; the id stays.
// Users' names and emails are shown as GET /api/v1/users shows them to every signed-in user.
//
// Format: RFC 4180 CSV in UTF-8 with a byte-order mark (without it Excel reads UTF-8 Chinese as
// mojibake), CRLF line ends. Cells a spreadsheet would run as a formula (=, +, -, @, tab, CR at
// the start) are prefixed with a single quote, as OWASP advises against CSV injection; a
// negative number stays a number.
#pragma once

#include <string>

#include "domain/entity.h"
#include "service/context.h"
#include "service/records.h"
#include "store/db.h"

namespace keel::service {

// Hard cap on one export; beyond it the client narrows the filters (the answer says so).
inline constexpr int kMaxExportRows = 100000;

struct CsvExport {
  std::string csv;
  int rows = 0;
};

// Needs the role's `export` permission on the entity (403). `q` is the list query (its entity
// the effective definition; limit and cursor are the export's own); `query_text` is what the
// audit entry records beside the row count, stamped with ctx.now_utc().
CsvExport export_csv(store::Database& db, Records& records, const Context& ctx, const domain::EntityDef& def,
                     ListQuery q, const std::string& query_text);

// One cell appended to `out`: formula guard, then RFC 4180 quoting when needed.
void append_csv_cell(std::string& out, std::string text);

}  // namespace keel::service
