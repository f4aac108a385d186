// Content codings: which one a client accepts (Accept-Encoding, RFC 9110 section 12.5.3), gzip
// for dynamic answers, and the rule for when an answer is compressed. The server applies it to
// every answer (server.cc); the web app's files come precompressed and pick their variant with
// the same negotiation (api/web.cc).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace keel::http {

enum class Coding { identity, gzip, br };

// The token as it appears in Content-Encoding ("identity" is never sent).
std::string_view coding_name(Coding c);

// What an Accept-Encoding header value says of each coding: its q-value, from 0 (refused) to 1.
// A coding not named gets the q of "*" if present; otherwise identity is acceptable (q 1) and
// any other coding is not (q 0). "x-gzip" counts as gzip. Names are case-insensitive; an
// element that does not parse is ignored; a q-value is clamped to [0, 1].
class AcceptEncoding {
 public:
  // `header` null: the request sent no Accept-Encoding, and only identity is used (RFC 9110
  // allows any coding then, but a client that says nothing is safest answered plainly).
  explicit AcceptEncoding(const std::string* header);
  double q(Coding c) const;
  // The q used to rank codings against each other: q, except that identity acceptable only by
  // default (not named, no "*") ranks below every named coding, so "gzip;q=0.5" means gzip.
  double preference(Coding c) const;

 private:
  bool present_ = false;
  std::optional<double> identity_, gzip_, br_, star_;
};

// The coding to answer with: among `available` (the server's order of preference; identity is
// always available as the last resort), the one with the highest preference above 0, ties
// going to the earlier one. When the client refuses every one of them (e.g. "identity;q=0" and nothing we
// have), identity: RFC 9110 lets a server send an uncoded answer rather than 406.
Coding choose_coding(const AcceptEncoding& accept, std::span<const Coding> available);

// The elements of a header list ("a, b;q=1, c" split at `sep`), trimmed of spaces and tabs,
// empty ones dropped (RFC 9110 section 5.6.1). Views into `value`.
std::vector<std::string_view> list_elements(std::string_view value, char sep = ',');

// gzip (RFC 1952) of `data` with zlib; level 1 (fast) to 9 (small).
std::string gzip(std::string_view data, int level = 6);
// The inverse; nullopt when `data` is not a complete, valid gzip stream (for tests and checks).
std::optional<std::string> gunzip(std::string_view data);

// Whether a media type is worth compressing: text, JSON (+json), JavaScript, XML, SVG, CSV.
// Images (but SVG), fonts, archives and octet streams are already compressed or opaque.
bool compressible_type(std::string_view content_type);

// Answers smaller than this are sent as they are: below about a kilobyte, gzip's header and the
// CPU cost outweigh the bytes saved (most of such an answer's time is the round trip anyway).
inline constexpr size_t kCompressMinBytes = 1024;

// Applies the rule to one answer before it is written, in place:
// - an answer whose type is compressible gets `Vary: Accept-Encoding` (it may differ by it);
// - it is gzip-compressed when the client accepts gzip, its body is at least `min_bytes`
//   (or the client refuses identity), and it is not: a 1xx/204/304, an answer to HEAD (no body
//   is sent, so no CPU is spent; its Content-Length is then the uncoded one), an answer that
//   already has a Content-Encoding (precompressed files), or an empty body.
// Returns true when it compressed.
bool compress_response(Response& r, const Request& req, size_t min_bytes = kCompressMinBytes);

}  // namespace keel::http
