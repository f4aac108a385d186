#include "core/error.h"

namespace keel {

ApiError bad_request(std::string code, std::string message, std::string field) {
  std::vector<FieldError> fields;
  if (!field.empty()) fields.push_back({field, code, message});
  return ApiError(ErrorKind::bad_request, std::move(code), std::move(message), std::move(fields));
}

ApiError validation_failed(std::vector<FieldError> fields) {
  return ApiError(ErrorKind::invalid, "validation_failed", "The request has invalid fields", std::move(fields));
}

ApiError unauthorized(std::string message) {
  return ApiError(ErrorKind::unauthenticated, "unauthorized", std::move(message));
}
ApiError forbidden(std::string message) { return ApiError(ErrorKind::forbidden, "forbidden", std::move(message)); }
ApiError not_found(std::string message) { return ApiError(ErrorKind::not_found, "not_found", std::move(message)); }
ApiError conflict(std::string code, std::string message) {
  return ApiError(ErrorKind::conflict, std::move(code), std::move(message));
}

void FieldErrors::throw_if_any() const {
  if (!errors_.empty()) throw validation_failed(errors_);
}

boost::json::array field_errors_json(const std::vector<FieldError>& fields) {
  boost::json::array errs;
  for (const auto& f : fields)
    errs.push_back(boost::json::object{{"field", f.field}, {"code", f.code}, {"message", f.message}});
  return errs;
}

}  // namespace keel
