// Asking the Registro de Faltas over HTTP: what it says is read exactly, and anything
// that is not a proper answer is "could not answer", never "no sanctions".
#include "vt/sanctions/sanctions.hpp"

#include <gtest/gtest.h>

#include "testing/registry_peer.hpp"
#include "vt/testing.hpp"

namespace vt::sanctions {
namespace {

using testing::RegistryPeer;

Sanction Pending(std::string reference, bool pending = true) {
    Sanction s;
    s.nit = "576937-K";
    s.reference = std::move(reference);
    s.description = "No pagar el salario mínimo";
    s.amount_centavos = 1250000;
    s.firm_on = "2026-03-14";
    s.pending = pending;
    return s;
}

class QueryRegistryTest : public ::testing::Test {
protected:
    HttpSanctionsRegistry Client(std::string token = "secreto") {
        return HttpSanctionsRegistry({.base_url = peer_.base_url() + "/", .token = std::move(token)});
    }
    RegistryPeer peer_{"secreto"};
};

TEST_F(QueryRegistryTest, ReadsTheSanctionsOfTheNit) {
    peer_.Set("576937-K", {Pending("IGT-101-2026"), Pending("IGT-007-2025", false)});
    auto found = Client().FirmSanctions("576937k");  // the client sends the canonical NIT
    ASSERT_OK(found);
    ASSERT_EQ(found->size(), 2u);
    EXPECT_EQ((*found)[0].reference, "IGT-101-2026");
    EXPECT_TRUE((*found)[0].pending);
    EXPECT_EQ((*found)[0].amount_centavos, 1250000);
    EXPECT_EQ((*found)[0].source, "registro");
    EXPECT_FALSE((*found)[1].pending);
}

TEST_F(QueryRegistryTest, AnUnknownNitHasNoSanctions) {
    auto found = Client().FirmSanctions("576937-K");
    ASSERT_OK(found);
    EXPECT_TRUE(found->empty());
}

TEST_F(QueryRegistryTest, ABadNitIsNotSent) {
    auto found = Client().FirmSanctions("576937-1");
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.error().kind(), ErrorKind::kInvalid);
    EXPECT_EQ(peer_.requests(), 0);
}

TEST_F(QueryRegistryTest, AnythingButAProperAnswerIsUnavailable) {
    struct Case {
        RegistryPeer::Fault fault;
        const char* says;
    };
    for (const Case& c : {Case{RegistryPeer::Fault::kUnavailable, "estado HTTP 503"},
                          Case{RegistryPeer::Fault::kNotJson, "no es JSON"},
                          Case{RegistryPeer::Fault::kOtherNit, "otro NIT"},
                          Case{RegistryPeer::Fault::kHuge, "tamaño máximo"}}) {
        peer_.SetFault(c.fault);
        auto found = Client().FirmSanctions("576937-K");
        ASSERT_FALSE(found.ok()) << c.says;
        EXPECT_EQ(found.error().code(), "sanctions-registry-unavailable");
        EXPECT_NE(found.error().message().find(c.says), std::string::npos) << found.error().message();
    }
}

TEST_F(QueryRegistryTest, AWrongTokenIsRefused) {
    auto found = Client("otro").FirmSanctions("576937-K");
    ASSERT_FALSE(found.ok());
    EXPECT_NE(found.error().message().find("401"), std::string::npos);
}

TEST(QueryRegistry, NoServerIsUnavailable) {
    std::string url;
    {
        RegistryPeer gone;
        url = gone.base_url();
    }
    auto found = HttpSanctionsRegistry({.base_url = url}).FirmSanctions("576937-K");
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.error().code(), "sanctions-registry-unavailable");
}

}  // namespace
}  // namespace vt::sanctions
