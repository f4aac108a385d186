// service/journal.h: diff_records, the {"field": [old, new]} of every audit entry.
#include "service/journal.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace keel::service {
namespace {
namespace json = boost::json;

json::object obj(const char* text) { return json::parse(text).as_object(); }

TEST(DiffRecords, ACreateListsEveryFieldWithAValueFromNull) {
  json::object d = diff_records({}, obj(R"({"id":"a","name":"Acme","city":null,"tags":["vip"]})"));
  // A field that stays null is no change.
  EXPECT_EQ(d, obj(R"({"id":[null,"a"],"name":[null,"Acme"],"tags":[null,["vip"]]})"));
}

TEST(DiffRecords, AnUpdateListsOnlyWhatChanged) {
  json::object before = obj(R"({"name":"Acme","city":"上海","amount_minor":100,"tags":["a","b"]})");
  json::object after = obj(R"({"name":"Acme","city":"北京","amount_minor":100,"tags":["b","a"]})");
  // Lists compare as lists: another order is a change.
  EXPECT_EQ(diff_records(before, after), obj(R"({"city":["上海","北京"],"tags":[["a","b"],["b","a"]]})"));
  EXPECT_TRUE(diff_records(before, before).empty());
}

TEST(DiffRecords, TypesAreCompared) {
  EXPECT_EQ(diff_records(obj(R"({"n":1})"), obj(R"({"n":"1"})")), obj(R"({"n":[1,"1"]})"));
  EXPECT_EQ(diff_records(obj(R"({"b":false})"), obj(R"({"b":null})")), obj(R"({"b":[false,null]})"));
}

TEST(DiffRecords, AMemberMissingOnOneSideIsNull) {
  EXPECT_EQ(diff_records(obj(R"({"gone":"x","empty":null})"), obj(R"({})")), obj(R"({"gone":["x",null]})"));
  EXPECT_EQ(diff_records(obj(R"({})"), obj(R"({"new":0})")), obj(R"({"new":[null,0]})"));
}

TEST(DiffRecords, BookkeepingColumnsAreLeftOut) {
  json::object before = obj(
      R"({"version":1,"created_at":"t1","created_by":"u1","updated_at":"t1","updated_by":"u1","custom":{},
          "deleted_at":null,"owner_id":"u1"})");
  json::object after = obj(
      R"({"version":2,"created_at":"t2","created_by":"u2","updated_at":"t2","updated_by":"u2","custom":{},
          "deleted_at":"t2","owner_id":"u2"})");
  // Trash and ownership are what people ask the history about; the rest is bookkeeping.
  EXPECT_EQ(diff_records(before, after), obj(R"({"deleted_at":[null,"t2"],"owner_id":["u1","u2"]})"));
}

TEST(DiffRecords, CustomFieldsAppearByNameUnderCustom) {
  json::object before = obj(R"({"custom":{"region":"East","size":"12.50","gone":"x"}})");
  json::object after = obj(R"({"custom":{"region":"West","size":"12.50","added":true}})");
  EXPECT_EQ(diff_records(before, after),
            obj(R"({"custom.region":["East","West"],"custom.gone":["x",null],"custom.added":[null,true]})"));
  // A custom that is not an object counts as empty.
  EXPECT_EQ(diff_records(obj(R"({"custom":null})"), obj(R"({"custom":{"a":1}})")), obj(R"({"custom.a":[null,1]})"));
}

TEST(DiffRecords, OnlyTopLevelBookkeepingNamesAreSkipped) {
  // A custom field may be called "version": it is a value like any other.
  EXPECT_EQ(diff_records(obj(R"({"custom":{"version":"1"}})"), obj(R"({"custom":{"version":"2"}})")),
            obj(R"({"custom.version":["1","2"]})"));
}

}  // namespace
}  // namespace keel::service
