#include "auth/password.h"

#include <sodium.h>

#include <atomic>
#include <stdexcept>

#include "core/text.h"

namespace keel::auth {
namespace {
std::atomic<HashCost> g_cost{HashCost::interactive};
}

void set_hash_cost(HashCost cost) { g_cost = cost; }

std::string hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  bool fast = g_cost == HashCost::minimal;
  if (crypto_pwhash_str(out, password.data(), password.size(),
                        fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool verify_password(const std::string& hash, std::string_view password) {
  if (hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string password_problem(std::string_view password) {
  if (utf8_length(password) < 10) return "too_short";
  if (password.size() > 200) return "too_long";
  return {};
}

std::string generate_password() {
  // 16 characters from an alphabet without look-alikes (0/O, 1/l/I): ~93 bits.
  static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 16; ++i) out.push_back(alphabet[randombytes_uniform(sizeof alphabet - 1)]);
  return out;
}

}  // namespace keel::auth
