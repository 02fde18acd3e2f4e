#include "postgres/pg_connection.hpp"

#include <cstring>

#include "postgres/pg_errors.hpp"
#include "postgres/pg_values.hpp"

namespace vt::store::pg {
namespace {

// The server sends notices ("table does not exist, skipping") that libpq would print to
// stderr by default; they are informational and the store has nobody to tell.
void IgnoreNotice(void*, const char*) {}

bool Succeeded(ExecStatusType status) {
    return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY;
}

Error TextWithNul() { return Error::Invalid("La sentencia SQL contiene un carácter nulo."); }

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const ConnectParams& params,
                                                     int statement_cache_size) {
    std::vector<const char*> keywords;
    std::vector<const char*> values;
    for (std::size_t i = 0; i < params.keywords.size(); ++i) {
        keywords.push_back(params.keywords[i].c_str());
        values.push_back(params.values[i].c_str());
    }
    keywords.push_back(nullptr);
    values.push_back(nullptr);
    PGconn* conn = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
    if (conn == nullptr) return Unreachable("libpq no pudo reservar memoria para la conexión");
    if (PQstatus(conn) != CONNECTION_OK) {
        Error e = Unreachable(PQerrorMessage(conn));
        PQfinish(conn);
        return e;
    }
    PQsetNoticeProcessor(conn, &IgnoreNotice, nullptr);
    std::size_t capacity =
        statement_cache_size > 0 ? static_cast<std::size_t>(statement_cache_size) : 0;
    return std::unique_ptr<Connection>(new Connection(conn, capacity));
}

Connection::~Connection() { PQfinish(conn_); }

Status Connection::Reset() {
    PQreset(conn_);
    ClearCache();
    evicted_.clear();
    if (!healthy()) return Unreachable(PQerrorMessage(conn_));
    return Ok();
}

Result<ResultPtr> Connection::Run(std::string_view sql, std::span<const Value> params) {
    if (sql.find('\0') != std::string_view::npos) return TextWithNul();
    VT_ASSIGN_OR_RETURN(Params p, Params::Make(params));
    std::string text(sql);
    ResultPtr res;
    std::string key;
    if (cache_capacity_ == 0) {
        res.reset(PQexecParams(conn_, text.c_str(), p.size(), p.types(), p.values(), p.lengths(),
                               p.formats(), /*resultFormat=*/0));
    } else {
        key = text;
        key.push_back('\0');
        key += p.signature();
        VT_ASSIGN_OR_RETURN(std::string name, Prepare(key, text, p.types(), p.size()));
        res.reset(PQexecPrepared(conn_, name.c_str(), p.size(), p.values(), p.lengths(),
                                 p.formats(), /*resultFormat=*/0));
    }
    ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (Succeeded(status)) return res;
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
        AbandonCopy(status);
        return Error::Invalid("COPY no está disponible por medio del almacenamiento.");
    }
    if (!key.empty()) {
        // The server dropped the statement, or a schema change altered its result columns:
        // prepare it again next time rather than fail forever.
        const char* sqlstate = res ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : nullptr;
        if (sqlstate != nullptr &&
            (std::strcmp(sqlstate, "26000") == 0 || std::strcmp(sqlstate, "0A000") == 0)) {
            Forget(key);
        }
    }
    return ErrorFromResult(conn_, res.get());
}

Result<ResultPtr> Connection::RunScript(std::string_view sql) {
    if (sql.find('\0') != std::string_view::npos) return TextWithNul();
    std::string text(sql);
    ResultPtr res(PQexec(conn_, text.c_str()));
    ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (Succeeded(status)) return res;
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
        AbandonCopy(status);
        return Error::Invalid("COPY no está disponible por medio del almacenamiento.");
    }
    return ErrorFromResult(conn_, res.get());
}

void Connection::DropEvicted() {
    if (evicted_.empty() || transaction_status() != PQTRANS_IDLE) return;
    for (const std::string& name : evicted_) {
        // A failure leaves the statement allocated until the connection closes; nothing
        // refers to it any more, so it only costs a little server memory.
        ResultPtr res(PQexec(conn_, ("DEALLOCATE " + name).c_str()));
    }
    evicted_.clear();
}

std::string Connection::Address() const {
    const char* host = PQhost(conn_);
    const char* port = PQport(conn_);
    const char* db = PQdb(conn_);
    return std::string(host ? host : "") + ":" + (port ? port : "") + "/" + (db ? db : "");
}

Result<std::string> Connection::Prepare(const std::string& key, const std::string& sql,
                                        const Oid* types, int count) {
    if (auto it = cache_.find(key); it != cache_.end()) {
        lru_.splice(lru_.begin(), lru_, it->second.lru_position);
        return it->second.name;
    }
    std::string name = "vt_" + std::to_string(++next_statement_);
    ResultPtr res(PQprepare(conn_, name.c_str(), sql.c_str(), count, types));
    if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
        return ErrorFromResult(conn_, res.get());
    }
    lru_.push_front(key);
    cache_.emplace(key, Cached{name, lru_.begin()});
    while (cache_.size() > cache_capacity_) Forget(lru_.back());
    return name;
}

void Connection::Forget(const std::string& key) {
    auto it = cache_.find(key);
    if (it == cache_.end()) return;
    evicted_.push_back(std::move(it->second.name));
    auto position = it->second.lru_position;
    cache_.erase(it);
    lru_.erase(position);
}

void Connection::ClearCache() {
    cache_.clear();
    lru_.clear();
}

void Connection::AbandonCopy(ExecStatusType status) {
    if (status == PGRES_COPY_IN) {
        PQputCopyEnd(conn_, "COPY no está disponible");
    } else if (status == PGRES_COPY_OUT) {
        char* buffer = nullptr;
        while (PQgetCopyData(conn_, &buffer, /*async=*/0) > 0) PQfreemem(buffer);
    }
    while (PGresult* res = PQgetResult(conn_)) PQclear(res);
    // COPY BOTH (replication) cannot be ended from here; start over.
    if (status == PGRES_COPY_BOTH || transaction_status() == PQTRANS_ACTIVE) {
        PQreset(conn_);
        ClearCache();
        evicted_.clear();
    }
}

}  // namespace vt::store::pg
