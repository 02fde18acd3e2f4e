#pragma once
/// The Clock port: every module asks it for "now", so tests can freeze time.
#include <chrono>
#include <string>

namespace vt::core {

class Clock {
public:
    virtual ~Clock() = default;
    /// Current wall-clock time. Thread-safe.
    virtual std::chrono::system_clock::time_point Now() const = 0;
};

/// The real clock.
class SystemClock final : public Clock {
public:
    std::chrono::system_clock::time_point Now() const override {
        return std::chrono::system_clock::now();
    }
};

/// A clock that only moves when told to. Not thread-safe against concurrent Advance().
class FrozenClock final : public Clock {
public:
    explicit FrozenClock(std::chrono::system_clock::time_point t) : now_(t) {}
    std::chrono::system_clock::time_point Now() const override { return now_; }
    void Advance(std::chrono::system_clock::duration d) { now_ += d; }

private:
    std::chrono::system_clock::time_point now_;
};

/// RFC 3339 UTC timestamp with milliseconds, e.g. "2026-11-25T12:06:13.123Z".
std::string FormatUtc(std::chrono::system_clock::time_point t);

}  // namespace vt::core
