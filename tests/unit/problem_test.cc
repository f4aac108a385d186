// api/problem.h: every error kind has its own status, and the HTTP server's statuses map back.
#include "api/problem.h"

#include <gtest/gtest.h>

#include <set>

namespace keel {
namespace {

constexpr ErrorKind kAll[] = {ErrorKind::bad_request,
                              ErrorKind::unauthenticated,
                              ErrorKind::forbidden,
                              ErrorKind::not_found,
                              ErrorKind::method_not_allowed,
                              ErrorKind::conflict,
                              ErrorKind::precondition_failed,
                              ErrorKind::too_large,
                              ErrorKind::headers_too_large,
                              ErrorKind::unsupported_media_type,
                              ErrorKind::invalid,
                              ErrorKind::rate_limited,
                              ErrorKind::internal,
                              ErrorKind::not_implemented,
                              ErrorKind::unavailable};

TEST(Problem, EachKindHasItsOwnStatusAndMapsBack) {
  std::set<int> seen;
  for (ErrorKind k : kAll) {
    int s = api::http_status(k);
    EXPECT_TRUE(s >= 400 && s <= 599) << s;
    EXPECT_TRUE(seen.insert(s).second) << "two kinds share status " << s;
    EXPECT_EQ(api::kind_for_status(s), k) << s;
  }
  EXPECT_EQ(api::http_status(ErrorKind::precondition_failed), 412);
  EXPECT_EQ(api::http_status(ErrorKind::invalid), 422);
  EXPECT_EQ(api::kind_for_status(418), ErrorKind::internal);
}

}  // namespace
}  // namespace keel
