#include "compression.hpp"

#include <gtest/gtest.h>
#include <string>

#include "testing/test_client.hpp"

namespace vt::http {
namespace {

using testing::Gunzip;

std::string Page(std::size_t bytes) {
    std::string s = "<!doctype html><title>Trámites</title><ul>";
    for (int i = 0; s.size() < bytes; ++i) s += "<li>Solicitud de información pública número " + std::to_string(i) + "</li>";
    return s;
}

TEST(Gzip, RoundTripsThroughInflate) {
    for (std::string text : {std::string(), std::string("a"), Page(200'000)}) {
        std::string z = Gzip(text);
        ASSERT_GE(z.size(), 18u);  // gzip header and trailer
        EXPECT_EQ(static_cast<unsigned char>(z[0]), 0x1f);
        EXPECT_EQ(static_cast<unsigned char>(z[1]), 0x8b);
        EXPECT_EQ(Gunzip(z), text);
    }
    EXPECT_LT(Gzip(Page(20'000)).size(), 20'000u / 4);
}

TEST(AcceptsGzip, ReadsCodingsAndQValues) {
    struct Case {
        std::string_view header;
        bool gzip;
    };
    for (auto [header, gzip] : {Case{"", false},
                                Case{"gzip", true},
                                Case{"GZIP", true},
                                Case{"x-gzip", true},
                                Case{"gzip, deflate, br, zstd", true},
                                Case{"br;q=1.0, gzip;q=0.8, *;q=0.1", true},
                                Case{"deflate", false},
                                Case{"identity", false},
                                Case{"br", false},
                                Case{"gzip;q=0", false},
                                Case{"gzip; q=0.000", false},
                                Case{"gzip;q=0.001", true},
                                Case{"*", true},
                                Case{"*;q=0", false},
                                Case{"*, gzip;q=0", false},
                                Case{"gzip;q=0, *", false},
                                Case{"gzip;q=nada", false},
                                Case{"gzip;q=2", false},
                                Case{"gzipped", false},
                                Case{" , ,gzip ", true}}) {
        EXPECT_EQ(AcceptsGzip(header), gzip) << "'" << header << "'";
    }
}

TEST(CompressibleType, TextYesBinaryNo) {
    for (std::string_view t : {"text/html; charset=utf-8", "text/css; charset=utf-8", "text/plain",
                               "TEXT/CSV", "application/json", "application/yaml; charset=utf-8",
                               "application/problem+json", "application/xml", "image/svg+xml"}) {
        EXPECT_TRUE(CompressibleType(t)) << t;
    }
    for (std::string_view t : {"application/pdf", "image/png", "image/jpeg", "application/gzip",
                               "application/zip", "application/octet-stream", "", "text/"}) {
        EXPECT_FALSE(CompressibleType(t)) << t;
    }
}

std::string HeaderOf(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
        if (k == name) return v;
    }
    return "";
}

TEST(EncodeForClient, CompressesLargeTextForGzipClients) {
    Response r = Text(Page(30'000), 200, "text/html; charset=utf-8");
    r.Set("ETag", "\"v1\"");
    EncodeForClient(r, true);
    EXPECT_EQ(HeaderOf(r, "Content-Encoding"), "gzip");
    EXPECT_EQ(HeaderOf(r, "Vary"), "Accept-Encoding");
    EXPECT_EQ(HeaderOf(r, "ETag"), "W/\"v1\"");
    EXPECT_EQ(Gunzip(r.body), Page(30'000));
}

TEST(EncodeForClient, OthersGetThePlainBytesWithVary) {
    Response r = Text(Page(30'000), 200, "text/html; charset=utf-8");
    r.Set("Vary", "Cookie");
    EncodeForClient(r, false);
    EXPECT_EQ(r.body, Page(30'000));
    EXPECT_EQ(HeaderOf(r, "Content-Encoding"), "");
    EXPECT_EQ(HeaderOf(r, "Vary"), "Cookie, Accept-Encoding");
}

TEST(EncodeForClient, LeavesSmallBinaryEncodedAndBodilessResponsesAlone) {
    Response small = Text(std::string(kMinGzipBytes - 1, 'a'));
    Response pdf = Text(std::string(50'000, 'a'), 200, "application/pdf");
    Response encoded = Text(std::string(50'000, 'a'));
    encoded.Set("Content-Encoding", "br");
    Response not_modified = Text(std::string(50'000, 'a'));
    not_modified.status = 304;
    for (Response* r : {&small, &pdf, &encoded, &not_modified}) {
        std::string before = r->body;
        std::size_t headers = r->headers.size();
        EncodeForClient(*r, true);
        EXPECT_EQ(r->body, before);
        EXPECT_EQ(r->headers.size(), headers);
    }
}

TEST(EncodeForClient, KeepsBytesThatDoNotShrink) {
    // Random-looking bytes: deflate cannot make them smaller.
    std::string noise;
    std::uint32_t x = 12345;
    for (int i = 0; i < 4096; ++i) {
        x = x * 1664525u + 1013904223u;
        noise.push_back(static_cast<char>(x >> 24));
    }
    Response r = Text(noise);
    EncodeForClient(r, true);
    EXPECT_EQ(r.body, noise);
    EXPECT_EQ(HeaderOf(r, "Content-Encoding"), "");
    EXPECT_EQ(HeaderOf(r, "Vary"), "Accept-Encoding");
}

TEST(EncodeForClient, SendsThePrecomputedEncodingOfASharedBody) {
    auto plain = std::make_shared<const std::string>(Page(10'000));
    auto gz = std::make_shared<const std::string>(Gzip(*plain));
    Response r = Text("", 200, "text/css");
    r.shared_body = plain;
    r.shared_gzip_body = gz;
    EncodeForClient(r, true);
    EXPECT_EQ(r.shared_body, gz);  // the same bytes, not a copy nor a new compression
    EXPECT_EQ(HeaderOf(r, "Content-Encoding"), "gzip");

    Response plain_client = Text("", 200, "text/css");
    plain_client.shared_body = plain;
    plain_client.shared_gzip_body = gz;
    EncodeForClient(plain_client, false);
    EXPECT_EQ(plain_client.shared_body, plain);
    EXPECT_EQ(HeaderOf(plain_client, "Content-Encoding"), "");

    // A shared text body without one is compressed per response.
    Response uncached = Text("", 200, "text/css");
    uncached.shared_body = plain;
    EncodeForClient(uncached, true);
    EXPECT_EQ(uncached.shared_body, nullptr);
    EXPECT_EQ(Gunzip(uncached.body), *plain);
}

}  // namespace
}  // namespace vt::http
