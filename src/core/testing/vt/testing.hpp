#pragma once
// Helpers for tests of every module.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "vt/core/random.hpp"
#include "vt/core/result.hpp"

#define ASSERT_OK(expr)                                                        \
    do {                                                                       \
        const auto& vt_r_ = (expr);                                            \
        ASSERT_TRUE(vt_r_.ok()) << vt_r_.error().ToString();                   \
    } while (0)
#define EXPECT_OK(expr)                                                        \
    do {                                                                       \
        const auto& vt_r_ = (expr);                                            \
        EXPECT_TRUE(vt_r_.ok()) << vt_r_.error().ToString();                   \
    } while (0)

namespace vt::testing {

/// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
public:
    TempDir() {
        vt::core::InitCrypto();
        path_ = std::filesystem::temp_directory_path() / ("vt-test-" + vt::core::RandomHex(8));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace vt::testing
