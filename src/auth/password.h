// Password hashing with Argon2id (libsodium's crypto_pwhash_str), salted and self-describing,
// so the cost can be raised later and old hashes still verify.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keel::auth {

enum class HashCost {
  interactive,  // production: libsodium's INTERACTIVE limits (64 MiB, 2 passes)
  minimal,      // tests only (KEEL_FAST_PASSWORD_HASH=1): the library minimum, still Argon2id
};
// Switching to `minimal` writes a warning to stderr (once per process): such hashes are cheap
// to crack, and they stay in the database until their users sign in on a server at full cost.
void set_hash_cost(HashCost cost);
HashCost hash_cost();

// Both take one of a fixed number of slots (one per core, at least 2) for the duration of the
// Argon2id computation, so concurrent sign-ins use at most cores x 64 MiB; callers beyond that
// wait for a slot.
std::string hash_password(std::string_view password);
bool verify_password(const std::string& hash, std::string_view password);
int hash_concurrency_limit();  // the number of slots
int hash_concurrency_peak();   // the most slots ever in use at once in this process

// The parameters written into a stored hash ("$argon2id$v=19$m=65536,t=2,p=1$salt$hash").
struct HashParams {
  std::string algorithm;  // "argon2id" or "argon2i"
  int version = 0;        // 19 for Argon2 1.3
  uint64_t memory_kib = 0;
  uint64_t passes = 0;
  uint64_t lanes = 0;
};
std::optional<HashParams> hash_params(std::string_view hash);
// "m=65536,t=2,p=1": a hash's cost, for logs and the audit trail (never the salt or the hash).
std::string describe_cost(const HashParams& p);

// True when the stored hash is weaker than what hash_password makes now: less memory or fewer
// passes (or Argon2i, or an older Argon2 version). A sign-in with such a hash replaces it. A hash
// above the current cost is left alone, so a server run with KEEL_FAST_PASSWORD_HASH=1 never
// weakens hashes made at full cost. False for a string that is not an Argon2 hash.
bool password_needs_rehash(std::string_view hash);

// Empty if acceptable, else an error code: "too_short" (< 10 code points), "too_long" (> 200 bytes).
std::string password_problem(std::string_view password);

// A printable random password for the first admin and for resets.
std::string generate_password();

}  // namespace keel::auth
