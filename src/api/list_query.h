// Turns list query parameters into a service::ListQuery, rejecting anything unknown or
// malformed with a 400 that names the parameter. Cursors are opaque to clients but carry the
// sort and a hash of the filters, so a cursor reused with different filters, or a misspelt
// parameter, fails loudly instead of silently restarting or skipping pages.
//
//   ?limit=50                      1..200 (default 50)
//   ?sort=-created_at              a sortable field or created_at/updated_at; "-" for descending
//   ?q=王                          search (names, emails, phones, company, ...)
//   ?owner_id=...&status=open      equality on filterable fields
//   ?amount_minor[gte]=100         ranges: [gt] [gte] [lt] [lte] [ne]; [null]=true for IS NULL
//   ?cursor=...                    from the previous page's next_cursor
//   ?trashed=true                  list the trash
#pragma once

#include <string>

#include "domain/entity.h"
#include "http/message.h"
#include "service/records.h"

namespace keel::api {

service::ListQuery parse_list_query(const domain::EntityDef& def, const http::Request& req, const std::string& tz);
std::string encode_cursor(const service::ListQuery& q, const service::ListPage& page, const http::Request& req);

}  // namespace keel::api
