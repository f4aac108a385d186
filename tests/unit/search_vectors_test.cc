// The search-term vectors shared with the web app (tests/vectors/search_terms.json): the
// offline search on a phone must fold text and cut terms exactly as the server does, so both
// sides are checked against the same file (web/src/lib/searchTerms.test.ts reads it too).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/text.h"

#ifndef KEEL_SOURCE_DIR
#error "tests/CMakeLists.txt defines KEEL_SOURCE_DIR (the repository root)"
#endif

namespace keel {
namespace {

namespace json = boost::json;

const json::object& vectors() {
  static const json::value v = [] {
    std::ifstream in(std::filesystem::path(KEEL_SOURCE_DIR) / "tests" / "vectors" / "search_terms.json");
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
  }();
  return v.as_object();
}

std::vector<std::string> strings(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.as_array()) out.emplace_back(s.as_string());
  return out;
}

TermKind kind_of(std::string_view k) {
  if (k == "email") return TermKind::email;
  if (k == "phone") return TermKind::phone;
  return TermKind::words;
}

TEST(SearchVectors, FoldLikeTheFile) {
  for (const auto& pair : vectors().at("fold").as_array()) {
    const auto& p = pair.as_array();
    EXPECT_EQ(fold(p.at(0).as_string()), std::string(p.at(1).as_string())) << p.at(0).as_string();
  }
}

TEST(SearchVectors, IndexTermsLikeTheFile) {
  for (const auto& c : vectors().at("index").as_array()) {
    const auto& o = c.as_object();
    std::vector<std::string> got;
    index_terms(o.at("value").as_string(), kind_of(o.at("kind").as_string()), got);
    EXPECT_EQ(got, strings(o.at("terms"))) << o.at("value").as_string();
  }
}

TEST(SearchVectors, QueryTermsLikeTheFile) {
  for (const auto& c : vectors().at("query").as_array()) {
    const auto& o = c.as_object();
    EXPECT_EQ(query_terms(o.at("query").as_string()), strings(o.at("terms"))) << o.at("query").as_string();
  }
}

// The rule the server's SQL applies (every query term is a prefix of some index term of the
// record), here over the terms themselves.
bool matches(const json::object& record, std::string_view query) {
  std::vector<std::string> terms;
  for (const auto& [kind, values] : record)
    for (const auto& v : values.as_array()) index_terms(v.as_string(), kind_of(kind), terms);
  auto q = query_terms(query);
  if (q.empty()) return false;
  return std::all_of(q.begin(), q.end(), [&](const std::string& t) {
    return std::any_of(terms.begin(), terms.end(), [&](const std::string& x) { return x.starts_with(t); });
  });
}

TEST(SearchVectors, RecordsFoundAndMissedLikeTheFile) {
  for (const auto& c : vectors().at("matches").as_array()) {
    const auto& o = c.as_object();
    const auto& record = o.at("record").as_object();
    for (const auto& q : strings(o.at("find"))) EXPECT_TRUE(matches(record, q)) << q;
    for (const auto& q : strings(o.at("miss"))) EXPECT_FALSE(matches(record, q)) << q;
  }
}

}  // namespace
}  // namespace keel
