#pragma once
// Strict reading of definition JSON: every key must be known, every value of the right
// type; each problem is recorded with its JSON path and reading goes on, so one run
// reports all the problems of a file.
#include <boost/json.hpp>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace vt::catalog::internal {

class Problems {
public:
    void Add(const std::string& path, std::string reason) {
        if (!list_.contains(path)) list_.emplace(path, std::move(reason));
    }
    bool empty() const { return list_.empty(); }
    const std::map<std::string, std::string>& list() const { return list_; }

private:
    std::map<std::string, std::string> list_;
};

/// A view of one JSON object at `path` that remembers which keys were read.
class ObjectReader {
public:
    ObjectReader(const boost::json::object& obj, std::string path, Problems& problems)
        : obj_(obj), path_(std::move(path)), problems_(problems) {}
    /// Reports keys that no getter asked for.
    ~ObjectReader() {
        for (const auto& kv : obj_) {
            if (!seen_.contains(std::string(kv.key())))
                problems_.Add(path_ + "." + std::string(kv.key()), "clave desconocida");
        }
    }
    ObjectReader(const ObjectReader&) = delete;
    ObjectReader& operator=(const ObjectReader&) = delete;

    const std::string& path() const { return path_; }
    std::string PathOf(std::string_view key) const { return path_ + "." + std::string(key); }
    Problems& problems() { return problems_; }

    const boost::json::value* Get(std::string_view key, bool required) {
        seen_.emplace(key);
        const boost::json::value* v = obj_.if_contains(key);
        if (!v && required) problems_.Add(PathOf(key), "falta (es obligatoria)");
        return v;
    }

    std::string String(std::string_view key, bool required, std::string fallback = "") {
        const auto* v = Get(key, required);
        if (!v) return fallback;
        if (!v->is_string()) {
            problems_.Add(PathOf(key), "debe ser un texto");
            return fallback;
        }
        std::string s(v->as_string());
        if (required && s.empty()) problems_.Add(PathOf(key), "no puede estar vacía");
        return s;
    }

    std::optional<std::int64_t> Int(std::string_view key, bool required) {
        const auto* v = Get(key, required);
        if (!v) return std::nullopt;
        if (!v->is_int64() && !v->is_uint64()) {
            problems_.Add(PathOf(key), "debe ser un número entero");
            return std::nullopt;
        }
        return v->is_int64() ? v->as_int64() : static_cast<std::int64_t>(v->as_uint64());
    }

    bool Bool(std::string_view key, bool fallback) {
        const auto* v = Get(key, false);
        if (!v) return fallback;
        if (!v->is_bool()) {
            problems_.Add(PathOf(key), "debe ser true o false");
            return fallback;
        }
        return v->as_bool();
    }

    std::vector<std::string> Strings(std::string_view key, bool required) {
        std::vector<std::string> out;
        const auto* v = Get(key, required);
        if (!v) return out;
        if (!v->is_array()) {
            problems_.Add(PathOf(key), "debe ser una lista de textos");
            return out;
        }
        for (std::size_t i = 0; i < v->as_array().size(); ++i) {
            const auto& e = v->as_array()[i];
            if (!e.is_string()) problems_.Add(PathOf(key) + "[" + std::to_string(i) + "]", "debe ser un texto");
            else out.emplace_back(e.as_string());
        }
        return out;
    }

    /// The array at `key` (empty when absent or not an array; the latter is reported).
    const boost::json::array* Array(std::string_view key, bool required) {
        const auto* v = Get(key, required);
        if (!v) return nullptr;
        if (!v->is_array()) {
            problems_.Add(PathOf(key), "debe ser una lista");
            return nullptr;
        }
        return &v->as_array();
    }

    const boost::json::object* Object(std::string_view key, bool required) {
        const auto* v = Get(key, required);
        if (!v) return nullptr;
        if (!v->is_object()) {
            problems_.Add(PathOf(key), "debe ser un objeto");
            return nullptr;
        }
        return &v->as_object();
    }

private:
    const boost::json::object& obj_;
    std::string path_;
    Problems& problems_;
    std::set<std::string, std::less<>> seen_;
};

}  // namespace vt::catalog::internal
