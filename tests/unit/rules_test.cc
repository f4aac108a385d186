// service/rules.h: the hook table names entities that exist and gives each its rules.
#include "service/rules.h"

#include <gtest/gtest.h>

namespace keel::service {
namespace {

TEST(EntityHooks, EachEntityGetsItsOwnRules) {
  const auto& deals = hooks_of(*domain::find_entity("deals"));
  EXPECT_TRUE(deals.before_save && deals.after_save && deals.before_restore && deals.after_restore);
  EXPECT_EQ(deals.before_delete, nullptr);
  const auto& pipelines = hooks_of(*domain::find_entity("pipelines"));
  EXPECT_TRUE(pipelines.before_save && pipelines.before_delete);
  EXPECT_EQ(hooks_of(*domain::find_entity("contacts")).before_save,
            hooks_of(*domain::find_entity("leads")).before_save);
  // What leads add to the person rules is in the table, not a test of the entity's name.
  EXPECT_NE(hooks_of(*domain::find_entity("leads")).before_save_own, nullptr);
  EXPECT_EQ(hooks_of(*domain::find_entity("contacts")).before_save_own, nullptr);
  const auto& accounts = hooks_of(*domain::find_entity("accounts"));
  EXPECT_FALSE(accounts.before_save || accounts.after_save || accounts.before_restore || accounts.after_restore ||
               accounts.before_delete);
}

}  // namespace
}  // namespace keel::service
