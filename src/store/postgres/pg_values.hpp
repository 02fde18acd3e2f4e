#pragma once
// Conversion between store::Value and libpq's parameter and result formats. Private to the
// PostgreSQL adapter.
#include <libpq-fe.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vt/store/store.hpp"

namespace vt::store::pg {

/// Type OIDs from the server's pg_type catalog (libpq does not export them).
inline constexpr Oid kBoolOid = 16;
inline constexpr Oid kByteaOid = 17;
inline constexpr Oid kInt8Oid = 20;
inline constexpr Oid kInt2Oid = 21;
inline constexpr Oid kInt4Oid = 23;
inline constexpr Oid kOidOid = 26;
inline constexpr Oid kFloat4Oid = 700;
inline constexpr Oid kFloat8Oid = 701;
inline constexpr Oid kNumericOid = 1700;

/// The protocol's limit on parameters per statement.
inline constexpr std::size_t kMaxParams = 65535;

/// Statement parameters in the arrays PQexecPrepared wants, all in text format but blobs.
/// A parameter keeps the type of its Value, as SQLite's bindings do: int64 is int8 and
/// double float8 (so `SELECT $1 + $2` stays numeric), a blob is binary bytea. Text and
/// NULL leave the type to the server, which infers it from context as for a quoted
/// literal, so a string fits TEXT, VARCHAR or a timestamp column alike.
/// Points into the Values it was made from: they must outlive it.
class Params {
public:
    /// Fails with kInvalid when there are more than kMaxParams values or a string holds a
    /// NUL byte (PostgreSQL text cannot).
    static Result<Params> Make(std::span<const Value> values);

    int size() const { return static_cast<int>(types_.size()); }
    const Oid* types() const { return types_.data(); }
    const char* const* values() const { return values_.data(); }
    const int* lengths() const { return lengths_.data(); }
    const int* formats() const { return formats_.data(); }
    /// One character per parameter type: 'i' int8, 'f' float8, 'b' bytea, '-' inferred.
    /// A statement is prepared with its parameter types, so this is part of the statement
    /// cache key.
    const std::string& signature() const { return signature_; }

private:
    Params() = default;

    std::vector<Oid> types_;
    std::vector<const char*> values_;
    std::vector<int> lengths_;
    std::vector<int> formats_;
    std::string signature_;
    // Text of the numbers. Reserved up front so the pointers in values_ stay valid.
    std::vector<std::string> numbers_;
};

/// Decodes one non-NULL text-format field whose column type is `type`:
/// int2/int4/int8/oid -> int64, float4/float8/numeric -> double, bytea -> Blob,
/// bool -> int64 0/1, anything else -> the text. Fails with kInternal on malformed text
/// (a numeric beyond the range of double included).
Result<Value> DecodeField(Oid type, const char* text, int length);

}  // namespace vt::store::pg
