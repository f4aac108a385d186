// core/ids.h: UUIDv7 record ids and secret tokens.
#include "core/ids.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/time.h"

namespace keel {
namespace {

bool is_lower_hex(const std::string& s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

TEST(UuidV7, CanonicalVersion7) {
  std::string id = new_uuid_v7();
  ASSERT_EQ(id.size(), 36u);
  EXPECT_TRUE(is_uuid(id)) << id;
  EXPECT_EQ(id[8], '-');
  EXPECT_EQ(id[13], '-');
  EXPECT_EQ(id[18], '-');
  EXPECT_EQ(id[23], '-');
  EXPECT_EQ(id[14], '7') << id;                                          // version nibble
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;  // RFC 9562 variant
  EXPECT_EQ(canonical_uuid(id), id);                                     // already lower case
  std::string hex;
  for (char c : id)
    if (c != '-') hex.push_back(c);
  EXPECT_TRUE(is_lower_hex(hex)) << id;
}

TEST(UuidV7, CarriesTheCurrentTime) {
  int64_t before = now_ms();
  std::string id = new_uuid_v7();
  int64_t after = now_ms();
  std::string ts = id.substr(0, 8) + id.substr(9, 4);  // the 48-bit unix_ts_ms
  int64_t ms = static_cast<int64_t>(std::stoull(ts, nullptr, 16));
  // Ids minted in a burst may borrow a few future milliseconds; allow a little slack.
  EXPECT_GE(ms, before);
  EXPECT_LE(ms, after + 1000);
}

TEST(UuidV7, MonotonicInMintOrder) {
  constexpr int kCount = 10000;
  std::vector<std::string> ids;
  ids.reserve(kCount);
  for (int i = 0; i < kCount; ++i) ids.push_back(new_uuid_v7());
  for (int i = 1; i < kCount; ++i) {
    ASSERT_LT(ids[i - 1], ids[i]) << "id " << i << " does not sort after the one before it";
  }
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), ids.size());
  for (const auto& id : ids) {
    ASSERT_TRUE(is_uuid(id)) << id;
    ASSERT_EQ(id[14], '7') << id;
  }
}

TEST(IsUuid, AcceptsCanonicalRfc9562) {
  EXPECT_TRUE(is_uuid("018f3e5c-7b2a-7c3d-8e4f-0123456789ab"));
  EXPECT_TRUE(is_uuid("018F3E5C-7B2A-7C3D-BE4F-0123456789AB"));  // any case
  EXPECT_TRUE(is_uuid("123e4567-e89b-42d3-a456-426614174000"));  // v4
  EXPECT_TRUE(is_uuid("123e4567-e89b-12d3-9456-426614174000"));  // v1
  EXPECT_TRUE(is_uuid("123e4567-e89b-82d3-a456-426614174000"));  // v8
}

TEST(IsUuid, RejectsEverythingElse) {
  EXPECT_FALSE(is_uuid(""));
  EXPECT_FALSE(is_uuid("not-a-uuid"));
  EXPECT_FALSE(is_uuid("018f3e5c7b2a7c3d8e4f0123456789ab"));        // no dashes
  EXPECT_FALSE(is_uuid("{018f3e5c-7b2a-7c3d-8e4f-0123456789ab}"));  // braces
  EXPECT_FALSE(is_uuid("018f3e5c-7b2a-7c3d-8e4f-0123456789a"));     // short
  EXPECT_FALSE(is_uuid("018f3e5c-7b2a-7c3d-8e4f-0123456789abc"));   // long
  EXPECT_FALSE(is_uuid("018f3e5c-7b2a7-c3d-8e4f-0123456789ab"));    // dash misplaced
  EXPECT_FALSE(is_uuid("018f3e5g-7b2a-7c3d-8e4f-0123456789ab"));    // not hex
  EXPECT_FALSE(is_uuid("00000000-0000-0000-0000-000000000000"));    // nil: version 0
  EXPECT_FALSE(is_uuid("018f3e5c-7b2a-9c3d-8e4f-0123456789ab"));    // version 9
  EXPECT_FALSE(is_uuid("018f3e5c-7b2a-7c3d-ce4f-0123456789ab"));    // Microsoft variant
  EXPECT_FALSE(is_uuid("018f3e5c-7b2a-7c3d-0e4f-0123456789ab"));    // NCS variant
}

TEST(CanonicalUuid, LowerCases) {
  EXPECT_EQ(canonical_uuid("018F3E5C-7B2A-7C3D-BE4F-0123456789AB"), "018f3e5c-7b2a-7c3d-be4f-0123456789ab");
}

TEST(RandomToken, PrefixAndLength) {
  std::string t = random_token("kls_");
  ASSERT_EQ(t.rfind("kls_", 0), 0u) << t;
  // 32 bytes in unpadded base64url are 43 characters.
  EXPECT_EQ(t.size(), 4u + 43u) << t;
  for (char c : t.substr(4)) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    EXPECT_TRUE(ok) << "not base64url: " << c;
  }
  EXPECT_EQ(random_token("", 16).size(), 22u);
  EXPECT_EQ(random_token("x_", 3).size(), 2u + 4u);
}

TEST(RandomToken, Unpredictable) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(random_token("kls_"));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(TokenHash, StableHexBlake2b256) {
  std::string t = random_token("kls_");
  std::string h = token_hash(t);
  ASSERT_EQ(h.size(), 64u);
  EXPECT_TRUE(is_lower_hex(h)) << h;
  EXPECT_EQ(token_hash(t), h);  // same input, same hash
  EXPECT_NE(token_hash(t + "x"), h);
  EXPECT_NE(h, t);
  // Known BLAKE2b-256 vectors (unkeyed, 32-byte digest).
  EXPECT_EQ(token_hash(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(token_hash("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  EXPECT_EQ(content_hash("abc"), token_hash("abc"));
}

}  // namespace
}  // namespace keel
