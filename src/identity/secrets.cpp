#include "secrets.hpp"

#include <sodium.h>

#include <charconv>

#include "vt/audit/audit.hpp"
#include "vt/core/random.hpp"

namespace vt::identity::internal {

std::string NewToken() { return core::RandomHex(32); }

std::string TokenDigest(std::string_view token) { return audit::Sha256Hex(token); }

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::chrono::system_clock::time_point> ParseUtc(std::string_view t) {
    // Fixed layout: YYYY-MM-DDTHH:MM:SS.mmmZ
    if (t.size() != 24 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
        t[16] != ':' || t[19] != '.' || t[23] != 'Z') {
        return std::nullopt;
    }
    auto num = [&](std::size_t pos, std::size_t len, int& out) {
        auto [p, ec] = std::from_chars(t.data() + pos, t.data() + pos + len, out);
        return ec == std::errc() && p == t.data() + pos + len;
    };
    int y, mo, d, h, mi, s, ms;
    if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) ||
        !num(17, 2, s) || !num(20, 3, ms)) {
        return std::nullopt;
    }
    using namespace std::chrono;
    year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
}

}  // namespace vt::identity::internal
