#pragma once
// A deliberately simple blocking HTTP/1.1 client over a raw socket, so tests can send
// exactly the bytes they want (malformed, slow, oversized) to a real server.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace vt::http::testing {

struct RawResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // lowercase names
    std::string body;
};

class RawClient {
public:
    explicit RawClient(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~RawClient() { ::close(fd_); }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    bool connected() const { return connected_; }

    bool Send(const std::string& data) {
        std::size_t off = 0;
        while (off < data.size()) {
            ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += static_cast<std::size_t>(n);
        }
        return true;
    }

    /// Reads one response (Content-Length framed). nullopt on close or timeout.
    std::optional<RawResponse> Read(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        while (true) {
            std::size_t end = buf_.find("\r\n\r\n");
            if (end != std::string::npos) {
                RawResponse r;
                std::size_t line_end = buf_.find("\r\n");
                r.status = std::stoi(buf_.substr(9, 3));
                std::size_t pos = line_end + 2;
                while (pos < end) {
                    std::size_t eol = buf_.find("\r\n", pos);
                    std::string line = buf_.substr(pos, eol - pos);
                    std::size_t colon = line.find(':');
                    std::string name = line.substr(0, colon);
                    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                    std::string value = line.substr(colon + 1);
                    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
                    r.headers[name] = value;
                    pos = eol + 2;
                }
                std::size_t len = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
                if (head_only_) len = 0;
                if (buf_.size() >= end + 4 + len) {
                    r.body = buf_.substr(end + 4, len);
                    buf_.erase(0, end + 4 + len);
                    return r;
                }
            }
            if (!Fill(timeout)) return std::nullopt;
        }
    }

    /// True when the server closed the connection within `timeout`.
    bool ClosedWithin(std::chrono::milliseconds timeout) {
        while (true) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
            char tmp[4096];
            ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
            if (n <= 0) return true;
        }
    }

    void ExpectHeadOnly(bool v) { head_only_ = v; }

private:
    bool Fill(std::chrono::milliseconds timeout) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
        char tmp[65536];
        ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
        if (n <= 0) return false;
        buf_.append(tmp, static_cast<std::size_t>(n));
        return true;
    }

    int fd_ = -1;
    bool connected_ = false;
    bool head_only_ = false;
    std::string buf_;
};

/// One GET/POST on a fresh connection.
inline std::optional<RawResponse> Fetch(std::uint16_t port, const std::string& method, const std::string& target,
                                        const std::string& body = "", const std::string& content_type = "") {
    RawClient c(port);
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
    if (!content_type.empty()) req += "Content-Type: " + content_type + "\r\n";
    if (!body.empty() || method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    req += "\r\n" + body;
    if (!c.Send(req)) return std::nullopt;
    return c.Read();
}

/// Decodes a gzip stream (zlib's inflate); nullopt when `data` is not one whole valid stream.
inline std::optional<std::string> Gunzip(std::string_view data) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) return std::nullopt;
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buf[16384];
    int rc;
    do {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, sizeof buf - zs.avail_out);
    } while (rc == Z_OK);
    inflateEnd(&zs);
    if (rc != Z_STREAM_END || zs.avail_in != 0) return std::nullopt;
    return out;
}

}  // namespace vt::http::testing
