// Record scopes: which records a principal reaches with one scope of their role (auth::Scope:
// none, own, team, all). Every path that reads or checks records goes through these two
// functions: lists, search, totals, export, the change log (scope_filter, as a WHERE condition)
// and single records, references and writes (owner_in_scope), so they cannot disagree
// (tests/unit/principal_test.cc runs both for every scope, caller and owner). They live in the
// service layer because they are SQL: no SQL, not even a WHERE fragment, is written above it
// (docs/architecture.md, scripts/check).
#pragma once

#include <string>

#include "auth/principal.h"
#include "store/db.h"

namespace keel::service {

// A SQL condition (with its parameters, in the order of its placeholders) that holds for rows
// whose `owner_column` lies within `scope` for `p`. "team" is the caller's own rows, and those
// owned by members of the caller's team and of the teams the caller manages.
struct SqlFilter {
  std::string sql;
  store::Params params;
};
SqlFilter scope_filter(const auth::Principal& p, auth::Scope scope, const std::string& owner_column);

// True if a record owned by `owner_id` lies within `scope` for `p` (one query at most).
bool owner_in_scope(store::Tx& tx, const auth::Principal& p, auth::Scope scope, const std::string& owner_id);

}  // namespace keel::service
