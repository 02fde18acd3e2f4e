#pragma once
// The folder a benchmark keeps its database files in: the one given on the command line
// (stale files of an earlier run removed), or a fresh temporary one removed on destruction.
#include <stdlib.h>

#include <filesystem>
#include <initializer_list>
#include <string>
#include <utility>

#include "vt/core/result.hpp"

namespace vt::bench {

class WorkDir {
public:
    /// `prefix` names the temporary folder; `stale` lists files to remove from a given one
    /// (each with its -wal and -shm companions).
    static Result<WorkDir> Make(const std::filesystem::path& given, const std::string& prefix,
                                std::initializer_list<const char*> stale = {}) {
        WorkDir d;
        std::error_code ec;
        if (!given.empty()) {
            if (!std::filesystem::is_directory(given, ec)) {
                return Error::Invalid("No existe la carpeta " + given.string() + ".");
            }
            d.path_ = given;
            for (const char* name : stale) {
                for (const char* suffix : {"", "-wal", "-shm"}) {
                    std::filesystem::remove(given / (std::string(name) + suffix), ec);
                }
            }
            return d;
        }
        std::string pattern = (std::filesystem::temp_directory_path(ec) / (prefix + ".XXXXXX")).string();
        if (ec || ::mkdtemp(pattern.data()) == nullptr) {
            return Error::Unavailable("temp-dir", "No se pudo crear una carpeta temporal para las bases.");
        }
        d.path_ = pattern;
        d.owned_ = true;
        return d;
    }
    WorkDir(WorkDir&& other) noexcept
        : path_(std::move(other.path_)), owned_(std::exchange(other.owned_, false)) {}
    WorkDir& operator=(WorkDir&&) = delete;
    ~WorkDir() {
        std::error_code ec;
        if (owned_) std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    WorkDir() = default;
    std::filesystem::path path_;
    bool owned_ = false;
};

}  // namespace vt::bench
