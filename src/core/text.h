// Text at the boundary: UTF-8 validation, lengths as people count them, and search terms.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace keel {

// Well-formed UTF-8 without overlongs, surrogates or code points past U+10FFFF.
bool is_valid_utf8(std::string_view s);
// The text with every ill-formed sequence replaced by U+FFFD, so that bytes from a request can be
// echoed in a response (an error naming a bad parameter) without making the response invalid.
std::string to_valid_utf8(std::string_view s);
// Number of Unicode code points (what a "max length" limit counts: 张伟 is 2, not 6).
size_t utf8_length(std::string_view s);
// True if the text holds control characters other than tab, newline and carriage return.
bool has_control_chars(std::string_view s, bool allow_newlines);

// Unicode NFKC case fold: "ＡＢＣ" and "abc" and "ABC" fold alike.
std::string fold(std::string_view s);

// How a field's text is cut into index terms.
enum class TermKind { words, email, phone };

// Index terms for one field value. Latin words become whole folded words (matched by prefix);
// runs of CJK characters (Chinese names carry no spaces) become every suffix of the run, so
// a prefix look-up finds any substring: "王小明" is found by "小明" and by "明".
void index_terms(std::string_view value, TermKind kind, std::vector<std::string>& out);

// Terms of a search query; each must prefix-match some index term of the record.
std::vector<std::string> query_terms(std::string_view query);

// The smallest string greater than every string with `prefix` (for range scans).
std::string prefix_upper_bound(std::string_view prefix);

}  // namespace keel
