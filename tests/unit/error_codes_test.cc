// core/error_codes.h against the sources: every error code that src/ throws or adds is in the
// list, with the right kind and status, and every code in the list is sent somewhere. The web
// app's tests require a message in each language for every listed code (they read the OpenAPI
// document's x-error-codes), so a new code fails a suite until it is listed and translated.
//
// The scan reads the C++ sources as text (comments removed, string literals kept apart). It
// starts from the ways an error is built:
//   ApiError(status, "code", ...), ApiError e(status, "code", ...)        problem code
//   <a FieldErrors>.add(field, "code", ...)                                field code
//   validation_failed({{field, "code", ...}, ...}), ApiError's 4th argument,
//   FieldError{field, "code", ...}                                         field codes
//   (4xx/5xx, "code" ...) or {4xx/5xx, "code" ...} in any call or struct   problem code
// A code argument may be a literal, a ternary of them, a local variable (its initialiser is
// read), a call of a function defined in src/ (its return statements are read), or a member
// `x.code` / `x.code()` (an error built elsewhere and sent on). When it is a parameter of the
// enclosing function, that function is a builder too (bad_request, conflict, bad_param, the HTTP
// server's refuse, ...) and its calls are scanned, until no new builder turns up. Anything else
// is reported, so a code cannot slip through unread.
#include "core/error_codes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/problem.h"

#ifndef KEEL_SOURCE_DIR
#error "tests/CMakeLists.txt defines KEEL_SOURCE_DIR (the repository root)"
#endif

namespace keel {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

// A lambda that takes a code as a parameter has no name to find its calls by: name them here.
struct LambdaBuilder {
  const char* file;
  const char* called_as;
  int code_arg;
  int status_arg;
  const char* why;
};
const LambdaBuilder kLambdaBuilders[] = {
    {"main.cc", "error_page", 1, 0,
     "the http::Server ErrorPage callback; http/server.cc calls it as error_page(status, code, message)"},
};

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool opener(char c) { return c == '(' || c == '[' || c == '{'; }
bool closer(char c) { return c == ')' || c == ']' || c == '}'; }

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

struct Range {
  size_t b = 0, e = 0;
};

// One source file. `code` is the text with comments blanked; `mask` also has the contents of
// string and character literals replaced by 'x', so that brackets, commas, '?' and words in it
// are real syntax.
struct Source {
  std::string rel;
  std::string code, mask;
  std::vector<long> partner;  // for each bracket, the position of its partner; else -1
  std::vector<long> block;    // for each position, the '{' of the innermost block holding it; or -1

  Source(std::string r, const std::string& text) : rel(std::move(r)), code(text), mask(text) {
    const size_t n = text.size();
    auto blank = [&](size_t i) {
      if (code[i] != '\n') code[i] = mask[i] = ' ';
    };
    for (size_t i = 0; i < n;) {
      char c = text[i];
      if (c == '/' && i + 1 < n && text[i + 1] == '/') {
        while (i < n && text[i] != '\n') blank(i++);
      } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
        size_t end = text.find("*/", i + 2);
        end = end == std::string::npos ? n : end + 2;
        while (i < end) blank(i++);
      } else if (c == '"' && i > 0 && text[i - 1] == 'R' && (i < 2 || !ident_char(text[i - 2]))) {
        size_t open = text.find('(', i);
        std::string close = ")" + text.substr(i + 1, open - i - 1) + "\"";
        size_t end = text.find(close, open);
        end = end == std::string::npos ? n : end + close.size();
        for (size_t k = i + 1; k + 1 < end; ++k)
          if (mask[k] != '\n') mask[k] = 'x';
        i = end;
      } else if (c == '"' || (c == '\'' && !digit_separator(text, i))) {
        size_t k = i + 1;
        while (k < n && text[k] != c) k += text[k] == '\\' ? 2 : 1;
        for (size_t j = i + 1; j < k && j < n; ++j) mask[j] = 'x';
        i = k + 1;
      } else {
        ++i;
      }
    }
    partner.assign(n, -1);
    block.assign(n, -1);
    std::vector<size_t> stack;
    std::vector<long> braces;
    for (size_t i = 0; i < n; ++i) {
      char c = mask[i];
      block[i] = braces.empty() ? -1 : braces.back();
      if (opener(c)) {
        stack.push_back(i);
        if (c == '{') braces.push_back(static_cast<long>(i));
      } else if (closer(c) && !stack.empty()) {
        partner[i] = static_cast<long>(stack.back());
        partner[stack.back()] = static_cast<long>(i);
        if (mask[stack.back()] == '{' && !braces.empty()) braces.pop_back();
        stack.pop_back();
        block[i] = braces.empty() ? -1 : braces.back();
      }
    }
  }

  // 86'400'000: the quote is a digit separator when the token before it starts with a digit.
  static bool digit_separator(const std::string& t, size_t i) {
    if (i == 0 || !ident_char(t[i - 1])) return false;
    size_t s = i;
    while (s > 0 && (ident_char(t[s - 1]) || t[s - 1] == '\'')) --s;
    return std::isdigit(static_cast<unsigned char>(t[s])) != 0;
  }

  int line(size_t pos) const {
    return 1 + static_cast<int>(std::count(code.begin(), code.begin() + static_cast<long>(pos), '\n'));
  }
  std::string where(size_t pos) const { return "src/" + rel + ":" + std::to_string(line(pos)); }
  std::string text(Range r) const { return trim(std::string_view(code).substr(r.b, r.e - r.b)); }
  std::string masked(Range r) const { return trim(std::string_view(mask).substr(r.b, r.e - r.b)); }

  size_t skip_fwd(size_t i) const {
    while (i < mask.size() && space(mask[i])) ++i;
    return i;
  }
  size_t skip_back(size_t i) const {  // the position after the last non-space before i
    while (i > 0 && space(mask[i - 1])) --i;
    return i;
  }
  // The identifier ending at e (exclusive).
  std::string word_before(size_t e) const {
    size_t b = e;
    while (b > 0 && ident_char(mask[b - 1])) --b;
    return mask.substr(b, e - b);
  }

  // Positions where `word` stands as a whole identifier, in [from, to).
  std::vector<size_t> words(std::string_view word, size_t from = 0, size_t to = std::string::npos) const {
    std::vector<size_t> out;
    to = std::min(to, mask.size());
    for (size_t p = mask.find(word, from); p != std::string::npos && p + word.size() <= to;
         p = mask.find(word, p + 1)) {
      if (p > 0 && ident_char(mask[p - 1])) continue;
      if (p + word.size() < mask.size() && ident_char(mask[p + word.size()])) continue;
      out.push_back(p);
    }
    return out;
  }

  // The top-level comma-separated pieces between the bracket at `open` and its partner.
  std::vector<Range> args(size_t open) const {
    std::vector<Range> out;
    long close = partner[open];
    if (close < 0) return out;
    size_t start = open + 1;
    int depth = 0;
    for (size_t i = open + 1; i < static_cast<size_t>(close); ++i) {
      char c = mask[i];
      if (opener(c))
        ++depth;
      else if (closer(c))
        --depth;
      else if (c == ',' && depth == 0) {
        out.push_back({start, i});
        start = i + 1;
      }
    }
    if (!out.empty() || !trim(std::string_view(mask).substr(start, static_cast<size_t>(close) - start)).empty())
      out.push_back({start, static_cast<size_t>(close)});
    return out;
  }

  // Whether the block opened at `brace` still encloses pos.
  bool encloses(long brace, size_t pos) const {
    return brace < 0 ||
           (static_cast<size_t>(brace) < pos && partner[static_cast<size_t>(brace)] > static_cast<long>(pos));
  }
};

// A function or lambda body: its '{', its name ("" for a lambda) and its parameter names.
struct FunctionBody {
  std::string name;
  size_t body = 0;
  std::vector<std::string> params;
};

// Whether the '{' at `brace` opens a function body: "f(...) {", "f(...) const {",
// "f(...) -> T {", "[...](...) mutable {", ...
std::optional<FunctionBody> function_at(const Source& s, size_t brace) {
  size_t i = s.skip_back(brace);
  for (bool again = true; again;) {
    again = false;
    std::string w = s.word_before(i);
    if (w == "const" || w == "noexcept" || w == "override" || w == "mutable" || w == "final") {
      i = s.skip_back(i - w.size());
      again = true;
    }
  }
  if (i > 0 && s.mask[i - 1] != ')') {  // a trailing return type
    size_t k = i;
    while (k > 1 && k + 60 > i &&
           (ident_char(s.mask[k - 1]) || space(s.mask[k - 1]) || s.mask[k - 1] == ':' || s.mask[k - 1] == '<' ||
            s.mask[k - 1] == '&' || s.mask[k - 1] == '*' || (s.mask[k - 1] == '>' && s.mask[k - 2] != '-')))
      --k;
    if (k < 2 || s.mask[k - 1] != '>' || s.mask[k - 2] != '-') return std::nullopt;
    i = s.skip_back(k - 2);
  }
  if (i == 0 || s.mask[i - 1] != ')') return std::nullopt;
  long open = s.partner[i - 1];
  if (open < 0) return std::nullopt;
  size_t k = s.skip_back(static_cast<size_t>(open));
  FunctionBody f;
  f.body = brace;
  if (k > 0 && s.mask[k - 1] == ']') {
    f.name = "";
  } else {
    f.name = s.word_before(k);
    static const std::set<std::string> not_functions = {
        "",       "if",    "for",      "while",         "switch",  "catch",   "return",
        "sizeof", "throw", "decltype", "static_assert", "alignof", "noexcept"};
    if (not_functions.count(f.name)) return std::nullopt;
  }
  for (const Range& a : s.args(static_cast<size_t>(open))) {
    std::string p = s.masked(a);
    if (auto eq = p.find('='); eq != std::string::npos) p = trim(p.substr(0, eq));
    size_t e = p.size();
    while (e > 0 && !ident_char(p[e - 1])) --e;
    size_t b = e;
    while (b > 0 && ident_char(p[b - 1])) --b;
    f.params.push_back(p.substr(b, e - b));
  }
  return f;
}

// How a function builds an error: which argument is the code, and the status.
struct Builder {
  std::string name;
  ErrorCodeKind kind;
  int code_arg;             // -1: none (validation_failed takes only field errors)
  int status_arg = -1;      // the argument holding the status, or -1
  int fixed_status = 0;     // or the status it always uses; 0 if not known
  int field_list_arg = -1;  // an argument holding {{field, code, message}, ...}, or -1
  std::string origin;
};

struct Found {
  std::string code;
  ErrorCodeKind kind;
  int status;  // 0: not known at this site
  std::string where;
};

using Files = std::vector<std::pair<std::string, std::string>>;

class Scan {
 public:
  explicit Scan(const Files& files) {
    for (const auto& [rel, text] : files) files_.emplace_back(rel, text);
    for (size_t f = 0; f < files_.size(); ++f) {
      const Source& s = files_[f];
      for (size_t i = 0; i < s.mask.size(); ++i)
        if (s.mask[i] == '{')
          if (auto fb = function_at(s, i); fb && !fb->name.empty()) functions_[fb->name].push_back({f, *fb});
      // Names of FieldErrors objects (errors, rc.errors, fe, ...), for their .add(field, code, message).
      for (size_t p : s.words("FieldErrors")) {
        size_t i = s.skip_fwd(p + 11);
        if (i < s.mask.size() && s.mask[i] == '&') i = s.skip_fwd(i + 1);
        size_t e = i;
        while (e < s.mask.size() && ident_char(s.mask[e])) ++e;
        if (e > i) field_error_objects_.insert(s.mask.substr(i, e - i));
      }
    }
    queue_.push_back({"ApiError", ErrorCodeKind::problem, 1, 0, 0, 3, "core/error.h"});
    queue_.push_back({"FieldError", ErrorCodeKind::field, 1, -1, 0, -1, "core/error.h"});
    queue_.push_back({"validation_failed", ErrorCodeKind::field, -1, -1, 422, 0, "core/error.h"});
    while (!queue_.empty()) {
      Builder b = queue_.front();
      queue_.pop_front();
      if (!builder_names_.insert(b.name).second) continue;
      builders.push_back(b);
      for (const auto& s : files_) scan_calls(s, b);
    }
    for (const auto& s : files_) {
      scan_adds(s);
      scan_status_pairs(s);
    }
  }

  bool has(ErrorCodeKind kind, const std::string& code, int status = -1) const {
    return std::any_of(found.begin(), found.end(), [&](const Found& f) {
      return f.kind == kind && f.code == code && (status < 0 || f.status == status);
    });
  }

  std::vector<Found> found;
  std::vector<std::string> unresolved;
  std::vector<Builder> builders;
  std::set<std::string> lambda_builders_used;

 private:
  struct Result {
    std::set<std::string> codes;
    bool ok = true;
    std::string why;
    // The code is this parameter of the enclosing function: that function is a builder.
    std::optional<std::pair<FunctionBody, int>> parameter;
  };

  static Result fail(std::string why) {
    Result r;
    r.ok = false;
    r.why = std::move(why);
    return r;
  }

  // Which code(s) the expression at r can be.
  Result resolve(const Source& s, Range r, int depth = 0) {
    if (depth > 12) return fail("(nested too deeply)");
    while (r.b < r.e && space(s.mask[r.b])) ++r.b;
    while (r.e > r.b && space(s.mask[r.e - 1])) --r.e;
    if (r.b >= r.e) return fail("(an empty argument)");
    const std::string m = s.mask.substr(r.b, r.e - r.b);
    if (m.front() == '(' && s.partner[r.b] == static_cast<long>(r.e - 1))
      return resolve(s, {r.b + 1, r.e - 1}, depth + 1);
    // cond ? a : b
    int d = 0;
    for (size_t i = 0; i < m.size(); ++i) {
      if (opener(m[i]))
        ++d;
      else if (closer(m[i]))
        --d;
      else if (m[i] == '?' && d == 0) {
        int nest = 0, d2 = 0;
        for (size_t j = i + 1; j < m.size(); ++j) {
          char c = m[j];
          if (opener(c))
            ++d2;
          else if (closer(c))
            --d2;
          else if (d2 == 0 && c == '?')
            ++nest;
          else if (d2 == 0 && c == ':' && m[j + 1] != ':' && m[j - 1] != ':' && nest-- == 0) {
            Result a = resolve(s, {r.b + i + 1, r.b + j}, depth + 1);
            Result b = resolve(s, {r.b + j + 1, r.e}, depth + 1);
            if (!a.ok) return a;
            if (!b.ok) return b;
            if (a.parameter || b.parameter) return fail("`" + s.text(r) + "` (a parameter in a ternary)");
            a.codes.insert(b.codes.begin(), b.codes.end());
            return a;
          }
        }
        return fail("`" + s.text(r) + "` (unbalanced ?:)");
      }
    }
    // "literal"
    if (m.size() >= 2 && m.front() == '"' && m.back() == '"' && m.find('"', 1) == m.size() - 1) {
      Result out;
      std::string v = s.code.substr(r.b + 1, r.e - r.b - 2);
      if (!v.empty()) out.codes.insert(v);
      return out;
    }
    // no code at all: {}, std::string()
    if (m == "{}" || m == "std::string()" || m == "std::string{}") return {};
    // std::move(x), std::string(x), std::string_view(x)
    for (std::string_view w : {"std::move", "std::string_view", "std::string"}) {
      if (m.rfind(w, 0) != 0) continue;
      size_t open = s.skip_fwd(r.b + w.size());
      if (open < r.e && opener(s.mask[open]) && s.partner[open] == static_cast<long>(r.e - 1))
        return resolve(s, {open + 1, r.e - 1}, depth + 1);
    }
    // x.code, x->code, x.code(): a code built elsewhere, sent on
    {
      std::string t = m;
      t.erase(std::remove_if(t.begin(), t.end(), space), t.end());
      if (t.size() > 2 && t.compare(t.size() - 2, 2, "()") == 0) t.resize(t.size() - 2);
      bool member = t.size() > 5 &&
                    (t.compare(t.size() - 5, 5, ".code") == 0 || t.compare(t.size() - 6, 6, "->code") == 0) &&
                    t.find('"') == std::string::npos;
      if (member) return {};
    }
    // identifier
    if (std::all_of(m.begin(), m.end(), ident_char) && !std::isdigit(static_cast<unsigned char>(m[0])))
      return resolve_identifier(s, r.b, m, depth);
    // f(...), ns::f(...)
    {
      size_t k = 0;
      while (k < m.size() && (ident_char(m[k]) || m[k] == ':')) ++k;
      size_t open = s.skip_fwd(r.b + k);
      if (k > 0 && open < r.e && s.mask[open] == '(' && s.partner[open] == static_cast<long>(r.e - 1)) {
        std::string name = m.substr(0, k);
        if (auto c = name.rfind("::"); c != std::string::npos) name = name.substr(c + 2);
        return resolve_function(name, depth);
      }
    }
    return fail("`" + s.text(r) + "` (not a literal, variable, call or member)");
  }

  Result resolve_identifier(const Source& s, size_t pos, const std::string& name, int depth) {
    // The nearest earlier assignment or initialisation in a block that still encloses pos:
    // "name = expr" or "Type name(expr)" / "Type name{expr}".
    long best = -1;
    size_t expr = 0;
    for (size_t q : s.words(name, 0, pos)) {
      if (q > 0 && (s.mask[q - 1] == '.' || (q > 1 && s.mask[q - 1] == '>' && s.mask[q - 2] == '-'))) continue;
      if (!s.encloses(s.block[q], pos)) continue;
      size_t a = s.skip_fwd(q + name.size());
      if (a >= s.mask.size()) continue;
      bool assign = s.mask[a] == '=' && s.mask[a + 1] != '=';
      bool init = false;
      if (!assign && (s.mask[a] == '(' || s.mask[a] == '{')) {
        size_t t = s.skip_back(q);
        std::string before = s.word_before(t);
        init = t > 0 && t < q &&
               (ident_char(s.mask[t - 1]) || s.mask[t - 1] == '>' || s.mask[t - 1] == '&' || s.mask[t - 1] == '*') &&
               before != "return" && before != "throw" && before != "case" && before != "else";
      }
      if (!assign && !init) continue;
      best = static_cast<long>(q);
      expr = a;
    }
    // A parameter of an enclosing function (innermost first), unless assigned inside it.
    for (long blk = s.block[pos]; blk >= 0; blk = s.block[static_cast<size_t>(blk)]) {
      auto f = function_at(s, static_cast<size_t>(blk));
      if (!f) continue;
      auto p = std::find(f->params.begin(), f->params.end(), name);
      if (p == f->params.end()) continue;
      if (best > blk) break;
      Result r;
      r.parameter = {{*f, static_cast<int>(p - f->params.begin())}};
      return r;
    }
    if (best < 0) return fail("`" + name + "` (no assignment in sight)");
    if (s.mask[expr] == '(' || s.mask[expr] == '{')
      return resolve(s, {expr + 1, static_cast<size_t>(s.partner[expr])}, depth + 1);
    size_t b = expr + 1, e = b;
    for (int d = 0; e < s.mask.size(); ++e) {
      char c = s.mask[e];
      if (opener(c))
        ++d;
      else if (closer(c) && d-- == 0)
        break;
      else if ((c == ';' || c == ',') && d == 0)
        break;
    }
    return resolve(s, {b, e}, depth + 1);
  }

  Result resolve_function(const std::string& name, int depth) {
    auto it = functions_.find(name);
    if (it == functions_.end()) return fail(name + "() (no definition in src/)");
    Result out;
    int returns = 0;
    for (const auto& [file, f] : it->second) {
      const Source& s = files_[file];
      size_t end = static_cast<size_t>(s.partner[f.body]);
      for (size_t p : s.words("return", f.body, end)) {
        bool in_lambda = false;  // a return of a lambda inside the function
        for (long blk = s.block[p]; blk > static_cast<long>(f.body); blk = s.block[static_cast<size_t>(blk)])
          in_lambda = in_lambda || function_at(s, static_cast<size_t>(blk)).has_value();
        if (in_lambda) continue;
        size_t e = p + 6;
        for (int d = 0; e < end; ++e) {
          char c = s.mask[e];
          if (opener(c))
            ++d;
          else if (closer(c))
            --d;
          else if (c == ';' && d == 0)
            break;
        }
        ++returns;
        Result r = resolve(s, {p + 6, e}, depth + 1);
        if (!r.ok) return r;
        if (r.parameter) return fail(name + "() (returns a parameter)");
        out.codes.insert(r.codes.begin(), r.codes.end());
      }
    }
    if (!returns) return fail(name + "() (no return statement)");
    return out;
  }

  static bool declaration(const std::string& arg) {
    // "int status", "const std::string& code", "std::vector<FieldError> fields = {}"
    std::string a = arg.substr(0, arg.find('='));
    a = trim(a);
    if (a.empty() || a.find_first_of("\"()[]{}.?!|^%+-/;") != std::string::npos) return false;
    if (auto gt = a.find('>'); gt != std::string::npos && a.rfind('<', gt) == std::string::npos) return false;
    size_t e = a.size();
    while (e > 0 && ident_char(a[e - 1])) --e;
    if (e == 0 || e == a.size()) return false;
    std::string type = trim(a.substr(0, e));
    return !type.empty() &&
           (ident_char(type.back()) || type.back() == '&' || type.back() == '*' || type.back() == '>') &&
           (space(a[e - 1]) || a[e - 1] == '&' || a[e - 1] == '*');
  }

  // Records what one code argument can be, or why it cannot be read; a parameter makes the
  // enclosing function a builder.
  void record(const Source& s, Range arg, ErrorCodeKind kind, int status, const std::string& via,
              std::optional<Range> status_range) {
    Result r = resolve(s, arg);
    if (!r.ok) {
      unresolved.push_back(s.where(arg.b) + ": " + via + ": cannot tell which code " + r.why);
      return;
    }
    if (!r.parameter) {
      for (const auto& c : r.codes) found.push_back({c, kind, status, s.where(arg.b)});
      return;
    }
    auto& [fn, index] = *r.parameter;
    Builder nb{fn.name, kind, index, -1, status, -1, s.where(arg.b)};
    if (fn.name.empty()) {
      const LambdaBuilder* lb = nullptr;
      for (const auto& l : kLambdaBuilders)
        if (s.rel == l.file && l.code_arg == index) lb = &l;
      if (!lb) {
        unresolved.push_back(s.where(arg.b) + ": " + via +
                             ": a lambda passes on its code parameter; name what calls it in kLambdaBuilders");
        return;
      }
      lambda_builders_used.insert(std::string(lb->file) + " " + lb->called_as);
      nb.name = lb->called_as;
      nb.status_arg = lb->status_arg;
    } else if (!status && status_range) {
      auto sp = std::find(fn.params.begin(), fn.params.end(), s.text(*status_range));
      if (sp != fn.params.end()) nb.status_arg = static_cast<int>(sp - fn.params.begin());
    }
    queue_.push_back(nb);
  }

  void field_list(const Source& s, Range arg, const std::string& via) {
    size_t open = s.skip_fwd(arg.b);
    if (open >= arg.e || s.mask[open] != '{') return;  // a list built elsewhere (by .add), sent on
    for (const Range& el : s.args(open)) {
      size_t b = s.skip_fwd(el.b);
      if (b >= el.e || s.mask[b] != '{') continue;
      auto parts = s.args(b);
      if (parts.size() >= 2) record(s, parts[1], ErrorCodeKind::field, 0, via, std::nullopt);
    }
  }

  void scan_calls(const Source& s, const Builder& b) {
    for (size_t p : s.words(b.name)) {
      size_t open = s.skip_fwd(p + b.name.size());
      // `ApiError e(...)`: a named object
      if (open < s.mask.size() && ident_char(s.mask[open]) && (b.name == "ApiError" || b.name == "FieldError")) {
        while (open < s.mask.size() && ident_char(s.mask[open])) ++open;
        open = s.skip_fwd(open);
      }
      if (open >= s.mask.size() || (s.mask[open] != '(' && s.mask[open] != '{')) continue;
      auto args = s.args(open);
      if (std::any_of(args.begin(), args.end(), [&](const Range& a) { return declaration(s.masked(a)); }))
        continue;  // a declaration or definition of the builder itself
      std::string via = b.name + "()";
      if (b.code_arg >= 0 && static_cast<int>(args.size()) > b.code_arg) {
        int status = b.fixed_status;
        std::optional<Range> st;
        if (b.status_arg >= 0 && static_cast<int>(args.size()) > b.status_arg) {
          st = args[static_cast<size_t>(b.status_arg)];
          if (int from_arg = status_of(s.text(*st))) status = from_arg;
          st = status_parameter(s, *st);
        }
        record(s, args[static_cast<size_t>(b.code_arg)], b.kind, status, via, st);
      }
      if (b.field_list_arg >= 0 && static_cast<int>(args.size()) > b.field_list_arg)
        field_list(s, args[static_cast<size_t>(b.field_list_arg)], via);
    }
  }

  // The status an argument stands for: a literal (the HTTP layer's refusals) or an ErrorKind
  // (what services throw; api::http_status picks the status). 0 if it is neither.
  static int status_of(const std::string& t) {
    if (t.size() == 3 && std::all_of(t.begin(), t.end(), ::isdigit)) return std::stoi(t);
    static const std::map<std::string, ErrorKind> kinds = {
        {"bad_request", ErrorKind::bad_request},
        {"unauthenticated", ErrorKind::unauthenticated},
        {"forbidden", ErrorKind::forbidden},
        {"not_found", ErrorKind::not_found},
        {"method_not_allowed", ErrorKind::method_not_allowed},
        {"conflict", ErrorKind::conflict},
        {"precondition_failed", ErrorKind::precondition_failed},
        {"too_large", ErrorKind::too_large},
        {"headers_too_large", ErrorKind::headers_too_large},
        {"unsupported_media_type", ErrorKind::unsupported_media_type},
        {"invalid", ErrorKind::invalid},
        {"rate_limited", ErrorKind::rate_limited},
        {"internal", ErrorKind::internal},
        {"not_implemented", ErrorKind::not_implemented},
        {"unavailable", ErrorKind::unavailable}};
    const std::string prefix = "ErrorKind::";
    if (t.rfind(prefix, 0) != 0) return 0;
    auto it = kinds.find(t.substr(prefix.size()));
    return it == kinds.end() ? 0 : api::http_status(it->second);
  }
  // `api::kind_for_status(status)` passes on a status parameter: the range of `status`.
  static Range status_parameter(const Source& s, Range arg) {
    const std::string wrap = "api::kind_for_status(";
    std::string t = s.text(arg);
    if (t.rfind(wrap, 0) != 0 || t.back() != ')') return arg;
    size_t b = s.skip_fwd(arg.b) + wrap.size();
    return Range{b, b + (t.size() - wrap.size() - 1)};
  }

  // errors.add(field, code, message) on a FieldErrors object
  void scan_adds(const Source& s) {
    for (size_t p : s.words("add")) {
      size_t open = s.skip_fwd(p + 3);
      if (open >= s.mask.size() || s.mask[open] != '(') continue;
      size_t t = s.skip_back(p);
      if (t > 0 && s.mask[t - 1] == '.')
        --t;
      else if (t > 1 && s.mask[t - 1] == '>' && s.mask[t - 2] == '-')
        t -= 2;
      else
        continue;
      std::string receiver = s.word_before(s.skip_back(t));
      if (!field_error_objects_.count(receiver)) continue;
      auto args = s.args(open);
      if (args.size() >= 2) record(s, args[1], ErrorCodeKind::field, 0, receiver + ".add()", std::nullopt);
    }
  }

  // (400, "code" ...) or {501, "code" ...}: a status paired with a code, in any call or struct.
  void scan_status_pairs(const Source& s) {
    for (size_t i = 0; i < s.mask.size(); ++i) {
      if (s.mask[i] != '(' && s.mask[i] != '{') continue;
      size_t d = s.skip_fwd(i + 1);
      if (d + 3 > s.mask.size() || (s.mask[d] != '4' && s.mask[d] != '5') ||
          !std::isdigit(static_cast<unsigned char>(s.mask[d + 1])) ||
          !std::isdigit(static_cast<unsigned char>(s.mask[d + 2])) || ident_char(s.mask[d + 3]))
        continue;
      size_t c = s.skip_fwd(d + 3);
      if (c >= s.mask.size() || s.mask[c] != ',') continue;
      size_t q = s.skip_fwd(c + 1);
      if (q >= s.mask.size() || s.mask[q] != '"') continue;
      size_t end = s.mask.find('"', q + 1);
      std::string code = s.code.substr(q + 1, end - q - 1);
      if (code.empty() || !std::all_of(code.begin(), code.end(), [](char ch) {
            return std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) ||
                   ch == '_';
          }))
        continue;
      found.push_back({code, ErrorCodeKind::problem, std::stoi(s.mask.substr(d, 3)), s.where(q)});
    }
  }

  std::vector<Source> files_;
  std::map<std::string, std::vector<std::pair<size_t, FunctionBody>>> functions_;
  std::set<std::string> field_error_objects_;
  std::deque<Builder> queue_;
  std::set<std::string> builder_names_;
};

// src/, without the list itself.
Files source_files() {
  Files out;
  fs::path src = fs::path(KEEL_SOURCE_DIR) / "src";
  for (const auto& e : fs::recursive_directory_iterator(src)) {
    if (!e.is_regular_file() || (e.path().extension() != ".cc" && e.path().extension() != ".h")) continue;
    std::string rel = fs::relative(e.path(), src).generic_string();
    if (rel == "core/error_codes.cc" || rel == "core/error_codes.h") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.emplace_back(rel, ss.str());
  }
  std::sort(out.begin(), out.end());
  return out;
}

const Scan& sources() {
  static const Scan s(source_files());
  return s;
}

const char* kind_name(ErrorCodeKind k) { return k == ErrorCodeKind::problem ? "problem" : "field"; }

// ---- the scanner itself, on made-up sources -------------------------------------------------

const char* kUses = R"cc(
  namespace {
  ApiError bad_param(const std::string& name, const std::string& code, const std::string& message) {
    return bad_request(code, message, name);
  }
  const char* why(const json::value& v) {
    if (v.is_uint64()) return "why_big";
    return (v.is_double() && v.as_double() > 1e18) ? "why_huge" : "why_other";
  }
  struct Framing {
    int status;
    std::string code, message;
  };
  auto later = [](int x) { return x ? "not_a_code_lambda" : "nor_this"; };
  }  // namespace

  std::optional<Framing> check(FieldErrors& errors, const json::value& v, int n) {
    throw ApiError(418, "teapot", "I'm a teapot");  // "not_a_code_comment"
    /* ApiError(400, "not_a_code_block_comment", "x") */
    ApiError e(503, "busy_now", "x, y");
    throw bad_request("bad_one", "A message, with (a comma) and a \"quote\"", "q");
    throw bad_param("q", n > 1 ? "param_big" : (n ? "param_one" : "param_none"), "x");
    throw conflict("taken", "x");
    errors.add("f", n ? "field_a" : "field_b", "x");
    errors.add(n ? "not_a_code_field_name" : "nor_this_one", "field_c", "x");
    errors.add("f", why(v), "x");
    rc.errors.add("f", "field_via_member", "x");
    router_.add("GET", "/not/a/code", handler);
    std::string code = n == 1 ? "from_variable" : "from_variable_too";
    throw bad_request(code, "x");
    if (auto p = why(v); p) throw validation_failed({{"password", p, "x"}, {"other", "listed_field", "x"}});
    throw ApiError(e.status(), e.code(), e.what(), f);
    throw ApiError(400, "invalid_parameter", "x", {{key, fe.list().front().code, "x"}});
    const char* s = "ApiError(400, \"in_a_string\", \"x\")";
    int64_t day = 86'400'000;
    errors.add("after", "after_digit_separators", "x");
    if (n == 7) return Framing{501, "framed", "x"};
    return std::nullopt;
  }
)cc";

const char* kServer = R"cc(
  void Session::refuse(int status, const std::string& code, const std::string& message) {
    Response r = server_.error_page(status, code, message);
    send(r);
  }
  void Session::reject(const beast::error_code& ec) {
    int status = ec == bhttp::error::body_limit ? 413 : 400;
    std::string code = status == 413 ? "too_big" : "garbled";
    refuse(status, code, "x");
  }
  void Session::on_read() {
    try {
      run();
    } catch (...) {
      r = server_.error_page(500, "exploded", "Internal error");
    }
  }
)cc";

const char* kMain = R"cc(
  int serve() {
    http::Server server(
        so, [&api](http::Request& r) { return api.handle(r); },
        [](int status, const std::string& code, const std::string& message) {
          return api::Api::problem(ApiError(status, code, message), new_uuid_v7());
        });
  }
)cc";

TEST(ErrorCodeScan, ReadsEveryFormOfBuildingAnError) {
  // The real builders (bad_request, conflict, validation_failed) with made-up uses.
  Files files;
  for (const auto& f : source_files())
    if (f.first == "core/error.h" || f.first == "core/error.cc") files.push_back(f);
  ASSERT_EQ(files.size(), 2u);
  files.insert(files.end(), {{"api/uses.cc", kUses}, {"http/server.cc", kServer}, {"main.cc", kMain}});
  Scan s(files);
  std::string text;
  for (const auto& u : s.unresolved) text += u + "\n";
  EXPECT_EQ(text, "");
  using K = ErrorCodeKind;
  EXPECT_TRUE(s.has(K::problem, "teapot", 418));
  EXPECT_TRUE(s.has(K::problem, "busy_now", 503));
  EXPECT_TRUE(s.has(K::problem, "validation_failed", 422));
  EXPECT_TRUE(s.has(K::problem, "bad_one", 400));
  EXPECT_TRUE(s.has(K::problem, "param_big", 400));  // bad_param, found from its body
  EXPECT_TRUE(s.has(K::problem, "param_one", 400));
  EXPECT_TRUE(s.has(K::problem, "param_none", 400));
  EXPECT_TRUE(s.has(K::problem, "taken", 409));
  EXPECT_TRUE(s.has(K::problem, "from_variable", 400));
  EXPECT_TRUE(s.has(K::problem, "from_variable_too", 400));
  EXPECT_TRUE(s.has(K::problem, "invalid_parameter", 400));
  EXPECT_TRUE(s.has(K::problem, "framed", 501));
  EXPECT_TRUE(s.has(K::problem, "too_big"));  // reject -> refuse -> error_page -> the lambda in main.cc
  EXPECT_TRUE(s.has(K::problem, "garbled"));
  EXPECT_TRUE(s.has(K::problem, "exploded", 500));
  for (const char* c : {"field_a", "field_b", "field_c", "why_big", "why_huge", "why_other", "field_via_member",
                        "listed_field", "after_digit_separators"})
    EXPECT_TRUE(s.has(K::field, c)) << c;
  for (const auto& f : s.found) {
    EXPECT_EQ(f.code.find("not_a_code"), std::string::npos) << f.code << " at " << f.where;
    EXPECT_NE(f.code, "nor_this");
    EXPECT_NE(f.code, "nor_this_one");
    EXPECT_NE(f.code, "in_a_string");
  }
  EXPECT_FALSE(s.has(K::field, "bad_one"));  // a 400's errors[] repeats its problem code
}

TEST(ErrorCodeScan, ReportsCodesItCannotRead) {
  const char* src = R"cc(
    void f(FieldErrors& errors, int n) {
      errors.add("f", mystery(n), "x");
      throw ApiError(400, kCodes[n], "x");
      auto h = [](const std::string& code) { return ApiError(400, code, "x"); };
      errors.add("g", n ? "fine" : unknown_variable, "x");
    }
  )cc";
  Scan s(Files{{"api/odd.cc", src}});
  ASSERT_EQ(s.unresolved.size(), 4u);
  EXPECT_NE(s.unresolved[0].find("src/api/odd.cc:"), std::string::npos) << s.unresolved[0];
  std::string all;
  for (const auto& u : s.unresolved) all += u + "\n";
  EXPECT_NE(all.find("mystery()"), std::string::npos) << all;
  EXPECT_NE(all.find("kCodes[n]"), std::string::npos) << all;
  EXPECT_NE(all.find("lambda"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown_variable"), std::string::npos) << all;
}

// ---- the real sources ----------------------------------------------------------------------

TEST(ErrorCodes, TheScanReadsEveryCodeInTheSources) {
  const Scan& s = sources();
  std::string text;
  for (const auto& u : s.unresolved) text += "  " + u + "\n";
  EXPECT_TRUE(s.unresolved.empty()) << "error codes the scan cannot read (make them literals, or teach "
                                       "tests/unit/error_codes_test.cc the new form):\n"
                                    << text;
  std::set<std::string> names;
  for (const auto& b : s.builders) names.insert(b.name);
  for (const char* n : {"ApiError", "bad_request", "conflict", "bad_param", "error_page"})
    EXPECT_TRUE(names.count(n)) << n;
  for (const auto& l : kLambdaBuilders)
    EXPECT_TRUE(s.lambda_builders_used.count(std::string(l.file) + " " + l.called_as))
        << "kLambdaBuilders names a lambda in src/" << l.file << " called as " << l.called_as << " that is gone";
  EXPECT_GT(s.found.size(), 150u);
}

TEST(ErrorCodes, EveryCodeSentIsListedWithItsStatus) {
  const Scan& s = sources();
  std::string missing, wrong_status;
  std::set<std::string> seen;
  for (const auto& f : s.found) {
    const ErrorCodeInfo* info = find_error_code(f.code, f.kind);
    if (!info) {
      if (seen.insert(std::string(kind_name(f.kind)) + " " + f.code).second)
        missing += "  " + std::string(kind_name(f.kind)) + " code \"" + f.code + "\" (" + f.where + ")\n";
    } else if (f.kind == ErrorCodeKind::problem && f.status && f.status != info->status) {
      wrong_status += "  \"" + f.code + "\" is sent with " + std::to_string(f.status) + " at " + f.where +
                      " but listed with " + std::to_string(info->status) + "\n";
    }
  }
  EXPECT_EQ(missing, "") << "codes sent but missing from src/core/error_codes.cc (add each with its status and a "
                            "description; the web app then needs a message for it in en and zh-CN):\n"
                         << missing;
  EXPECT_EQ(wrong_status, "") << wrong_status;
}

TEST(ErrorCodes, EveryListedCodeIsSent) {
  const Scan& s = sources();
  std::string unused;
  for (const auto& c : error_codes())
    if (!s.has(c.kind, std::string(c.code)))
      unused += "  " + std::string(kind_name(c.kind)) + " code \"" + std::string(c.code) + "\"\n";
  EXPECT_EQ(unused, "") << "listed in src/core/error_codes.cc but sent nowhere in src/ (send it, or remove it):\n"
                        << unused;
}

TEST(ErrorCodes, TheListIsWellFormed) {
  std::set<std::pair<std::string, ErrorCodeKind>> seen;
  for (const auto& c : error_codes()) {
    EXPECT_TRUE(seen.insert({std::string(c.code), c.kind}).second) << c.code;
    EXPECT_FALSE(c.description.empty()) << c.code;
    if (c.kind == ErrorCodeKind::problem) {
      EXPECT_TRUE(c.status >= 400 && c.status <= 599) << c.code;
    }
  }
  EXPECT_EQ(find_error_code("version_conflict", ErrorCodeKind::problem)->status, 412);
  EXPECT_EQ(find_error_code("required", ErrorCodeKind::field)->status, 0);
  EXPECT_EQ(find_error_code("required", ErrorCodeKind::problem), nullptr);
  json::object j = error_codes_json();
  EXPECT_EQ(j.at("problem").as_array().size() + j.at("field").as_array().size(), error_codes().size());
  EXPECT_EQ(j.at("problem").as_array().front().as_object().at("status"), 400);
  EXPECT_FALSE(j.at("field").as_array().front().as_object().contains("status"));
}

// The web app reads the codes from its copy of the OpenAPI document (web/src/api/openapi.json),
// so that copy must list exactly these.
TEST(ErrorCodes, TheWebAppsCopyOfTheOpenApiDocumentListsTheSameCodes) {
  fs::path saved = fs::path(KEEL_SOURCE_DIR) / "web" / "src" / "api" / "openapi.json";
  if (!fs::exists(saved)) GTEST_SKIP() << "no web app in this tree";
  std::ifstream in(saved, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  json::value doc = json::parse(ss.str());
  ASSERT_TRUE(doc.is_object());
  const json::value* codes = doc.as_object().if_contains("x-error-codes");
  const char* how =
      "; regenerate it from a server built from this tree: cd web && npm run api:types -- http://HOST:PORT";
  ASSERT_TRUE(codes) << saved << " has no x-error-codes" << how;
  EXPECT_EQ(*codes, json::value(error_codes_json()))
      << saved << " lists other error codes than src/core/error_codes.cc" << how;
}

}  // namespace
}  // namespace keel
