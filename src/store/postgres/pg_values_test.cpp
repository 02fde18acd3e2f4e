#include "postgres/pg_values.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>

#include "vt/testing.hpp"

namespace vt::store::pg {
namespace {

TEST(DecodeFieldTest, MapsColumnTypesToValues) {
    struct Case {
        Oid type;
        const char* text;
        Value expected;
    };
    const Case cases[] = {
        {kInt2Oid, "-32768", Value{std::int64_t{-32768}}},
        {kInt4Oid, "42", Value{std::int64_t{42}}},
        {kInt8Oid, "-9223372036854775808", Value{std::numeric_limits<std::int64_t>::min()}},
        {kInt8Oid, "9223372036854775807", Value{std::numeric_limits<std::int64_t>::max()}},
        {kOidOid, "4294967295", Value{std::int64_t{4294967295}}},
        {kFloat8Oid, "0.1", Value{0.1}},
        {kFloat4Oid, "-1.5", Value{-1.5}},
        {kFloat8Oid, "Infinity", Value{std::numeric_limits<double>::infinity()}},
        {kFloat8Oid, "-Infinity", Value{-std::numeric_limits<double>::infinity()}},
        {kNumericOid, "12345.678900", Value{12345.6789}},
        {kBoolOid, "t", Value{std::int64_t{1}}},
        {kBoolOid, "f", Value{std::int64_t{0}}},
        {kByteaOid, "\\x00ff41",
         Value{Blob{std::string("\0\xff"
                                "A",
                                3)}}},
        {kByteaOid, "\\x", Value{Blob{""}}},
        {25 /* text */, "Sacatepéquez ñ", Value{"Sacatepéquez ñ"}},
        {1114 /* timestamp */, "2026-01-05 10:00:00", Value{"2026-01-05 10:00:00"}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.text);
        auto v = DecodeField(c.type, c.text, static_cast<int>(std::strlen(c.text)));
        ASSERT_OK(v);
        EXPECT_EQ(*v, c.expected);
    }
}

TEST(DecodeFieldTest, NanStaysNan) {
    auto v = DecodeField(kFloat8Oid, "NaN", 3);
    ASSERT_OK(v);
    ASSERT_TRUE(std::holds_alternative<double>(*v));
    EXPECT_NE(std::get<double>(*v), std::get<double>(*v));
}

TEST(DecodeFieldTest, MalformedNumbersAreErrorsNotCrashes) {
    const std::pair<Oid, const char*> cases[] = {
        {kInt8Oid, "12x"},   {kInt8Oid, ""},    {kInt8Oid, "99999999999999999999"},
        {kFloat8Oid, "1,5"}, {kBoolOid, "yes"}, {kNumericOid, "1e999"},
    };
    for (const auto& [type, text] : cases) {
        SCOPED_TRACE(text);
        auto v = DecodeField(type, text, static_cast<int>(std::strlen(text)));
        ASSERT_FALSE(v.ok());
        EXPECT_EQ(v.error().kind(), ErrorKind::kInternal);
    }
}

TEST(ParamsTest, NumbersAreTypedTextIsInferredBlobsAreBinary) {
    const Value values[] = {Value{std::int64_t{-7}}, Value{0.25}, Value{"hola"},
                            Value{Blob{std::string("\0\1", 2)}}, Value{}};
    auto p = Params::Make(values);
    ASSERT_OK(p);
    ASSERT_EQ(p->size(), 5);
    EXPECT_STREQ(p->values()[0], "-7");
    EXPECT_STREQ(p->values()[1], "0.25");
    EXPECT_STREQ(p->values()[2], "hola");
    EXPECT_EQ(p->types()[0], kInt8Oid);
    EXPECT_EQ(p->types()[1], kFloat8Oid);
    EXPECT_EQ(p->types()[2], 0u);
    EXPECT_EQ(p->types()[3], kByteaOid);
    EXPECT_EQ(p->types()[4], 0u);
    EXPECT_EQ(p->formats()[3], 1);
    EXPECT_EQ(p->lengths()[3], 2);
    EXPECT_EQ(std::memcmp(p->values()[3], "\0\1", 2), 0);
    EXPECT_EQ(p->values()[4], nullptr);
    EXPECT_EQ(p->signature(), "if-b-");
}

TEST(ParamsTest, DoublesKeepEveryDigit) {
    const Value values[] = {Value{0.1 + 0.2}, Value{-1.5e300}};
    auto p = Params::Make(values);
    ASSERT_OK(p);
    EXPECT_EQ(std::stod(p->values()[0]), 0.1 + 0.2);
    EXPECT_EQ(std::stod(p->values()[1]), -1.5e300);
}

TEST(ParamsTest, ManyNumbersKeepTheirText) {
    std::vector<Value> values;
    for (std::int64_t i = 0; i < 1000; ++i) values.emplace_back(i * 1000003);
    auto p = Params::Make(values);
    ASSERT_OK(p);
    for (std::int64_t i = 0; i < 1000; ++i) EXPECT_EQ(p->values()[i], std::to_string(i * 1000003));
}

TEST(ParamsTest, RefusesTextWithNulAndTooManyParameters) {
    const Value nul[] = {Value{std::string("a\0b", 3)}};
    auto p = Params::Make(nul);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().kind(), ErrorKind::kInvalid);

    std::vector<Value> many(kMaxParams + 1, Value{std::int64_t{1}});
    auto q = Params::Make(many);
    ASSERT_FALSE(q.ok());
    EXPECT_EQ(q.error().kind(), ErrorKind::kInvalid);
}

}  // namespace
}  // namespace vt::store::pg
