#include "vt/core/clock.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace vt::core {

std::string FormatUtc(std::chrono::system_clock::time_point t) {
    auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
    auto secs = std::chrono::floor<std::chrono::seconds>(ms);
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(secs)),
                       static_cast<int>((ms - secs).count()));
}

}  // namespace vt::core
