#pragma once
// One libpq connection with its prepared-statement cache. Private to the PostgreSQL adapter.
#include <libpq-fe.h>

#include <cstdint>
#include <list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vt/store/store.hpp"

namespace vt::store::pg {

/// Frees a PGresult.
struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

/// Keyword/value pairs for PQconnectdbParams, processed in order (later ones win).
struct ConnectParams {
    std::vector<std::string> keywords;
    std::vector<std::string> values;
};

/// A connection to the server. Not thread-safe: one thread uses it at a time (the pool
/// hands it out to one transaction at a time).
class Connection {
public:
    /// Connects. Fails with kUnavailable (code "database-unavailable") when the server
    /// cannot be reached or refuses the login. `statement_cache_size` 0 disables the cache.
    static Result<std::unique_ptr<Connection>> Open(const ConnectParams& params,
                                                    int statement_cache_size);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// False once libpq has seen the connection break.
    bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
    PGTransactionStatusType transaction_status() const { return PQtransactionStatus(conn_); }

    /// Reconnects with the same parameters; the server forgets prepared statements, and so
    /// does the cache. Fails with kUnavailable.
    Status Reset();

    /// Runs one statement with `params` ($1, $2, ...) through the statement cache.
    /// Returns the result when it succeeded (PGRES_TUPLES_OK or PGRES_COMMAND_OK), else the
    /// mapped error.
    Result<ResultPtr> Run(std::string_view sql, std::span<const Value> params);

    /// Runs `sql`, possibly several statements, without parameters and without preparing.
    Result<ResultPtr> RunScript(std::string_view sql);

    /// Drops from the server the statements evicted from the cache.
    /// REQUIRES: no transaction is open (a failed one would refuse DEALLOCATE).
    void DropEvicted();

    /// "host:port/dbname" of the server, for Describe().
    std::string Address() const;

private:
    struct Cached {
        std::string name;
        std::list<std::string>::iterator lru_position;
    };

    Connection(PGconn* conn, std::size_t cache_capacity)
        : conn_(conn), cache_capacity_(cache_capacity) {}

    // The server-side name of the prepared statement for `key`, preparing it on a miss.
    Result<std::string> Prepare(const std::string& key, const std::string& sql, const Oid* types,
                                int count);
    void Forget(const std::string& key);
    void ClearCache();
    // Leaves the COPY state a statement put the connection in, so it can be used again.
    void AbandonCopy(ExecStatusType status);

    PGconn* conn_;
    const std::size_t cache_capacity_;
    // Keys (SQL text, NUL, parameter signature), most recently used first.
    std::list<std::string> lru_;
    std::unordered_map<std::string, Cached> cache_;
    // Names of evicted statements still allocated on the server.
    std::vector<std::string> evicted_;
    std::uint64_t next_statement_ = 0;
};

}  // namespace vt::store::pg
