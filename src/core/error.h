// Errors a client can act on.
//
// Every failure that reaches a client is an ApiError: an HTTP status, a stable machine-readable
// `code`, a human message, and optional per-field details. It is thrown (not returned) so that a
// failing validation or permission check unwinds any open database transaction: the RAII
// transaction guard rolls back, which is what makes "nothing half-written stays behind" hold by
// construction. The HTTP layer turns it into an RFC 9457 problem document in exactly one place
// (http/problem.cc); nothing else formats errors.
#pragma once

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

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, std::string message, std::vector<FieldError> fields = {})
      : std::runtime_error(message), status_(status), code_(std::move(code)), fields_(std::move(fields)) {}

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::vector<FieldError>& fields() const { return fields_; }
  // Extra members for the problem document (e.g. "current_version" on a 412).
  boost::json::object& extra() { return extra_; }
  const boost::json::object& extra() const { return extra_; }

 private:
  int status_;
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
