// Every error code the server can send, in one list.
//
// A problem code is the `code` of a problem document (RFC 9457), sent with one HTTP status. A
// field code is the `code` of an entry of its `errors` array: why one field was refused, inside
// a 422 validation_failed (or a 400 invalid_parameter naming a query parameter). A 400 that names
// the offending parameter or header repeats its own problem code in `errors`; that is not a
// field code. Some words are both (`too_long`, `duplicate`), listed once per kind.
//
// The list is published in the OpenAPI document (`x-error-codes`), and the web app's tests
// require a message in every language for each entry. tests/unit/error_codes_test.cc scans src/
// for the codes that are actually thrown or added and fails when one is missing here, or when
// an entry here is sent nowhere: add a new code here, with its status and a description, in the
// same change that first sends it.
#pragma once

#include <boost/json/object.hpp>
#include <span>
#include <string_view>

namespace keel {

enum class ErrorCodeKind { problem, field };

struct ErrorCodeInfo {
  std::string_view code;
  ErrorCodeKind kind;
  int status;  // problem codes: the HTTP status they are sent with; field codes: 0
  std::string_view description;
};

// Problem codes (by status), then field codes.
std::span<const ErrorCodeInfo> error_codes();

// The entry for a code of one kind, or nullptr.
const ErrorCodeInfo* find_error_code(std::string_view code, ErrorCodeKind kind);

// {"problem": [{"code", "status", "description"}, ...], "field": [{"code", "description"}, ...]}
// in table order: the OpenAPI document's `x-error-codes`.
boost::json::object error_codes_json();

}  // namespace keel
