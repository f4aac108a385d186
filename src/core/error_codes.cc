#include "core/error_codes.h"

#include <boost/json.hpp>

namespace keel {
namespace {

constexpr ErrorCodeKind P = ErrorCodeKind::problem;
constexpr ErrorCodeKind F = ErrorCodeKind::field;

// clang-format off
constexpr ErrorCodeInfo kCodes[] = {
    // ---- problem codes ------------------------------------------------------------------------
    {"malformed_json", P, 400, "The body is not valid JSON (UTF-8), or not a JSON object"},
    {"malformed_request", P, 400, "The HTTP request could not be parsed, has no Host header (HTTP/1.1) or more than one, or its body length is ambiguous (Transfer-Encoding with Content-Length, or chunked not the final coding); the connection is closed"},
    {"invalid_url", P, 400, "The request target is not a valid URL; percent-encode non-ASCII characters"},
    {"unknown_parameter", P, 400, "A query parameter the route does not take, or a field that cannot be filtered on; errors[] names it"},
    {"invalid_parameter", P, 400, "A query parameter has a value that is not valid (limit, a filter value, a boolean, search text); errors[] names it"},
    {"invalid_sort", P, 400, "The list cannot be sorted by this field"},
    {"invalid_operator", P, 400, "A filter operator that does not exist, or does not apply to the field"},
    {"invalid_cursor", P, 400, "The paging cursor is malformed; start again without it"},
    {"cursor_mismatch", P, 400, "The cursor belongs to other filters or another sort"},
    {"invalid_if_match", P, 400, "If-Match is not a record version such as \"3\""},
    {"invalid_idempotency_key", P, 400, "Idempotency-Key is not 1 to 200 printable characters"},
    {"too_long", P, 400, "The search text (q) is longer than 200 bytes"},
    {"too_many_filters", P, 400, "A list request has more filter parameters than allowed"},
    {"too_many_search_terms", P, 400, "The search text has more words than allowed"},
    {"unauthorized", P, 401, "No credentials: sign in and send the token as Authorization: Bearer"},
    {"invalid_token", P, 401, "The token is unknown, expired or revoked, or its user is deactivated; sign in again"},
    {"invalid_credentials", P, 401, "Sign-in with a wrong email or password"},
    {"device_revoked", P, 401, "An administrator revoked this sync device: wipe its local data and sign in again"},
    {"forbidden", P, 403, "The caller's role does not allow this"},
    {"device_not_yours", P, 403, "The sync device id is registered to another user"},
    {"cursor_not_yours", P, 403, "The sync cursor was issued to another user or device"},
    {"loopback_only", P, 403, "The test clock (a server started with --test-clock) answers only requests from a loopback address"},
    {"not_found", P, 404, "No such record, or the caller cannot see it"},
    {"no_such_route", P, 404, "No API endpoint at this path"},
    {"method_not_allowed", P, 405, "The path does not take this method; the Allow header lists those it takes"},
    {"id_conflict", P, 409, "A record someone else created already has this client-chosen id"},
    {"in_trash", P, 409, "The record is in the trash; restore it first"},
    {"not_in_trash", P, 409, "Restoring a record that is not in the trash"},
    {"already_converted", P, 409, "The lead was already converted"},
    {"stage_in_use", P, 409, "A pipeline change removes a stage that deals are still in"},
    {"total_out_of_range", P, 409, "A sum of amounts (a pipeline summary) exceeds what a 64-bit integer holds"},
    {"pipeline_in_use", P, 409, "The pipeline still has open deals"},
    {"pipeline_in_trash", P, 409, "The deal's pipeline is in the trash; restore the pipeline first"},
    {"email_taken", P, 409, "Another user already has this email"},
    {"name_taken", P, 409, "Another role, team or custom field already has this name"},
    {"builtin_role", P, 409, "Built-in roles cannot be changed or deleted; copy one instead"},
    {"role_in_use", P, 409, "Users still have this role"},
    {"team_in_use", P, 409, "The team still has members"},
    {"records_exist", P, 409, "A custom field cannot become required while the entity has records"},
    {"cannot_demote_self", P, 409, "Administrators cannot deactivate themselves or change their own role"},
    {"idempotency_in_progress", P, 409, "The first request with this Idempotency-Key is still being processed"},
    {"duplicate", P, 409, "A value that must be unique already exists"},
    {"backup_running", P, 409, "A backup is already being made (by this or another server); wait for it to finish"},
    {"cursor_expired", P, 410, "The device has not synced for longer than the server keeps track of it; pull again without a cursor"},
    {"version_conflict", P, 412, "The record changed since the version sent (If-Match or version); the answer carries current_version and the current record"},
    {"payload_too_large", P, 413, "The request body is larger than 1 MiB"},
    {"export_too_large", P, 413, "The export would have more than 100,000 rows; narrow the filters"},
    {"unsupported_media_type", P, 415, "The body is not sent as application/json"},
    {"validation_failed", P, 422, "Fields are invalid; errors[] lists each with its field code"},
    {"idempotency_key_reused", P, 422, "The Idempotency-Key was used before for a different request"},
    {"too_many_attempts", P, 429, "Too many failed sign-ins for this email or from this address; Retry-After says when to try again"},
    {"rate_limited", P, 429, "Too many requests for this session or token; Retry-After says when to try again"},
    {"headers_too_large", P, 431, "The request headers are larger than 16 KiB"},
    {"internal_error", P, 500, "An unexpected server error; quote request_id when reporting it"},
    {"not_implemented", P, 501, "A Transfer-Encoding other than chunked; the connection is closed"},
    {"database_unavailable", P, 503, "The database is busy or unreachable; retry shortly (Retry-After)"},
    {"draining", P, 503, "The server is shutting down"},
    {"query_timeout", P, 503, "The request held the database longer than the time allowed for one request"},

    // ---- field codes --------------------------------------------------------------------------
    {"required", F, 0, "The field is required"},
    {"unknown_field", F, 0, "No such field (or custom field) here"},
    {"read_only", F, 0, "The field is set by Keel and cannot be written"},
    {"invalid_type", F, 0, "The value has the wrong JSON type"},
    {"invalid_encoding", F, 0, "The text is not valid UTF-8"},
    {"invalid_characters", F, 0, "The text contains control characters"},
    {"too_short", F, 0, "The value is too short (passwords: at least 10 characters)"},
    {"too_long", F, 0, "The value is longer than the field's limit"},
    {"too_many_items", F, 0, "The list has more entries than the field's limit"},
    {"invalid_format", F, 0, "Not in the field's format (email, phone, URL, UUID, option text)"},
    {"invalid_choice", F, 0, "Not one of the field's choices"},
    {"invalid_date", F, 0, "Not a calendar date YYYY-MM-DD"},
    {"invalid_datetime", F, 0, "Not an ISO 8601 date-time"},
    {"invalid_currency", F, 0, "Not an ISO 4217 currency code"},
    {"must_be_integer", F, 0, "A number with a fraction where a whole number is needed"},
    {"out_of_range", F, 0, "The number is outside the field's range"},
    {"invalid_number", F, 0, "A number custom field got a value that is not a number"},
    {"use_decimal_string", F, 0, "A number custom field got a JSON fraction; send exact decimals as strings such as \"12.50\""},
    {"reference_not_found", F, 0, "The linked record (or user, role, team) does not exist or the caller cannot see it"},
    {"not_allowed", F, 0, "The value is not allowed here (an owner the caller may not assign, a status set by another route)"},
    {"duplicate", F, 0, "The same value is given twice where values must be unique"},
    {"wrong_password", F, 0, "The current password is wrong"},
    {"unknown_time_zone", F, 0, "Not an IANA time zone such as Asia/Shanghai"},
    {"unknown_entity", F, 0, "No such entity"},
    {"invalid_stage", F, 0, "A pipeline stage cannot be both won and lost"},
    {"currency_mismatch", F, 0, "An order line's price is in another currency than the order"},
};
// clang-format on

constexpr bool valid_table() {
  for (size_t i = 0; i < std::size(kCodes); ++i) {
    const auto& a = kCodes[i];
    if (a.code.empty() || a.description.empty()) return false;
    for (char c : a.code)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    if (a.kind == ErrorCodeKind::problem ? (a.status < 400 || a.status > 599) : a.status != 0) return false;
    for (size_t j = i + 1; j < std::size(kCodes); ++j)
      if (kCodes[j].code == a.code && kCodes[j].kind == a.kind) return false;
  }
  return true;
}
static_assert(valid_table(), "error codes: snake_case, unique per kind, problem codes with a 4xx/5xx status");

}  // namespace

std::span<const ErrorCodeInfo> error_codes() { return kCodes; }

const ErrorCodeInfo* find_error_code(std::string_view code, ErrorCodeKind kind) {
  for (const auto& c : kCodes)
    if (c.code == code && c.kind == kind) return &c;
  return nullptr;
}

boost::json::object error_codes_json() {
  boost::json::array problem, field;
  for (const auto& c : kCodes) {
    boost::json::object o{{"code", c.code}};
    if (c.kind == ErrorCodeKind::problem) o["status"] = c.status;
    o["description"] = c.description;
    (c.kind == ErrorCodeKind::problem ? problem : field).push_back(std::move(o));
  }
  return {{"problem", std::move(problem)}, {"field", std::move(field)}};
}

}  // namespace keel
