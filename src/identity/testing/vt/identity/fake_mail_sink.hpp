#pragma once
// A MailSink that keeps messages in memory, for tests. It records a message when it is
// queued, whether or not the transaction later commits; FailFromNowOn() makes queuing fail,
// to prove that the operation that queued it then rolls back.
#include <mutex>
#include <string>
#include <vector>

#include "vt/identity/identity.hpp"

namespace vt::identity::testing {

class FakeMailSink final : public MailSink {
public:
    Status Enqueue(store::Tx& tx, const MailMessage& message) override {
        std::lock_guard lock(mu_);
        if (fail_) return Error::Unavailable("mail-unavailable", "El correo no está disponible.");
        messages_.push_back(message);
        return Ok();
    }

    /// Makes every later Enqueue fail.
    void FailFromNowOn() {
        std::lock_guard lock(mu_);
        fail_ = true;
    }

    std::vector<MailMessage> messages() const {
        std::lock_guard lock(mu_);
        return messages_;
    }

    /// The token in the link of the last message of `kind` ("verificacion", ...): the text
    /// after "token=" up to the end of the line. Empty when there is none.
    std::string LastToken(const std::string& kind) const {
        std::lock_guard lock(mu_);
        for (auto it = messages_.rbegin(); it != messages_.rend(); ++it) {
            if (it->kind != kind) continue;
            auto pos = it->text.find("token=");
            if (pos == std::string::npos) return {};
            pos += 6;
            return it->text.substr(pos, it->text.find('\n', pos) - pos);
        }
        return {};
    }

private:
    mutable std::mutex mu_;
    std::vector<MailMessage> messages_;  // GUARDED_BY(mu_)
    bool fail_ = false;                  // GUARDED_BY(mu_)
};

}  // namespace vt::identity::testing
