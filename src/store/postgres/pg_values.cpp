#include "postgres/pg_values.hpp"

#include <charconv>
#include <limits>
#include <memory>

namespace vt::store::pg {
namespace {

// Long enough for any int64 or the shortest round-trip form of any double.
constexpr std::size_t kNumberChars = 32;

template <typename T>
std::string NumberText(T n) {
    char buf[kNumberChars];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
    return std::string(buf, ec == std::errc() ? end : buf);
}

Error Malformed(Oid type, std::string_view text) {
    constexpr std::size_t kShown = 40;
    return Error::Internal("Valor inesperado de la base de datos (tipo " + std::to_string(type) +
                           "): '" + std::string(text.substr(0, kShown)) + "'");
}

}  // namespace

Result<Params> Params::Make(std::span<const Value> values) {
    if (values.size() > kMaxParams) {
        return Error::Invalid("La consulta tiene " + std::to_string(values.size()) +
                              " parámetros; el máximo es " + std::to_string(kMaxParams) + ".");
    }
    Params p;
    const std::size_t n = values.size();
    p.types_.reserve(n);
    p.values_.reserve(n);
    p.lengths_.reserve(n);
    p.formats_.reserve(n);
    p.signature_.reserve(n);
    p.numbers_.reserve(n);
    for (const Value& v : values) {
        Oid type = 0;
        const char* data = nullptr;
        int length = 0;
        int format = 0;
        char sig = '-';
        if (const auto* i = std::get_if<std::int64_t>(&v)) {
            type = kInt8Oid;
            data = p.numbers_.emplace_back(NumberText(*i)).c_str();
            sig = 'i';
        } else if (const auto* d = std::get_if<double>(&v)) {
            type = kFloat8Oid;
            data = p.numbers_.emplace_back(NumberText(*d)).c_str();
            sig = 'f';
        } else if (const auto* s = std::get_if<std::string>(&v)) {
            // Text parameters are read up to the first NUL; refuse rather than truncate.
            if (s->find('\0') != std::string::npos) {
                return Error::Invalid(
                    "El texto contiene un carácter nulo, que no se puede guardar.");
            }
            data = s->c_str();
        } else if (const auto* b = std::get_if<Blob>(&v)) {
            if (b->bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
                return Error::Invalid("El dato binario es demasiado grande.");
            }
            type = kByteaOid;
            data = b->bytes.data();
            length = static_cast<int>(b->bytes.size());
            format = 1;
            sig = 'b';
        }
        p.types_.push_back(type);
        p.values_.push_back(data);
        p.lengths_.push_back(length);
        p.formats_.push_back(format);
        p.signature_.push_back(sig);
    }
    return p;
}

Result<Value> DecodeField(Oid type, const char* text, int length) {
    std::string_view s(text, static_cast<std::size_t>(length));
    switch (type) {
        case kInt2Oid:
        case kInt4Oid:
        case kInt8Oid:
        case kOidOid: {
            std::int64_t n = 0;
            auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
            if (ec != std::errc() || end != s.data() + s.size()) return Malformed(type, s);
            return Value{n};
        }
        case kFloat4Oid:
        case kFloat8Oid:
        case kNumericOid: {
            double d = 0;
            auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
            if (ec != std::errc() || end != s.data() + s.size()) return Malformed(type, s);
            return Value{d};
        }
        case kBoolOid:
            if (s == "t") return Value{std::int64_t{1}};
            if (s == "f") return Value{std::int64_t{0}};
            return Malformed(type, s);
        case kByteaOid: {
            std::size_t size = 0;
            std::unique_ptr<unsigned char, decltype(&PQfreemem)> raw(
                PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size), &PQfreemem);
            if (!raw) return Malformed(type, s);
            return Value{Blob{std::string(reinterpret_cast<const char*>(raw.get()), size)}};
        }
        default:
            return Value{std::string(s)};
    }
}

}  // namespace vt::store::pg
