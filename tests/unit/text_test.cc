// core/text.h: UTF-8 validation, code point lengths, folding and search terms.
#include "core/text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace keel {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::vector<std::string> terms(std::string_view value, TermKind kind) {
  std::vector<std::string> out;
  index_terms(value, kind, out);
  return out;
}

// True if some index term starts with `q` (how the search index is looked up).
bool prefix_matches(const std::vector<std::string>& index, const std::string& q) {
  return std::any_of(index.begin(), index.end(), [&](const std::string& t) { return t.rfind(q, 0) == 0; });
}

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("hello, world"));
  EXPECT_TRUE(is_valid_utf8("张伟"));
  EXPECT_TRUE(is_valid_utf8("Grüße"));
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));  // U+1F600, four bytes
  EXPECT_TRUE(is_valid_utf8(std::string_view("a\0b", 3)));
  // Boundaries next to the surrogate range and the top of Unicode.
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF
  EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));      // U+E000
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(Utf8, RejectsOverlongEncodings) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));  // '/' in two bytes
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));          // NUL in two bytes ("modified UTF-8")
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // '/' in three bytes
  EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // U+07FF in three bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
  EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
}

TEST(Utf8, RejectsSurrogatesAndOutOfRange) {
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));              // U+D800
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));              // U+DFFF
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\xBD\xED\xB8\x80"));  // CESU-8 pair for U+1F600
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));          // U+110000
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("\xFE"));
}

TEST(Utf8, RejectsTruncatedAndStraySequences) {
  EXPECT_FALSE(is_valid_utf8("\x80"));  // lone continuation byte
  EXPECT_FALSE(is_valid_utf8("abc\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xE5\xBC"));          // 张 cut short
  EXPECT_FALSE(is_valid_utf8("\xE5\xBC\xA0\xE4"));  // 张 then a truncated lead
  EXPECT_FALSE(is_valid_utf8("\xC3"));
  EXPECT_FALSE(is_valid_utf8("\xC3("));  // lead followed by ASCII
}

TEST(Utf8, LengthCountsCodePoints) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("张伟"), 2u);
  EXPECT_EQ(std::string("张伟").size(), 6u);
  EXPECT_EQ(utf8_length("王小明"), 3u);
  EXPECT_EQ(utf8_length("Alice 张"), 7u);
  EXPECT_EQ(utf8_length("\xF0\x9F\x98\x80"), 1u);
  EXPECT_EQ(utf8_length("Grüße"), 5u);
}

TEST(ControlChars, NewlinesOnlyWhenAllowed) {
  EXPECT_FALSE(has_control_chars("plain text", false));
  EXPECT_FALSE(has_control_chars("tab\tseparated", false));
  EXPECT_TRUE(has_control_chars("two\nlines", false));
  EXPECT_FALSE(has_control_chars("two\nlines", true));
  EXPECT_FALSE(has_control_chars("crlf\r\n", true));
  EXPECT_TRUE(has_control_chars("bell\x07", true));
  EXPECT_TRUE(has_control_chars("del\x7f", true));
  EXPECT_TRUE(has_control_chars(std::string_view("nul\0", 4), true));
  EXPECT_FALSE(has_control_chars("张伟", false));
}

TEST(Fold, FullWidthAndCaseFoldAlike) {
  EXPECT_EQ(fold("abc"), "abc");
  EXPECT_EQ(fold("ABC"), "abc");
  EXPECT_EQ(fold("ＡＢＣ"), "abc");  // full-width Latin
  EXPECT_EQ(fold("ａｂｃ"), "abc");
  EXPECT_EQ(fold("１２３"), "123");  // full-width digits
  EXPECT_EQ(fold("Straße"), "strasse");
  EXPECT_EQ(fold("ΣΊΣΥΦΟΣ"), fold("σίσυφος"));
  EXPECT_EQ(fold("张伟"), "张伟");  // Han is left as it is
  EXPECT_EQ(fold(""), "");
}

TEST(IndexTerms, LatinWordsAreFoldedWholeWords) {
  auto t = terms("Alice  WONG-Smith", TermKind::words);
  EXPECT_TRUE(contains(t, "alice"));
  EXPECT_TRUE(contains(t, "wong"));
  EXPECT_TRUE(contains(t, "smith"));
  EXPECT_FALSE(contains(t, "lice"));  // Latin words are matched by prefix, not by suffix
  auto fw = terms("ＡＣＭＥ Corp", TermKind::words);
  EXPECT_TRUE(contains(fw, "acme"));
  EXPECT_TRUE(contains(fw, "corp"));
}

TEST(IndexTerms, CjkRunsBecomeEverySuffix) {
  auto t = terms("王小明", TermKind::words);
  EXPECT_TRUE(contains(t, "王小明"));
  EXPECT_TRUE(contains(t, "小明"));
  EXPECT_TRUE(contains(t, "明"));
  EXPECT_EQ(t.size(), 3u);
  // Any substring is a prefix of some suffix.
  EXPECT_TRUE(prefix_matches(t, "小"));
  EXPECT_TRUE(prefix_matches(t, "王小"));
  EXPECT_FALSE(prefix_matches(t, "明小"));
}

TEST(IndexTerms, MixedScriptsSplitIntoRuns) {
  auto t = terms("Acme 王小明 Ltd.", TermKind::words);
  EXPECT_TRUE(contains(t, "acme"));
  EXPECT_TRUE(contains(t, "ltd"));
  EXPECT_TRUE(contains(t, "王小明"));
  EXPECT_TRUE(contains(t, "小明"));
  EXPECT_TRUE(contains(t, "明"));
  auto joined = terms("王小明Acme", TermKind::words);
  EXPECT_TRUE(contains(joined, "小明"));
  EXPECT_TRUE(contains(joined, "acme"));
}

TEST(IndexTerms, PhoneTailsOfFourOrMoreDigits) {
  auto t = terms("+86 138-1234-5678", TermKind::phone);
  EXPECT_TRUE(contains(t, "8613812345678"));  // every digit
  EXPECT_TRUE(contains(t, "13812345678"));    // without the country code
  EXPECT_TRUE(contains(t, "12345678"));
  EXPECT_TRUE(contains(t, "5678"));  // "the number ending 5678"
  EXPECT_FALSE(contains(t, "678"));  // tails are at least four digits
  // Full-width digits fold to ASCII first.
  auto fw = terms("１３８１２３４５６７８", TermKind::phone);
  EXPECT_TRUE(contains(fw, "13812345678"));
  EXPECT_TRUE(contains(fw, "5678"));
}

TEST(IndexTerms, EmailKeepsTheWholeAddress) {
  auto t = terms("Alice.W@Example.COM", TermKind::email);
  EXPECT_TRUE(contains(t, "alice.w@example.com"));
  EXPECT_TRUE(prefix_matches(t, "alice.w@"));
  EXPECT_TRUE(contains(t, "example"));  // and its words
  // Words mode does not add the whole address.
  EXPECT_FALSE(contains(terms("alice@example.com", TermKind::words), "alice@example.com"));
}

TEST(IndexTerms, TermsAreBoundedAndValidUtf8) {
  std::string long_run;
  for (int i = 0; i < 40; ++i) long_run += "测";  // 40 CJK characters, 120 bytes
  std::string long_word(300, 'a');
  auto t = terms(long_run + " " + long_word, TermKind::words);
  ASSERT_FALSE(t.empty());
  for (const auto& term : t) {
    EXPECT_LE(term.size(), 64u);
    EXPECT_TRUE(is_valid_utf8(term)) << "cut inside a code point";
  }
  // Suffixes of a long CJK run are capped (24), so one value cannot flood the index.
  size_t cjk_terms = std::count_if(t.begin(), t.end(), [](const std::string& s) { return s.rfind("测", 0) == 0; });
  EXPECT_EQ(cjk_terms, 24u);
}

TEST(IndexTerms, AppendsToOutput) {
  std::vector<std::string> out{"existing"};
  index_terms("word", TermKind::words, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], "existing");
  EXPECT_EQ(out[1], "word");
}

TEST(QueryTerms, FoldedSortedUnique) {
  EXPECT_EQ(query_terms("  Wong   ALICE  "), (std::vector<std::string>{"alice", "wong"}));
  EXPECT_EQ(query_terms("acme ACME Ａｃｍｅ"), (std::vector<std::string>{"acme"}));
  EXPECT_EQ(query_terms("小明"), (std::vector<std::string>{"小明"}));
  EXPECT_TRUE(query_terms("").empty());
  EXPECT_TRUE(query_terms("  !!! -- ").empty());
}

TEST(QueryTerms, FindRecordsThroughIndexTerms) {
  auto idx = terms("王小明", TermKind::words);
  for (const auto& q : query_terms("小明")) EXPECT_TRUE(prefix_matches(idx, q)) << q;
  for (const auto& q : query_terms("明")) EXPECT_TRUE(prefix_matches(idx, q)) << q;
  auto phone = terms("+86 138-1234-5678", TermKind::phone);
  for (const auto& q : query_terms("5678")) EXPECT_TRUE(prefix_matches(phone, q)) << q;
  auto email = terms("alice.w@example.com", TermKind::email);
  for (const auto& q : query_terms("ALICE")) EXPECT_TRUE(prefix_matches(email, q)) << q;
}

TEST(PrefixUpperBound, BoundsEveryContinuation) {
  const std::string p = "ab";
  const std::string ub = prefix_upper_bound(p);
  EXPECT_LT(p, ub);
  EXPECT_LT(std::string("abz"), ub);
  EXPECT_LT(std::string("ab\x7f"), ub);
  EXPECT_LT(std::string("ab王小明"), ub);
  EXPECT_LT(std::string("ab\xF0\x9F\x98\x80"), ub);  // ab + emoji
  EXPECT_LT(std::string("ab\xF4\x8F\xBF\xBE"), ub);  // ab + U+10FFFE
  // Strings after the prefix range are not below the bound.
  EXPECT_GT(std::string("ac"), ub);
  EXPECT_GT(std::string("b"), ub);
  EXPECT_LT(std::string("aa\xF4\x8F\xBF\xBF"), p);  // and ones before it stay before the prefix
}

TEST(PrefixUpperBound, CjkPrefix) {
  const std::string p = "王";  // U+738B, E7 8E 8B
  const std::string ub = prefix_upper_bound(p);
  EXPECT_LE(p, std::string("王小明"));
  EXPECT_LT(std::string("王小明"), ub);
  EXPECT_GT(std::string("玌"), ub);  // U+738C, the next code point
  EXPECT_GT(std::string("玌"), std::string("王小明"));
}

}  // namespace
}  // namespace keel
