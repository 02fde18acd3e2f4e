#pragma once
// The fake Mailer: records what it is asked to send and fails on demand. Test-only.
#include <mutex>
#include <vector>

#include "vt/notify/notify.hpp"

namespace vt::notify::testing {

/// Keeps every message it accepts. Thread-safe, like every Mailer.
class RecordingMailer final : public Mailer {
public:
    Status Send(const Email& email) override {
        std::lock_guard lock(mu_);
        ++attempts_;
        if (failures_left_ != 0) {
            if (failures_left_ > 0) --failures_left_;
            return failure_;
        }
        VT_RETURN_IF_ERROR(ValidateEmail(email));
        sent_.push_back(email);
        return Ok();
    }

    /// The next `times` sends fail with `error` (times < 0: every send until Heal()).
    void FailNext(int times, Error error = Error::Unavailable("smtp-temporary", "451 prueba")) {
        std::lock_guard lock(mu_);
        failures_left_ = times;
        failure_ = std::move(error);
    }
    void Heal() { FailNext(0); }

    std::vector<Email> sent() const {
        std::lock_guard lock(mu_);
        return sent_;
    }
    int attempts() const {
        std::lock_guard lock(mu_);
        return attempts_;
    }

private:
    mutable std::mutex mu_;
    std::vector<Email> sent_;                                             // GUARDED_BY(mu_)
    int attempts_ = 0;                                                    // GUARDED_BY(mu_)
    int failures_left_ = 0;                                               // GUARDED_BY(mu_)
    Error failure_ = Error::Unavailable("smtp-temporary", "451 prueba");  // GUARDED_BY(mu_)
};

}  // namespace vt::notify::testing
