// Saved views: a list's filters, search, sort and columns kept under a name, one click away on
// the list screen. A view is personal, or shared: a shared view is seen by every member of its
// owner's team (by everyone when the owner is in no team). Sharing is for team managers and
// administrators, the people who set how a team works; anyone who may read an entity keeps
// personal views of it.
//
// A view stores the list's query as the list screen writes it in the address (`query`, a URL
// query string such as "owner_id=...&sort=-amount_minor"), so the same view works from the web
// app and from the API (GET /api/v1/deals?<query>). Its filters are checked when the list runs,
// against the fields of that moment: a view whose custom field was deleted answers 400 there,
// not a wrong list.
//
// Written through write_versioned (audit and change log, 412 with `current` on a stale
// version). Deleting a view removes it (it is a preference, not customer data: there is no trash).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "domain/body.h"
#include "service/context.h"
#include "store/db.h"

namespace keel::service {

// {entity, name (1-100, unique per owner and entity), query (a URL query string, up to 2000),
// columns (up to 50 field names), shared (boolean), version (on a change)}.
const domain::BodyDef& saved_view_create_body();
const domain::BodyDef& saved_view_update_body();  // the same, nothing required, entity fixed

// The views of `entity` the caller sees: their own, then shared ones, each by name. 403 when the
// caller may not read the entity.
boost::json::array list_saved_views(store::Tx& tx, const Context& ctx, const std::string& entity);
// 404 unless the caller sees it.
boost::json::object get_saved_view(store::Tx& tx, const Context& ctx, const std::string& id);
// 422 on the body; 403 when sharing without being a team manager or administrator; 409
// name_taken.
boost::json::object create_saved_view(store::Tx& tx, const Context& ctx, const boost::json::object& body);
// Only the owner or an administrator changes or deletes a view (403 for others who see it, 404
// for those who do not). 412 version_conflict on a stale version.
boost::json::object update_saved_view(store::Tx& tx, const Context& ctx, const std::string& id,
                                      const boost::json::object& body, std::optional<int64_t> version);
void delete_saved_view(store::Tx& tx, const Context& ctx, const std::string& id, std::optional<int64_t> version);

}  // namespace keel::service
