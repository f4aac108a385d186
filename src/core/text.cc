#include "core/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <set>

namespace keel {
namespace {

constexpr size_t kMaxTermBytes = 64;
constexpr size_t kMaxCjkRun = 24;

bool is_cjk(UChar32 c) {
  UErrorCode err = U_ZERO_ERROR;
  UScriptCode sc = uscript_getScript(c, &err);
  return U_SUCCESS(err) && (sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA ||
                            sc == USCRIPT_HANGUL || sc == USCRIPT_BOPOMOFO);
}

void push_term(std::vector<std::string>& out, std::string term) {
  if (term.empty()) return;
  if (term.size() > kMaxTermBytes) {
    // Cut on a code point boundary.
    size_t cut = kMaxTermBytes;
    while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) --cut;
    term.resize(cut);
  }
  out.push_back(std::move(term));
}

// Splits folded text into runs: alphanumeric non-CJK words, and CJK runs.
struct Run {
  std::string text;
  std::vector<size_t> starts;  // byte offsets of each code point (for CJK suffixes)
  bool cjk;
};

std::vector<Run> runs(const std::string& folded) {
  std::vector<Run> out;
  Run cur{{}, {}, false};
  auto flush = [&] {
    if (!cur.text.empty()) out.push_back(std::move(cur));
    cur = Run{{}, {}, false};
  };
  int32_t i = 0, n = static_cast<int32_t>(folded.size());
  const auto* p = reinterpret_cast<const uint8_t*>(folded.data());
  while (i < n) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) {
      flush();
      continue;
    }
    bool cjk = is_cjk(c);
    bool word = cjk || u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK;
    if (!word) {
      flush();
      continue;
    }
    if (!cur.text.empty() && cur.cjk != cjk) flush();
    cur.cjk = cjk;
    cur.starts.push_back(cur.text.size());
    cur.text.append(folded, static_cast<size_t>(start), static_cast<size_t>(i - start));
  }
  flush();
  return out;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return false;  // U8_NEXT rejects overlongs, surrogates and > U+10FFFF
  }
  return true;
}

std::string to_valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  while (i < n) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0)
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER, once per ill-formed sequence
    else
      out.append(s.data() + start, static_cast<size_t>(i - start));
  }
  return out;
}

size_t utf8_length(std::string_view s) {
  size_t count = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

bool has_control_chars(std::string_view s, bool allow_newlines) {
  for (unsigned char c : s) {
    if (c == '\t') continue;
    if ((c == '\n' || c == '\r') && allow_newlines) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string fold(std::string_view s) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(err);
  if (U_FAILURE(err)) return std::string(s);
  icu::UnicodeString src = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  icu::UnicodeString dst = nfkc_cf->normalize(src, err);
  if (U_FAILURE(err)) return std::string(s);
  std::string out;
  dst.toUTF8String(out);
  return out;
}

void index_terms(std::string_view value, TermKind kind, std::vector<std::string>& out) {
  std::string folded = fold(value);
  if (kind == TermKind::email) push_term(out, folded);  // the whole address, for "alice.w@" prefixes
  if (kind == TermKind::phone) {
    // Digits only, and every tail of four or more digits: people search phones by their ending.
    std::string digits;
    for (char c : folded)
      if (c >= '0' && c <= '9') digits.push_back(c);
    for (size_t i = 0; i + 4 <= digits.size(); ++i) push_term(out, digits.substr(i));
  }
  for (Run& r : runs(folded)) {
    if (!r.cjk) {
      push_term(out, r.text);
      continue;
    }
    size_t count = std::min(r.starts.size(), kMaxCjkRun);
    for (size_t k = 0; k < count; ++k) push_term(out, r.text.substr(r.starts[k]));
  }
}

std::vector<std::string> query_terms(std::string_view query) {
  std::vector<std::string> out;
  for (Run& r : runs(fold(query))) push_term(out, r.text);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string prefix_upper_bound(std::string_view prefix) {
  // U+10FFFF encoded: sorts after any continuation of the prefix in byte order.
  return std::string(prefix) + "\xF4\x8F\xBF\xBF";
}

}  // namespace keel
