#include "service/scope.h"

namespace keel::service {

using auth::Scope;

SqlFilter scope_filter(const auth::Principal& p, Scope scope, const std::string& owner_column) {
  switch (scope) {
    case Scope::all:
      return {"1=1", {}};
    case Scope::none:
      return {"1=0", {}};
    case Scope::own:
      return {owner_column + " = ?", {p.user_id}};
    case Scope::team:
      return {"(" + owner_column + " = ? OR " + owner_column +
                  " IN (SELECT tu.id FROM users tu WHERE tu.team_id IN "
                  "(SELECT tt.id FROM teams tt WHERE tt.id = ? OR tt.manager_id = ?)))",
              {p.user_id, p.team_id, p.user_id}};
  }
  return {"1=0", {}};
}

bool owner_in_scope(store::Tx& tx, const auth::Principal& p, Scope scope, const std::string& owner_id) {
  if (scope == Scope::all) return true;
  if (scope == Scope::none) return false;
  if (owner_id == p.user_id) return true;
  if (scope == Scope::own) return false;
  SqlFilter f = scope_filter(p, scope, "u.id");
  store::Params params{owner_id};
  params.insert(params.end(), f.params.begin(), f.params.end());
  return tx.one("SELECT 1 FROM users u WHERE u.id = ? AND " + f.sql, params).has_value();
}

}  // namespace keel::service
