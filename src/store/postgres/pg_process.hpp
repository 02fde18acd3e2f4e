#pragma once
// Runs the PostgreSQL client tools (pg_dump, pg_restore). Private to the PostgreSQL adapter.
#include <span>
#include <string>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::store::pg {

/// Most bytes of a tool's stderr kept for the error message.
inline constexpr std::size_t kMaxToolOutput = 16 * 1024;

/// Runs `argv[0]`, looked up in PATH, with arguments `argv` (no shell), stdin and stdout
/// on /dev/null, and the environment of this process plus `extra_env` ("NAME=value",
/// replacing a variable of the same name). Blocks until it exits.
/// Returns Ok when it exits with status 0; otherwise kUnavailable with code `code`, and a
/// message starting with `what` followed by the tool's stderr (at most kMaxToolOutput
/// bytes of it).
/// REQUIRES: `argv` is not empty. Thread-safe.
Status RunTool(std::span<const std::string> argv, std::span<const std::string> extra_env,
               std::string_view code, std::string_view what);

}  // namespace vt::store::pg
