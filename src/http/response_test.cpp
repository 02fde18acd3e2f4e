#include "vt/http/http.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace vt::http {
namespace {

TEST(StatusFor, EveryKindHasItsStatus) {
    struct Case {
        ErrorKind kind;
        int status;
    };
    for (auto [kind, status] : {Case{ErrorKind::kBadRequest, 400}, Case{ErrorKind::kUnauthenticated, 401},
                                Case{ErrorKind::kForbidden, 403}, Case{ErrorKind::kNotFound, 404},
                                Case{ErrorKind::kConflict, 409}, Case{ErrorKind::kTooLarge, 413},
                                Case{ErrorKind::kUnsupportedMedia, 415}, Case{ErrorKind::kInvalid, 422},
                                Case{ErrorKind::kRateLimited, 429}, Case{ErrorKind::kInternal, 500},
                                Case{ErrorKind::kUnavailable, 503}, Case{ErrorKind::kStorageFull, 507}}) {
        EXPECT_EQ(StatusFor(kind), status);
    }
}

TEST(ErrorResponse, StorageFullIs507WithTheStandardShape) {
    Response r = ErrorResponse(Error::StorageFull("El almacenamiento está lleno; no se guardó nada."));
    EXPECT_EQ(r.status, 507);
    auto v = boost::json::parse(r.body);
    EXPECT_EQ(v.at("error").at("code").as_string(), "storage-full");
    EXPECT_TRUE(v.at("error").at("fields").as_object().empty());
}

TEST(Download, IsAnAttachmentWithASafeNameAndNoCaching) {
    Response r = Download("%PDF-1.4", "application/pdf", "Cálculo de prestaciones.pdf");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "application/pdf");
    EXPECT_EQ(r.body, "%PDF-1.4");
    auto header = [&](std::string_view name) {
        for (const auto& [k, v] : r.headers)
            if (k == name) return v;
        return std::string();
    };
    EXPECT_EQ(header("Content-Disposition"),
              "attachment; filename=\"C_lculo_de_prestaciones.pdf\"; "
              "filename*=UTF-8''C%C3%A1lculo%20de%20prestaciones.pdf");
    EXPECT_EQ(header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header("Content-Security-Policy"), "default-src 'none'; sandbox");
    EXPECT_EQ(header("Cache-Control"), "private, no-store");
}

TEST(ParseJsonObject, AcceptsObjectsOnly) {
    Request req;
    req.body = R"({"cui": "1234"})";
    auto ok = ParseJsonObject(req);
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->at("cui").as_string(), "1234");

    req.body = R"({"cui": )";
    auto bad = ParseJsonObject(req);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code(), "malformed-json");
    EXPECT_EQ(StatusFor(bad.error().kind()), 400);

    req.body = "[1,2]";
    auto arr = ParseJsonObject(req);
    ASSERT_FALSE(arr.ok());
    EXPECT_EQ(StatusFor(arr.error().kind()), 422);
}

}  // namespace
}  // namespace vt::http
