#include "postgres/pg_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <vector>

extern char** environ;

namespace vt::store::pg {
namespace {

// Closes a file descriptor when it goes out of scope.
class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() { Close(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    void Close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

// Owns posix_spawn_file_actions_t.
class FileActions {
public:
    FileActions() { ok_ = posix_spawn_file_actions_init(&actions_) == 0; }
    ~FileActions() {
        if (ok_) posix_spawn_file_actions_destroy(&actions_);
    }
    FileActions(const FileActions&) = delete;
    FileActions& operator=(const FileActions&) = delete;
    bool ok() const { return ok_; }
    posix_spawn_file_actions_t* get() { return &actions_; }

private:
    posix_spawn_file_actions_t actions_;
    bool ok_ = false;
};

// std::strerror may share a buffer between threads; this does not.
std::string ErrnoText(int error) { return std::generic_category().message(error); }

std::string_view NameOf(std::string_view entry) { return entry.substr(0, entry.find('=')); }

std::vector<std::string> ChildEnvironment(std::span<const std::string> extra_env) {
    std::vector<std::string> env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        std::string_view entry(*e);
        bool replaced = false;
        for (const std::string& extra : extra_env)
            replaced = replaced || NameOf(extra) == NameOf(entry);
        if (!replaced) env.emplace_back(entry);
    }
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (std::string& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

Error Failed(std::string_view code, std::string_view what, std::string_view detail) {
    std::string message(what);
    if (!detail.empty()) message += ": " + std::string(detail);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
    return Error::Unavailable(std::string(code), std::move(message));
}

}  // namespace

Status RunTool(std::span<const std::string> argv, std::span<const std::string> extra_env,
               std::string_view code, std::string_view what) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Failed(code, what, ErrnoText(errno));
    Fd read_end(fds[0]);
    Fd write_end(fds[1]);

    FileActions actions;
    if (!actions.ok() ||
        posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0) != 0 ||
        posix_spawn_file_actions_addopen(actions.get(), 1, "/dev/null", O_WRONLY, 0) != 0 ||
        posix_spawn_file_actions_adddup2(actions.get(), write_end.get(), 2) != 0) {
        return Failed(code, what, "no se pudo preparar el proceso");
    }

    std::vector<std::string> args(argv.begin(), argv.end());
    std::vector<std::string> env = ChildEnvironment(extra_env);
    std::vector<char*> c_args = CStrings(args);
    std::vector<char*> c_env = CStrings(env);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, c_args[0], actions.get(), nullptr, c_args.data(), c_env.data());
    if (rc != 0) {
        std::string detail = args[0] + ": " + ErrnoText(rc);
        if (rc == ENOENT) detail += " (instale el cliente de PostgreSQL)";
        return Failed(code, what, detail);
    }
    // Our copy of the write end must close, or the read below never sees end of file.
    write_end.Close();

    std::string output;
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(read_end.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        // Keep reading past the limit so the tool never blocks on a full pipe.
        std::size_t room = kMaxToolOutput - output.size();
        output.append(buffer, std::min(room, static_cast<std::size_t>(n)));
    }

    int wstatus = 0;
    pid_t waited;
    do {
        waited = ::waitpid(pid, &wstatus, 0);
    } while (waited < 0 && errno == EINTR);
    if (waited < 0) return Failed(code, what, ErrnoText(errno));
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) return Ok();
    std::string detail = output;
    if (detail.empty()) {
        detail = WIFEXITED(wstatus)
                     ? args[0] + " terminó con código " + std::to_string(WEXITSTATUS(wstatus))
                     : args[0] + " terminó por una señal";
    }
    return Failed(code, what, detail);
}

}  // namespace vt::store::pg
