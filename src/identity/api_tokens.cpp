// API tokens for machine clients: random, stored hashed, scoped, revocable.
#include <algorithm>
#include <boost/json.hpp>
#include <sstream>

#include "fields.hpp"
#include "secrets.hpp"
#include "service_impl.hpp"
#include "vt/core/random.hpp"

namespace vt::identity {
namespace {

namespace json = boost::json;

// Bearer tokens carry a prefix so leaked ones are easy to find in logs and repositories.
constexpr std::string_view kTokenPrefix = "vt_";

std::vector<std::string> SplitScopes(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string scope; in >> scope;) out.push_back(scope);
    return out;
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
    std::string out;
    for (const auto& s : scopes) out += (out.empty() ? "" : " ") + s;
    return out;
}

constexpr const char* kTokenColumns =
    "id, client, scopes, created_at, expires_at, revoked_at, last_used_at";

ApiToken FromRow(const store::Row& r) {
    return ApiToken{r.Text(0),    r.Text(1),   SplitScopes(r.Text(2)), r.Text(3), r.OptText(4),
                    r.OptText(5), r.OptText(6)};
}

}  // namespace

std::chrono::system_clock::time_point EndOfGuatemalaDay(std::chrono::year_month_day date) {
    // Guatemala keeps UTC-06:00 all year (see core::GuatemalaDate).
    return std::chrono::sys_days{date} + std::chrono::days{1} + std::chrono::hours{6};
}

Result<core::Actor> IdentityService::AuthenticateApiToken(std::string_view token) {
    Impl& s = *impl_;
    const Error invalid(ErrorKind::kUnauthenticated, "token-invalid",
                        "El token de acceso no es válido.");
    if (!token.starts_with(kTokenPrefix) || token.size() != kTokenPrefix.size() + 64)
        return invalid;
    std::string digest = internal::TokenDigest(token);
    auto now = s.Now();
    std::string now_text = core::FormatUtc(now);
    std::optional<ApiToken> found;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Rows rows, tx.Query(std::string("SELECT ") + kTokenColumns +
                                                           " FROM api_tokens WHERE token_hash = $1",
                                                       {Value{digest}}));
        if (!rows.empty()) found = FromRow(rows[0]);
        return Ok();
    }));
    if (!found || found->revoked_at || (found->expires_at && *found->expires_at <= now_text))
        return invalid;
    std::string touch_before = core::FormatUtc(now - s.options.api_token_touch_interval);
    if (!found->last_used_at || *found->last_used_at <= touch_before) {
        VT_RETURN_IF_ERROR(s.store.Write([&](Tx& tx) -> Status {
            auto r = tx.Exec(
                "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 "
                "AND (last_used_at IS NULL OR last_used_at < $2)",
                {Value{found->id}, Value{now_text}});
            if (!r.ok()) return std::move(r).error();
            return Ok();
        }));
    }
    core::Actor actor;
    actor.kind = core::Actor::Kind::kSystem;
    actor.id = "api:" + found->id;
    actor.roles = found->scopes;
    return actor;
}

Result<std::pair<std::string, ApiToken>> IdentityService::CreateApiToken(
    const core::Actor& actor, const ApiTokenRequest& request) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kAdminManage, {}));
    internal::FieldErrors errors;
    std::string client = internal::NormalizeName(request.client, errors, "cliente");
    std::vector<std::string> scopes = request.scopes;
    std::sort(scopes.begin(), scopes.end());
    scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
    auto known = KnownScopes();
    for (const auto& scope : scopes) {
        if (std::find(known.begin(), known.end(), scope) == known.end()) {
            std::string list;
            for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
            errors["alcances"] =
                "Alcance desconocido «" + scope + "»; los alcances son: " + list + ".";
        }
    }
    if (scopes.empty()) errors["alcances"] = "Indique al menos un alcance.";
    auto now = s.Now();
    if (request.expires_at && *request.expires_at <= now)
        errors["vence"] = "La fecha de vencimiento ya pasó.";
    if (!errors.empty()) return Error::Invalid("Revise los datos del token.", std::move(errors));

    std::string token = std::string(kTokenPrefix) + internal::NewToken();
    ApiToken record{
        core::RandomHex(8),
        client,
        scopes,
        core::FormatUtc(now),
        request.expires_at ? std::optional(core::FormatUtc(*request.expires_at)) : std::nullopt,
        std::nullopt,
        std::nullopt};
    VT_RETURN_IF_ERROR(s.store.Write([&](Tx& tx) -> Status {
        VT_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO api_tokens (id, token_hash, client, scopes, created_at, "
                    "created_by, expires_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    {Value{record.id}, Value{internal::TokenDigest(token)}, Value{client},
                     Value{JoinScopes(scopes)}, Value{record.created_at}, Value{actor.AuditName()},
                     record.expires_at ? Value{*record.expires_at} : Value{}}));
        return s.Record(tx, {.kind = "api_token.created",
                             .actor = actor.AuditName(),
                             .object_type = "api_token",
                             .object_id = record.id,
                             .detail = {{"cliente", client}, {"alcances", JoinScopes(scopes)}}});
    }));
    return std::pair{std::move(token), std::move(record)};
}

Status IdentityService::RevokeApiToken(const core::Actor& actor, std::string_view token_id) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kAdminManage, {}));
    return s.store.Write([&](Tx& tx) -> Status {
        std::string id(token_id);
        VT_ASSIGN_OR_RETURN(
            store::Rows rows,
            tx.Query("SELECT revoked_at FROM api_tokens WHERE id = $1", {Value{id}}));
        if (rows.empty()) return Error::NotFound("No existe ese token.");
        if (!rows[0].IsNull(0)) return Ok();
        VT_RETURN_IF_ERROR(
            tx.Exec("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                    {Value{id}, Value{core::FormatUtc(s.Now())}}));
        return s.Record(tx, {.kind = "api_token.revoked",
                             .actor = actor.AuditName(),
                             .object_type = "api_token",
                             .object_id = id});
    });
}

Result<std::vector<ApiToken>> IdentityService::ListApiTokens(const core::Actor& actor) {
    Impl& s = *impl_;
    VT_RETURN_IF_ERROR(Authorize(actor, Action::kAdminManage, {}));
    std::vector<ApiToken> out;
    VT_RETURN_IF_ERROR(s.store.Read([&](Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Rows rows,
                            tx.Query(std::string("SELECT ") + kTokenColumns +
                                     " FROM api_tokens ORDER BY created_at DESC, id"));
        for (const auto& r : rows) out.push_back(FromRow(r));
        return Ok();
    }));
    return out;
}

}  // namespace vt::identity
