#include "file_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "vt/audit/audit.hpp"
#include "vt/core/random.hpp"

namespace vt::documents {
namespace {

Error IoError(const std::string& what, const std::filesystem::path& path, int err) {
    if (err == ENOSPC || err == EDQUOT)
        return Error::StorageFull("No queda espacio en disco para guardar el archivo.");
    return Error::Internal(what + " " + path.string() + ": " + std::strerror(err));
}

// Closes the descriptor on every path out.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    // Closes now, reporting the error close() may carry for a written file.
    int Close() {
        int r = ::close(fd_);
        fd_ = -1;
        return r;
    }

private:
    int fd_;
};

Status SyncDirectory(const std::filesystem::path& dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return IoError("no se pudo abrir", dir, errno);
    if (::fsync(fd.get()) != 0) return IoError("no se pudo sincronizar", dir, errno);
    return Ok();
}

}  // namespace

bool IsSha256Hex(std::string_view s) {
    if (s.size() != 64) return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

ContentStore::ContentStore(std::filesystem::path root, std::string suffix)
    : root_(std::move(root)), suffix_(std::move(suffix)) {}

std::filesystem::path ContentStore::PathOf(std::string_view sha256) const {
    std::string name(sha256);
    return root_ / name.substr(0, 2) / name.substr(2, 2) / (name + suffix_);
}

Result<std::string> ContentStore::Put(std::string_view bytes) const {
    std::string sha = audit::Sha256Hex(bytes);
    std::filesystem::path target = PathOf(sha);
    // Present and intact: nothing to write. A damaged copy is replaced.
    if (Get(sha, static_cast<std::int64_t>(bytes.size())).ok()) return sha;
    std::error_code ec;

    std::filesystem::path tmp_dir = root_ / "tmp";
    std::filesystem::create_directories(tmp_dir, ec);
    if (ec) return IoError("no se pudo crear", tmp_dir, ec.value());
    std::filesystem::create_directories(target.parent_path(), ec);
    if (ec) return IoError("no se pudo crear", target.parent_path(), ec.value());

    std::filesystem::path tmp = tmp_dir / (sha + "." + core::RandomHex(8) + ".part");
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
    if (fd.get() < 0) return IoError("no se pudo crear", tmp, errno);
    auto fail = [&](const std::string& what, int err) -> Error {
        ::unlink(tmp.c_str());
        return IoError(what, tmp, err);
    };
    std::size_t off = 0;
    while (off < bytes.size()) {
        ssize_t n = ::write(fd.get(), bytes.data() + off, bytes.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail("no se pudo escribir", errno);
        }
        off += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) return fail("no se pudo sincronizar", errno);
    if (fd.Close() != 0) return fail("no se pudo cerrar", errno);
    // Two writers of the same content rename identical files onto one name: either wins.
    if (::rename(tmp.c_str(), target.c_str()) != 0)
        return fail("no se pudo mover a su lugar", errno);
    VT_RETURN_IF_ERROR(SyncDirectory(target.parent_path()));
    return sha;
}

Result<std::string> ContentStore::Get(std::string_view sha256, std::int64_t max_bytes) const {
    if (!IsSha256Hex(sha256)) return Error::NotFound("El archivo no existe.");
    std::filesystem::path path = PathOf(sha256);
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT) return Error::NotFound("El archivo no existe.");
        return IoError("no se pudo abrir", path, errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return IoError("no se pudo leer", path, errno);
    auto corrupt = [&](const std::string& why) {
        return Error(
            ErrorKind::kInternal, "file-corrupt",
            "El archivo guardado está dañado o fue alterado (" + why + "): " + path.string());
    };
    if (st.st_size > max_bytes) return corrupt("tamaño");
    std::string out(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t off = 0;
    while (off < out.size()) {
        ssize_t n = ::read(fd.get(), out.data() + off, out.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            return IoError("no se pudo leer", path, errno);
        }
        if (n == 0) break;
        off += static_cast<std::size_t>(n);
    }
    out.resize(off);
    if (audit::Sha256Hex(out) != sha256) return corrupt("hash");
    return out;
}

}  // namespace vt::documents
