#include "vt/core/date.hpp"

#include <fmt/format.h>

#include <charconv>

namespace vt::core {
namespace {

// Reads exactly `s.size()` ASCII digits; false on anything else (from_chars alone would
// accept a shorter run of digits).
bool ReadDigits(std::string_view s, int& out) {
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

Result<Date> ParseIsoDate(std::string_view text) {
    // std::chrono::parse would do this, but libstdc++ 12 does not ship it.
    int y = 0, m = 0, d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
        !ReadDigits(text.substr(0, 4), y) || !ReadDigits(text.substr(5, 2), m) ||
        !ReadDigits(text.substr(8, 2), d)) {
        return Error(ErrorKind::kInvalid, "date-format",
                     "La fecha debe tener el formato AAAA-MM-DD, por ejemplo 2026-04-02.");
    }
    Date date{std::chrono::year{y}, std::chrono::month(static_cast<unsigned>(m)),
              std::chrono::day(static_cast<unsigned>(d))};
    if (y == 0 || !date.ok()) {
        // Safe to echo: the shape check above admits only digits and hyphens.
        return Error(ErrorKind::kInvalid, "date-invalid",
                     "La fecha " + std::string(text) + " no existe en el calendario.");
    }
    return date;
}

std::string FormatIsoDate(Date d) {
    return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(d.year()),
                       static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

std::chrono::weekday DayOfWeek(Date d) { return std::chrono::weekday{std::chrono::sys_days{d}}; }

Date AddDays(Date d, int days) { return std::chrono::sys_days{d} + std::chrono::days{days}; }

int DaysBetween(Date a, Date b) {
    return static_cast<int>((std::chrono::sys_days{b} - std::chrono::sys_days{a}).count());
}

Date GuatemalaDate(std::chrono::system_clock::time_point t) {
    return std::chrono::floor<std::chrono::days>(t - std::chrono::hours{6});
}

std::string SpanishLongDate(Date d) {
    static constexpr const char* kMonths[] = {"enero",      "febrero", "marzo",     "abril",
                                              "mayo",       "junio",   "julio",     "agosto",
                                              "septiembre", "octubre", "noviembre", "diciembre"};
    return std::to_string(static_cast<unsigned>(d.day())) + " de " +
           kMonths[static_cast<unsigned>(d.month()) - 1] + " de " +
           std::to_string(static_cast<int>(d.year()));
}

}  // namespace vt::core
