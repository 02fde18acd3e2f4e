#pragma once
// Content-addressed files on disk: <root>/ab/cd/<sha256><suffix>, where ab and cd are the
// first four hex digits of the content's SHA-256.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::documents {

class ContentStore {
public:
    /// `root` is created on first write. `suffix` (e.g. ".pdf") is appended to file names.
    explicit ContentStore(std::filesystem::path root, std::string suffix = "");

    /// Stores `bytes` and returns their hex SHA-256. Atomic and durable: the content is
    /// written to a temporary file in <root>/tmp, fsynced, renamed into place and the
    /// directory fsynced, so a reader sees the whole file or none. Content already present
    /// is not written again. Thread- and process-safe.
    /// Errors: kStorageFull (disk full), kInternal (any other I/O failure).
    [[nodiscard]] Result<std::string> Put(std::string_view bytes) const;

    /// The content whose hex SHA-256 is `sha256`, checked against it.
    /// Errors: NotFound; kInternal code "file-corrupt" when the bytes no longer match the
    /// hash or exceed `max_bytes`.
    [[nodiscard]] Result<std::string> Get(std::string_view sha256, std::int64_t max_bytes) const;

    std::filesystem::path PathOf(std::string_view sha256) const;

private:
    std::filesystem::path root_;
    std::string suffix_;
};

/// True when `s` is 64 lowercase hex digits.
bool IsSha256Hex(std::string_view s);

}  // namespace vt::documents
