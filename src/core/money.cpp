#include "vt/core/money.hpp"

#include <charconv>
#include <cstdlib>
#include <limits>
#include <ostream>
#include <regex>

namespace vt::core {
namespace {

// Longer inputs are rejected before the regex runs: libstdc++'s matcher recurses per
// character, and no real amount needs more.
constexpr std::size_t kMaxInputLength = 64;

Error FormatError() {
    return Error(ErrorKind::kInvalid, "money-format",
                 "Monto no válido: use punto para los decimales y coma para los miles, por "
                 "ejemplo Q1,234.56.");
}

Error RangeError() {
    return Error(ErrorKind::kInvalid, "money-range",
                 "El monto excede el máximo admitido (Q999,999,999,999.99).");
}

std::string_view Trim(std::string_view s) {
    constexpr std::string_view kSpace = " \t\r\n";
    auto first = s.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

}  // namespace

Result<Money> Money::Parse(std::string_view text) {
    text = Trim(text);
    if (text.empty() || text.size() > kMaxInputLength) return FormatError();

    // sign, optional Q, integer part (plain or grouped by thousands), optional decimals.
    static const std::regex kPattern(R"(^(-)?(?:[Qq] *)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$)");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(text.begin(), text.end(), m, kPattern)) return FormatError();

    std::string digits = m[2].str();
    std::erase(digits, ',');
    std::uint64_t quetzales = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), quetzales);
    if (ec == std::errc::result_out_of_range) return RangeError();
    if (ec != std::errc() || end != digits.data() + digits.size()) return FormatError();

    std::uint64_t cents = 0;
    if (m[3].matched) {
        std::string decimals = m[3].str();
        if (decimals.size() > 2) {
            return Error(ErrorKind::kInvalid, "money-decimals",
                         "El monto no puede tener más de dos decimales (centavos).");
        }
        if (decimals.size() == 1) decimals += '0';
        cents = static_cast<std::uint64_t>((decimals[0] - '0') * 10 + (decimals[1] - '0'));
    }

    constexpr auto kMax = static_cast<std::uint64_t>(kMaxParsedCentavos);
    if (quetzales > kMax / 100 || quetzales * 100 + cents > kMax) return RangeError();
    auto total = static_cast<std::int64_t>(quetzales * 100 + cents);
    return Money(m[1].matched ? -total : total);
}

std::string Money::ToString() const {
    // Grouping is written out rather than taken from std::locale: the es_GT locale is often
    // not installed on servers, and the format is fixed by the programme, not by the host.
    std::uint64_t magnitude = centavos_ < 0 ? 0 - static_cast<std::uint64_t>(centavos_)
                                            : static_cast<std::uint64_t>(centavos_);
    std::string whole = std::to_string(magnitude / 100);
    std::string grouped;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
        grouped += whole[i];
    }
    std::uint64_t cents = magnitude % 100;
    std::string out = centavos_ < 0 ? "-Q" : "Q";
    out += grouped;
    out += '.';
    out += static_cast<char>('0' + cents / 10);
    out += static_cast<char>('0' + cents % 10);
    return out;
}

std::ostream& operator<<(std::ostream& os, Money m) { return os << m.ToString(); }

Result<Money> MulDivRoundHalfUp(Money amount, std::int64_t num, std::int64_t den) {
    if (den == 0) {
        return Error(ErrorKind::kInvalid, "money-division-by-zero",
                     "No se puede dividir un monto entre cero.");
    }
    using U128 = unsigned __int128;
    auto abs_u = [](std::int64_t v) -> U128 {
        // Through uint64 so that INT64_MIN has a magnitude too.
        std::uint64_t u = static_cast<std::uint64_t>(v);
        return U128(v < 0 ? 0 - u : u);
    };
    bool negative = (amount.centavos() < 0) ^ (num < 0) ^ (den < 0);
    if (amount.centavos() == 0 || num == 0) return Money();

    // |amount| × |num| < 2^126, so the product and everything below fit in 128 bits.
    U128 product = abs_u(amount.centavos()) * abs_u(num);
    U128 d = abs_u(den);
    U128 quotient = product / d;
    U128 remainder = product % d;
    if (remainder * 2 >= d) ++quotient;  // half away from zero, applied to the magnitude

    constexpr U128 kMaxPositive = std::numeric_limits<std::int64_t>::max();
    if (quotient > kMaxPositive + (negative ? 1 : 0)) {
        return Error(ErrorKind::kInvalid, "money-overflow",
                     "El resultado excede el monto máximo representable.");
    }
    auto u = static_cast<std::uint64_t>(quotient);
    return Money::FromCentavos(static_cast<std::int64_t>(negative ? 0 - u : u));
}

}  // namespace vt::core
