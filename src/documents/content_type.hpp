#pragma once
// The type of a file, told from its content by libmagic rather than taken from the client.
#include <magic.h>

#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::documents {

class TypeDetector {
public:
    /// Loads libmagic's default database. Throws std::runtime_error when it cannot.
    TypeDetector();
    ~TypeDetector();
    TypeDetector(const TypeDetector&) = delete;
    TypeDetector& operator=(const TypeDetector&) = delete;

    /// The MIME type of `bytes` ("application/pdf", "image/png", ...).
    /// Errors: kInternal when libmagic fails. Thread-safe (one call at a time).
    [[nodiscard]] Result<std::string> Detect(std::string_view bytes) const;

private:
    // A magic cookie is not safe to use from two threads at once.
    mutable std::mutex mu_;
    magic_t cookie_;  // GUARDED_BY(mu_)
};

/// Whether `detected` is one of `accepted`, where "type/*" accepts every subtype.
bool TypeAccepted(std::string_view detected, std::span<const std::string> accepted);

}  // namespace vt::documents
