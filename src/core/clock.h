// Where "now" comes from. Services, the auth service and scheduled work read the time through a
// Clock they are given, never from the system directly, so that tests can move time (expiry,
// lockouts, reminders) without editing rows, and every part of one request sees one source.
#pragma once

#include <atomic>
#include <cstdint>

namespace keel {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual int64_t now_ms() const = 0;
};

// The system's wall clock (std::chrono::system_clock): the clock of every production server.
const Clock& system_clock();

// A clock that runs with another (the system's by default) plus an offset that can be moved:
// the clock of a server started with the test-only time control (`keel serve --test-clock`).
// Time keeps flowing between moves, so "a moment later" still holds. Thread-safe: request
// threads read it while a test moves it (the offset is one atomic).
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(const Clock& base = system_clock()) : base_(base) {}

  int64_t now_ms() const override { return base_.now_ms() + offset_ms_.load(); }
  // Moves the clock by `ms` (back if negative).
  void advance(int64_t ms) { offset_ms_.fetch_add(ms); }
  // From now on the clock reads `instant_ms`, and runs on from there.
  void set(int64_t instant_ms) { offset_ms_.store(instant_ms - base_.now_ms()); }
  // How far the clock is from its base (0 until moved).
  int64_t offset_ms() const { return offset_ms_.load(); }

 private:
  const Clock& base_;
  std::atomic<int64_t> offset_ms_{0};
};

}  // namespace keel
