#pragma once
// A real SMTP server for tests, in-process on 127.0.0.1 and an ephemeral port, so the
// SMTP adapter is tested over a real TCP conversation. It speaks EHLO/HELO, AUTH PLAIN,
// MAIL FROM, RCPT TO, DATA (with dot-stuffing), RSET, NOOP and QUIT, keeps what it
// receives, and can be told to answer a stage with a 4xx/5xx reply or to stall.
//
// No Debian package offers an SMTP server that a C++ test can embed, drive and inject
// faults into; this one is a few hundred lines over POSIX sockets, one thread per
// connection. Test-only.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vt::notify::testing {

/// One message as the server accepted it.
struct ReceivedMail {
    std::string helo;                  ///< Argument of EHLO/HELO.
    std::string auth_user;             ///< User of AUTH PLAIN; empty without AUTH.
    std::string mail_from;             ///< Envelope sender, without angle brackets.
    std::vector<std::string> rcpt_to;  ///< Envelope recipients, without angle brackets.
    /// The message as the client meant it: dot-stuffing undone, CRLF line ends, without
    /// the terminating "." line.
    std::string data;
};

/// The point of the conversation where a failure can be injected.
enum class SmtpStage {
    kGreeting,  ///< Instead of "220": the reply, then the connection is closed.
    kMailFrom,
    kRcptTo,
    kData,  ///< After the message was received, instead of "250".
};

struct SmtpSinkOptions {
    /// When set, MAIL FROM requires a successful AUTH PLAIN with these credentials.
    std::string username;
    std::string password;
    /// A connection idle this long is closed.
    std::chrono::milliseconds read_timeout{10000};
    /// Longest command or data line, and largest message.
    std::size_t max_line = 64 * 1024;
    std::size_t max_message = 16 * 1024 * 1024;
};

class SmtpSink {
public:
    /// Listens on 127.0.0.1 on an ephemeral port. Throws std::runtime_error when it
    /// cannot (tests only).
    explicit SmtpSink(SmtpSinkOptions options = {});
    /// Closes the listener and every connection, and joins their threads.
    ~SmtpSink();
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    std::uint16_t port() const { return port_; }

    /// The next `times` times `stage` is reached (times < 0: until Heal()), the server
    /// replies "<code> <text>" instead of accepting.
    void Fail(SmtpStage stage, int code, std::string text, int times = -1);
    /// Undoes every Fail() and Stall().
    void Heal();
    /// While stalled, new connections get no greeting (the client times out).
    void Stall(bool on);

    /// Messages accepted so far, in order.
    std::vector<ReceivedMail> Received() const;
    std::size_t ReceivedCount() const;
    /// Waits until at least `n` messages were accepted; false on timeout.
    bool WaitForReceived(std::size_t n, std::chrono::milliseconds timeout) const;
    /// Connections accepted so far.
    int connections() const;

private:
    struct Failure {
        SmtpStage stage;
        int code = 0;
        std::string text;
        int times = 0;
    };

    void AcceptLoop();
    void Serve(int fd);
    // The injected reply for `stage`, consuming one use; empty when none applies.
    std::string TakeFailure(SmtpStage stage);

    SmtpSinkOptions options_;
    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    std::thread acceptor_;

    mutable std::mutex mu_;
    mutable std::condition_variable received_cv_;
    bool closing_ = false;                // GUARDED_BY(mu_)
    bool stalled_ = false;                // GUARDED_BY(mu_)
    std::vector<Failure> failures_;       // GUARDED_BY(mu_)
    std::vector<ReceivedMail> received_;  // GUARDED_BY(mu_)
    std::vector<int> open_fds_;           // GUARDED_BY(mu_)
    std::vector<std::thread> sessions_;   // GUARDED_BY(mu_)
    int connections_ = 0;                 // GUARDED_BY(mu_)
};

}  // namespace vt::notify::testing
