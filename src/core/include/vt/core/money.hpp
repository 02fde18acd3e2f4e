#pragma once
/// Amounts of quetzales as an exact count of centavos. No floating point is used anywhere:
/// parsing, formatting and the rational helper work on integers only.
///
/// A Money is a small value type (one int64); copy it freely. Thread-safe as any int.

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "vt/core/result.hpp"

namespace vt::core {

class Money {
public:
    /// Largest magnitude Parse() accepts: Q999,999,999,999.99. Any sum of fewer than 90,000
    /// parsed amounts therefore fits in the int64 without overflow.
    static constexpr std::int64_t kMaxParsedCentavos = 99'999'999'999'999;

    /// Q0.00.
    constexpr Money() = default;

    static constexpr Money FromCentavos(std::int64_t centavos) { return Money(centavos); }
    /// REQUIRES: |quetzales| * 100 fits in an int64.
    static constexpr Money FromQuetzales(std::int64_t quetzales) { return Money(quetzales * 100); }

    /// Parses an amount as people in Guatemala write it. Accepted, after trimming spaces:
    /// an optional "-", an optional "Q" (or "q") and spaces, the integer part either as
    /// plain digits ("1234") or grouped in thousands with commas ("1,234"), and optionally a
    /// dot with one or two decimals ("1234.5" = Q1,234.50). Examples: "1234.56",
    /// "Q1,234.56", "1234", "-Q15.00".
    /// Errors (all kInvalid): "money-format" (anything else, including a decimal comma or
    /// a malformed group), "money-decimals" (more than two decimals: centavos are not
    /// rounded silently), "money-range" (magnitude above kMaxParsedCentavos).
    [[nodiscard]] static Result<Money> Parse(std::string_view text);

    constexpr std::int64_t centavos() const { return centavos_; }

    /// "Q1,234.56": Q sign, comma thousands, dot and exactly two decimals, as Guatemala
    /// writes amounts. Negative amounts get a leading minus: "-Q15.00".
    std::string ToString() const;

    friend constexpr auto operator<=>(Money, Money) = default;

    /// REQUIRES: the exact result fits in an int64 (always true for sums of parsed amounts,
    /// see kMaxParsedCentavos).
    friend constexpr Money operator+(Money a, Money b) { return Money(a.centavos_ + b.centavos_); }
    friend constexpr Money operator-(Money a, Money b) { return Money(a.centavos_ - b.centavos_); }
    friend constexpr Money operator-(Money a) { return Money(-a.centavos_); }
    constexpr Money& operator+=(Money b) { return *this = *this + b; }
    constexpr Money& operator-=(Money b) { return *this = *this - b; }

private:
    constexpr explicit Money(std::int64_t centavos) : centavos_(centavos) {}

    std::int64_t centavos_ = 0;
};

/// Writes ToString(), so test failures and logs show "Q1,234.56".
std::ostream& operator<<(std::ostream& os, Money m);

/// round(amount × num / den) to the centavo, computed exactly with 128-bit intermediates,
/// so "salary × 14 / 12" or "salary × days / 365" is one exact rational step and one
/// rounding. Ties round half away from zero: +0.5 centavo → +1, −0.5 centavo → −1, so a
/// negative amount gives exactly the negation of the positive result. The sign of the
/// result is the product of the signs of amount, num and den.
/// Errors (all kInvalid): "money-division-by-zero" if den == 0; "money-overflow" if the
/// rounded result does not fit in an int64.
[[nodiscard]] Result<Money> MulDivRoundHalfUp(Money amount, std::int64_t num, std::int64_t den);

}  // namespace vt::core
