#include "sealing_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "vt/core/random.hpp"

namespace vt::documents {
namespace {

Error KeyFileError(const std::filesystem::path& file, const std::string& why) {
    return Error::Internal("Llave del servidor para documentos " + file.string() + ": " + why);
}

// Creates `file` with a new key unless it exists. Linking a complete temporary file into
// place makes creation atomic: a concurrent reader never sees a half-written key.
Status CreateIfMissing(const std::filesystem::path& file) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) return KeyFileError(file, "no se pudo crear el directorio: " + ec.message());
    ::chmod(file.parent_path().c_str(), 0700);
    if (::access(file.c_str(), F_OK) == 0) return Ok();

    std::array<unsigned char, crypto_secretbox_KEYBYTES> key{};
    crypto_secretbox_keygen(key.data());
    std::string tmp_name = file.filename().string();
    tmp_name.append(".").append(core::RandomHex(8)).append(".tmp");
    std::filesystem::path tmp = file.parent_path() / tmp_name;
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return KeyFileError(file, std::strerror(errno));
    bool ok =
        ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    int err = errno;
    ok = ::close(fd) == 0 && ok;
    sodium_memzero(key.data(), key.size());
    if (!ok) {
        ::unlink(tmp.c_str());
        return KeyFileError(file, std::strerror(err));
    }
    int linked = ::link(tmp.c_str(), file.c_str());
    err = errno;
    ::unlink(tmp.c_str());
    if (linked != 0 && err != EEXIST) return KeyFileError(file, std::strerror(err));
    return Ok();
}

}  // namespace

Result<SealingKey> SealingKey::LoadOrCreate(const std::filesystem::path& file) {
    VT_RETURN_IF_ERROR(CreateIfMissing(file));
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return KeyFileError(file, std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int err = errno;
        ::close(fd);
        return KeyFileError(file, std::strerror(err));
    }
    if ((st.st_mode & 077) != 0) {
        ::close(fd);
        return Error(ErrorKind::kInternal, "key-file-permissions",
                     "La llave del servidor " + file.string() +
                         " puede ser leída por otros usuarios; déjela con permisos 0600.");
    }
    SealingKey out;
    ssize_t n = ::read(fd, out.key_.data(), out.key_.size());
    char extra;
    bool longer = n == static_cast<ssize_t>(out.key_.size()) && ::read(fd, &extra, 1) > 0;
    ::close(fd);
    if (n != static_cast<ssize_t>(out.key_.size()) || longer)
        return KeyFileError(file,
                            "debe tener exactamente " + std::to_string(out.key_.size()) + " bytes");
    return out;
}

SealingKey::~SealingKey() { sodium_memzero(key_.data(), key_.size()); }

std::string SealingKey::Seal(std::string_view plain) const {
    std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(out.data());
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nonce,
                          key_.data());
    return out;
}

Result<std::string> SealingKey::Open(std::string_view sealed) const {
    auto invalid = [] {
        return Error(
            ErrorKind::kInternal, "sealed-key-invalid",
            "La llave de firma guardada no corresponde a la llave del servidor o fue alterada.");
    };
    if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return invalid();
    const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
    const unsigned char* box = nonce + crypto_secretbox_NONCEBYTES;
    std::size_t box_len = sealed.size() - crypto_secretbox_NONCEBYTES;
    std::string plain(box_len - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), box, box_len,
                                   nonce, key_.data()) != 0) {
        return invalid();
    }
    return plain;
}

}  // namespace vt::documents
