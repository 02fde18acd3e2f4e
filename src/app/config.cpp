#include "vt/app/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <sstream>
#include <unistd.h>
#include <variant>
#include <vector>

extern char** environ;

namespace vt::app {
namespace {

// A pointer to one typed field of Config.
using FieldPtr = std::variant<int*, std::int64_t*, std::uint16_t*, std::uint32_t*, std::uint64_t*, bool*,
                              std::string*, std::filesystem::path*, std::chrono::milliseconds*,
                              std::chrono::seconds*>;

// One configurable key. Numeric settings carry their allowed range; text settings may
// list their allowed values.
struct Setting {
    std::string section;
    std::string key;
    std::string doc;
    std::function<FieldPtr(Config&)> field;
    std::int64_t min = 0, max = 0;
    std::vector<std::string> choices;
    bool secret = false;

    std::string Name() const { return section + "." + key; }
    std::string EnvName() const {
        std::string n = "VENTANILLA_" + section + "_" + key;
        for (char& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return n;
    }
    bool numeric() const { return min != 0 || max != 0; }
};

template <typename F>
std::function<FieldPtr(Config&)> Field(F f) {
    return [f](Config& c) -> FieldPtr { return &f(c); };
}

const std::vector<Setting>& Settings() {
    static const std::vector<Setting> settings = {
        {"server", "address", "Dirección IP donde escucha el servidor. Por omisión solo esta máquina; "
         "detrás de un proxy (nginx) no hace falta cambiarla.",
         Field([](Config& c) -> auto& { return c.server.address; })},
        {"server", "port", "Puerto TCP (0 elige uno libre). También `--port` y `VENTANILLA_PORT`.",
         Field([](Config& c) -> auto& { return c.server.port; }), 0, 65535},
        {"server", "io_threads", "Hilos de red; 0 = uno por núcleo.",
         Field([](Config& c) -> auto& { return c.server.io_threads; }), 0, 256},
        {"server", "worker_threads", "Hilos que atienden solicitudes que usan la base de datos o archivos.",
         Field([](Config& c) -> auto& { return c.server.worker_threads; }), 1, 1024},
        {"server", "max_header_bytes", "Tamaño máximo de línea de solicitud y encabezados (431 si se excede).",
         Field([](Config& c) -> auto& { return c.server.max_header_bytes; }), 1024, 1 << 20},
        {"server", "max_body_bytes", "Tamaño máximo del cuerpo de una solicitud (413 si se excede).",
         Field([](Config& c) -> auto& { return c.server.max_body_bytes; }), 1024,
         std::int64_t{1} << 32},
        {"server", "read_timeout_ms", "Tiempo máximo para recibir una solicitud completa (el cuerpo puede "
         "tardar además lo que permite `min_body_rate`); los clientes más lentos se desconectan.",
         Field([](Config& c) -> auto& { return c.server.read_timeout; }), 100, 600000},
        {"server", "min_body_rate", "Velocidad mínima, en bytes por segundo, a la que se acepta recibir el "
         "cuerpo de una solicitud: además de `read_timeout_ms`, el cuerpo puede tardar su tamaño a esta "
         "velocidad (un archivo de 5 MB desde un teléfono con una red lenta tarda minutos). 0 = solo "
         "`read_timeout_ms`.",
         Field([](Config& c) -> auto& { return c.server.min_body_rate; }), 0, std::int64_t{1} << 30},
        {"server", "write_timeout_ms", "Tiempo máximo para enviar una respuesta.",
         Field([](Config& c) -> auto& { return c.server.write_timeout; }), 100, 600000},
        {"server", "shutdown_grace_ms", "Al detenerse, tiempo que se espera a las solicitudes en curso.",
         Field([](Config& c) -> auto& { return c.server.shutdown_grace; }), 0, 600000},
        {"server", "access_log", "Escribir una línea JSON por solicitud en el registro de accesos.",
         Field([](Config& c) -> auto& { return c.server.access_log; })},

        {"storage", "driver", "Motor de base de datos: `sqlite` (un archivo, sin instalación) o `postgres`.",
         Field([](Config& c) -> auto& { return c.storage.driver; }), 0, 0,
         {"sqlite", "postgres"}},
        {"storage", "data_dir", "Directorio de datos (base SQLite, archivos, llaves). También `--data-dir` y "
         "`VENTANILLA_DATA_DIR`.",
         Field([](Config& c) -> auto& { return c.storage.data_dir; })},
        {"storage", "create_if_missing", "Crear la base SQLite si no existe; con `false` el servidor no arranca "
         "sin ella.",
         Field([](Config& c) -> auto& { return c.storage.create_if_missing; })},
        {"storage", "busy_timeout_ms", "SQLite: espera ante un bloqueo de otro proceso antes de fallar.",
         Field([](Config& c) -> auto& { return c.storage.busy_timeout_ms; }), 0, 600000},
        {"storage", "read_connections", "SQLite: conexiones de lectura simultáneas.",
         Field([](Config& c) -> auto& { return c.storage.read_connections; }), 1, 256},
        {"storage", "max_group_commit", "SQLite: máximo de transacciones confirmadas juntas con un solo fsync.",
         Field([](Config& c) -> auto& { return c.storage.max_group_commit; }), 1, 100000},
        {"storage", "max_page_count", "SQLite: límite del tamaño de la base en páginas de 4 KiB (0 = sin límite).",
         Field([](Config& c) -> auto& { return c.storage.max_page_count; }), 0,
         std::int64_t{1} << 40},
        {"storage", "statement_cache_size", "Sentencias preparadas en caché por conexión.",
         Field([](Config& c) -> auto& { return c.storage.statement_cache_size; }), 1, 10000},
        {"storage", "postgres_url", "PostgreSQL: cadena de conexión (`postgresql://usuario@host:5432/base`). "
         "Contiene secretos: póngala en `VENTANILLA_STORAGE_POSTGRES_URL`, no en el repositorio.",
         Field([](Config& c) -> auto& { return c.storage.postgres_url; }), 0, 0, {}, true},
        {"storage", "postgres_pool_size", "PostgreSQL: conexiones en el grupo.",
         Field([](Config& c) -> auto& { return c.storage.postgres_pool_size; }), 1, 1000},

        {"log", "level", "Nivel del registro de la aplicación.",
         Field([](Config& c) -> auto& { return c.log.level; }), 0, 0,
         {"trace", "debug", "info", "warn", "error"}},
        {"log", "file", "Archivo del registro de la aplicación; vacío = salida de errores.",
         Field([](Config& c) -> auto& { return c.log.file; })},
        {"log", "access_file", "Archivo del registro de accesos (JSON por línea); vacío = salida estándar.",
         Field([](Config& c) -> auto& { return c.log.access_file; })},

        {"catalog", "dir", "Carpeta de las definiciones de trámites (`*.json`). Una definición inválida impide el "
         "arranque; `ventanilla tramites check` las revisa sin arrancar.",
         Field([](Config& c) -> auto& { return c.catalog.dir; })},

        {"cases", "number_prefix", "Prefijo de los números de expediente (`MTPS-2026-000123`).",
         Field([](Config& c) -> auto& { return c.cases.number_prefix; })},
        {"cases", "due_soon_working_days", "Días hábiles antes del vencimiento en que un expediente se marca «por vencer».",
         Field([](Config& c) -> auto& { return c.cases.due_soon_working_days; }), 0, 60},
        {"cases", "max_page_size", "Máximo de expedientes por consulta de bandeja o lista.",
         Field([](Config& c) -> auto& { return c.cases.max_page_size; }), 1, 5000},

        {"identity", "public_url", "Dirección pública del sitio (`https://…`, sin `/` al final), para los "
         "enlaces de los correos y el código QR de verificación de cada documento emitido.",
         Field([](Config& c) -> auto& { return c.identity.public_url; })},
        {"identity", "secure_cookie", "Marcar la cookie de sesión como Secure: obligatorio cuando el sitio se sirve "
         "por HTTPS (directamente o detrás de nginx).",
         Field([](Config& c) -> auto& { return c.identity_http.secure_cookie; })},
        {"identity", "trust_forwarded_for", "Tomar la dirección del cliente de X-Forwarded-For; solo detrás de un "
         "proxy que lo escriba.",
         Field([](Config& c) -> auto& { return c.identity_http.trust_forwarded_for; })},
        {"identity", "require_second_factor", "Exigir segundo factor (TOTP) a funcionarios y administradores. "
         "En modo demostración no se exige.",
         Field([](Config& c) -> auto& { return c.identity.require_second_factor; })},
        {"identity", "session_idle_timeout_s", "Una sesión sin uso durante este tiempo se cierra.",
         Field([](Config& c) -> auto& { return c.identity.session_idle_timeout; }), 60, 86400},
        {"identity", "session_absolute_timeout_s", "Duración máxima de una sesión.",
         Field([](Config& c) -> auto& { return c.identity.session_absolute_timeout; }), 300, 30 * 86400},
        {"identity", "password_min_length", "Largo mínimo de las contraseñas.",
         Field([](Config& c) -> auto& { return c.identity.password_min_length; }), 8, 128},
        {"identity", "account_lockout_failures", "Intentos fallidos que bloquean una cuenta por un tiempo.",
         Field([](Config& c) -> auto& { return c.identity.account_lockout_failures; }), 3, 1000},
        {"identity", "account_lockout_duration_s", "Duración del bloqueo de una cuenta.",
         Field([](Config& c) -> auto& { return c.identity.account_lockout_duration; }), 60, 86400},
        {"identity", "password_reset_ttl_s", "Validez del enlace para restablecer la contraseña.",
         Field([](Config& c) -> auto& { return c.identity.password_reset_ttl; }), 300, 86400},

        {"smtp", "host", "Servidor SMTP que entrega el correo (relevo de la institución).",
         Field([](Config& c) -> auto& { return c.smtp.host; })},
        {"smtp", "port", "Puerto del servidor SMTP (587 es lo usual con STARTTLS).",
         Field([](Config& c) -> auto& { return c.smtp.port; }), 1, 65535},
        {"smtp", "from", "Remitente de los correos: «Nombre <dirección>» o una dirección.",
         Field([](Config& c) -> auto& { return c.smtp.from; })},
        {"smtp", "username", "Usuario SMTP; vacío = sin autenticación.",
         Field([](Config& c) -> auto& { return c.smtp.username; })},
        {"smtp", "password", "Contraseña SMTP. Secreto: póngala en `VENTANILLA_SMTP_PASSWORD`.",
         Field([](Config& c) -> auto& { return c.smtp.password; }), 0, 0, {}, true},
        {"smtp", "starttls", "Exigir STARTTLS con certificado válido antes de enviar nada.",
         Field([](Config& c) -> auto& { return c.smtp.starttls; })},
        {"smtp", "timeout_ms", "Límite para conectar y para la conversación de cada mensaje.",
         Field([](Config& c) -> auto& { return c.smtp.timeout; }), 100, 600000},

        {"outbox", "enabled", "Entregar el correo pendiente desde este proceso.",
         Field([](Config& c) -> auto& { return c.outbox.enabled; })},
        {"outbox", "poll_interval_ms", "Cada cuánto se buscan mensajes pendientes.",
         Field([](Config& c) -> auto& { return c.outbox.options.poll_interval; }), 100, 3600000},
        {"outbox", "batch_size", "Mensajes que toma cada pasada.",
         Field([](Config& c) -> auto& { return c.outbox.options.batch_size; }), 1, 1000},
        {"outbox", "max_attempts", "Intentos antes de abandonar un mensaje (queda registrado con su error).",
         Field([](Config& c) -> auto& { return c.outbox.options.max_attempts; }), 1, 1000},
        {"outbox", "initial_backoff_s", "Espera tras el primer fallo; se duplica tras cada fallo.",
         Field([](Config& c) -> auto& { return c.outbox.options.initial_backoff; }), 1, 86400},
        {"outbox", "max_backoff_s", "Espera máxima entre intentos.",
         Field([](Config& c) -> auto& { return c.outbox.options.max_backoff; }), 1, 86400},
        {"outbox", "claim_lease_s", "Tiempo que un proceso reserva los mensajes que toma; debe superar "
         "batch_size × smtp.timeout_ms.",
         Field([](Config& c) -> auto& { return c.outbox.options.claim_lease; }), 1, 86400},

        {"audit", "key_file", "Llave Ed25519 que firma las cabezas del árbol de auditoría (STH); vacío = "
         "`<data_dir>/keys/audit_ed25519.key`. Se crea en el primer arranque con permisos 0600 y no debe "
         "cambiar nunca: respáldela. Con PostgreSQL y varios nodos, copie la misma llave a cada uno.",
         Field([](Config& c) -> auto& { return c.audit.key_file; })},
        {"audit", "sth_max_age_ms", "Antigüedad máxima de la cabeza de árbol firmada que sirve "
         "`GET /api/v1/audit/sth`; una más vieja se reemplaza por una nueva del tamaño actual del registro.",
         Field([](Config& c) -> auto& { return c.audit.options.sth_max_age; }), 1000, 86400000},

        {"documents", "max_upload_bytes", "Tamaño máximo de un archivo subido, sea cual sea el trámite. La "
         "ruta de carga (`POST /api/v1/archivos`) acepta cuerpos de hasta este tamaño aunque "
         "`server.max_body_bytes` sea menor.",
         Field([](Config& c) -> auto& { return c.documents.max_upload_bytes; }), 1024,
         std::int64_t{1} << 30},
        {"documents", "default_upload_bytes", "Tamaño máximo de un archivo cuando el campo o requisito del "
         "trámite no fija uno (`max_bytes`); nunca más que `max_upload_bytes`.",
         Field([](Config& c) -> auto& { return c.documents.default_upload_bytes; }), 1024,
         std::int64_t{1} << 30},

        {"sanctions", "registry_url", "URL base del Registro de Faltas de Trabajo y Previsión Social "
         "(se consulta `<url>/sanciones?nit=...`); vacía = solo las sanciones registradas en este sistema "
         "(`ventanilla sanciones`). Sin respuesta del registro, ninguna solvencia se emite sola: la revisa "
         "la Inspección.",
         Field([](Config& c) -> auto& { return c.sanctions.registry.base_url; })},
        {"sanctions", "registry_token", "Token (Bearer) para el Registro de Faltas. Secreto: póngalo en "
         "`VENTANILLA_SANCTIONS_REGISTRY_TOKEN`.",
         Field([](Config& c) -> auto& { return c.sanctions.registry.token; }), 0, 0, {}, true},
        {"sanctions", "timeout_ms", "Límite de cada consulta al Registro de Faltas, conexión incluida.",
         Field([](Config& c) -> auto& { return c.sanctions.registry.timeout; }), 100, 60000},
        {"sanctions", "max_response_bytes", "Tamaño máximo de una respuesta del Registro de Faltas.",
         Field([](Config& c) -> auto& { return c.sanctions.registry.max_response_bytes; }), 1024, 64 << 20},
        {"sanctions", "office", "Oficina que lleva el registro de sanciones firmes: sus jefes y analistas "
         "las registran y solventan.",
         Field([](Config& c) -> auto& { return c.sanctions.office; })},

        {"app", "demo", "Cargar los datos de demostración al arrancar (`./ventanilla run` lo activa).",
         Field([](Config& c) -> auto& { return c.app.demo; })},
    };
    return settings;
}

std::optional<std::string> ParseInt(std::string_view text, std::int64_t& out) {
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || p != text.data() + text.size()) return "debe ser un número entero";
    return std::nullopt;
}

using RawValue = std::variant<std::int64_t, bool, std::string>;

// Stores `value` into the setting; returns a Spanish reason on failure.
std::optional<std::string> Assign(const Setting& s, Config& c, const RawValue& value) {
    return std::visit(
        [&](auto* field) -> std::optional<std::string> {
            using T = std::remove_pointer_t<decltype(field)>;
            if constexpr (std::is_same_v<T, bool>) {
                const auto* t = std::get_if<std::string>(&value);
                if (const auto* b = std::get_if<bool>(&value)) *field = *b;
                else if (t && (*t == "true" || *t == "1")) *field = true;
                else if (t && (*t == "false" || *t == "0")) *field = false;
                else return "debe ser true o false";
                return std::nullopt;
            } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::filesystem::path>) {
                const auto* t = std::get_if<std::string>(&value);
                if (!t) return "debe ser un texto";
                if (!s.choices.empty() && std::find(s.choices.begin(), s.choices.end(), *t) == s.choices.end()) {
                    std::string list;
                    for (const auto& ch : s.choices) list += (list.empty() ? "" : ", ") + ch;
                    return "debe ser uno de: " + list;
                }
                *field = *t;
                return std::nullopt;
            } else {
                std::int64_t n = 0;
                if (const auto* i = std::get_if<std::int64_t>(&value)) n = *i;
                else if (const auto* t = std::get_if<std::string>(&value)) {
                    if (auto err = ParseInt(*t, n)) return err;
                } else return "debe ser un número entero";
                if (n < s.min || n > s.max)
                    return "debe estar entre " + std::to_string(s.min) + " y " + std::to_string(s.max);
                if constexpr (std::is_same_v<T, std::chrono::milliseconds> || std::is_same_v<T, std::chrono::seconds>)
                    *field = T(n);
                else *field = static_cast<T>(n);
                return std::nullopt;
            }
        },
        s.field(c));
}

// The current value of a setting as TOML text.
std::string ToToml(const Setting& s, Config& c) {
    std::ostringstream out;
    std::visit(
        [&](auto* field) {
            using T = std::remove_pointer_t<decltype(field)>;
            if constexpr (std::is_same_v<T, bool>) out << (*field ? "true" : "false");
            else if constexpr (std::is_same_v<T, std::string>)
                out << toml::value<std::string>(s.secret && !field->empty() ? "********" : *field);
            else if constexpr (std::is_same_v<T, std::filesystem::path>) out << toml::value<std::string>(field->string());
            else if constexpr (std::is_same_v<T, std::chrono::milliseconds> || std::is_same_v<T, std::chrono::seconds>)
                out << field->count();
            else out << static_cast<std::int64_t>(*field);
        },
        s.field(c));
    return out.str();
}

const Setting* FindSetting(std::string_view section, std::string_view key) {
    for (const Setting& s : Settings()) {
        if (s.section == section && s.key == key) return &s;
    }
    return nullptr;
}

}  // namespace

std::map<std::string, std::string> ProcessEnvironment() {
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string_view kv(*e);
        auto eq = kv.find('=');
        if (eq != std::string_view::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
    }
    return env;
}

Result<Config> LoadConfig(const Overrides& flags, const std::map<std::string, std::string>& env) {
    Config config;
    Error problems = Error::Invalid("");
    auto problem = [&](std::string where, std::string why) { problems.WithField(std::move(where), std::move(why)); };

    std::optional<std::filesystem::path> file = flags.config_file;
    if (!file) {
        if (auto it = env.find("VENTANILLA_CONFIG"); it != env.end() && !it->second.empty()) file = it->second;
    }
    if (file) {
        config.file = file;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(*file, ec)) {
            return Error::Invalid("No existe el archivo de configuración " + file->string() + ".");
        }
        toml::table table;
        try {
            table = toml::parse_file(file->string());
        } catch (const toml::parse_error& e) {
            std::ostringstream where;
            where << file->string() << ":" << e.source().begin.line << ":" << e.source().begin.column;
            return Error::Invalid("El archivo de configuración no es TOML válido (" + where.str() + "): " +
                                  std::string(e.description()));
        }
        for (auto&& [section_key, section_node] : table) {
            std::string section(section_key.str());
            auto* section_table = section_node.as_table();
            if (!section_table) {
                problem(section, "se esperaba una sección [" + section + "]");
                continue;
            }
            for (auto&& [key_node, value] : *section_table) {
                std::string key(key_node.str());
                const Setting* s = FindSetting(section, key);
                if (!s) {
                    problem(section + "." + key, "clave desconocida");
                    continue;
                }
                std::variant<std::int64_t, bool, std::string> v;
                if (auto i = value.value<std::int64_t>(); i && value.is_integer()) v = *i;
                else if (auto b = value.value<bool>(); b && value.is_boolean()) v = *b;
                else if (auto t = value.value<std::string>(); t && value.is_string()) v = *t;
                else {
                    problem(s->Name(), "tipo de valor no admitido");
                    continue;
                }
                if (auto err = Assign(*s, config, v)) problem(s->Name(), *err);
            }
        }
    }

    // Environment: every VENTANILLA_ variable must be known, so a typo is not silently ignored.
    for (const auto& [name, value] : env) {
        if (!name.starts_with("VENTANILLA_") || name.starts_with("VENTANILLA_TEST_")) continue;
        if (name == "VENTANILLA_CONFIG") continue;
        const Setting* s = nullptr;
        if (name == "VENTANILLA_PORT") s = FindSetting("server", "port");
        else if (name == "VENTANILLA_DATA_DIR") s = FindSetting("storage", "data_dir");
        else {
            for (const Setting& candidate : Settings()) {
                if (candidate.EnvName() == name) s = &candidate;
            }
        }
        if (!s) {
            problem(name, "variable de entorno desconocida");
            continue;
        }
        if (auto err = Assign(*s, config, value)) problem(name, *err);
    }

    if (flags.port) {
        if (*flags.port < 0 || *flags.port > 65535) problem("--port", "debe estar entre 0 y 65535");
        else config.server.port = static_cast<std::uint16_t>(*flags.port);
    }
    if (flags.data_dir) config.storage.data_dir = *flags.data_dir;
    if (flags.demo) config.app.demo = *flags.demo;

    if (config.storage.driver == "postgres" && config.storage.postgres_url.empty()) {
        problem("storage.postgres_url", "es obligatoria con driver = \"postgres\"");
    }
    if (config.storage.data_dir.empty()) problem("storage.data_dir", "no puede estar vacío");
    {
        const std::string& url = config.identity.public_url;
        if (!(url.starts_with("http://") || url.starts_with("https://")) || url.ends_with("/"))
            problem("identity.public_url", "debe empezar con http:// o https:// y no terminar en /");
    }
    if (config.documents.default_upload_bytes > config.documents.max_upload_bytes)
        problem("documents.default_upload_bytes", "no puede ser mayor que documents.max_upload_bytes");
    for (const auto& [section, status] : {std::pair{"smtp", notify::ValidateSmtpOptions(config.smtp)},
                                          std::pair{"outbox", notify::ValidateOutboxOptions(config.outbox.options)}}) {
        if (status.ok()) continue;
        for (const auto& [k, v] : status.error().fields()) problem(std::string(section) + "." + k, v);
        if (status.error().fields().empty()) problem(section, status.error().message());
    }
    if (!config.sanctions.registry.base_url.empty()) {
        Status s = sanctions::ValidateHttpRegistryOptions(config.sanctions.registry);
        if (!s.ok()) {
            for (const auto& [k, v] : s.error().fields()) problem("sanctions." + k, v);
        }
    }
    if (config.sanctions.office.empty()) problem("sanctions.office", "no puede estar vacía");
    auto pass = config.outbox.options.batch_size * config.smtp.timeout;
    if (config.outbox.options.claim_lease <= pass) {
        problem("outbox.claim_lease_s", "debe ser mayor que batch_size × smtp.timeout_ms (" +
                                            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(pass).count()) +
                                            " s)");
    }

    if (!problems.fields().empty()) {
        std::string msg = "Configuración inválida";
        if (file) msg += " (" + file->string() + ")";
        msg += ":";
        for (const auto& [k, v] : problems.fields()) msg += "\n  - " + k + ": " + v;
        Error e = Error::Invalid(msg);
        for (const auto& [k, v] : problems.fields()) e.WithField(k, v);
        return e;
    }
    return config;
}

std::string SettingsMarkdown() {
    Config defaults;
    std::ostringstream out;
    out << "# Configuración\n\n"
           "Ventanilla lee un archivo TOML (`--config ARCHIVO` o `VENTANILLA_CONFIG`), luego las variables "
           "de entorno `VENTANILLA_<SECCIÓN>_<CLAVE>` y por último las opciones de la línea de órdenes; "
           "cada fuente reemplaza a la anterior. Una clave o variable desconocida, o un valor fuera de "
           "rango, impide el arranque con un mensaje que la nombra.\n\n"
           "Atajos: `VENTANILLA_PORT` = `server.port`, `VENTANILLA_DATA_DIR` = `storage.data_dir`.\n\n"
           "Este archivo se genera con `ventanilla config doc`; una prueba verifica que esté al día.\n";
    std::string section;
    for (const Setting& s : Settings()) {
        if (s.section != section) {
            section = s.section;
            out << "\n## [" << section << "]\n\n| clave | variable | por omisión | significado |\n|---|---|---|---|\n";
        }
        std::string def = ToToml(s, defaults);
        out << "| `" << s.key << "` | `" << s.EnvName() << "` | `" << def << "` | " << s.doc;
        if (!s.choices.empty()) {
            out << " Valores:";
            for (auto& c : s.choices) out << " `" << c << "`";
            out << ".";
        }
        if (s.numeric()) {
            out << " Rango " << s.min << "–" << s.max << ".";
        }
        out << " |\n";
    }
    return out.str();
}

std::string ConfigToToml(const Config& config) {
    Config copy = config;
    std::ostringstream out;
    std::string section;
    for (const Setting& s : Settings()) {
        if (s.section != section) {
            if (!section.empty()) out << "\n";
            section = s.section;
            out << "[" << section << "]\n";
        }
        out << s.key << " = " << ToToml(s, copy);
        out << "\n";
    }
    return out.str();
}

}  // namespace vt::app
