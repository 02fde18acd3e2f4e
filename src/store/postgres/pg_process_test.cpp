#include "postgres/pg_process.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "vt/testing.hpp"

namespace vt::store::pg {
namespace {

Status Sh(const std::string& script, std::vector<std::string> env = {}) {
    const std::vector<std::string> argv = {"sh", "-c", script};
    return RunTool(argv, env, "tool-failed", "La herramienta falló");
}

TEST(RunToolTest, SucceedsOnExitZero) { EXPECT_OK(Sh("exit 0")); }

TEST(RunToolTest, FailureCarriesStderr) {
    Status s = Sh("echo 'pg_dump: error: conexión rechazada' >&2; exit 1");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::kUnavailable);
    EXPECT_EQ(s.error().code(), "tool-failed");
    EXPECT_EQ(s.error().message(), "La herramienta falló: pg_dump: error: conexión rechazada");
}

TEST(RunToolTest, SilentFailureNamesTheExitCode) {
    Status s = Sh("exit 3");
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().message().find("3"), std::string::npos);
}

TEST(RunToolTest, MissingToolIsAClearError) {
    const std::vector<std::string> argv = {"vt-no-such-tool-here"};
    Status s = RunTool(argv, {}, "tool-failed", "La herramienta falló");
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().message().find("vt-no-such-tool-here"), std::string::npos);
}

TEST(RunToolTest, ArgumentsAreNotInterpretedByAShell) {
    vt::testing::TempDir dir;
    const std::string odd = (dir.path() / "a b; rm -rf x $(echo)").string();
    const std::vector<std::string> argv = {"touch", odd};
    ASSERT_OK(RunTool(argv, {}, "tool-failed", "touch"));
    EXPECT_TRUE(std::filesystem::exists(odd));
}

TEST(RunToolTest, ExtraEnvironmentReachesTheTool) {
    EXPECT_OK(
        Sh("test \"$VT_TOOL_TEST\" = 'valor con espacios'", {"VT_TOOL_TEST=valor con espacios"}));
}

TEST(RunToolTest, HugeStderrIsBoundedAndDoesNotBlock) {
    Status s = Sh("head -c 1000000 /dev/zero | tr '\\0' x >&2; exit 1");
    ASSERT_FALSE(s.ok());
    EXPECT_LE(s.error().message().size(), kMaxToolOutput + 100);
}

}  // namespace
}  // namespace vt::store::pg
