#pragma once
// A server's worth of pages over a fresh database (SQLite), the repository's trámite
// definitions and a browser-like client that keeps cookies and reads CSRF tokens from the
// forms it is shown.
#include <gtest/gtest.h>
#include <liboath/oath.h>
#include <sodium.h>

#include <map>
#include <memory>
#include <regex>
#include <string>

#include "vt/cases/cases.hpp"
#include "vt/catalog/catalog.hpp"
#include "vt/core/calendar.hpp"
#include "vt/core/clock.hpp"
#include "vt/http/route_call.hpp"
#include "vt/identity/api.hpp"
#include "vt/identity/factories.hpp"
#include "vt/identity/fake_mail_sink.hpp"
#include "vt/store/test_databases.hpp"
#include "vt/testing.hpp"
#include "vt/web/web.hpp"

namespace vt::web::testing {

class IdentityDirectory final : public cases::OfficialDirectory {
public:
    explicit IdentityDirectory(identity::IdentityService& id) : id_(id) {}
    std::vector<std::string> OfficialsOf(std::string_view office) const override { return id_.OfficialsOf(office); }

private:
    identity::IdentityService& id_;
};

/// A browser: keeps the cookies it is given and the CSRF token of the last page.
class Browser {
public:
    explicit Browser(const http::Router& router) : router_(router) {}

    http::Response Get(const std::string& target) { return Send("GET", target, "", ""); }

    /// Posts `fields` (already URL-encoded pairs "a=b&c=d") with the page's CSRF token.
    http::Response Post(const std::string& target, const std::string& fields) {
        std::string body = "csrf=" + csrf_ + (fields.empty() ? "" : "&" + fields);
        return Send("POST", target, body, "application/x-www-form-urlencoded");
    }

    /// Posts exactly `body`, without adding a token.
    http::Response PostRaw(const std::string& target, const std::string& body) {
        return Send("POST", target, body, "application/x-www-form-urlencoded");
    }

    const std::string& csrf() const { return csrf_; }
    std::map<std::string, std::string>& cookies() { return cookies_; }

private:
    http::Response Send(const std::string& method, const std::string& target, const std::string& body,
                        const std::string& type) {
        std::map<std::string, std::string> h;
        std::string cookie;
        for (const auto& [k, v] : cookies_) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
        if (!cookie.empty()) h["Cookie"] = cookie;
        if (!type.empty()) h["Content-Type"] = type;
        http::testing::FakeHeaders headers(h);
        http::Response r = http::testing::CallRoute(router_, method, target, body, headers);
        for (const auto& [name, value] : r.headers) {
            if (name != "Set-Cookie") continue;
            std::string pair = value.substr(0, value.find(';'));
            std::string k = pair.substr(0, pair.find('=')), v = pair.substr(pair.find('=') + 1);
            if (value.find("Max-Age=0") != std::string::npos) {
                cookies_.erase(k);
            } else {
                cookies_[k] = v;
            }
        }
        static const std::regex kToken(R"re(name="csrf" value="([0-9a-f]+)")re");
        std::smatch m;
        if (std::regex_search(r.body, m, kToken)) csrf_ = m[1];
        return r;
    }

    const http::Router& router_;
    std::map<std::string, std::string> cookies_;
    std::string csrf_;
};

/// The code an authenticator app shows at `t` for the base32 TOTP `secret` (30 s, 6 digits).
inline std::string TotpCodeAt(std::string secret, std::chrono::system_clock::time_point t) {
    while (secret.size() % 8) secret += '=';
    char* bytes = nullptr;
    std::size_t length = 0;
    if (oath_init() != OATH_OK || oath_base32_decode(secret.c_str(), secret.size(), &bytes, &length) != OATH_OK) {
        return {};
    }
    char code[16] = {};
    int rc = oath_totp_generate(bytes, length, std::chrono::system_clock::to_time_t(t), 30, 0, 6, code);
    std::free(bytes);
    return rc == OATH_OK ? code : "";
}

inline std::string Header(const http::Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
        if (k == name) return v;
    }
    return {};
}

class SiteTest : public ::testing::Test {
protected:
    static constexpr const char* kPassword = "Caracol-azul-17";

    void SetUp() override {
        db_ = std::make_unique<store::testdb::MigratedStore>(store::testdb::Engine::kSqlite);
        ASSERT_OK(db_->status);
        auto registry = catalog::Registry::Open(*db_->store, VT_TRAMITES_DIR, clock_);
        ASSERT_OK(registry);
        registry_ = std::move(registry).value();
        auto data = core::BuiltinCalendarData();
        ASSERT_OK(data);
        calendar_ = std::make_unique<core::WorkingCalendar>(*data);
        identity::IdentityOptions o;
        o.password_opslimit = crypto_pwhash_argon2id_OPSLIMIT_MIN;
        o.password_memlimit = crypto_pwhash_argon2id_MEMLIMIT_MIN;
        o.require_second_factor = require_second_factor_;
        identity_ = std::make_unique<identity::IdentityService>(*db_->store, clock_, mail_, o);
        authenticator_ = std::make_unique<identity::Authenticator>(*identity_, identity::IdentityApiOptions{});
        officials_ = std::make_unique<IdentityDirectory>(*identity_);
        cases_ = std::make_unique<cases::CaseService>(*db_->store, *registry_, *calendar_, clock_, *officials_);
        AddWebRoutes(router_, WebDeps{.clock = clock_,
                                      .registry = *registry_,
                                      .identity = *identity_,
                                      .authenticator = *authenticator_,
                                      .cases = *cases_,
                                      .calendar = calendar_.get()});
    }

    /// A verified citizen account; returns its email.
    std::string Citizen(int n) {
        std::string email = "persona" + std::to_string(n) + "@correo.gt";
        EXPECT_OK(identity_->RegisterCitizen({identity::testing::ValidCui(n), "Persona " + std::to_string(n), email, "",
                                              kPassword}));
        EXPECT_OK(identity_->VerifyEmail(mail_.LastToken("verificacion")));
        return email;
    }

    /// Logs `browser` in through the login page.
    void LogIn(Browser& browser, const std::string& login) {
        browser.Get("/cuenta/ingresar");
        http::Response r = browser.Post("/cuenta/ingresar", "usuario=" + login + "&contrasena=" + kPassword);
        ASSERT_EQ(r.status, 303) << r.body;
    }

    /// Whether staff must enrol a second factor; fixtures that test it set it before SetUp.
    bool require_second_factor_ = false;
    core::FrozenClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + std::chrono::hours{18}};
    identity::testing::FakeMailSink mail_;
    std::unique_ptr<store::testdb::MigratedStore> db_;
    std::unique_ptr<catalog::Registry> registry_;
    std::unique_ptr<core::WorkingCalendar> calendar_;
    std::unique_ptr<identity::IdentityService> identity_;
    std::unique_ptr<identity::Authenticator> authenticator_;
    std::unique_ptr<IdentityDirectory> officials_;
    std::unique_ptr<cases::CaseService> cases_;
    http::Router router_;
};

}  // namespace vt::web::testing
