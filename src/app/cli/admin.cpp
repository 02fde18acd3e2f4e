#include "cli/admin.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <optional>
#include <ostream>

#include "adapters.hpp"
#include "vt/app/app.hpp"
#include "vt/core/actor.hpp"
#include "vt/core/clock.hpp"
#include "vt/core/date.hpp"

namespace vt::app {
namespace {

constexpr int kFailed = 1;
constexpr int kBadInput = 2;

// The option (or argument) that carries each field of identity's errors.
constexpr std::pair<std::string_view, std::string_view> kOptions[] = {
    {"codigo", "CODE"},           {"correo", "--email"},   {"nombre", "--name"},
    {"municipio", "--municipio"}, {"oficina", "--office"}, {"roles", "--roles"},
    {"contrasena", "contraseña"}, {"cliente", "--client"}, {"alcances", "--scopes"},
    {"vence", "--expires"},
};

// Prints `error` and returns the exit code it deserves: 2 for wrong input, 1 otherwise.
int Report(const Error& error, std::ostream& err) {
    err << "ventanilla: " << error.message() << "\n";
    for (const auto& [field, message] : error.fields()) {
        std::string_view option = field;
        for (const auto& [f, o] : kOptions) {
            if (f == field) option = o;
        }
        err << "  " << option << ": " << message << "\n";
    }
    return error.kind() == ErrorKind::kInvalid ? kBadInput : kFailed;
}

std::string Join(const std::vector<std::string>& items, std::string_view separator = ", ") {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : std::string(separator)) + i;
    return out;
}

// Turns terminal echo off while alive, when standard input is a terminal.
class EchoOff {
public:
    EchoOff() {
        if (!::isatty(STDIN_FILENO) || ::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
        termios quiet = saved_;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    ~EchoOff() {
        if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;
    bool active() const { return active_; }

private:
    termios saved_{};
    bool active_ = false;
};

// One line of `in`, without its line ending. A password never comes from the command
// line, where other users of the machine and the shell history would see it.
std::optional<std::string> ReadPassword(std::istream& in, std::ostream& err) {
    std::string line;
    bool got;
    if (&in == &std::cin && ::isatty(STDIN_FILENO)) {
        err << "Contraseña del administrador (no se muestra): " << std::flush;
        EchoOff quiet;
        got = static_cast<bool>(std::getline(in, line));
        if (quiet.active()) err << "\n";
    } else {
        got = static_cast<bool>(std::getline(in, line));
    }
    if (!got && line.empty()) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::string StatusOf(const identity::ApiToken& t, const std::string& now) {
    if (t.revoked_at) return "revocado";
    if (t.expires_at && *t.expires_at <= now) return "vencido";
    return "activo";
}

}  // namespace

AdminCommand::AdminCommand(CLI::App& cli) {
    command_ = cli.add_subcommand(
        "admin",
        "Administra oficinas, personal y tokens de acceso (actúa como «sistema»; funciona con el "
        "servidor en marcha)");
    command_->require_subcommand(1);
    command_->fallthrough();

    bootstrap_ = command_->add_subcommand(
        "bootstrap",
        "Crea el primer administrador de una instalación nueva; lee la contraseña de la entrada "
        "estándar (una línea)");
    bootstrap_->add_option("--email", email_, "Correo del administrador")->required();
    bootstrap_->add_option("--name", name_, "Nombre completo")->required();
    bootstrap_->fallthrough();

    CLI::App* office = command_->add_subcommand("office", "Oficinas del ministerio");
    office->require_subcommand(1);
    office->fallthrough();
    office_create_ = office->add_subcommand("create", "Crea una oficina");
    office_create_->add_option("CODE", code_, "Código: letras, dígitos y guiones (p. ej. IGT)")
        ->required();
    office_create_->add_option("--name", name_, "Nombre de la oficina")->required();
    office_create_->add_option("--municipio", municipio_,
                               "Municipio (DDMM) cuyo feriado local aplica (por omisión 0101)");
    office_create_->fallthrough();
    office_list_ = office->add_subcommand("list", "Lista las oficinas");
    office_list_->fallthrough();

    CLI::App* official = command_->add_subcommand("official", "Funcionarios y sus roles");
    official->require_subcommand(1);
    official->fallthrough();
    official_create_ = official->add_subcommand(
        "create", "Crea un funcionario y le envía el enlace para elegir su contraseña");
    official_create_->add_option("--email", email_, "Correo institucional")->required();
    official_create_->add_option("--name", name_, "Nombre completo")->required();
    official_create_->add_option("--office", office_, "Código de la oficina")->required();
    official_create_->add_option("--roles", roles_, "Roles separados por comas")
        ->required()
        ->delimiter(',');
    official_create_->fallthrough();
    official_list_ = official->add_subcommand("list", "Lista funcionarios y administradores");
    official_list_->fallthrough();
    official_roles_ = official->add_subcommand("roles", "Reemplaza la oficina y los roles");
    official_roles_->add_option("ID", id_, "Cuenta del funcionario")->required();
    official_roles_->add_option("--office", office_, "Código de la oficina")->required();
    official_roles_->add_option("--roles", roles_, "Roles separados por comas")
        ->required()
        ->delimiter(',');
    official_roles_->fallthrough();
    official_disable_ =
        official->add_subcommand("disable", "Desactiva una cuenta y cierra sus sesiones");
    official_disable_->add_option("ID", id_, "Cuenta")->required();
    official_disable_->fallthrough();
    official_enable_ = official->add_subcommand("enable", "Reactiva una cuenta");
    official_enable_->add_option("ID", id_, "Cuenta")->required();
    official_enable_->fallthrough();
    official_reset_2fa_ = official->add_subcommand(
        "reset-2fa", "Quita el segundo factor (teléfono perdido); se configura de nuevo al entrar");
    official_reset_2fa_->add_option("ID", id_, "Cuenta")->required();
    official_reset_2fa_->fallthrough();

    CLI::App* token = command_->add_subcommand("token", "Tokens de acceso de otros sistemas");
    token->require_subcommand(1);
    token->fallthrough();
    token_create_ = token->add_subcommand("create", "Emite un token (se muestra una sola vez)");
    token_create_->add_option("--client", client_, "Quién lo usa")->required();
    token_create_->add_option("--scopes", scopes_, "Alcances separados por comas")
        ->required()
        ->delimiter(',');
    token_create_->add_option("--expires", expires_,
                              "Último día de validez, AAAA-MM-DD (hora de Guatemala)");
    token_create_->fallthrough();
    token_revoke_ = token->add_subcommand("revoke", "Revoca un token de inmediato");
    token_revoke_->add_option("ID", id_, "Identificador del token")->required();
    token_revoke_->fallthrough();
    token_list_ = token->add_subcommand("list", "Lista los tokens");
    token_list_->fallthrough();
}

int AdminCommand::Run(const Config& config, std::istream& in, std::ostream& out,
                      std::ostream& err) const {
    auto store = OpenStore(config, Create::kIfMissing);
    if (!store.ok()) {
        Report(store.error(), err);
        return kFailed;
    }
    if (Status s = (*store)->Migrate(); !s.ok()) {
        Report(s.error(), err);
        return kFailed;
    }
    core::SystemClock clock;
    OutboxMailSink mail(clock);
    identity::IdentityService identity(**store, clock, mail, config.identity);
    return Execute(identity, in, out, err);
}

int AdminCommand::Execute(identity::IdentityService& identity, std::istream& in, std::ostream& out,
                          std::ostream& err) const {
    const core::Actor system = core::Actor::System();

    if (bootstrap_->parsed()) {
        std::optional<std::string> password = ReadPassword(in, err);
        if (!password || password->empty()) {
            err << "ventanilla: escriba la contraseña en la entrada estándar (una línea); nunca "
                   "se acepta como argumento.\n";
            return kBadInput;
        }
        auto admin = identity.BootstrapAdministrator(email_, name_, *password);
        if (!admin.ok()) return Report(admin.error(), err);
        out << "Administrador creado: " << *admin << " (" << email_ << ").\n"
            << "Inicie sesión con ese correo y la contraseña que escribió";
        if (identity.options().require_second_factor)
            out << "; al entrar configurará el segundo factor";
        out << ".\n";
        return 0;
    }

    if (office_create_->parsed()) {
        auto office = identity.CreateOffice(system, identity::Office{code_, name_, municipio_});
        if (!office.ok()) return Report(office.error(), err);
        out << "Oficina " << office->code << " creada: " << office->name << " (municipio "
            << office->municipio << ").\n";
        return 0;
    }
    if (office_list_->parsed()) {
        auto offices = identity.ListOffices(system);
        if (!offices.ok()) return Report(offices.error(), err);
        if (offices->empty()) out << "No hay oficinas.\n";
        for (const auto& o : *offices)
            out << o.code << "\t" << o.municipio << "\t" << o.name << "\n";
        return 0;
    }

    if (official_create_->parsed()) {
        auto created =
            identity.CreateOfficial(system, identity::NewOfficial{email_, name_, office_, roles_});
        if (!created.ok()) return Report(created.error(), err);
        auto account = identity.GetStaff(system, created->id);
        if (!account.ok()) return Report(account.error(), err);
        auto hours = identity.options().activation_ttl.count() / 3600;
        out << "Funcionario creado: " << account->id << " (" << account->email << "), oficina "
            << account->office << ", roles " << Join(account->roles) << ".\n"
            << "Se encoló el enlace de activación para " << account->email
            << "; se enviará cuando el servidor esté en marcha con el correo configurado.\n"
            << "Si el correo aún no está configurado, entréguele este enlace (sirve una vez, "
               "vence en "
            << hours << " horas):\n"
            << "  " << created->activation_link << "\n";
        return 0;
    }
    if (official_list_->parsed()) {
        auto staff = identity.ListStaff(system);
        if (!staff.ok()) return Report(staff.error(), err);
        if (staff->empty()) out << "No hay funcionarios ni administradores.\n";
        for (const auto& a : *staff) {
            out << a.id << "\t" << identity::AccountKindName(a.kind) << "\t"
                << (a.active ? "activa" : "desactivada") << "\t"
                << (a.office.empty() ? "-" : a.office) << "\t"
                << (a.roles.empty() ? "-" : Join(a.roles, ",")) << "\t" << a.email << "\t" << a.name
                << "\n";
        }
        return 0;
    }
    if (official_roles_->parsed()) {
        Status s = identity.SetOfficialRoles(system, id_, office_, roles_);
        if (!s.ok()) return Report(s.error(), err);
        auto account = identity.GetStaff(system, id_);
        if (!account.ok()) return Report(account.error(), err);
        out << "Cuenta " << account->id << ": oficina " << account->office << ", roles "
            << Join(account->roles) << ".\n";
        return 0;
    }
    if (official_disable_->parsed() || official_enable_->parsed()) {
        bool active = official_enable_->parsed();
        Status s = identity.SetAccountActive(system, id_, active);
        if (!s.ok()) return Report(s.error(), err);
        out << "Cuenta " << id_
            << (active ? " activada.\n" : " desactivada; sus sesiones se cerraron.\n");
        return 0;
    }
    if (official_reset_2fa_->parsed()) {
        Status s = identity.ResetSecondFactor(system, id_);
        if (!s.ok()) return Report(s.error(), err);
        out << "Se quitó el segundo factor de la cuenta " << id_
            << "; lo configurará de nuevo al iniciar sesión.\n";
        return 0;
    }

    if (token_create_->parsed()) {
        identity::ApiTokenRequest request{client_, scopes_, std::nullopt};
        if (!expires_.empty()) {
            auto date = core::ParseIsoDate(expires_);
            if (!date.ok()) {
                return Report(Error::Invalid("Revise los datos del token.",
                                             {{"vence", date.error().message()}}),
                              err);
            }
            request.expires_at = identity::EndOfGuatemalaDay(*date);
        }
        auto issued = identity.CreateApiToken(system, request);
        if (!issued.ok()) return Report(issued.error(), err);
        const identity::ApiToken& t = issued->second;
        out << "Token " << t.id << " para «" << t.client << "», alcances " << Join(t.scopes)
            << (t.expires_at ? ", vence " + *t.expires_at : std::string(", sin vencimiento"))
            << ".\n"
            << "Guárdelo ahora: no se vuelve a mostrar.\n"
            << issued->first << "\n";
        return 0;
    }
    if (token_revoke_->parsed()) {
        Status s = identity.RevokeApiToken(system, id_);
        if (!s.ok()) return Report(s.error(), err);
        out << "Token " << id_ << " revocado.\n";
        return 0;
    }
    if (token_list_->parsed()) {
        auto tokens = identity.ListApiTokens(system);
        if (!tokens.ok()) return Report(tokens.error(), err);
        if (tokens->empty()) out << "No hay tokens.\n";
        std::string now = core::FormatUtc(core::SystemClock().Now());
        for (const auto& t : *tokens) {
            out << t.id << "\t" << StatusOf(t, now) << "\t" << Join(t.scopes, ",") << "\t"
                << "creado " << t.created_at << "\t"
                << "vence " << t.expires_at.value_or("-") << "\t"
                << "último uso " << t.last_used_at.value_or("-") << "\t" << t.client << "\n";
        }
        return 0;
    }
    err << "ventanilla: orden de administración desconocida\n";
    return kBadInput;
}

}  // namespace vt::app
