#include "multipart.hpp"

#include <cctype>

namespace vt::web {
namespace {

bool IEqualsPrefix(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    }
    return true;
}

// The value of parameter `key` in a header such as `form-data; name="a"; filename="b.pdf"`.
std::optional<std::string> Parameter(std::string_view header, std::string_view key) {
    std::size_t pos = 0;
    while ((pos = header.find(';', pos)) != std::string_view::npos) {
        ++pos;
        while (pos < header.size() && header[pos] == ' ') ++pos;
        std::string_view rest = header.substr(pos);
        if (!IEqualsPrefix(rest, key) || rest.size() <= key.size() || rest[key.size()] != '=') continue;
        rest.remove_prefix(key.size() + 1);
        if (!rest.empty() && rest[0] == '"') {
            std::string value;
            for (std::size_t i = 1; i < rest.size(); ++i) {
                if (rest[i] == '\\' && i + 1 < rest.size()) {
                    value += rest[++i];
                } else if (rest[i] == '"') {
                    return value;
                } else {
                    value += rest[i];
                }
            }
            return std::nullopt;
        }
        return std::string(rest.substr(0, rest.find(';')));
    }
    return std::nullopt;
}

}  // namespace

std::string MultipartBoundary(std::string_view content_type) {
    if (!IEqualsPrefix(content_type, "multipart/form-data")) return {};
    auto b = Parameter(content_type, "boundary");
    if (!b || b->empty() || b->size() > 70) return {};
    return *b;
}

std::optional<std::vector<FormPart>> ParseMultipart(std::string_view body, std::string_view boundary) {
    const std::string delimiter = "--" + std::string(boundary);
    std::vector<FormPart> parts;
    std::size_t pos = body.find(delimiter);
    if (pos == std::string_view::npos) return std::nullopt;
    pos += delimiter.size();
    while (true) {
        if (body.substr(pos, 2) == "--") return parts;  // closing delimiter
        if (body.substr(pos, 2) != "\r\n") return std::nullopt;
        pos += 2;
        std::size_t headers_end = body.find("\r\n\r\n", pos);
        if (headers_end == std::string_view::npos) return std::nullopt;
        FormPart part;
        bool named = false;
        std::string_view headers = body.substr(pos, headers_end - pos);
        while (!headers.empty()) {
            std::size_t eol = headers.find("\r\n");
            std::string_view line = headers.substr(0, eol);
            headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
            if (IEqualsPrefix(line, "content-disposition:")) {
                if (auto n = Parameter(line, "name")) {
                    part.name = *n;
                    named = true;
                }
                part.filename = Parameter(line, "filename");
            }
        }
        if (!named) return std::nullopt;
        std::size_t data_start = headers_end + 4;
        std::size_t next = body.find("\r\n" + delimiter, data_start);
        if (next == std::string_view::npos) return std::nullopt;
        part.data = body.substr(data_start, next - data_start);
        parts.push_back(std::move(part));
        pos = next + 2 + delimiter.size();
    }
}

}  // namespace vt::web
