#include "file_store.hpp"

#include <fstream>

#include "vt/audit/audit.hpp"
#include "vt/testing.hpp"

namespace vt::documents {
namespace {

TEST(ContentStore, StoresUnderTheHashAndReadsBackChecked) {
    vt::testing::TempDir dir;
    ContentStore store(dir.path() / "archivos", ".bin");
    auto sha = store.Put("contenido");
    ASSERT_OK(sha);
    EXPECT_EQ(*sha, audit::Sha256Hex("contenido"));
    EXPECT_EQ(store.PathOf(*sha),
              dir.path() / "archivos" / sha->substr(0, 2) / sha->substr(2, 2) / (*sha + ".bin"));
    EXPECT_TRUE(std::filesystem::exists(store.PathOf(*sha)));
    EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "archivos" / "tmp"));
    auto back = store.Get(*sha, 100);
    ASSERT_OK(back);
    EXPECT_EQ(*back, "contenido");

    auto again = store.Put("contenido");
    ASSERT_OK(again);
    EXPECT_EQ(*again, *sha);
}

TEST(ContentStore, RefusesAlteredOrMissingFilesAndRepairsOnPut) {
    vt::testing::TempDir dir;
    ContentStore store(dir.path());
    auto sha = store.Put("original");
    ASSERT_OK(sha);
    std::ofstream(store.PathOf(*sha), std::ios::binary) << "alterado";
    auto altered = store.Get(*sha, 100);
    ASSERT_FALSE(altered.ok());
    EXPECT_EQ(altered.error().code(), "file-corrupt");
    auto too_big = store.Get(*sha, 3);
    ASSERT_FALSE(too_big.ok());
    EXPECT_EQ(too_big.error().code(), "file-corrupt");

    ASSERT_OK(store.Put("original"));
    ASSERT_OK(store.Get(*sha, 100));

    auto missing = store.Get(std::string(64, 'a'), 100);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().kind(), ErrorKind::kNotFound);
    auto traversal = store.Get("../../etc/passwd", 100);
    ASSERT_FALSE(traversal.ok());
    EXPECT_EQ(traversal.error().kind(), ErrorKind::kNotFound);
}

}  // namespace
}  // namespace vt::documents
