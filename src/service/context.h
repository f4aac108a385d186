// What every service call carries: who is asking and which request this is (for the audit log).
#pragma once

#include <string>

#include "auth/principal.h"

namespace keel::service {

struct Context {
  const auth::Principal& principal;
  std::string request_id;
};

}  // namespace keel::service
