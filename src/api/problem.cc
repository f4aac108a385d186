#include "api/problem.h"

namespace keel::api {

int http_status(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::bad_request:
      return 400;
    case ErrorKind::unauthenticated:
      return 401;
    case ErrorKind::forbidden:
      return 403;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::method_not_allowed:
      return 405;
    case ErrorKind::conflict:
      return 409;
    case ErrorKind::gone:
      return 410;
    case ErrorKind::precondition_failed:
      return 412;
    case ErrorKind::too_large:
      return 413;
    case ErrorKind::headers_too_large:
      return 431;
    case ErrorKind::unsupported_media_type:
      return 415;
    case ErrorKind::invalid:
      return 422;
    case ErrorKind::rate_limited:
      return 429;
    case ErrorKind::internal:
      return 500;
    case ErrorKind::not_implemented:
      return 501;
    case ErrorKind::unavailable:
      return 503;
  }
  return 500;
}

ErrorKind kind_for_status(int status) {
  for (ErrorKind k :
       {ErrorKind::bad_request, ErrorKind::unauthenticated, ErrorKind::forbidden, ErrorKind::not_found,
        ErrorKind::method_not_allowed, ErrorKind::conflict, ErrorKind::gone, ErrorKind::precondition_failed,
        ErrorKind::too_large, ErrorKind::headers_too_large, ErrorKind::unsupported_media_type, ErrorKind::invalid,
        ErrorKind::rate_limited, ErrorKind::not_implemented, ErrorKind::unavailable})
    if (http_status(k) == status) return k;
  return ErrorKind::internal;
}

}  // namespace keel::api
