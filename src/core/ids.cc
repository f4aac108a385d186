#include "core/ids.h"

#include <sodium.h>

#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace keel {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string hex(const unsigned char* p, size_t n) {
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

}  // namespace

std::string new_uuid_v7() {
  // Monotonic within this process: if the clock has not moved since the last id, the 12-bit
  // rand_a field is used as a counter (RFC 9562 section 6.2, method 1), so ids sort in mint order.
  static std::mutex mu;
  static uint64_t last_ms = 0;  // guarded by mu
  static uint16_t seq = 0;      // guarded by mu
  std::array<unsigned char, 16> b{};
  randombytes_buf(b.data(), b.size());
  uint64_t ms = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  uint16_t counter;
  {
    std::lock_guard lock(mu);
    if (ms <= last_ms) {
      ms = last_ms;
      if (++seq > 0x0fff) {  // counter exhausted: borrow the next millisecond
        ms = ++last_ms;
        seq = 0;
      }
    } else {
      last_ms = ms;
      seq = static_cast<uint16_t>((b[6] << 4 | b[7] >> 4) & 0x03ff);  // random start, room to count
    }
    counter = seq;
  }
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  b[6] = static_cast<unsigned char>(0x70 | (counter >> 8));
  b[7] = static_cast<unsigned char>(counter & 0xff);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  std::string h = hex(b.data(), b.size());
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  char version = s[14];
  char variant = static_cast<char>(std::tolower(static_cast<unsigned char>(s[19])));
  return version >= '1' && version <= '8' && (variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
}

std::string canonical_uuid(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string random_token(std::string_view prefix, size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string enc(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(enc.data(), enc.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  enc.resize(std::char_traits<char>::length(enc.c_str()));
  return std::string(prefix) + enc;
}

std::string content_hash(std::string_view bytes) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr, 0);
  return hex(out, sizeof out);
}

std::string token_hash(std::string_view token) { return content_hash(token); }

std::string base64url(std::string_view raw) {
  std::string enc(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(enc.data(), enc.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  enc.resize(std::char_traits<char>::length(enc.c_str()));
  return enc;
}

std::optional<std::string> from_base64url(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

}  // namespace keel
