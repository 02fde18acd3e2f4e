#include "testing/smtp_sink.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <optional>
#include <stdexcept>

namespace vt::notify::testing {
namespace {

constexpr std::string_view kHostname = "sink.test";

// Reads CRLF-terminated lines (a bare LF is accepted too) from a blocking socket whose
// receive timeout is set.
class LineReader {
public:
    LineReader(int fd, std::size_t max_line) : fd_(fd), max_line_(max_line) {}

    // The next line without its terminator; nullopt on end of stream, timeout, error or
    // a line longer than the limit.
    std::optional<std::string> ReadLine() {
        while (true) {
            std::size_t lf = buffer_.find('\n');
            if (lf != std::string::npos) {
                std::string line = buffer_.substr(0, lf);
                buffer_.erase(0, lf + 1);
                if (!line.empty() && line.back() == '\r') line.pop_back();
                return line;
            }
            if (buffer_.size() > max_line_) return std::nullopt;
            char chunk[4096];
            ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return std::nullopt;
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }

private:
    int fd_;
    std::size_t max_line_;
    std::string buffer_;
};

bool SendAll(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

std::string Upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && Upper(s.substr(0, prefix.size())) == Upper(prefix);
}

// "<addr> PARAM=..." -> "addr"; nullopt when there are no angle brackets.
std::optional<std::string> PathArgument(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    if (s.empty() || s.front() != '<') return std::nullopt;
    std::size_t close = s.find('>');
    if (close == std::string_view::npos) return std::nullopt;
    return std::string(s.substr(1, close - 1));
}

std::optional<std::string> DecodeBase64(std::string_view in) {
    std::string out(in.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), in.data(),
                          in.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
        return std::nullopt;
    }
    out.resize(len);
    return out;
}

}  // namespace

SmtpSink::SmtpSink(SmtpSinkOptions options) : options_(std::move(options)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) throw std::runtime_error("smtp sink: socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(listen_fd_, 64) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        close(listen_fd_);
        throw std::runtime_error("smtp sink: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
}

SmtpSink::~SmtpSink() {
    std::vector<std::thread> sessions;
    {
        std::lock_guard lock(mu_);
        closing_ = true;
        for (int fd : open_fds_) shutdown(fd, SHUT_RDWR);
    }
    // Wakes the blocked accept() on Linux.
    shutdown(listen_fd_, SHUT_RDWR);
    acceptor_.join();
    close(listen_fd_);
    {
        std::lock_guard lock(mu_);
        sessions.swap(sessions_);
    }
    for (auto& t : sessions) t.join();
}

void SmtpSink::Fail(SmtpStage stage, int code, std::string text, int times) {
    std::lock_guard lock(mu_);
    std::erase_if(failures_, [&](const Failure& f) { return f.stage == stage; });
    failures_.push_back(Failure{stage, code, std::move(text), times});
}

void SmtpSink::Heal() {
    std::lock_guard lock(mu_);
    failures_.clear();
    stalled_ = false;
}

void SmtpSink::Stall(bool on) {
    std::lock_guard lock(mu_);
    stalled_ = on;
}

std::vector<ReceivedMail> SmtpSink::Received() const {
    std::lock_guard lock(mu_);
    return received_;
}

std::size_t SmtpSink::ReceivedCount() const {
    std::lock_guard lock(mu_);
    return received_.size();
}

bool SmtpSink::WaitForReceived(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return received_cv_.wait_for(lock, timeout, [&] { return received_.size() >= n; });
}

int SmtpSink::connections() const {
    std::lock_guard lock(mu_);
    return connections_;
}

std::string SmtpSink::TakeFailure(SmtpStage stage) {
    std::lock_guard lock(mu_);
    for (auto it = failures_.begin(); it != failures_.end(); ++it) {
        if (it->stage != stage || it->times == 0) continue;
        std::string reply = std::to_string(it->code) + " " + it->text + "\r\n";
        if (it->times > 0 && --it->times == 0) failures_.erase(it);
        return reply;
    }
    return "";
}

void SmtpSink::AcceptLoop() {
    while (true) {
        int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return;  // the listener was shut down
        }
        std::lock_guard lock(mu_);
        if (closing_) {
            close(fd);
            return;
        }
        timeval tv{};
        tv.tv_sec = static_cast<time_t>(options_.read_timeout.count() / 1000);
        tv.tv_usec = static_cast<suseconds_t>((options_.read_timeout.count() % 1000) * 1000);
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ++connections_;
        open_fds_.push_back(fd);
        sessions_.emplace_back([this, fd] { Serve(fd); });
    }
}

void SmtpSink::Serve(int fd) {
    LineReader reader(fd, options_.max_line);
    auto reply = [fd](std::string_view text) { return SendAll(fd, text); };
    const bool auth_required = !options_.username.empty();
    bool stalled = false;
    {
        std::lock_guard lock(mu_);
        stalled = stalled_;
    }

    if (stalled) {
        // Say nothing; wait for the client to give up (or the sink to close).
        while (reader.ReadLine()) {
        }
    } else if (std::string failure = TakeFailure(SmtpStage::kGreeting); !failure.empty()) {
        reply(failure);
    } else if (reply("220 " + std::string(kHostname) + " ESMTP test sink\r\n")) {
        ReceivedMail mail;
        bool have_helo = false;
        bool have_from = false;
        bool authed = false;
        auto reset = [&] {
            mail.mail_from.clear();
            mail.rcpt_to.clear();
            mail.data.clear();
            have_from = false;
        };
        while (auto line = reader.ReadLine()) {
            std::string verb = Upper(line->substr(0, line->find_first_of(" :")));
            std::string_view arg =
                std::string_view(*line).substr(std::min(line->size(), verb.size()));
            while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
            bool ok = true;
            if (verb == "EHLO") {
                have_helo = true;
                mail.helo = std::string(arg);
                reset();
                std::string r = "250-" + std::string(kHostname) + "\r\n250-8BITMIME\r\n";
                r += "250-SIZE " + std::to_string(options_.max_message) + "\r\n";
                if (auth_required) r += "250-AUTH PLAIN\r\n";
                ok = reply(r + "250 HELP\r\n");
            } else if (verb == "HELO") {
                have_helo = true;
                mail.helo = std::string(arg);
                reset();
                ok = reply("250 " + std::string(kHostname) + "\r\n");
            } else if (verb == "AUTH") {
                if (!auth_required) {
                    ok = reply("503 5.5.1 AUTH not available\r\n");
                    continue;
                }
                if (!StartsWithNoCase(arg, "PLAIN")) {
                    ok = reply("504 5.5.4 Mechanism not supported\r\n");
                    continue;
                }
                std::string initial(arg.substr(std::min<std::size_t>(arg.size(), 6)));
                if (initial.empty()) {
                    if (!reply("334 \r\n")) break;
                    auto response = reader.ReadLine();
                    if (!response) break;
                    initial = *response;
                }
                // "authzid NUL user NUL password"
                auto decoded = DecodeBase64(initial);
                std::string user, password;
                if (decoded) {
                    std::size_t a = decoded->find('\0');
                    std::size_t b = a == std::string::npos ? a : decoded->find('\0', a + 1);
                    if (b != std::string::npos) {
                        user = decoded->substr(a + 1, b - a - 1);
                        password = decoded->substr(b + 1);
                    }
                }
                if (decoded && user == options_.username && password == options_.password) {
                    authed = true;
                    mail.auth_user = user;
                    ok = reply("235 2.7.0 Authentication successful\r\n");
                } else {
                    ok = reply("535 5.7.8 Authentication credentials invalid\r\n");
                }
            } else if (verb == "MAIL") {
                auto path =
                    StartsWithNoCase(arg, "FROM:") ? PathArgument(arg.substr(5)) : std::nullopt;
                if (!have_helo) {
                    ok = reply("503 5.5.1 Send EHLO first\r\n");
                } else if (auth_required && !authed) {
                    ok = reply("530 5.7.0 Authentication required\r\n");
                } else if (!path) {
                    ok = reply("501 5.5.4 Syntax: MAIL FROM:<address>\r\n");
                } else if (std::string f = TakeFailure(SmtpStage::kMailFrom); !f.empty()) {
                    ok = reply(f);
                } else {
                    reset();
                    mail.mail_from = *path;
                    have_from = true;
                    ok = reply("250 2.1.0 Ok\r\n");
                }
            } else if (verb == "RCPT") {
                auto path =
                    StartsWithNoCase(arg, "TO:") ? PathArgument(arg.substr(3)) : std::nullopt;
                if (!have_from) {
                    ok = reply("503 5.5.1 Send MAIL first\r\n");
                } else if (!path) {
                    ok = reply("501 5.5.4 Syntax: RCPT TO:<address>\r\n");
                } else if (std::string f = TakeFailure(SmtpStage::kRcptTo); !f.empty()) {
                    ok = reply(f);
                } else {
                    mail.rcpt_to.push_back(*path);
                    ok = reply("250 2.1.5 Ok\r\n");
                }
            } else if (verb == "DATA") {
                if (mail.rcpt_to.empty()) {
                    ok = reply("503 5.5.1 Send RCPT first\r\n");
                    continue;
                }
                if (!reply("354 End data with <CR><LF>.<CR><LF>\r\n")) break;
                bool ended = false;
                bool too_big = false;
                while (auto data_line = reader.ReadLine()) {
                    if (*data_line == ".") {
                        ended = true;
                        break;
                    }
                    // RFC 5321 §4.5.2: a leading dot was doubled by the client.
                    std::string_view content = *data_line;
                    if (content.starts_with('.')) content.remove_prefix(1);
                    if (mail.data.size() + content.size() + 2 > options_.max_message) {
                        too_big = true;
                    } else {
                        mail.data.append(content);
                        mail.data.append("\r\n");
                    }
                }
                if (!ended) break;
                if (too_big) {
                    ok = reply("552 5.3.4 Message too big\r\n");
                } else if (std::string f = TakeFailure(SmtpStage::kData); !f.empty()) {
                    ok = reply(f);
                } else {
                    std::size_t n = 0;
                    {
                        std::lock_guard lock(mu_);
                        received_.push_back(mail);
                        n = received_.size();
                    }
                    received_cv_.notify_all();
                    ok = reply("250 2.0.0 Ok: queued as " + std::to_string(n) + "\r\n");
                }
                reset();
            } else if (verb == "RSET") {
                reset();
                ok = reply("250 2.0.0 Ok\r\n");
            } else if (verb == "NOOP") {
                ok = reply("250 2.0.0 Ok\r\n");
            } else if (verb == "QUIT") {
                reply("221 2.0.0 Bye\r\n");
                break;
            } else {
                ok = reply("502 5.5.2 Command not recognized\r\n");
            }
            if (!ok) break;
        }
    }

    std::lock_guard lock(mu_);
    // Closed under the lock so that the destructor never shuts down a reused descriptor.
    std::erase(open_fds_, fd);
    close(fd);
}

}  // namespace vt::notify::testing
