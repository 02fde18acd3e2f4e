#include <curl/curl.h>

#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "email.hpp"
#include "message.hpp"
#include "vt/core/random.hpp"
#include "vt/notify/notify.hpp"

namespace vt::notify {
namespace {

// Enough of the server's reply to diagnose a failure, small enough for a log line and
// the outbox's last_error.
constexpr std::size_t kMaxReplyBytes = 512;
constexpr std::size_t kBoundaryRandomBytes = 12;

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

// The message being uploaded.
struct Upload {
    std::string_view data;
    std::size_t sent = 0;
};

extern "C" std::size_t ReadMessage(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    std::size_t n = std::min(size * count, upload->data.size() - upload->sent);
    std::memcpy(buffer, upload->data.data() + upload->sent, n);
    upload->sent += n;
    return n;
}

// The server's replies (all lines of a multi-line one), bounded. libcurl passes every
// SMTP response line to the header callback.
struct Replies {
    std::string current;
    bool complete = true;
    // The first 4xx/5xx reply: the one that explains a failure. libcurl still sends QUIT
    // afterwards, whose "221" reply must not hide it.
    std::string refusal;
};

extern "C" std::size_t OnReplyLine(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* replies = static_cast<Replies*>(user);
    std::string_view line(buffer, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (replies->complete) replies->current.clear();
    if (!replies->current.empty()) replies->current += " / ";
    std::size_t room = kMaxReplyBytes - std::min(kMaxReplyBytes, replies->current.size());
    replies->current.append(line.substr(0, room));
    // "250-..." continues a reply; "250 ..." (or a bare code) ends it.
    replies->complete = line.size() < 4 || line[3] != '-';
    if (replies->complete && replies->refusal.empty() && !line.empty() &&
        (line[0] == '4' || line[0] == '5')) {
        replies->refusal = replies->current;
    }
    return size * count;
}

std::string HostForUrl(const std::string& host) {
    if (host.find(':') != std::string::npos && host.front() != '[') return "[" + host + "]";
    return host;
}

// Maps a failed transfer to an error that names the stage and quotes the server.
Error TransferError(CURLcode code, long reply_code, const char* detail, const Replies& replies) {
    std::string message = "El servidor de correo no aceptó el mensaje: ";
    message += detail[0] != '\0' ? detail : curl_easy_strerror(code);
    const std::string& reply = replies.refusal.empty() ? replies.current : replies.refusal;
    if (!reply.empty()) message += " (respuesta: " + reply + ")";
    message += ".";
    if (reply_code >= 500) return Error::Unavailable("smtp-rejected", message);
    if (reply_code >= 400) return Error::Unavailable("smtp-temporary", message);
    return Error::Unavailable("smtp-unreachable", message);
}

}  // namespace

Status ValidateSmtpOptions(const SmtpOptions& o) {
    std::map<std::string, std::string> fields;
    if (o.host.empty() || o.host.find_first_of(" /?#@\r\n") != std::string::npos) {
        fields["host"] = "Indique el nombre o la dirección IP del servidor SMTP.";
    }
    if (o.port == 0) fields["port"] = "El puerto debe estar entre 1 y 65535.";
    if (auto from = internal::ParseMailbox(o.from); !from.ok()) {
        fields["from"] = from.error().message();
    }
    if (o.username.empty() && !o.password.empty()) {
        fields["username"] = "Una contraseña SMTP necesita un usuario.";
    }
    if (o.timeout.count() <= 0) fields["timeout"] = "El tiempo de espera debe ser positivo.";
    if (!fields.empty()) {
        return Error::Invalid("La configuración SMTP no es válida.", std::move(fields));
    }
    return Ok();
}

SmtpMailer::SmtpMailer(SmtpOptions options) : options_(std::move(options)), clock_(&system_clock_) {
    InitCurlOnce();
    core::InitCrypto();
}

SmtpMailer::SmtpMailer(SmtpOptions options, const core::Clock& clock)
    : options_(std::move(options)), clock_(&clock) {
    InitCurlOnce();
    core::InitCrypto();
}

Status SmtpMailer::Send(const Email& email) {
    // Validated again here, not only in Enqueue: nothing unchecked reaches a header or an
    // SMTP command, whoever calls.
    VT_RETURN_IF_ERROR(ValidateEmail(email));
    auto parsed_from = internal::ParseMailbox(options_.from);
    if (!parsed_from.ok()) {
        // A configuration mistake, not a fault of this message: report it as retryable so
        // the outbox keeps the message until the setting is fixed.
        return Error::Internal("El remitente configurado no es válido: " +
                               parsed_from.error().message());
    }
    const internal::Mailbox& from = *parsed_from;

    std::string domain = from.address.substr(from.address.find('@') + 1);
    internal::Envelope envelope{from, clock_->Now(),
                                internal::MessageIdLocalPart(email.dedup_key) + "@" + domain,
                                "=_vt_" + core::RandomHex(kBoundaryRandomBytes)};
    std::string message = internal::BuildMessage(email, envelope);

    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return Error::Internal("No se pudo iniciar el cliente SMTP.");
    std::string url = "smtp://" + HostForUrl(options_.host) + ":" + std::to_string(options_.port);
    std::string mail_from = "<" + from.address + ">";
    std::unique_ptr<curl_slist, SlistDeleter> rcpt(
        curl_slist_append(nullptr, ("<" + email.to + ">").c_str()));
    if (!rcpt) return Error::Internal("Sin memoria para el destinatario.");
    Upload upload{message};
    Replies replies;
    char detail[CURL_ERROR_SIZE] = {};
    long timeout_ms = static_cast<long>(options_.timeout.count());

    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp");
    // Signals are unusable for timeouts in a multi-threaded process.
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadMessage);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnReplyLine);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &replies);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
    if (!options_.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
    }
    if (options_.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));

    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        long reply_code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply_code);
        return TransferError(rc, reply_code, detail, replies);
    }
    return Ok();
}

}  // namespace vt::notify
