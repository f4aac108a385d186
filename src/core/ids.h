// Record identifiers and secret tokens.
//
// Records are keyed by UUIDv7 (RFC 9562): time-ordered, so new rows append to the primary-key
// index, and safe to mint on a phone while offline, so a replayed create is recognised by its id.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace keel {

// A new UUIDv7 in canonical lower-case form ("018f...-7xxx-...").
std::string new_uuid_v7();
// True for any canonical RFC 9562 UUID (8-4-4-4-12 hex, any case, version 1-8, RFC variant).
bool is_uuid(std::string_view s);
// Canonical lower-case spelling of a UUID already checked with is_uuid.
std::string canonical_uuid(std::string_view s);

// A random secret of `bytes` bytes, base64url without padding, after `prefix` (e.g. "kls_").
std::string random_token(std::string_view prefix, size_t bytes = 32);
// Hex BLAKE2b-256 of a token: what is stored, so a leaked database does not leak live tokens.
std::string token_hash(std::string_view token);
// Hex BLAKE2b-256 of arbitrary bytes (request fingerprints).
std::string content_hash(std::string_view bytes);

// base64url without padding (RFC 4648 section 5), for opaque cursors; the inverse is nullopt for
// anything that is not such an encoding.
std::string base64url(std::string_view raw);
std::optional<std::string> from_base64url(std::string_view text);

}  // namespace keel
