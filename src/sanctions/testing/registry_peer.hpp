#pragma once
// A Registro de Faltas for tests: a real HTTP server (the project's own) on 127.0.0.1 that
// speaks the registry protocol of sanctions.hpp, answering from an in-memory table, with
// switches to misbehave the ways a remote system does.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "vt/sanctions/sanctions.hpp"

namespace vt::sanctions::testing {

class RegistryPeer {
public:
    enum class Fault {
        kNone,
        kUnavailable,  ///< 503 with an error body.
        kNotJson,      ///< 200 with a body that is not JSON.
        kOtherNit,     ///< 200 for another NIT.
        kHuge,         ///< 200 with a body of 2 MiB.
    };

    /// Starts serving on a free port. With a token, requests without "Bearer <token>" get 401.
    explicit RegistryPeer(std::string token = "");
    ~RegistryPeer();
    RegistryPeer(const RegistryPeer&) = delete;
    RegistryPeer& operator=(const RegistryPeer&) = delete;

    /// "http://127.0.0.1:<port>".
    std::string base_url() const;
    /// Replaces the sanctions of `nit` (canonical).
    void Set(const std::string& nit, std::vector<Sanction> sanctions);
    void SetFault(Fault fault);
    /// Requests received so far.
    int requests() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vt::sanctions::testing
