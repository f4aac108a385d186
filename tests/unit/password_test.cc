// auth/password.h: Argon2id hashing and the password policy.
#include "auth/password.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "core/text.h"

namespace keel::auth {
namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

class Password : public ::testing::Test {
 protected:
  // Production cost takes 64 MiB and tens of milliseconds per hash; tests use the minimum.
  static void SetUpTestSuite() { set_hash_cost(HashCost::minimal); }
};

TEST_F(Password, HashVerifies) {
  std::string h = hash_password("correct horse battery staple");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;  // self-describing Argon2id
  EXPECT_TRUE(verify_password(h, "correct horse battery staple"));
}

TEST_F(Password, WrongPasswordFails) {
  std::string h = hash_password("correct horse battery staple");
  EXPECT_FALSE(verify_password(h, "correct horse battery stapl"));
  EXPECT_FALSE(verify_password(h, "Correct horse battery staple"));
  EXPECT_FALSE(verify_password(h, ""));
  EXPECT_FALSE(verify_password(h, "correct horse battery staple "));
}

TEST_F(Password, SaltedSoEqualPasswordsHashDifferently) {
  std::string a = hash_password("same password 123");
  std::string b = hash_password("same password 123");
  EXPECT_NE(a, b);
  EXPECT_TRUE(verify_password(a, "same password 123"));
  EXPECT_TRUE(verify_password(b, "same password 123"));
}

TEST_F(Password, UnicodePasswords) {
  std::string pw = "我的密码很安全的一句话";
  std::string h = hash_password(pw);
  EXPECT_TRUE(verify_password(h, pw));
  EXPECT_FALSE(verify_password(h, "我的密码很安全的一句"));
}

TEST_F(Password, GarbageHashesNeverVerify) {
  EXPECT_FALSE(verify_password("", "anything at all"));
  EXPECT_FALSE(verify_password("", ""));
  EXPECT_FALSE(verify_password("not a hash", "not a hash"));
  EXPECT_FALSE(verify_password("$argon2id$v=19$m=65536,t=2,p=1$", "password123"));
}

TEST_F(Password, HashesFromTheOtherCostStillVerify) {
  // The cost is in the hash string, so raising it later keeps old hashes valid.
  std::string cheap = hash_password("a long enough password");
  set_hash_cost(HashCost::interactive);
  std::string dear = hash_password("a long enough password");
  set_hash_cost(HashCost::minimal);
  EXPECT_NE(cheap.substr(0, 30), dear.substr(0, 30));  // different m=/t= parameters
  EXPECT_TRUE(verify_password(cheap, "a long enough password"));
  EXPECT_TRUE(verify_password(dear, "a long enough password"));
}

TEST(PasswordProblem, TooShortCountsCodePoints) {
  EXPECT_EQ(password_problem(""), "too_short");
  EXPECT_EQ(password_problem("short"), "too_short");
  EXPECT_EQ(password_problem("123456789"), "too_short");
  EXPECT_EQ(password_problem("1234567890"), "");
  // Nine Chinese characters are 27 bytes but still nine characters.
  EXPECT_EQ(password_problem(repeat("密", 9)), "too_short");
  EXPECT_EQ(password_problem(repeat("密", 10)), "");
}

TEST(PasswordProblem, TooLongCountsBytes) {
  EXPECT_EQ(password_problem(std::string(200, 'a')), "");
  EXPECT_EQ(password_problem(std::string(201, 'a')), "too_long");
  EXPECT_EQ(password_problem(repeat("密", 66)), "");          // 198 bytes
  EXPECT_EQ(password_problem(repeat("密", 67)), "too_long");  // 201 bytes
}

TEST(GeneratePassword, AcceptableAndUnambiguous) {
  std::string last;
  for (int i = 0; i < 100; ++i) {
    std::string pw = generate_password();
    ASSERT_EQ(pw.size(), 16u);
    EXPECT_EQ(password_problem(pw), "") << pw;
    EXPECT_EQ(pw.find_first_of("0O1lI"), std::string::npos) << pw;
    for (char c : pw) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << pw;
    EXPECT_NE(pw, last);
    last = pw;
  }
}

}  // namespace
}  // namespace keel::auth
