#pragma once
// Argon2id password hashing (libsodium) and the password policy. Private to identity.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <condition_variable>
#include <string>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::identity::internal {

/// Hashes and verifies passwords with bounded concurrency: at most `max_concurrent` hashes
/// run at once (each takes `memlimit` bytes), others wait. Thread-safe.
class PasswordHasher {
public:
    PasswordHasher(std::uint64_t opslimit, std::size_t memlimit, int max_concurrent);

    /// An encoded "$argon2id$..." string. Errors: kInternal (out of memory).
    [[nodiscard]] Result<std::string> Hash(std::string_view password);

    /// True iff `password` matches `encoded`. An empty or malformed `encoded` still costs
    /// one full hash (against a dummy), so the time does not tell whether the account
    /// exists or has a password.
    bool Verify(const std::string& encoded, std::string_view password);

    /// True when `encoded` was made with other limits than this hasher's.
    bool NeedsRehash(const std::string& encoded) const;

private:
    class Slot;
    std::uint64_t opslimit_;
    std::size_t memlimit_;
    std::string dummy_;  // a hash of a random password, for constant work

    std::mutex mu_;
    std::condition_variable freed_;
    int available_;  // GUARDED_BY(mu_)
};

/// What a password must not be equal to or contain (beyond the length rules).
struct PasswordContext {
    std::string cui;    ///< 13 digits, or empty.
    std::string email;  ///< Lower-cased, or empty.
    std::string name;
};

/// The password policy: at least `min_chars` characters (code points), at most `max_bytes`
/// bytes, not one repeated character, not a well-known password, not containing the CUI,
/// and not the email, its local part or the name.
/// Errors: kInvalid code "password-weak" with field "contrasena".
[[nodiscard]] Status CheckPasswordPolicy(std::string_view password, const PasswordContext& context,
                                         int min_chars, int max_bytes);

}  // namespace vt::identity::internal
