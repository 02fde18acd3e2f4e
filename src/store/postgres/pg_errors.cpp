#include "postgres/pg_errors.hpp"

#include <string>

namespace vt::store::pg {
namespace {

constexpr std::string_view kUnavailableMessage =
    "La base de datos no está disponible en este momento; intente de nuevo más tarde.";

// libpq messages end with a newline and sometimes carry several lines; keep them readable
// in one log line.
std::string OneLine(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace

Error ErrorFromSqlState(std::string_view sqlstate, std::string_view server_message) {
    if (sqlstate.starts_with("23")) {
        std::string message;
        if (sqlstate == "23505") {
            message = "Ya existe un registro con esos datos.";
        } else if (sqlstate == "23503") {
            message =
                "El registro hace referencia a datos que no existen, o otros datos dependen "
                "de él.";
        } else if (sqlstate == "23502") {
            message = "Falta un dato obligatorio.";
        } else if (sqlstate == "23514") {
            message = "Los datos no cumplen una regla de la base de datos.";
        } else {
            message = "Los datos violan una restricción de integridad de la base de datos.";
        }
        return Error::Conflict("constraint", std::move(message));
    }
    if (sqlstate == "40001" || sqlstate == "40P01") {
        return Error::Conflict(
            "serialization",
            "La operación coincidió con otra simultánea y fue cancelada; intente de nuevo.");
    }
    if (sqlstate == "53100") {
        return Error::StorageFull(
            "El disco de la base de datos está lleno; no se guardó ningún cambio.");
    }
    if (sqlstate.starts_with("08") || sqlstate.starts_with("53") || sqlstate.starts_with("57P")) {
        return Error::Unavailable("database-unavailable", std::string(kUnavailableMessage) + " (" +
                                                              OneLine(server_message) + ")");
    }
    return Error::Internal("Error de la base de datos: " + OneLine(server_message) + " (SQLSTATE " +
                           std::string(sqlstate) + ")");
}

Error ErrorFromResult(const PGconn* conn, const PGresult* res) {
    const char* sqlstate = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    if (sqlstate != nullptr) {
        const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
        return ErrorFromSqlState(sqlstate, primary ? primary : PQresultErrorMessage(res));
    }
    // No SQLSTATE: libpq itself failed (lost connection, out of memory, protocol error).
    std::string_view detail = res ? PQresultErrorMessage(res) : "";
    if (detail.empty()) detail = PQerrorMessage(conn);
    if (PQstatus(conn) != CONNECTION_OK) return Unreachable(detail);
    return Error::Internal("Error del cliente de la base de datos: " + OneLine(detail));
}

Error Unreachable(std::string_view detail) {
    return Error::Unavailable("database-unavailable",
                              std::string(kUnavailableMessage) + " (" + OneLine(detail) + ")");
}

}  // namespace vt::store::pg
