#include "service/bulk.h"

#include <boost/json.hpp>

namespace keel::service {

std::vector<BulkOutcome> run_bulk(Records& records, const Context& ctx, const domain::EntityDef& def, BulkAction action,
                                  const std::vector<BulkTarget>& targets, const boost::json::object& changes) {
  std::vector<BulkOutcome> out;
  out.reserve(targets.size());
  for (const BulkTarget& t : targets) {
    BulkOutcome o{t.id, std::nullopt, std::nullopt};
    try {
      switch (action) {
        case BulkAction::update:
          o.record = records.update(ctx, def, t.id, changes, t.version).record;
          break;
        case BulkAction::remove:
          o.record = records.remove(ctx, def, t.id, t.version);
          break;
        case BulkAction::restore:
          o.record = records.restore(ctx, def, t.id, t.version);
          break;
      }
    } catch (const ApiError& e) {
      o.error = e;
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace keel::service
