#include "message.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <chrono>
#include <vector>

#include "vt/core/random.hpp"

namespace vt::notify::internal {
namespace {

// RFC 5322 §2.1.1: lines SHOULD be at most 78 characters; RFC 2047 §2 limits a line with
// encoded-words to 76; RFC 2045 §6.7 limits quoted-printable lines to 76.
constexpr std::size_t kMaxHeaderLine = 78;
constexpr std::size_t kMaxQpLine = 76;
// 39 bytes of UTF-8 become 52 base64 characters: "=?UTF-8?B?" + 52 + "?=" is 64, which
// fits after "Subject: " within 76 columns.
constexpr std::size_t kEncodedWordBytes = 39;
constexpr std::size_t kMessageIdHexChars = 32;
// RFC 2047 §2: an encoded-word is at most 75 characters.
constexpr std::size_t kMaxEncodedWord = 75;

constexpr std::string_view kCrlf = "\r\n";

bool IsPlainAscii(std::string_view s) {
    for (unsigned char c : s) {
        if (c < 0x20 || c > 0x7E) return false;
    }
    // A literal "=?" would be read as the start of an encoded-word.
    return s.find("=?") == std::string_view::npos;
}

std::string Base64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.pop_back();  // the terminating NUL
    return out;
}

// Length of the UTF-8 sequence that starts with `lead` (1 for continuation bytes, which
// valid input never starts a character with).
std::size_t Utf8Length(unsigned char lead) {
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}

std::string EncodedWords(std::string_view value) {
    std::string out;
    std::size_t start = 0;
    while (start < value.size()) {
        std::size_t end = start;
        while (end < value.size()) {
            std::size_t n = Utf8Length(static_cast<unsigned char>(value[end]));
            if (end + n - start > kEncodedWordBytes) break;
            end += n;
        }
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?";
        out += Base64(value.substr(start, end - start));
        out += "?=";
        start = end;
    }
    return out;
}

// Folds printable ASCII before spaces so that lines stay within kMaxHeaderLine where the
// words allow it; unfolding (removing the CRLFs) gives back `value` exactly.
std::string FoldAscii(std::string_view value, std::size_t name_length) {
    std::vector<std::string_view> pieces;  // every piece but the first starts with a space
    std::size_t start = 0;
    for (std::size_t i = 1; i < value.size(); ++i) {
        if (value[i] == ' ') {
            pieces.push_back(value.substr(start, i - start));
            start = i;
        }
    }
    pieces.push_back(value.substr(start));
    std::string out(pieces.front());
    std::size_t column = name_length + pieces.front().size();
    for (std::size_t i = 1; i < pieces.size(); ++i) {
        std::string_view p = pieces[i];
        // A folded line must not be only whitespace.
        bool blank = p.find_first_not_of(' ') == std::string_view::npos;
        if (column + p.size() > kMaxHeaderLine && column > 1 && !blank) {
            out += kCrlf;
            column = 0;
        }
        out += p;
        column += p.size();
    }
    return out;
}

// RFC 2047 §5(3): inside a phrase, an encoded word may only hold letters, digits and
// "!*+-/" literally; "_" stands for a space and everything else is "=XX".
std::string QEncodedWord(std::string_view value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = "=?UTF-8?Q?";
    for (char c : value) {
        auto u = static_cast<unsigned char>(c);
        bool literal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::string_view("!*+-/").find(c) != std::string_view::npos;
        if (literal) {
            out.push_back(c);
        } else if (c == ' ') {
            out.push_back('_');
        } else {
            out += {'=', kHex[u >> 4], kHex[u & 0x0F]};
        }
    }
    return out + "?=";
}

bool IsAtextPhrase(std::string_view s) {
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == ' ' ||
                  std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

std::string FromHeader(const Mailbox& from) {
    if (from.display_name.empty()) return from.address;
    std::string phrase;
    if (IsPlainAscii(from.display_name)) {
        // ParseMailbox refused '"' and '\\', so quoting needs no escapes.
        phrase =
            IsAtextPhrase(from.display_name) ? from.display_name : "\"" + from.display_name + "\"";
    } else {
        // One "Q" encoded-word when it fits: some readers put a space between adjacent
        // encoded-words of a display name, which RFC 2047 says to drop.
        std::string q = QEncodedWord(from.display_name);
        phrase = q.size() <= kMaxEncodedWord ? q : EncodedWords(from.display_name);
    }
    std::string first = "From: " + phrase;
    std::size_t newline = first.rfind('\n');
    std::size_t column = newline == std::string::npos ? first.size() : first.size() - newline - 1;
    std::string angle = "<" + from.address + ">";
    return phrase + (column + 1 + angle.size() > kMaxHeaderLine ? "\r\n " : " ") + angle;
}

void AppendBody(std::string& out, std::string_view content_type, std::string_view body) {
    out += "Content-Type: ";
    out += content_type;
    out += "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
    out += QuotedPrintable(body);
}

}  // namespace

std::string FormatMessageDate(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    auto day = floor<days>(t);
    year_month_day ymd{day};
    hh_mm_ss hms{floor<seconds>(t - day)};
    weekday wd{day};
    return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kDays[wd.c_encoding()],
                       static_cast<unsigned>(ymd.day()),
                       kMonths[static_cast<unsigned>(ymd.month()) - 1],
                       static_cast<int>(ymd.year()), hms.hours().count(), hms.minutes().count(),
                       hms.seconds().count());
}

std::string EncodeHeaderText(std::string_view value, std::size_t name_length) {
    if (IsPlainAscii(value)) {
        if (name_length + value.size() <= kMaxHeaderLine) return std::string(value);
        return FoldAscii(value, name_length);
    }
    return EncodedWords(value);
}

std::string QuotedPrintable(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    std::size_t column = 0;
    auto emit = [&](std::string_view token) {
        // Leave room for the '=' of a soft line break.
        if (column + token.size() > kMaxQpLine - 1) {
            out += "=\r\n";
            column = 0;
        }
        out += token;
        column += token.size();
    };
    std::size_t i = 0;
    while (i < text.size()) {
        char c = text[i];
        if (c == '\r' || c == '\n') {
            i += (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
            out += kCrlf;
            column = 0;
            continue;
        }
        bool line_end = i + 1 == text.size() || text[i + 1] == '\r' || text[i + 1] == '\n';
        auto u = static_cast<unsigned char>(c);
        bool literal = (u >= 33 && u <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end);
        if (literal) {
            emit(std::string_view(&text[i], 1));
        } else {
            const char escaped[3] = {'=', kHex[u >> 4], kHex[u & 0x0F]};
            emit(std::string_view(escaped, 3));
        }
        ++i;
    }
    return out;
}

std::string BuildMessage(const Email& email, const Envelope& envelope) {
    std::string out;
    out.reserve(email.text.size() + email.html.size() + 1024);
    out += "Date: " + FormatMessageDate(envelope.date) + "\r\n";
    out += "From: " + FromHeader(envelope.from) + "\r\n";
    out += "To: " + email.to + "\r\n";
    out += "Subject: " + EncodeHeaderText(email.subject, 9) + "\r\n";
    out += "Message-ID: <" + envelope.message_id + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    // RFC 3834: keeps vacation responders from answering a no-reply address.
    out += "Auto-Submitted: auto-generated\r\n";
    if (email.html.empty()) {
        AppendBody(out, "text/plain", email.text);
    } else {
        // The boundary starts with "=_", which quoted-printable output never contains.
        const std::string& b = envelope.boundary;
        out += "Content-Type: multipart/alternative; boundary=\"" + b + "\"\r\n\r\n";
        out += "--" + b + "\r\n";
        AppendBody(out, "text/plain", email.text);
        out += "\r\n--" + b + "\r\n";
        AppendBody(out, "text/html", email.html);
        out += "\r\n--" + b + "--";
    }
    if (!out.ends_with(kCrlf)) out += kCrlf;
    return out;
}

std::string MessageIdLocalPart(std::string_view dedup_key) {
    if (dedup_key.empty()) return core::RandomHex(kMessageIdHexChars / 2);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(dedup_key.data()),
                       dedup_key.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return std::string(hex, kMessageIdHexChars);
}

}  // namespace vt::notify::internal
