// Idempotency keys (the Idempotency-Key header): a POST's answer is kept for 24 hours per user,
// so a retry of the same request gets the first answer again instead of acting twice.
//
// A key is claimed, in a transaction of its own, before the request runs: of several identical
// requests racing, exactly one claims it and the others find it in progress (or finished). A
// finished key holds the answer; a failed request releases its key so a corrected retry can run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/db.h"

namespace keel::service {

struct IdempotentRequest {
  std::string user_id, key, method, path;
  std::string fingerprint;  // hash of method, path and body: the same key with another body is 422
};

struct StoredAnswer {
  int status = 0;
  std::string body;
  std::string meta;  // the answer's content type and headers, as the API layer wrote them
};

struct Claim {
  enum class Outcome { claimed, in_progress, finished } outcome;
  StoredAnswer answer;  // when finished
};

inline constexpr int64_t kIdempotencyKeepMs = 86'400'000;  // 24 hours
inline constexpr int64_t kIdempotencyTakeOverMs = 60'000;  // a claim older than this is presumed dead

// Claims the key, or reports it in progress or finished. Throws 422 idempotency_key_reused when
// the key was used for a different request. `purge` also drops keys older than 24 hours.
Claim claim_idempotency_key(store::Database& db, const IdempotentRequest& r, int64_t now_ms, bool purge);
void finish_idempotency_key(store::Database& db, const IdempotentRequest& r, const StoredAnswer& answer);
void release_idempotency_key(store::Database& db, const IdempotentRequest& r);

}  // namespace keel::service
