#include "vt/audit/log_key.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "vt/testing.hpp"

namespace vt::audit {
namespace {

std::filesystem::perms Mode(const std::filesystem::path& p) {
    return std::filesystem::status(p).permissions() & std::filesystem::perms::mask;
}

TEST(LogKey, CreatedOnceWithOwnerOnlyModeAndLoadedAfterwards) {
    vt::testing::TempDir dir;
    auto path = dir.path() / "keys" / "audit_ed25519.key";
    auto created = LoadOrCreateLogKey(path);
    ASSERT_OK(created);
    EXPECT_EQ(Mode(path), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    EXPECT_EQ(Mode(path.parent_path()), std::filesystem::perms::owner_all);
    EXPECT_EQ(std::filesystem::file_size(path), 64u);
    EXPECT_EQ(created->public_key().size(), 32u);
    // No temporary file is left behind.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(path.parent_path()),
                            std::filesystem::directory_iterator()),
              1);

    auto again = LoadOrCreateLogKey(path);
    ASSERT_OK(again);
    EXPECT_EQ(again->public_key(), created->public_key());
    auto loaded = LoadLogKey(path);
    ASSERT_OK(loaded);
    EXPECT_EQ(loaded->KeyId(), created->KeyId());
    EXPECT_EQ(created->KeyId(), ToHex(Sha256(created->public_key())));
}

TEST(LogKey, ProcessesStartingTogetherShareOneKey) {
    vt::testing::TempDir dir;
    auto path = dir.path() / "keys" / "audit_ed25519.key";
    std::vector<std::string> public_keys(8);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < public_keys.size(); ++i) {
        threads.emplace_back([&, i] {
            auto k = LoadOrCreateLogKey(path);
            if (k.ok()) public_keys[i] = k->public_key();
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& pk : public_keys) EXPECT_EQ(pk, public_keys[0]);
    EXPECT_FALSE(public_keys[0].empty());
}

TEST(LogKey, RefusesAKeyOthersCanReadOrThatIsDamaged) {
    vt::testing::TempDir dir;
    auto path = dir.path() / "audit.key";
    ASSERT_OK(LoadOrCreateLogKey(path));
    std::filesystem::permissions(path, std::filesystem::perms::group_read,
                                 std::filesystem::perm_options::add);
    auto open = LoadOrCreateLogKey(path);
    ASSERT_FALSE(open.ok());
    EXPECT_EQ(open.error().code(), "log-key");
    EXPECT_NE(open.error().message().find("chmod 600"), std::string::npos);

    auto short_path = dir.path() / "corta.key";
    { std::ofstream(short_path) << "demasiado corta"; }
    std::filesystem::permissions(
        short_path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    EXPECT_FALSE(LoadLogKey(short_path).ok());

    // A file whose public half does not belong to its seed.
    LogKey k = LogKey::Generate();
    std::string tampered(k.secret_key());
    tampered[40] ^= 1;
    EXPECT_FALSE(LogKey::FromSecretKey(tampered).ok());

    EXPECT_EQ(LoadLogKey(dir.path() / "no-existe.key").error().kind(), ErrorKind::kNotFound);
}

TEST(TreeHeadSignature, IsTheRfc6962StructureSignedWithEd25519) {
    Hash root = HashLeaf("raíz");
    std::string input = TreeHeadSignatureInput(0x0102030405060708, 0x1112131415161718, root);
    ASSERT_EQ(input.size(), 50u);
    EXPECT_EQ(input.substr(0, 2), std::string("\x00\x01", 2));           // v1, tree_hash
    EXPECT_EQ(input.substr(2, 8), "\x11\x12\x13\x14\x15\x16\x17\x18");   // timestamp
    EXPECT_EQ(input.substr(10, 8), "\x01\x02\x03\x04\x05\x06\x07\x08");  // tree_size
    EXPECT_EQ(input.substr(18), AsBytes(root));

    LogKey key = LogKey::Generate();
    SignedTreeHead sth = SignTreeHead(key, 42, 1764086400000, root);
    EXPECT_EQ(sth.signature.size(), 64u);
    EXPECT_TRUE(VerifyTreeHead(sth, key.public_key()));
    EXPECT_TRUE(VerifySignature(key.public_key(), TreeHeadSignatureInput(42, 1764086400000, root),
                                sth.signature));
    for (auto change :
         {+[](SignedTreeHead& s) { ++s.tree_size; }, +[](SignedTreeHead& s) { ++s.timestamp_ms; },
          +[](SignedTreeHead& s) { s.root[0] ^= 1; },
          +[](SignedTreeHead& s) { s.signature[0] ^= 1; }}) {
        SignedTreeHead altered = sth;
        change(altered);
        EXPECT_FALSE(VerifyTreeHead(altered, key.public_key()));
    }
    EXPECT_FALSE(VerifyTreeHead(sth, LogKey::Generate().public_key()));
}

}  // namespace
}  // namespace vt::audit
