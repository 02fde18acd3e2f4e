#pragma once
/// Errors as values. Domain code returns `Result<T>`; each failure carries a kind (which
/// the HTTP layer maps to a status in one table), a stable English code for programs,
/// a Spanish message for people, and optional per-field messages.
///
/// std::expected is C++23 and boost::system::result wants an error_code-like error
/// type, so this is a small hand-written sum type in the spirit of LevelDB's Status.

#include <cassert>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace vt {

/// Broad category of a failure. The HTTP status table in vt/http/errors.hpp maps each one.
enum class ErrorKind {
    kInvalid,          ///< Input fails validation (fields say which).
    kBadRequest,       ///< Malformed request (unparsable JSON, wrong syntax).
    kUnauthenticated,  ///< No or expired credentials.
    kForbidden,        ///< Authenticated but not allowed.
    kNotFound,         ///< The object does not exist (or is not visible to the caller).
    kConflict,         ///< State changed concurrently or forbids the action.
    kTooLarge,         ///< Input exceeds a configured limit.
    kUnsupportedMedia, ///< Content type not accepted.
    kRateLimited,      ///< Too many attempts.
    kUnavailable,      ///< A dependency (database, peer) cannot be reached now.
    kStorageFull,      ///< The disk or database is full; nothing was written.
    kInternal,         ///< A bug or an unexpected failure.
};

/// A failure. Cheap to move; the message is for people (Spanish), the code for programs.
class Error {
public:
    Error(ErrorKind kind, std::string code, std::string message)
        : kind_(kind), code_(std::move(code)), message_(std::move(message)) {}

    static Error Invalid(std::string message, std::map<std::string, std::string> fields = {}) {
        Error e(ErrorKind::kInvalid, "invalid", std::move(message));
        e.fields_ = std::move(fields);
        return e;
    }
    static Error BadRequest(std::string code, std::string message) {
        return {ErrorKind::kBadRequest, std::move(code), std::move(message)};
    }
    static Error NotFound(std::string message) {
        return {ErrorKind::kNotFound, "not-found", std::move(message)};
    }
    static Error Conflict(std::string code, std::string message) {
        return {ErrorKind::kConflict, std::move(code), std::move(message)};
    }
    static Error Forbidden(std::string message) {
        return {ErrorKind::kForbidden, "forbidden", std::move(message)};
    }
    static Error Unavailable(std::string code, std::string message) {
        return {ErrorKind::kUnavailable, std::move(code), std::move(message)};
    }
    static Error StorageFull(std::string message) {
        return {ErrorKind::kStorageFull, "storage-full", std::move(message)};
    }
    static Error Internal(std::string message) {
        return {ErrorKind::kInternal, "internal", std::move(message)};
    }

    ErrorKind kind() const { return kind_; }
    const std::string& code() const { return code_; }
    const std::string& message() const { return message_; }
    const std::map<std::string, std::string>& fields() const { return fields_; }

    /// Adds or replaces the message for one field (a JSON path such as "trabajadores[2].cui").
    Error& WithField(std::string field, std::string message) {
        fields_[std::move(field)] = std::move(message);
        return *this;
    }

    /// "code: message", for logs.
    std::string ToString() const { return code_ + ": " + message_; }

private:
    ErrorKind kind_;
    std::string code_;
    std::string message_;
    std::map<std::string, std::string> fields_;
};

/// Either a value or an Error. `Result<void>` carries no value.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : v_(std::move(error)) {}  // NOLINT

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    /// REQUIRES: ok().
    T& value() & { assert(ok()); return std::get<0>(v_); }
    const T& value() const& { assert(ok()); return std::get<0>(v_); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    /// REQUIRES: !ok().
    const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
    Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : e_(std::move(error)) {}  // NOLINT

    bool ok() const { return !e_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const& { assert(!ok()); return *e_; }
    Error&& error() && { assert(!ok()); return std::move(*e_); }

private:
    std::optional<Error> e_;
};

using Status = Result<void>;

inline Status Ok() { return {}; }

}  // namespace vt

/// Returns early from the enclosing function when `expr` (a Result) failed.
#define VT_RETURN_IF_ERROR(expr)                          \
    do {                                                  \
        auto vt_status_ = (expr);                         \
        if (!vt_status_.ok()) return std::move(vt_status_).error(); \
    } while (0)

#define VT_CONCAT_INNER_(a, b) a##b
#define VT_CONCAT_(a, b) VT_CONCAT_INNER_(a, b)
/// `VT_ASSIGN_OR_RETURN(auto x, Compute());` binds the value or returns the error.
#define VT_ASSIGN_OR_RETURN(decl, expr) \
    VT_ASSIGN_OR_RETURN_IMPL_(VT_CONCAT_(vt_result_, __LINE__), decl, expr)
#define VT_ASSIGN_OR_RETURN_IMPL_(tmp, decl, expr) \
    auto tmp = (expr);                             \
    if (!tmp.ok()) return std::move(tmp).error();  \
    decl = std::move(tmp).value()
