#include "vt/core/random.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace vt::core {

void InitCrypto() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium no pudo inicializarse");
}

std::string RandomHex(std::size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    randombytes_buf(raw.data(), raw.size());
    std::string hex(bytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
    hex.pop_back();
    return hex;
}

}  // namespace vt::core
