#include "password.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>

#include "vt/core/random.hpp"

namespace vt::identity::internal {
namespace {

// Passwords that pass the length rule and are still among the first an attacker tries.
constexpr std::string_view kCommon[] = {
    "1234567890",    "12345678901",  "123456789012", "0123456789",    "0987654321",
    "1234512345",    "1122334455",   "1qaz2wsx3edc", "qwertyuiop",    "asdfghjkl1",
    "password123",   "password1234", "contrasena",   "contrasena1",   "contraseña1",
    "contraseña123", "guatemala1",   "guatemala123", "guatemala2024", "guatemala2025",
    "guatemala2026", "mintrab123",   "ministerio1",  "iloveyou12",    "abcdefghij",
    "abc1234567",    "aaaaaaaaaa1",  "trabajo123",   "ventanilla1",   "qwerty1234",
};

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::size_t CodePoints(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Error Weak(std::string message) {
    Error e(ErrorKind::kInvalid, "password-weak", "La contraseña no es segura: " + message);
    e.WithField("contrasena", std::move(message));
    return e;
}

}  // namespace

// Waits for one of the concurrent hashing slots and frees it when destroyed.
class PasswordHasher::Slot {
public:
    explicit Slot(PasswordHasher& h) : h_(h) {
        std::unique_lock lock(h_.mu_);
        h_.freed_.wait(lock, [&] { return h_.available_ > 0; });
        --h_.available_;
    }
    ~Slot() {
        {
            std::lock_guard lock(h_.mu_);
            ++h_.available_;
        }
        h_.freed_.notify_one();
    }

private:
    PasswordHasher& h_;
};

PasswordHasher::PasswordHasher(std::uint64_t opslimit, std::size_t memlimit, int max_concurrent)
    : opslimit_(opslimit), memlimit_(memlimit), available_(std::max(1, max_concurrent)) {
    auto dummy = Hash(core::RandomHex(16));
    if (dummy.ok()) dummy_ = std::move(dummy).value();
}

Result<std::string> PasswordHasher::Hash(std::string_view password) {
    Slot slot(*this);
    char out[crypto_pwhash_argon2id_STRBYTES];
    if (crypto_pwhash_argon2id_str(out, password.data(), password.size(), opslimit_, memlimit_) !=
        0) {
        return Error::Internal("No hay memoria suficiente para proteger la contraseña.");
    }
    return std::string(out);
}

bool PasswordHasher::Verify(const std::string& encoded, std::string_view password) {
    bool usable = !encoded.empty() && encoded.size() < crypto_pwhash_argon2id_STRBYTES;
    const std::string& target = usable ? encoded : dummy_;
    Slot slot(*this);
    bool match = crypto_pwhash_str_verify(target.c_str(), password.data(), password.size()) == 0;
    return usable && match;
}

bool PasswordHasher::NeedsRehash(const std::string& encoded) const {
    return crypto_pwhash_argon2id_str_needs_rehash(encoded.c_str(), opslimit_, memlimit_) != 0;
}

Status CheckPasswordPolicy(std::string_view password, const PasswordContext& context, int min_chars,
                           int max_bytes) {
    if (CodePoints(password) < static_cast<std::size_t>(min_chars)) {
        return Weak("debe tener al menos " + std::to_string(min_chars) + " caracteres.");
    }
    if (password.size() > static_cast<std::size_t>(max_bytes)) {
        return Weak("no puede tener más de " + std::to_string(max_bytes) + " bytes.");
    }
    if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; })) {
        return Weak("no puede ser un solo carácter repetido.");
    }
    std::string lower = Lower(password);
    for (std::string_view common : kCommon) {
        if (lower == common) return Weak("es una de las contraseñas más usadas.");
    }
    if (!context.cui.empty() && lower.find(context.cui) != std::string::npos) {
        return Weak("no puede contener su CUI.");
    }
    if (!context.email.empty()) {
        std::string_view email = context.email;
        std::string_view local = email.substr(0, email.find('@'));
        if (lower == email || lower == local) return Weak("no puede ser su correo electrónico.");
    }
    if (!context.name.empty() && lower == Lower(context.name))
        return Weak("no puede ser su nombre.");
    return Ok();
}

}  // namespace vt::identity::internal
