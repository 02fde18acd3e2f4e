#include "testing/mime_reader.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>

namespace vt::notify::testing {
namespace {

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string Base64Decode(std::string_view in) {
    std::string out(in.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), in.data(),
                          in.size(), " \r\n", &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
        return "<base64 inválido>";
    }
    out.resize(len);
    return out;
}

struct Entity {
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

std::string Find(const std::vector<std::pair<std::string, std::string>>& headers,
                 std::string_view name) {
    for (const auto& [n, v] : headers) {
        if (Lower(n) == Lower(name)) return v;
    }
    return "";
}

// Splits headers from body and unfolds the headers.
Entity SplitEntity(std::string_view raw) {
    Entity e;
    std::size_t end = raw.find("\r\n\r\n");
    std::string_view head = raw.substr(0, end);
    e.body = end == std::string_view::npos ? "" : std::string(raw.substr(end + 4));
    std::size_t start = 0;
    while (start < head.size()) {
        std::size_t eol = head.find("\r\n", start);
        std::string_view line =
            head.substr(start, eol == std::string_view::npos ? eol : eol - start);
        start = eol == std::string_view::npos ? head.size() : eol + 2;
        if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !e.headers.empty()) {
            e.headers.back().second += std::string(line);  // unfolding drops only the CRLF
            continue;
        }
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        e.headers.emplace_back(std::string(line.substr(0, colon)), Trim(line.substr(colon + 1)));
    }
    return e;
}

std::string MediaType(const std::string& content_type) {
    return Lower(Trim(content_type.substr(0, content_type.find(';'))));
}

std::string Parameter(const std::string& content_type, std::string_view name) {
    std::string lower = Lower(content_type);
    std::size_t at = lower.find(std::string(name) + "=");
    if (at == std::string::npos) return "";
    std::string_view v = std::string_view(content_type).substr(at + name.size() + 1);
    if (!v.empty() && v.front() == '"') {
        v.remove_prefix(1);
        return std::string(v.substr(0, v.find('"')));
    }
    return Trim(v.substr(0, v.find(';')));
}

std::string DecodeBody(const Entity& e) {
    std::string encoding = Lower(Find(e.headers, "Content-Transfer-Encoding"));
    if (encoding == "quoted-printable") return DecodeQuotedPrintable(e.body);
    if (encoding == "base64") return Base64Decode(e.body);
    return e.body;
}

}  // namespace

std::string ParsedMail::Header(std::string_view name) const { return Find(headers, name); }

std::string DecodeQuotedPrintable(std::string_view body) {
    std::string out;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] != '=') {
            out.push_back(body[i]);
            continue;
        }
        if (body.substr(i + 1, 2) == "\r\n") {
            i += 2;
        } else if (i + 2 < body.size() && HexValue(body[i + 1]) >= 0 &&
                   HexValue(body[i + 2]) >= 0) {
            out.push_back(static_cast<char>(HexValue(body[i + 1]) * 16 + HexValue(body[i + 2])));
            i += 2;
        } else {
            out.push_back('=');
        }
    }
    return out;
}

std::string DecodeHeader(std::string_view value) {
    std::string out;
    std::string pending_space;  // whitespace after an encoded-word, dropped before another
    bool last_was_word = false;
    std::size_t i = 0;
    while (i < value.size()) {
        if (value.substr(i, 2) == "=?") {
            std::size_t q1 = value.find('?', i + 2);
            std::size_t q2 = q1 == std::string_view::npos ? q1 : value.find('?', q1 + 1);
            std::size_t end = q2 == std::string_view::npos ? q2 : value.find("?=", q2 + 1);
            if (end != std::string_view::npos) {
                std::string charset = Lower(value.substr(i + 2, q1 - i - 2));
                char encoding = static_cast<char>(std::toupper(value[q1 + 1]));
                std::string_view text = value.substr(q2 + 1, end - q2 - 1);
                std::string decoded;
                if (encoding == 'B') {
                    decoded = Base64Decode(text);
                } else {
                    std::string t(text);
                    std::replace(t.begin(), t.end(), '_', ' ');
                    decoded = DecodeQuotedPrintable(t);
                }
                if (charset != "utf-8") decoded = "<charset " + charset + ">";
                if (!last_was_word) out += pending_space;
                pending_space.clear();
                out += decoded;
                last_was_word = true;
                i = end + 2;
                continue;
            }
        }
        if (value[i] == ' ' || value[i] == '\t' || value[i] == '\r' || value[i] == '\n') {
            pending_space.push_back(value[i]);
        } else {
            out += pending_space;
            pending_space.clear();
            out.push_back(value[i]);
            last_was_word = false;
        }
        ++i;
    }
    return out + pending_space;
}

ParsedMail ParseMail(std::string_view raw) {
    ParsedMail mail;
    std::size_t start = 0;
    while (start < raw.size()) {
        std::size_t eol = raw.find("\r\n", start);
        if (eol == std::string_view::npos) eol = raw.size();
        mail.longest_line = std::max(mail.longest_line, eol - start);
        start = eol + 2;
    }
    Entity top = SplitEntity(raw);
    mail.headers = top.headers;
    mail.subject = DecodeHeader(Find(top.headers, "Subject"));
    std::string content_type = Find(top.headers, "Content-Type");
    mail.content_type = MediaType(content_type);
    if (mail.content_type != "multipart/alternative") {
        mail.text = DecodeBody(top);
        return mail;
    }
    std::string boundary = Parameter(content_type, "boundary");
    if (boundary.empty()) {
        mail.error = "multipart sin boundary";
        return mail;
    }
    // Each delimiter is CRLF "--" boundary; the CRLF belongs to the delimiter.
    std::string body = "\r\n" + top.body;
    std::string delimiter = "\r\n--" + boundary;
    std::size_t at = body.find(delimiter);
    while (at != std::string::npos) {
        std::size_t after = at + delimiter.size();
        if (body.compare(after, 2, "--") == 0) return mail;  // close delimiter
        std::size_t part_start = body.find("\r\n", after);
        if (part_start == std::string::npos) break;
        part_start += 2;
        std::size_t next = body.find(delimiter, part_start);
        if (next == std::string::npos) break;
        Entity part = SplitEntity(std::string_view(body).substr(part_start, next - part_start));
        std::string type = MediaType(Find(part.headers, "Content-Type"));
        if (type == "text/plain") mail.text = DecodeBody(part);
        if (type == "text/html") mail.html = DecodeBody(part);
        at = next;
    }
    mail.error = "multipart sin delimitador de cierre";
    return mail;
}

}  // namespace vt::notify::testing
