#include "service/idempotency.h"

#include "core/error.h"

namespace keel::service {

Claim claim_idempotency_key(store::Database& db, const IdempotentRequest& r, int64_t now, bool purge) {
  Claim out{Claim::Outcome::claimed, {}};
  db.write([&](store::Tx& tx) {
    if (purge) tx.query("DELETE FROM idempotency_keys WHERE created_at_ms < ?", {now - kIdempotencyKeepMs});
    // Claim the key first: of several identical requests racing, exactly one inserts; the
    // others find its row (in progress or finished) instead of tripping over the primary key.
    auto claimed = tx.query(
        "INSERT INTO idempotency_keys (user_id, idem_key, method, path, request_hash, status, "
        "response, created_at_ms) VALUES (?, ?, ?, ?, ?, 0, '', ?) ON CONFLICT DO NOTHING",
        {r.user_id, r.key, r.method, r.path, r.fingerprint, now});
    if (claimed.affected == 1) return;
    auto row = tx.one(
        "SELECT request_hash, status, response, created_at_ms, response_meta FROM idempotency_keys "
        "WHERE user_id = ? AND idem_key = ?",
        {r.user_id, r.key});
    if (!row) {  // claimed by a transaction not yet visible to this one
      out.outcome = Claim::Outcome::in_progress;
      return;
    }
    if (row->text(0) != r.fingerprint)
      throw ApiError(ErrorKind::invalid, "idempotency_key_reused",
                     "This Idempotency-Key was used for a different request");
    if (row->integer(1) == 0) {
      // Still running, or died: a claim that has not finished within a minute is taken over.
      if (now - row->integer(3) < kIdempotencyTakeOverMs) {
        out.outcome = Claim::Outcome::in_progress;
        return;
      }
      tx.query("UPDATE idempotency_keys SET created_at_ms = ? WHERE user_id = ? AND idem_key = ?",
               {now, r.user_id, r.key});
      return;
    }
    out.outcome = Claim::Outcome::finished;
    out.answer = {static_cast<int>(row->integer(1)), row->text(2), row->text(4)};
  });
  return out;
}

void finish_idempotency_key(store::Database& db, const IdempotentRequest& r, const StoredAnswer& answer) {
  db.write([&](store::Tx& tx) {
    tx.query(
        "UPDATE idempotency_keys SET status = ?, response = ?, response_meta = ? WHERE user_id = ? AND idem_key = ?",
        {int64_t{answer.status}, answer.body, answer.meta, r.user_id, r.key});
  });
}

void release_idempotency_key(store::Database& db, const IdempotentRequest& r) {
  db.write([&](store::Tx& tx) {
    tx.query("DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ? AND status = 0", {r.user_id, r.key});
  });
}

}  // namespace keel::service
