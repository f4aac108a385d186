// Turns list query parameters into a service::ListQuery, rejecting anything unknown or
// malformed with a 400 that names the parameter. Cursors are opaque to clients but carry the
// sort and a hash of the filters, so a cursor reused with different filters, or a misspelt
// parameter, fails loudly instead of silently restarting or skipping pages.
//
//   ?limit=50                      1..200 (default 50)
//   ?sort=-created_at              a sortable field or created_at/updated_at; "-" for descending
//   ?q=王                          search (names, emails, phones, company, ...)
//   ?owner_id=...&status=open      equality on filterable fields
//   ?owner_team_id=TEAM            owned by a member of the team (every entity; also [in], [null])
//   ?custom.size[gte]=10           custom fields by "custom.NAME", with their type's operators
//   ?sort=-custom.size             (service/entity_defs.h: every custom field is filterable and sortable)
//   ?amount_minor[gte]=100         ranges: [gt] [gte] [lt] [lte] [ne]; [null]=true for IS NULL
//   ?cursor=...                    from the previous page's next_cursor
//   ?trashed=true                  list the trash
//
// Bounds (400, naming the parameter): at most kMaxFilters filter parameters (too_many_filters),
// search text of at most kMaxSearchBytes bytes (too_long) and kMaxSearchTerms words
// (too_many_search_terms). Together with the database's statement timeout they keep any one
// list or search within a predictable cost.
#pragma once

#include <string>
#include <vector>

#include "api/api.h"
#include "domain/entity.h"
#include "http/message.h"
#include "service/entity_defs.h"
#include "service/records.h"

namespace keel::api {

constexpr int kMaxListLimit = 200;
constexpr size_t kMaxFilters = 30;
constexpr size_t kMaxSearchBytes = 200;
constexpr size_t kMaxSearchTerms = 16;

// Checks search text from parameter `key` (UTF-8, length, number of words) and returns it.
// Every search path (lists, /search, exports) reads its text through this.
std::string parse_search_text(const std::string& value, const std::string& key);

// Reads the query against the entity's effective definition (built-in and custom fields), which
// the returned query holds on to.
service::ListQuery parse_list_query(const service::EffectiveEntityPtr& entity, const http::Request& req,
                                    const std::string& tz);
std::string encode_cursor(const service::ListQuery& q, const service::ListPage& page, const http::Request& req);

// The parameters parse_list_query reads, as the OpenAPI document states them: an entity's list
// (`paged`: limit and cursor too) or its export. The installation's custom fields are added per
// request (openapi::add_custom_fields).
std::vector<QueryParam> list_parameters(const domain::EntityDef& def, bool paged);
// What a filter parameter accepts: "Equals; also NAME[gte|gt|lte|lt|ne]=value, ...".
std::string filter_description(const std::string& name);
// Search text as parse_search_text accepts it.
boost::json::object search_text_schema();

}  // namespace keel::api
