// Keel's own checks of the data it stores, the part of `keel check` (ops::check) that is the same
// on both engines: links between records that point at nothing, records whose owner is not a
// user, records whose current version has no change-log entry, and deals off their pipeline's
// stages. Each problem is one line naming the record.
#pragma once

#include <string>
#include <vector>

#include "store/db.h"

namespace keel::service {

// At most 20 problems of each kind per entity (a broken database says so without listing it all).
std::vector<std::string> record_problems(store::Tx& tx);

}  // namespace keel::service
