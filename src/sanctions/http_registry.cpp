// The Registro de Faltas over HTTP (protocol in sanctions.hpp), with libcurl: the same
// library the SMTP adapter uses, so no second HTTP client stack.
#include <curl/curl.h>

#include <boost/json.hpp>
#include <memory>
#include <mutex>

#include "vt/core/date.hpp"
#include "vt/core/nit.hpp"
#include "vt/sanctions/sanctions.hpp"

namespace vt::sanctions {
namespace {

namespace json = boost::json;

void InitCurlOnce() {
    // curl_global_init is not guaranteed thread-safe on every build; run it once.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Body {
    std::string data;
    std::int64_t limit = 0;
    bool too_large = false;
};

extern "C" std::size_t OnBody(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* body = static_cast<Body*>(user);
    std::size_t n = size * count;
    if (static_cast<std::int64_t>(body->data.size() + n) > body->limit) {
        body->too_large = true;
        return 0;  // aborts the transfer
    }
    body->data.append(buffer, n);
    return n;
}

Error Unavailable(const std::string& why) {
    return Error::Unavailable("sanctions-registry-unavailable",
                              "No se pudo consultar el Registro de Faltas de Trabajo: " + why + ".");
}

// The body of a 200 answer for `nit`, or why it is not one.
Result<std::vector<Sanction>> ParseAnswer(std::string_view text, const std::string& nit) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return Unavailable("la respuesta no es JSON válido");
    const json::object& o = v.as_object();
    const json::value* answered_nit = o.if_contains("nit");
    const json::value* list = o.if_contains("sanciones");
    if (!answered_nit || !answered_nit->is_string() || !list || !list->is_array())
        return Unavailable("la respuesta no trae nit y sanciones");
    auto canonical = core::ParseNit(answered_nit->as_string());
    if (!canonical.ok() || canonical->ToString() != nit) return Unavailable("la respuesta es de otro NIT");
    std::vector<Sanction> out;
    for (const json::value& item : list->as_array()) {
        const json::object* s = item.if_object();
        if (!s) return Unavailable("una sanción no es un objeto");
        const json::value* reference = s->if_contains("expediente");
        const json::value* description = s->if_contains("descripcion");
        const json::value* amount = s->if_contains("monto_centavos");
        const json::value* firm_on = s->if_contains("firme_desde");
        const json::value* status = s->if_contains("estado");
        if (!reference || !reference->is_string() || !amount || !amount->is_int64() || !firm_on ||
            !firm_on->is_string() || !core::ParseIsoDate(firm_on->as_string()).ok() || !status ||
            !status->is_string() || (status->as_string() != "pendiente" && status->as_string() != "solventada")) {
            return Unavailable("una sanción no tiene expediente, monto_centavos, firme_desde y estado válidos");
        }
        Sanction x;
        x.nit = nit;
        x.reference = std::string(reference->as_string());
        if (description && description->is_string()) x.description = std::string(description->as_string());
        x.amount_centavos = amount->as_int64();
        x.firm_on = std::string(firm_on->as_string());
        x.pending = status->as_string() == "pendiente";
        x.source = "registro";
        out.push_back(std::move(x));
    }
    return out;
}

}  // namespace

Status ValidateHttpRegistryOptions(const HttpRegistryOptions& o) {
    Error bad = Error::Invalid("Revise la configuración del Registro de Faltas.");
    bool scheme = o.base_url.starts_with("http://") || o.base_url.starts_with("https://");
    if (!scheme || o.base_url.find_first_of("?# \t\r\n") != std::string::npos)
        bad.WithField("registry_url", "debe ser una URL http:// o https:// sin consulta ni fragmento");
    if (o.timeout.count() <= 0) bad.WithField("timeout_ms", "debe ser mayor que 0");
    if (o.max_response_bytes <= 0) bad.WithField("max_response_bytes", "debe ser mayor que 0");
    if (!bad.fields().empty()) return bad;
    return Ok();
}

HttpSanctionsRegistry::HttpSanctionsRegistry(HttpRegistryOptions options) : options_(std::move(options)) {
    InitCurlOnce();
    while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
}

Result<std::vector<Sanction>> HttpSanctionsRegistry::FirmSanctions(std::string_view nit_text) const {
    auto parsed = core::ParseNit(nit_text);
    if (!parsed.ok()) return Error::Invalid(parsed.error().message(), {{"nit", parsed.error().message()}});
    const std::string nit = parsed->ToString();

    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return Unavailable("no se pudo preparar la conexión");
    std::unique_ptr<char, decltype(&curl_free)> escaped(
        curl_easy_escape(curl.get(), nit.data(), static_cast<int>(nit.size())), &curl_free);
    std::string url = options_.base_url + "/sanciones?nit=" + escaped.get();
    std::unique_ptr<curl_slist, SlistDeleter> headers(curl_slist_append(nullptr, "Accept: application/json"));
    if (!options_.token.empty()) {
        std::string auth = "Authorization: Bearer " + options_.token;
        headers.reset(curl_slist_append(headers.release(), auth.c_str()));
    }
    Body body;
    body.limit = options_.max_response_bytes;
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    CURLcode rc = curl_easy_perform(h);
    if (body.too_large) return Unavailable("la respuesta excede el tamaño máximo");
    if (rc != CURLE_OK) return Unavailable(curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) return Unavailable("respondió con el estado HTTP " + std::to_string(status));
    return ParseAnswer(body.data, nit);
}

}  // namespace vt::sanctions
