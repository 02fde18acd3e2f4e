#pragma once
// An identity service on a real store (SQLite, and PostgreSQL when available), a frozen
// clock and a fake mail sink, plus factories for accounts (and, from factories.hpp, valid
// CUIs and NITs).
#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "vt/identity/factories.hpp"
#include "vt/identity/fake_mail_sink.hpp"
#include "vt/identity/identity.hpp"
#include "vt/store/test_databases.hpp"
#include "vt/testing.hpp"

namespace vt::identity::testing {

inline std::chrono::system_clock::time_point Noon() {
    using namespace std::chrono;
    return sys_days{year{2026} / 11 / 25} + hours{18};
}

/// Options that keep the tests fast: the smallest Argon2id limits libsodium allows.
inline IdentityOptions FastOptions() {
    IdentityOptions o;
    o.password_opslimit = crypto_pwhash_argon2id_OPSLIMIT_MIN;
    o.password_memlimit = crypto_pwhash_argon2id_MEMLIMIT_MIN;
    return o;
}

inline constexpr const char* kPassword = "Caracol-azul-17";

class IdentityTest : public ::testing::TestWithParam<store::testdb::Engine> {
protected:
    void SetUp() override {
        db_ = std::make_unique<store::testdb::MigratedStore>(GetParam());
        if (!db_->skip.empty()) GTEST_SKIP() << db_->skip;
        ASSERT_OK(db_->status);
        MakeService(FastOptions());
    }
    void TearDown() override {
        service_.reset();
        db_.reset();
    }

    void MakeService(IdentityOptions options) {
        service_.reset();
        service_ =
            std::make_unique<IdentityService>(*db_->store, clock_, mail_, std::move(options));
    }

    IdentityService& id() { return *service_; }

    /// Registers and verifies a citizen; returns the account id.
    std::string Citizen(int n, const std::string& password = kPassword) {
        Registration r{ValidCui(n), "Persona " + std::to_string(n), Email(n), "5555 1234",
                       password};
        auto account = id().RegisterCitizen(r);
        EXPECT_TRUE(account.ok()) << account.error().ToString();
        if (!account.ok()) return {};
        EXPECT_OK(id().VerifyEmail(mail_.LastToken("verificacion")));
        return *account;
    }
    static std::string Email(int n) { return "persona" + std::to_string(n) + "@correo.gt"; }

    core::Actor CitizenActor(const std::string& account) {
        return core::Actor{core::Actor::Kind::kCitizen, account, {}, {}, {}};
    }

    /// Creates `office` if missing, then an official with `roles` who set their password
    /// through the activation link. Returns the account id.
    std::string Official(const std::string& email, const std::string& office,
                         std::vector<std::string> roles) {
        (void)id().CreateOffice(core::Actor::System(), Office{office, "Oficina " + office, "0101"});
        auto account = id().CreateOfficial(
            core::Actor::System(),
            NewOfficial{email, "Funcionario de prueba", office, std::move(roles)});
        EXPECT_TRUE(account.ok()) << account.error().ToString();
        if (!account.ok()) return {};
        EXPECT_OK(id().ResetPassword(mail_.LastToken("activacion"), kPassword));
        return account->id;
    }

    Result<SessionGrant> LogIn(const std::string& login, const std::string& password = kPassword,
                               const std::string& address = "192.0.2.10",
                               const std::string& code = "") {
        LoginRequest r;
        r.login = login;
        r.password = password;
        r.address = address;
        r.totp_code = code;
        return id().Login(r);
    }

    std::int64_t Count(const std::string& sql, std::initializer_list<store::Value> params = {}) {
        std::int64_t n = -1;
        std::vector<store::Value> p(params);
        EXPECT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(store::Row r, tx.QueryOne(sql, p));
            n = r.Int(0);
            return Ok();
        }));
        return n;
    }

    /// The "action" of every audit entry, in order.
    std::vector<std::string> AuditActions() {
        std::vector<std::string> out;
        EXPECT_OK(db_->store->Read([&](store::Tx& tx) -> Status {
            VT_ASSIGN_OR_RETURN(store::Rows rows,
                                tx.Query("SELECT entry FROM audit_log ORDER BY leaf_index"));
            for (const auto& r : rows) {
                out.emplace_back(
                    boost::json::parse(r.Text(0)).as_object().at("action").as_string());
            }
            return Ok();
        }));
        return out;
    }

    std::int64_t AuditCount(const std::string& action) {
        auto all = AuditActions();
        return std::count(all.begin(), all.end(), action);
    }

    core::FrozenClock clock_{Noon()};
    FakeMailSink mail_;
    std::unique_ptr<store::testdb::MigratedStore> db_;
    std::unique_ptr<IdentityService> service_;
};

#define VT_IDENTITY_TEST_ENGINES(suite)                                                      \
    INSTANTIATE_TEST_SUITE_P(                                                                \
        Engines, suite,                                                                      \
        ::testing::Values(store::testdb::Engine::kSqlite, store::testdb::Engine::kPostgres), \
        [](const auto& info) { return store::testdb::EngineName(info.param); })

}  // namespace vt::identity::testing
