// Reading SQL text the way the engines read it, for the two places the store rewrites SQL before
// an engine sees it: the PostgreSQL engine's `?` → `$n` placeholder numbering, and the migration
// renderer (comments dropped, {{WORDS}} replaced, split into statements at `;`). Both must act on
// code only, never inside a string literal, a quoted identifier or a comment, so both go through
// one scanner. The invariants they rely on are the contract in store/db.h ("SQL text").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace keel::store::sql {

enum class SpanKind {
  code,        // everything else: keywords, names, operators, numbers, `?`, `;`
  literal,     // '...' ('' inside is one quote), E'...' (backslash escapes too), $tag$...$tag$
  identifier,  // "..." ("" inside is one double quote)
  comment,     // -- up to (not including) the end of the line, or /* ... */ (nesting, as PostgreSQL)
};

struct Span {
  SpanKind kind;
  std::string_view text;  // a view into the scanned text, quotes and comment markers included
};

// Cuts sql into consecutive spans that together are exactly sql. An unterminated literal,
// identifier or block comment runs to the end (the engine then reports the syntax error).
std::vector<Span> scan(std::string_view sql);

// PostgreSQL's spelling of Keel's portable SQL: each `?` in code becomes $1, $2, ... in order.
// A `?` inside a literal, a quoted identifier or a comment stays as it is, as SQLite reads it.
std::string number_placeholders(std::string_view sql);

}  // namespace keel::store::sql
