#include <cassert>

#include "vt/store/store.hpp"

namespace vt::store {

bool Row::IsNull(std::size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }

std::int64_t Row::Int(std::size_t i) const {
    assert(std::holds_alternative<std::int64_t>(values_.at(i)));
    return std::get<std::int64_t>(values_.at(i));
}

double Row::Real(std::size_t i) const {
    const Value& v = values_.at(i);
    if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
    return std::get<double>(v);
}

const std::string& Row::Text(std::size_t i) const { return std::get<std::string>(values_.at(i)); }

const std::string& Row::Bytes(std::size_t i) const { return std::get<Blob>(values_.at(i)).bytes; }

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return Int(i);
}

std::optional<std::string> Row::OptText(std::size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return Text(i);
}

Result<Row> Tx::QueryOne(std::string_view sql, std::span<const Value> params) {
    VT_ASSIGN_OR_RETURN(Rows rows, Query(sql, params));
    if (rows.empty()) return Error::NotFound("No se encontró el registro.");
    return std::move(rows.front());
}

}  // namespace vt::store
