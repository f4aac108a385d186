// What every service call carries: who is asking, which request this is (for the audit log),
// and the clock that says when it happens.
#pragma once

#include <cstdint>
#include <string>

#include "auth/principal.h"
#include "core/clock.h"
#include "core/time.h"

namespace keel::service {

struct Context {
  const auth::Principal& principal;
  std::string request_id;
  const Clock& clock = system_clock();

  int64_t now_ms() const { return clock.now_ms(); }
  // "2026-11-24T08:30:00.000Z": how timestamps are stored.
  std::string now_utc() const { return format_utc(clock.now_ms()); }
};

}  // namespace keel::service
