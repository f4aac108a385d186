#include "store/sql_text.h"

#include <algorithm>

namespace keel::store::sql {
namespace {

bool letter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80; }
bool digit(unsigned char c) { return c >= '0' && c <= '9'; }
// Characters that continue a name; PostgreSQL allows `$` inside one (after its first letter).
bool name_char(unsigned char c) { return letter(c) || digit(c) || c == '$'; }

// End (one past the closing quote) of a quoted run opening at `pos`: the quote doubled stands
// for itself; with `backslash`, a backslash escapes the next character (E'...' on PostgreSQL).
size_t end_of_quoted(std::string_view s, size_t pos, char quote, bool backslash) {
  for (size_t i = pos + 1; i < s.size(); ++i) {
    if (backslash && s[i] == '\\') {
      ++i;
    } else if (s[i] == quote) {
      if (i + 1 < s.size() && s[i + 1] == quote) {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  return s.size();
}

size_t end_of_block_comment(std::string_view s, size_t pos) {
  int depth = 0;
  for (size_t i = pos; i + 1 < s.size(); ++i) {
    if (s[i] == '/' && s[i + 1] == '*') {
      ++depth;
      ++i;
    } else if (s[i] == '*' && s[i + 1] == '/') {
      ++i;
      if (--depth == 0) return i + 1;
    }
  }
  return s.size();
}

// A dollar quote's opening delimiter at `pos` ("$$" or "$tag$"), or empty: `$1` is a
// parameter and `a$b` a name, not quotes.
std::string_view dollar_delimiter(std::string_view s, size_t pos) {
  if (pos > 0 && name_char(static_cast<unsigned char>(s[pos - 1]))) return {};
  size_t j = pos + 1;
  if (j < s.size() && letter(static_cast<unsigned char>(s[j])))
    while (j < s.size() && (letter(static_cast<unsigned char>(s[j])) || digit(static_cast<unsigned char>(s[j])))) ++j;
  if (j >= s.size() || s[j] != '$') return {};
  return s.substr(pos, j + 1 - pos);
}

// If a literal, identifier or comment opens at `pos`: its kind and end.
bool quoted_at(std::string_view s, size_t pos, SpanKind& kind, size_t& end) {
  const char c = s[pos];
  const char next = pos + 1 < s.size() ? s[pos + 1] : '\0';
  if (c == '\'') {
    // E'...' (or e'...'), where the E is a word of its own, takes backslash escapes.
    bool escapes = pos > 0 && (s[pos - 1] == 'E' || s[pos - 1] == 'e') &&
                   (pos < 2 || !name_char(static_cast<unsigned char>(s[pos - 2])));
    kind = SpanKind::literal;
    end = end_of_quoted(s, pos, '\'', escapes);
  } else if (c == '"') {
    kind = SpanKind::identifier;
    end = end_of_quoted(s, pos, '"', false);
  } else if (c == '-' && next == '-') {
    kind = SpanKind::comment;
    end = std::min(s.find('\n', pos), s.size());
  } else if (c == '/' && next == '*') {
    kind = SpanKind::comment;
    end = end_of_block_comment(s, pos);
  } else if (c == '$') {
    std::string_view delimiter = dollar_delimiter(s, pos);
    if (delimiter.empty()) return false;
    size_t close = s.find(delimiter, pos + delimiter.size());
    kind = SpanKind::literal;
    end = close == std::string_view::npos ? s.size() : close + delimiter.size();
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::vector<Span> scan(std::string_view sql) {
  std::vector<Span> spans;
  size_t code_start = 0;
  for (size_t i = 0; i < sql.size();) {
    SpanKind kind;
    size_t end;
    if (!quoted_at(sql, i, kind, end)) {
      ++i;
      continue;
    }
    if (i > code_start) spans.push_back({SpanKind::code, sql.substr(code_start, i - code_start)});
    spans.push_back({kind, sql.substr(i, end - i)});
    i = code_start = end;
  }
  if (code_start < sql.size()) spans.push_back({SpanKind::code, sql.substr(code_start)});
  return spans;
}

std::string number_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (const Span& span : scan(sql)) {
    if (span.kind != SpanKind::code) {
      out += span.text;
      continue;
    }
    for (char c : span.text) {
      if (c == '?') {
        out += '$';
        out += std::to_string(++n);
      } else {
        out += c;
      }
    }
  }
  return out;
}

}  // namespace keel::store::sql
