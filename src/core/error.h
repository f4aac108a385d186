// Errors a client can act on.
//
// Every failure that reaches a client is an ApiError: a kind (what went wrong, in the terms of
// the service: not found, conflict, invalid input...), a stable machine-readable `code`, a human
// message, and optional per-field details. Services and the store know nothing of HTTP: the API
// layer chooses the status for a kind in one place (api::http_status). It is thrown (not returned) so that a
// failing validation or permission check unwinds any open database transaction: the RAII
// transaction guard rolls back, which is what makes "nothing half-written stays behind" hold by
// construction. The HTTP layer turns it into an RFC 9457 problem document in exactly one place
// (api::Api::problem); nothing else formats errors.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace keel {

struct FieldError {
  std::string field;    // JSON path of the offending input, e.g. "emails[1]" or "custom.region"
  std::string code;     // stable, e.g. "required", "too_long", "invalid_format"
  std::string message;  // English explanation; clients translate by code
};

// What kind of failure an error is. Each kind is answered with one HTTP status (api/problem.h).
enum class ErrorKind {
  bad_request,             // the request itself is malformed: parameters, headers, cursor
  unauthenticated,         // no valid credentials
  forbidden,               // the caller's role does not allow it
  not_found,               // no such thing, or the caller cannot see it
  method_not_allowed,      // the path does not take this method
  conflict,                // the current state forbids it (in the trash, in use, taken)
  gone,                    // what the request builds on no longer exists (an expired sync cursor)
  precondition_failed,     // the caller's version is not the current one
  too_large,               // more than a bound allows (a body, an export)
  headers_too_large,       // request headers above the HTTP server's bound
  unsupported_media_type,  // a body that is not JSON
  invalid,                 // well-formed input that breaks a field rule (per-field errors)
  rate_limited,            // too many requests for this credential
  internal,                // a defect; the request id finds it in the log
  not_implemented,         // a protocol feature the server does not have
  unavailable,             // a dependency does not answer in time; retry later
};

class ApiError : public std::runtime_error {
 public:
  ApiError(ErrorKind kind, std::string code, std::string message, std::vector<FieldError> fields = {})
      : std::runtime_error(message), kind_(kind), code_(std::move(code)), fields_(std::move(fields)) {}

  ErrorKind kind() const { return kind_; }
  const std::string& code() const { return code_; }
  const std::vector<FieldError>& fields() const { return fields_; }
  // Extra members for the problem document (e.g. "current_version" on a 412).
  boost::json::object& extra() { return extra_; }
  const boost::json::object& extra() const { return extra_; }

 private:
  ErrorKind kind_;
  std::string code_;
  std::vector<FieldError> fields_;
  boost::json::object extra_;
};

// Builders for the errors that appear everywhere. Entity-specific codes are built in place.
ApiError bad_request(std::string code, std::string message, std::string field = {});
ApiError validation_failed(std::vector<FieldError> fields);
ApiError unauthorized(std::string message = "Authentication required");
ApiError forbidden(std::string message = "You do not have permission to do this");
ApiError not_found(std::string message = "No such record");
ApiError conflict(std::string code, std::string message);

// Per-field errors as every answer spells them: [{"field", "code", "message"}, ...].
boost::json::array field_errors_json(const std::vector<FieldError>& fields);

// Collects field errors so that one response reports every problem at once, not only the first.
class FieldErrors {
 public:
  void add(std::string field, std::string code, std::string message) {
    errors_.push_back({std::move(field), std::move(code), std::move(message)});
  }
  bool empty() const { return errors_.empty(); }
  const std::vector<FieldError>& list() const { return errors_; }
  // Throws validation_failed (422) if anything was collected.
  void throw_if_any() const;

 private:
  std::vector<FieldError> errors_;
};

}  // namespace keel
