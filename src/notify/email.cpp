#include "email.hpp"

#include <map>

#include "vt/notify/notify.hpp"

namespace vt::notify {
namespace internal {
namespace {

constexpr std::size_t kMaxLocalPartBytes = 64;
constexpr std::size_t kMaxLabelBytes = 63;

bool IsAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 atext. Quoted local parts are legal but practically unused, and refusing
// them keeps every accepted address safe to place in a header and an SMTP command.
bool IsAtext(char c) {
    if (IsAsciiAlnum(c)) return true;
    constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
    return kSpecials.find(c) != std::string_view::npos;
}

bool IsDotAtom(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    char previous = '\0';
    for (char c : s) {
        if (c == '.') {
            if (previous == '.') return false;
        } else if (!IsAtext(c)) {
            return false;
        }
        previous = c;
    }
    return true;
}

bool IsDomain(std::string_view s) {
    int labels = 0;
    while (true) {
        std::size_t dot = s.find('.');
        std::string_view label = s.substr(0, dot);
        if (label.empty() || label.size() > kMaxLabelBytes) return false;
        if (label.front() == '-' || label.back() == '-') return false;
        for (char c : label) {
            if (!IsAsciiAlnum(c) && c != '-') return false;
        }
        ++labels;
        if (dot == std::string_view::npos) break;
        s.remove_prefix(dot + 1);
    }
    return labels >= 2;
}

bool HasControl(std::string_view s) {
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7F) return true;
    }
    return false;
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

}  // namespace

bool IsValidUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        int extra = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (s.size() - i <= static_cast<std::size_t>(extra)) return false;
        for (int k = 1; k <= extra; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += extra + 1;
    }
    return true;
}

bool IsValidAddress(std::string_view s) {
    if (s.empty() || s.size() > kMaxAddressBytes) return false;
    std::size_t at = s.find('@');
    if (at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) {
        return false;
    }
    std::string_view local = s.substr(0, at);
    std::string_view domain = s.substr(at + 1);
    return local.size() <= kMaxLocalPartBytes && IsDotAtom(local) && IsDomain(domain);
}

Result<Mailbox> ParseMailbox(std::string_view s) {
    Mailbox m;
    std::size_t open = s.find('<');
    if (open == std::string_view::npos) {
        m.address = std::string(s);
    } else {
        if (s.back() != '>') return Error::Invalid("El remitente debe ser «Nombre <dirección>».");
        m.address = std::string(s.substr(open + 1, s.size() - open - 2));
        std::string_view name = s.substr(0, open);
        while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        if (HasControl(name) || name.find_first_of("\"\\<>") != std::string_view::npos ||
            !IsValidUtf8(name)) {
            return Error::Invalid("El nombre del remitente contiene caracteres no permitidos.");
        }
        m.display_name = std::string(name);
    }
    if (!IsValidAddress(m.address)) {
        return Error::Invalid("La dirección del remitente no es válida.");
    }
    return m;
}

bool IsUtcTimestamp(std::string_view s) {
    constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (s.size() != kShape.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (kShape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != kShape[i]) return false;
    }
    return true;
}

}  // namespace internal

Status ValidateEmail(const Email& email) {
    using internal::HasControl;
    using internal::HasLineBreak;
    using internal::IsValidUtf8;

    struct Limit {
        const char* field;
        std::size_t size;
        std::size_t max;
    };
    for (const Limit& l : {Limit{"to", email.to.size(), kMaxAddressBytes},
                           Limit{"subject", email.subject.size(), kMaxSubjectBytes},
                           Limit{"text", email.text.size(), kMaxBodyBytes},
                           Limit{"html", email.html.size(), kMaxBodyBytes},
                           Limit{"dedup_key", email.dedup_key.size(), kMaxDedupKeyBytes}}) {
        if (l.size > l.max) {
            Error e(ErrorKind::kTooLarge, "email-too-large",
                    "El correo excede el tamaño permitido (" + std::string(l.field) + ": " +
                        std::to_string(l.size) + " bytes; máximo " + std::to_string(l.max) + ").");
            e.WithField(l.field, "Máximo " + std::to_string(l.max) + " bytes.");
            return e;
        }
    }

    std::map<std::string, std::string> fields;
    // Line breaks get their own message: they are how header injection is attempted.
    if (HasLineBreak(email.to)) {
        fields["to"] = "La dirección no puede contener saltos de línea.";
    } else if (!internal::IsValidAddress(email.to)) {
        fields["to"] = "La dirección de correo no es válida.";
    }
    if (email.subject.empty()) {
        fields["subject"] = "El correo necesita un asunto.";
    } else if (HasLineBreak(email.subject)) {
        fields["subject"] = "El asunto no puede contener saltos de línea.";
    } else if (HasControl(email.subject)) {
        fields["subject"] = "El asunto contiene caracteres de control.";
    } else if (!IsValidUtf8(email.subject)) {
        fields["subject"] = "El asunto no es texto UTF-8 válido.";
    }
    if (email.text.empty()) {
        fields["text"] = "El correo necesita un cuerpo de texto.";
    } else if (email.text.find('\0') != std::string::npos || !IsValidUtf8(email.text)) {
        fields["text"] = "El cuerpo no es texto UTF-8 válido.";
    }
    if (email.html.find('\0') != std::string::npos || !IsValidUtf8(email.html)) {
        fields["html"] = "El cuerpo HTML no es texto UTF-8 válido.";
    }
    for (unsigned char c : email.dedup_key) {
        if (c < 0x20 || c > 0x7E) {
            fields["dedup_key"] = "La clave de deduplicación debe ser ASCII imprimible.";
            break;
        }
    }
    if (!fields.empty()) return Error::Invalid("El correo no es válido.", std::move(fields));
    return Ok();
}

}  // namespace vt::notify
