#include "core/clock.h"

#include "core/time.h"

namespace keel {
namespace {

class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override { return keel::now_ms(); }
};

}  // namespace

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace keel
