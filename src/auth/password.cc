#include "auth/password.h"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <semaphore>
#include <stdexcept>
#include <thread>

#include "core/text.h"

namespace keel::auth {
namespace {
std::atomic<HashCost> g_cost{HashCost::interactive};
std::atomic<bool> g_warned{false};

struct Limits {
  unsigned long long ops;
  size_t mem;  // bytes
};
Limits current_limits() {
  if (g_cost == HashCost::minimal) return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

// At most this many Argon2id computations run at once; the others wait their turn. Each takes
// 64 MiB for about a second, and the server runs 4 request threads per core: without a bound, a
// burst of sign-ins (or of wrong passwords from many addresses, which the per-address limit does
// not stop) would take threads x 64 MiB. With one per core the memory is cores x 64 MiB and the
// total throughput the same (the work is CPU-bound).
std::counting_semaphore<1024>& hash_slots() {
  static std::counting_semaphore<1024> slots(hash_concurrency_limit());
  return slots;
}
std::atomic<int> g_in_use{0};
std::atomic<int> g_peak{0};
struct HashSlot {
  HashSlot() {
    hash_slots().acquire();
    int now = ++g_in_use;
    int peak = g_peak.load();
    while (now > peak && !g_peak.compare_exchange_weak(peak, now)) {
    }
  }
  ~HashSlot() {
    --g_in_use;
    hash_slots().release();
  }
  HashSlot(const HashSlot&) = delete;
  HashSlot& operator=(const HashSlot&) = delete;
};

// "name=123" at the front of s; advances s past it.
bool take_number(std::string_view& s, std::string_view name, uint64_t& out) {
  if (s.substr(0, name.size()) != name) return false;
  s.remove_prefix(name.size());
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end == s.data()) return false;
  s.remove_prefix(static_cast<size_t>(end - s.data()));
  return true;
}
}  // namespace

void set_hash_cost(HashCost cost) {
  g_cost = cost;
  // On stderr, which the command-line tools keep free of their output, and without the words
  // their callers grep for. `keel serve` also logs it (service::AuthService).
  if (cost == HashCost::minimal && !g_warned.exchange(true))
    std::fputs(
        "keel: WARNING: KEEL_FAST_PASSWORD_HASH=1: new Argon2id hashes use the library minimum cost "
        "(8 KiB, 1 pass) and are cheap to crack. For tests only; never set it in production.\n",
        stderr);
}

HashCost hash_cost() { return g_cost; }

int hash_concurrency_limit() { return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 2u, 1024u)); }
int hash_concurrency_peak() { return g_peak.load(); }

std::string hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  Limits l = current_limits();
  HashSlot slot;
  if (crypto_pwhash_str(out, password.data(), password.size(), l.ops, l.mem) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

std::optional<HashParams> hash_params(std::string_view s) {
  HashParams p;
  for (std::string_view alg : {"argon2id", "argon2i"}) {
    std::string prefix = "$" + std::string(alg) + "$";
    if (s.substr(0, prefix.size()) == prefix) {
      p.algorithm = std::string(alg);
      s.remove_prefix(prefix.size());
      break;
    }
  }
  if (p.algorithm.empty()) return std::nullopt;
  uint64_t v = 0;
  if (!take_number(s, "v=", v) || s.substr(0, 1) != "$") return std::nullopt;
  s.remove_prefix(1);
  p.version = static_cast<int>(v);
  if (!take_number(s, "m=", p.memory_kib) || s.substr(0, 1) != ",") return std::nullopt;
  s.remove_prefix(1);
  if (!take_number(s, "t=", p.passes) || s.substr(0, 1) != ",") return std::nullopt;
  s.remove_prefix(1);
  if (!take_number(s, "p=", p.lanes) || s.substr(0, 1) != "$") return std::nullopt;
  return p;
}

std::string describe_cost(const HashParams& p) {
  return "m=" + std::to_string(p.memory_kib) + ",t=" + std::to_string(p.passes) + ",p=" + std::to_string(p.lanes);
}

bool password_needs_rehash(std::string_view hash) {
  auto p = hash_params(hash);
  if (!p) return false;
  Limits l = current_limits();
  bool lower = p->memory_kib < l.mem / 1024 || p->passes < l.ops;
  bool higher = p->memory_kib > l.mem / 1024 || p->passes > l.ops;
  // Argon2i, or Argon2 before version 1.3: replaced unless that would lower its cost.
  if (p->algorithm != "argon2id" || p->version < 0x13) return lower || !higher;
  // libsodium tells whether the parameters differ from the current ones at all; of those, only
  // lower ones are replaced.
  std::string z(hash);
  if (crypto_pwhash_str_needs_rehash(z.c_str(), l.ops, l.mem) == 0) return false;
  return lower;
}

bool verify_password(const std::string& hash, std::string_view password) {
  if (hash.empty()) return false;
  HashSlot slot;
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
