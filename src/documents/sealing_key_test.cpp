#include "sealing_key.hpp"

#include <sys/stat.h>

#include <fstream>

#include "vt/testing.hpp"

namespace vt::documents {
namespace {

TEST(SealingKey, IsCreatedPrivateOnceAndReadBack) {
    vt::testing::TempDir dir;
    std::filesystem::path file = dir.path() / "keys" / "documents.key";
    auto first = SealingKey::LoadOrCreate(file);
    ASSERT_OK(first);
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(st.st_size, 32);

    std::string sealed = first->Seal("secreto de firma");
    EXPECT_EQ(sealed.size(), 24u + 16u + 16u);
    auto second = SealingKey::LoadOrCreate(file);
    ASSERT_OK(second);
    auto opened = second->Open(sealed);
    ASSERT_OK(opened);
    EXPECT_EQ(*opened, "secreto de firma");
    EXPECT_NE(first->Seal("secreto de firma"), sealed) << "a fresh nonce each time";
}

TEST(SealingKey, RefusesAlteredBoxesOtherKeysAndLooseFiles) {
    vt::testing::TempDir dir;
    auto key = SealingKey::LoadOrCreate(dir.path() / "a.key");
    auto other = SealingKey::LoadOrCreate(dir.path() / "b.key");
    ASSERT_OK(key);
    ASSERT_OK(other);
    std::string sealed = key->Seal("x");
    EXPECT_EQ(other->Open(sealed).error().code(), "sealed-key-invalid");
    sealed.back() ^= 1;
    EXPECT_EQ(key->Open(sealed).error().code(), "sealed-key-invalid");
    EXPECT_FALSE(key->Open("corto").ok());

    ::chmod((dir.path() / "a.key").c_str(), 0644);
    auto loose = SealingKey::LoadOrCreate(dir.path() / "a.key");
    ASSERT_FALSE(loose.ok());
    EXPECT_EQ(loose.error().code(), "key-file-permissions");

    std::filesystem::path short_file = dir.path() / "c.key";
    std::ofstream(short_file) << "corta";
    ::chmod(short_file.c_str(), 0600);
    EXPECT_FALSE(SealingKey::LoadOrCreate(short_file).ok());
}

}  // namespace
}  // namespace vt::documents
