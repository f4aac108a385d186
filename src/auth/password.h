// Password hashing with Argon2id (libsodium's crypto_pwhash_str), salted and self-describing,
// so the cost can be raised later and old hashes still verify.
#pragma once

#include <string>
#include <string_view>

namespace keel::auth {

enum class HashCost {
  interactive,  // production: libsodium's INTERACTIVE limits (64 MiB, 2 passes)
  minimal,      // tests only (KEEL_FAST_PASSWORD_HASH=1): the library minimum, still Argon2id
};
void set_hash_cost(HashCost cost);

std::string hash_password(std::string_view password);
bool verify_password(const std::string& hash, std::string_view password);

// Empty if acceptable, else an error code: "too_short" (< 10 code points), "too_long" (> 200 bytes).
std::string password_problem(std::string_view password);

// A printable random password for the first admin and for resets.
std::string generate_password();

}  // namespace keel::auth
