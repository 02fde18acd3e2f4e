#include "content_type.hpp"

#include "tests/documents_fixture.hpp"

namespace vt::documents {
namespace {

TEST(TypeDetector, TellsTypesFromContent) {
    TypeDetector detector;
    struct Case {
        const char* name;
        std::string bytes;
        const char* type;
    };
    const Case cases[] = {
        {"pdf", testing::PdfBytes(), "application/pdf"},
        {"png", testing::PngBytes(), "image/png"},
        {"jpeg",
         std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20),
         "image/jpeg"},
        {"html", "<!DOCTYPE html><html><script>alert(1)</script></html>", "text/html"},
        {"texto", "Hola, esto es texto.\n", "text/plain"},
    };
    for (const Case& c : cases) {
        auto type = detector.Detect(c.bytes);
        ASSERT_OK(type);
        EXPECT_EQ(*type, c.type) << c.name;
    }
}

TEST(TypeAccepted, ComparesExactlyOrByFamily) {
    std::vector<std::string> accepted = {"application/pdf", "image/*"};
    EXPECT_TRUE(TypeAccepted("application/pdf", accepted));
    EXPECT_TRUE(TypeAccepted("image/png", accepted));
    EXPECT_FALSE(TypeAccepted("text/html", accepted));
    EXPECT_FALSE(TypeAccepted("application/pdfx", accepted));
    EXPECT_FALSE(TypeAccepted("imagex/png", accepted));
    EXPECT_FALSE(TypeAccepted("image/png", {}));
}

}  // namespace
}  // namespace vt::documents
