#include "content_type.hpp"

#include <stdexcept>

namespace vt::documents {

TypeDetector::TypeDetector() : cookie_(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR)) {
    if (cookie_ == nullptr) throw std::runtime_error("libmagic: no se pudo iniciar");
    if (magic_load(cookie_, nullptr) != 0) {
        std::string why = magic_error(cookie_) ? magic_error(cookie_) : "?";
        magic_close(cookie_);
        throw std::runtime_error("libmagic: no se pudo cargar la base de tipos de archivo: " + why);
    }
}

TypeDetector::~TypeDetector() { magic_close(cookie_); }

Result<std::string> TypeDetector::Detect(std::string_view bytes) const {
    std::lock_guard lock(mu_);
    const char* type = magic_buffer(cookie_, bytes.data(), bytes.size());
    if (type == nullptr) {
        const char* why = magic_error(cookie_);
        return Error::Internal(std::string("libmagic: ") + (why ? why : "?"));
    }
    return std::string(type);
}

bool TypeAccepted(std::string_view detected, std::span<const std::string> accepted) {
    for (const std::string& a : accepted) {
        if (a == detected) return true;
        if (a.size() > 2 && a.ends_with("/*") &&
            detected.starts_with(std::string_view(a).substr(0, a.size() - 1)))
            return true;
    }
    return false;
}

}  // namespace vt::documents
