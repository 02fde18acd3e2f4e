#include "vt/core/result.hpp"

#include <gtest/gtest.h>

#include "vt/core/clock.hpp"
#include "vt/core/random.hpp"

namespace vt {
namespace {

Result<int> Half(int x) {
    if (x % 2 != 0) return Error::Invalid("Debe ser par.", {{"x", "Debe ser un número par."}});
    return x / 2;
}

Result<int> Quarter(int x) {
    VT_ASSIGN_OR_RETURN(int h, Half(x));
    VT_ASSIGN_OR_RETURN(int q, Half(h));
    return q;
}

TEST(Result, CarriesValueOrError) {
    auto ok = Quarter(8);
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(*ok, 2);

    auto bad = Quarter(6);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().kind(), ErrorKind::kInvalid);
    EXPECT_EQ(bad.error().fields().at("x"), "Debe ser un número par.");
}

TEST(Result, VoidStatus) {
    auto f = [](bool fail) -> Status {
        if (fail) return Error::Conflict("case-closed", "El expediente ya está cerrado.");
        return Ok();
    };
    auto g = [&](bool fail) -> Status {
        VT_RETURN_IF_ERROR(f(fail));
        return Ok();
    };
    EXPECT_TRUE(g(false).ok());
    EXPECT_EQ(g(true).error().code(), "case-closed");
}

TEST(Clock, FormatsUtcWithMilliseconds) {
    using namespace std::chrono;
    core::FrozenClock clock(sys_days{year{2026} / 11 / 25} + hours{12} + minutes{6} + seconds{13} +
                            milliseconds{7});
    EXPECT_EQ(core::FormatUtc(clock.Now()), "2026-11-25T12:06:13.007Z");
    clock.Advance(days{7});
    EXPECT_EQ(core::FormatUtc(clock.Now()), "2026-12-02T12:06:13.007Z");
}

TEST(Random, HexHasRequestedLengthAndVaries) {
    core::InitCrypto();
    auto a = core::RandomHex(16), b = core::RandomHex(16);
    EXPECT_EQ(a.size(), 32u);
    EXPECT_NE(a, b);
}

}  // namespace
}  // namespace vt
