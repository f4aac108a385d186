// The one place where the kind of an error becomes an HTTP status.
#pragma once

#include "core/error.h"

namespace keel::api {

// 400, 401, 403, 404, 405, 409, 412, 413, 415, 422, 429, 431, 500, 501, 503.
int http_status(ErrorKind kind);
// The kind for a status the HTTP server chose itself (its refusals of malformed requests, which
// never reach a service): the inverse of http_status; 500 for a status no kind has.
ErrorKind kind_for_status(int status);

}  // namespace keel::api
