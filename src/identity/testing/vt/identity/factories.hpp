#pragma once
// Valid Guatemalan identifiers for the tests of every module that registers people or
// employers.
#include <string>
#include <string_view>

#include "vt/core/nit.hpp"

namespace vt::identity::testing {

/// A valid CUI with correlativo `n` (0 ≤ n < 10^7) registered in `municipio`: the check
/// digit is computed, and correlativos whose check would be 10 are skipped.
inline std::string ValidCui(int n, std::string_view municipio = "0101") {
    for (int c = n * 10;; ++c) {
        std::string body = std::to_string(10000000 + c % 90000000);
        int sum = 0;
        for (int i = 0; i < 8; ++i) sum += (body[i] - '0') * (i + 2);
        if (sum % 11 == 10) continue;
        return body + std::to_string(sum % 11) + std::string(municipio);
    }
}

/// A valid NIT (canonical) for body `n`.
inline std::string ValidNit(int n) {
    std::string body = std::to_string(n);
    return body + "-" + core::NitCheckDigit(body);
}

}  // namespace vt::identity::testing
