#include "vt/audit/log_key.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "vt/core/random.hpp"

namespace vt::audit {
namespace {

const unsigned char* Bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

Error KeyError(const std::filesystem::path& path, const std::string& what) {
    return Error::Unavailable("log-key",
                              "Llave del registro de auditoría " + path.string() + ": " + what);
}

std::string Errno() { return std::strerror(errno); }

// Reads the whole (small) key file, refusing one that others may read.
Result<std::string> ReadKeyFile(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            return Error::NotFound("No existe la llave del registro de auditoría " + path.string() +
                                   ".");
        return KeyError(path, "no se pudo abrir (" + Errno() + ").");
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        return KeyError(path, "no se pudo leer (" + Errno() + ").");
    }
    if ((st.st_mode & 077) != 0) {
        ::close(fd);
        return KeyError(path,
                        "otros usuarios pueden leerla; corrija los permisos con «chmod 600».");
    }
    std::string data(crypto_sign_SECRETKEYBYTES + 1, '\0');
    ssize_t n = ::read(fd, data.data(), data.size());
    ::close(fd);
    if (n < 0) return KeyError(path, "no se pudo leer (" + Errno() + ").");
    data.resize(static_cast<std::size_t>(n));
    return data;
}

Status WriteAll(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return Error::Unavailable("log-key", Errno());
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return Ok();
}

void SyncDirectory(const std::filesystem::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)::fsync(fd);
        ::close(fd);
    }
}

void PutBigEndian(std::string& out, std::uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((v >> shift) & 0xff));
}

}  // namespace

LogKey LogKey::Generate() {
    LogKey k;
    k.secret_key_.assign(crypto_sign_SECRETKEYBYTES, '\0');
    k.public_key_.assign(crypto_sign_PUBLICKEYBYTES, '\0');
    crypto_sign_keypair(reinterpret_cast<unsigned char*>(k.public_key_.data()),
                        reinterpret_cast<unsigned char*>(k.secret_key_.data()));
    return k;
}

Result<LogKey> LogKey::FromSecretKey(std::string_view secret_key) {
    if (secret_key.size() != crypto_sign_SECRETKEYBYTES) {
        return Error::Invalid("La llave del registro de auditoría debe tener " +
                              std::to_string(crypto_sign_SECRETKEYBYTES) + " bytes.");
    }
    // Re-derive the pair from the seed: a file whose public half was altered is refused.
    LogKey k;
    k.secret_key_.assign(crypto_sign_SECRETKEYBYTES, '\0');
    k.public_key_.assign(crypto_sign_PUBLICKEYBYTES, '\0');
    crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(k.public_key_.data()),
                             reinterpret_cast<unsigned char*>(k.secret_key_.data()),
                             Bytes(secret_key));
    if (sodium_memcmp(k.secret_key_.data(), secret_key.data(), crypto_sign_SECRETKEYBYTES) != 0) {
        return Error::Invalid(
            "La llave del registro de auditoría está dañada: la parte pública no corresponde.");
    }
    return k;
}

LogKey::LogKey(LogKey&& other) noexcept
    : secret_key_(std::move(other.secret_key_)), public_key_(std::move(other.public_key_)) {
    other.secret_key_.clear();
}

LogKey& LogKey::operator=(LogKey&& other) noexcept {
    if (this != &other) {
        sodium_memzero(secret_key_.data(), secret_key_.size());
        secret_key_ = std::move(other.secret_key_);
        public_key_ = std::move(other.public_key_);
        other.secret_key_.clear();
    }
    return *this;
}

LogKey::~LogKey() { sodium_memzero(secret_key_.data(), secret_key_.size()); }

std::string LogKey::KeyId() const { return ToHex(Sha256(public_key_)); }

std::string LogKey::Sign(std::string_view message) const {
    std::string signature(crypto_sign_BYTES, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                         Bytes(message), message.size(), Bytes(secret_key_));
    return signature;
}

bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature) {
    if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES)
        return false;
    return crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(),
                                       Bytes(public_key)) == 0;
}

Result<LogKey> LoadLogKey(const std::filesystem::path& path) {
    VT_ASSIGN_OR_RETURN(std::string data, ReadKeyFile(path));
    auto key = LogKey::FromSecretKey(data);
    sodium_memzero(data.data(), data.size());
    if (!key.ok()) return KeyError(path, key.error().message());
    return key;
}

Result<LogKey> LoadOrCreateLogKey(const std::filesystem::path& path) {
    auto existing = LoadLogKey(path);
    if (existing.ok() || existing.error().kind() != ErrorKind::kNotFound) return existing;

    std::filesystem::path dir =
        path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) {
        std::filesystem::create_directories(dir, ec);
        if (ec) return KeyError(path, "no se pudo crear la carpeta (" + ec.message() + ").");
        std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
    }
    LogKey key = LogKey::Generate();
    // Written under a temporary name and linked into place: link() fails if another
    // process got there first, and then its key is the one both use.
    std::filesystem::path temp = path;
    temp += ".tmp-" + core::RandomHex(6);
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return KeyError(path, "no se pudo crear (" + Errno() + ").");
    Status written = WriteAll(fd, key.secret_key());
    if (written.ok() && ::fsync(fd) != 0) written = Error::Unavailable("log-key", Errno());
    ::close(fd);
    if (!written.ok()) {
        ::unlink(temp.c_str());
        return KeyError(path, "no se pudo escribir (" + written.error().message() + ").");
    }
    bool raced = false;
    if (::link(temp.c_str(), path.c_str()) != 0) {
        if (errno != EEXIST) {
            std::string why = Errno();
            ::unlink(temp.c_str());
            return KeyError(path, "no se pudo guardar (" + why + ").");
        }
        raced = true;
    }
    ::unlink(temp.c_str());
    SyncDirectory(dir);
    if (raced) return LoadLogKey(path);
    return key;
}

std::string TreeHeadSignatureInput(std::int64_t tree_size, std::int64_t timestamp_ms,
                                   const Hash& root) {
    std::string out;
    out.reserve(2 + 8 + 8 + kHashSize);
    out.push_back('\0');    // version v1
    out.push_back('\x01');  // signature_type tree_hash
    PutBigEndian(out, static_cast<std::uint64_t>(timestamp_ms));
    PutBigEndian(out, static_cast<std::uint64_t>(tree_size));
    out.append(AsBytes(root));
    return out;
}

SignedTreeHead SignTreeHead(const LogKey& key, std::int64_t tree_size, std::int64_t timestamp_ms,
                            const Hash& root) {
    SignedTreeHead sth;
    sth.tree_size = tree_size;
    sth.timestamp_ms = timestamp_ms;
    sth.root = root;
    sth.signature = key.Sign(TreeHeadSignatureInput(tree_size, timestamp_ms, root));
    return sth;
}

bool VerifyTreeHead(const SignedTreeHead& sth, std::string_view public_key) {
    return VerifySignature(public_key,
                           TreeHeadSignatureInput(sth.tree_size, sth.timestamp_ms, sth.root),
                           sth.signature);
}

}  // namespace vt::audit
