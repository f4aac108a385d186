// auth/password.h: Argon2id hashing and the password policy.
#include "auth/password.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <cctype>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/text.h"
#include "service/sessions.h"
#include "service/users.h"
#include "store/migrations.h"
#include "temp_dir.h"

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

// ---- the cost written in a hash, and when a sign-in replaces it ------------------------------

// Restores the test cost after a test that changes it.
struct CostGuard {
  ~CostGuard() { set_hash_cost(HashCost::minimal); }
};

TEST_F(Password, HashParamsReadTheCostOfEachLevel) {
  CostGuard guard;
  auto cheap = hash_params(hash_password("a long enough password"));
  ASSERT_TRUE(cheap);
  EXPECT_EQ(cheap->algorithm, "argon2id");
  EXPECT_EQ(cheap->version, 19);
  EXPECT_EQ(cheap->memory_kib, crypto_pwhash_MEMLIMIT_MIN / 1024);
  EXPECT_EQ(cheap->passes, crypto_pwhash_OPSLIMIT_MIN);
  EXPECT_EQ(cheap->lanes, 1u);
  EXPECT_EQ(describe_cost(*cheap), "m=8,t=1,p=1");
  EXPECT_EQ(hash_cost(), HashCost::minimal);
  set_hash_cost(HashCost::interactive);
  EXPECT_EQ(hash_cost(), HashCost::interactive);
  auto dear = hash_params(hash_password("a long enough password"));
  ASSERT_TRUE(dear);
  EXPECT_EQ(dear->memory_kib, crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024);
  EXPECT_EQ(dear->passes, crypto_pwhash_OPSLIMIT_INTERACTIVE);
  EXPECT_EQ(describe_cost(*dear), "m=65536,t=2,p=1");
}

TEST_F(Password, HashParamsRejectWhatIsNotAnArgon2Hash) {
  for (const char* s : {"", "not a hash", "$argon2id$", "$argon2id$v=19$", "$argon2id$v=19$m=65536,t=2$x$y",
                        "$argon2id$v=x$m=65536,t=2,p=1$salt$hash", "$argon2d$v=19$m=65536,t=2,p=1$salt$hash",
                        "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"}) {
    EXPECT_FALSE(hash_params(s)) << s;
    EXPECT_FALSE(password_needs_rehash(s)) << s;
  }
  auto p = hash_params("$argon2i$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaA");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->algorithm, "argon2i");
  EXPECT_EQ(p->memory_kib, 4096u);
  EXPECT_EQ(p->passes, 3u);
}

TEST_F(Password, AWeakerHashNeedsRehashAtFullCost) {
  CostGuard guard;
  std::string cheap = hash_password("a long enough password");
  set_hash_cost(HashCost::interactive);
  std::string dear = hash_password("a long enough password");
  EXPECT_TRUE(password_needs_rehash(cheap));
  EXPECT_FALSE(password_needs_rehash(dear));
  // libsodium agrees that the cheap hash's parameters are not the current ones.
  EXPECT_EQ(crypto_pwhash_str_needs_rehash(cheap.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                           crypto_pwhash_MEMLIMIT_INTERACTIVE),
            1);
  // Weaker in one dimension only is weaker.
  char more_passes[crypto_pwhash_STRBYTES], more_memory[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str(more_passes, "pw-1234567", 10, 4, crypto_pwhash_MEMLIMIT_MIN), 0);
  ASSERT_EQ(crypto_pwhash_str(more_memory, "pw-1234567", 10, 1, crypto_pwhash_MEMLIMIT_INTERACTIVE), 0);
  EXPECT_TRUE(password_needs_rehash(more_passes));
  EXPECT_TRUE(password_needs_rehash(more_memory));
}

TEST_F(Password, AStrongerHashIsNeverWeakened) {
  CostGuard guard;
  set_hash_cost(HashCost::interactive);
  std::string dear = hash_password("a long enough password");
  set_hash_cost(HashCost::minimal);  // a server run with KEEL_FAST_PASSWORD_HASH=1
  std::string cheap = hash_password("a long enough password");
  EXPECT_FALSE(password_needs_rehash(dear));
  EXPECT_FALSE(password_needs_rehash(cheap));
  // (libsodium alone would call the strong hash "different", hence a rehash downwards.)
  EXPECT_EQ(crypto_pwhash_str_needs_rehash(dear.c_str(), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), 1);
}

TEST_F(Password, Argon2iHashesMoveToArgon2idUnlessThatLowersTheirCost) {
  CostGuard guard;
  char i_cheap[crypto_pwhash_STRBYTES], i_dear[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_argon2i_str(i_cheap, "pw-1234567", 10, 3, crypto_pwhash_MEMLIMIT_MIN), 0);
  ASSERT_EQ(crypto_pwhash_argon2i_str(i_dear, "pw-1234567", 10, 4, crypto_pwhash_MEMLIMIT_INTERACTIVE), 0);
  EXPECT_TRUE(verify_password(i_cheap, "pw-1234567"));
  set_hash_cost(HashCost::interactive);
  EXPECT_TRUE(password_needs_rehash(i_cheap));  // lower memory
  EXPECT_FALSE(password_needs_rehash(i_dear));  // more passes than argon2id would get now
  set_hash_cost(HashCost::minimal);
  EXPECT_FALSE(password_needs_rehash(i_cheap));  // 3 passes > 1
}

// Signing in replaces a weak stored hash, in the sign-in transaction, and audits it.
class SignInRehash : public ::testing::Test {
 protected:
  SignInRehash() : db_(store::Database::open("sqlite:" + dir_.file("keel.db"), 1)), auth_(*db_, {}) {
    set_hash_cost(HashCost::minimal);
    store::migrate(*db_);
    auto admin = service::bootstrap(*db_, "admin@keel.test");
    email_ = admin->first;
    password_ = admin->second;
  }
  ~SignInRehash() override { set_hash_cost(HashCost::minimal); }

  std::string stored() {
    std::string h;
    db_->read([&](store::Tx& tx) { h = tx.one("SELECT password_hash FROM users WHERE email = ?", {email_})->text(0); });
    return h;
  }
  std::vector<store::Row> audits() {
    std::vector<store::Row> rows;
    db_->read([&](store::Tx& tx) {
      rows = tx.query(
                   "SELECT a.user_id, a.record_id, a.changes, a.request_id, u.id FROM audit_log a "
                   "JOIN users u ON u.email = ? WHERE a.action = 'rehash_password' ORDER BY a.id",
                   {email_})
                 .rows;
    });
    return rows;
  }

  keel::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  service::AuthService auth_;
  std::string email_, password_;
};

TEST_F(SignInRehash, AWeakHashIsReplacedAtSignInAndAudited) {
  std::string weak = stored();
  EXPECT_EQ(describe_cost(*hash_params(weak)), "m=8,t=1,p=1");
  set_hash_cost(HashCost::interactive);
  auto [token, who] = auth_.login(email_, password_, "127.0.0.1", "req-rehash-1");
  EXPECT_FALSE(token.token.empty());
  std::string strong = stored();
  EXPECT_NE(strong, weak);
  EXPECT_EQ(describe_cost(*hash_params(strong)), "m=65536,t=2,p=1");
  EXPECT_FALSE(password_needs_rehash(strong));
  EXPECT_TRUE(verify_password(strong, password_));
  auto rows = audits();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].text(0), rows[0].text(4));  // by the user who signed in
  EXPECT_EQ(rows[0].text(1), who.user_id);
  EXPECT_EQ(boost::json::parse(rows[0].text(2)),
            boost::json::parse(R"({"password_cost": ["m=8,t=1,p=1", "m=65536,t=2,p=1"]})"));
  EXPECT_EQ(rows[0].text(3), "req-rehash-1");

  // Once is enough: the next sign-in keeps the hash.
  auth_.login(email_, password_, "127.0.0.1");
  EXPECT_EQ(stored(), strong);
  EXPECT_EQ(audits().size(), 1u);
}

TEST_F(SignInRehash, AWrongPasswordChangesNothing) {
  std::string weak = stored();
  set_hash_cost(HashCost::interactive);
  EXPECT_THROW(auth_.login(email_, "not the password at all", "127.0.0.1"), ApiError);
  EXPECT_EQ(stored(), weak);
  EXPECT_TRUE(audits().empty());
}

TEST_F(SignInRehash, AFastHashingServerNeverWeakensAStrongHash) {
  set_hash_cost(HashCost::interactive);
  auth_.login(email_, password_, "127.0.0.1");
  std::string strong = stored();
  set_hash_cost(HashCost::minimal);
  auth_.login(email_, password_, "127.0.0.1");
  EXPECT_EQ(stored(), strong);
  EXPECT_EQ(audits().size(), 1u);
}

TEST_F(SignInRehash, APasswordChangedMeanwhileIsNotOverwritten) {
  // The upgrade is written only over the hash that was verified: simulate a password change
  // that commits between the check and the write by changing the hash the login will compare.
  set_hash_cost(HashCost::interactive);
  db_->write([&](store::Tx& tx) {
    tx.query(
        "CREATE TRIGGER change_password_meanwhile BEFORE INSERT ON credentials BEGIN "
        "UPDATE users SET password_hash = 'changed meanwhile' WHERE email = '" +
        email_ + "'; END");
  });
  auth_.login(email_, password_, "127.0.0.1");
  EXPECT_EQ(stored(), "changed meanwhile");
  EXPECT_TRUE(audits().empty());
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

// Sign-ins beyond the slots wait instead of each taking 64 MiB at once; all still get the
// right answer.
TEST_F(Password, ConcurrentHashingIsBoundedBySlots) {
  std::string hash = hash_password("correct horse battery");
  const int threads = hash_concurrency_limit() * 4;
  std::vector<int> ok(threads, 0);
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i)
    pool.emplace_back([&, i] {
      for (int k = 0; k < 20; ++k)
        ok[i] += verify_password(hash, i % 2 ? "correct horse battery" : "wrong horse battery") ? 1 : 0;
    });
  for (auto& t : pool) t.join();
  for (int i = 0; i < threads; ++i) EXPECT_EQ(ok[i], i % 2 ? 20 : 0) << i;
  EXPECT_GE(hash_concurrency_limit(), 2);
  EXPECT_LE(hash_concurrency_peak(), hash_concurrency_limit());
  EXPECT_GE(hash_concurrency_peak(), 1);
}

}  // namespace
}  // namespace keel::auth
