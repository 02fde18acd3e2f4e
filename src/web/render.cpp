#include "render.hpp"

#include <kainjow/mustache.hpp>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <span>
#include <sstream>

#include "vt/core/embedded.hpp"

std::span<const vt::core::EmbeddedFile> vt_web_templates();
std::span<const vt::core::EmbeddedFile> vt_web_static();

namespace vt::web {
namespace {

namespace json = boost::json;
namespace mst = kainjow::mustache;

std::string_view BaseName(std::string_view path) {
    auto slash = path.rfind('/');
    if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
    return path;
}

// Template texts by name, from the embedded files; built once, read-only afterwards.
const std::map<std::string, std::string_view, std::less<>>& Texts() {
    static const auto texts = [] {
        std::map<std::string, std::string_view, std::less<>> m;
        for (const auto& f : vt_web_templates()) {
            std::string_view name = BaseName(f.path);
            if (!name.ends_with(".mustache")) continue;
            name.remove_suffix(std::string_view(".mustache").size());
            m.emplace(std::string(name), f.data);
        }
        return m;
    }();
    return texts;
}

// Partials as engine data, one per template, shared by every render (read-only).
const std::map<std::string, mst::data, std::less<>>& Partials() {
    static const auto partials = [] {
        std::map<std::string, mst::data, std::less<>> m;
        for (const auto& [name, text] : Texts()) {
            m.emplace(name, mst::data(mst::partial([text] { return std::string(text); })));
        }
        return m;
    }();
    return partials;
}

// Looks partials up among the templates instead of among the view's values, so a view
// key can never shadow or inject a partial.
class TemplateContext final : public mst::context<std::string> {
public:
    explicit TemplateContext(const mst::data* root) : mst::context<std::string>(root) {}
    const mst::data* get_partial(const std::string& name) const override {
        auto it = Partials().find(name);
        return it == Partials().end() ? nullptr : &it->second;
    }
};

mst::data ToData(const json::value& v) {
    switch (v.kind()) {
        case json::kind::object: {
            mst::data d{mst::data::type::object};
            for (const auto& [k, item] : v.get_object()) d.set(std::string(k), ToData(item));
            return d;
        }
        case json::kind::array: {
            mst::data d{mst::data::type::list};
            for (const auto& item : v.get_array()) d.push_back(ToData(item));
            return d;
        }
        case json::kind::string: {
            // An empty string skips a section, as false does.
            if (v.get_string().empty()) return mst::data(false);
            return mst::data(std::string(v.get_string()));
        }
        case json::kind::bool_: return mst::data(v.get_bool());
        case json::kind::int64: return mst::data(std::to_string(v.get_int64()));
        case json::kind::uint64: return mst::data(std::to_string(v.get_uint64()));
        case json::kind::double_: return mst::data(json::serialize(v));
        case json::kind::null: return mst::data(false);
    }
    return mst::data(false);
}

// The engine's render walks mutable state, so each thread keeps its own parsed copy of
// each template: no locks, and each template is parsed once per worker thread.
mst::mustache* Parsed(std::string_view name) {
    thread_local std::map<std::string, std::unique_ptr<mst::mustache>, std::less<>> cache;
    auto it = cache.find(name);
    if (it != cache.end()) return it->second.get();
    auto text = Texts().find(name);
    if (text == Texts().end()) return nullptr;
    auto parsed = std::make_unique<mst::mustache>(std::string(text->second));
    if (!parsed->is_valid()) return nullptr;
    return cache.emplace(std::string(name), std::move(parsed)).first->second.get();
}

}  // namespace

std::string Render(std::string_view name, const json::object& view) {
    mst::mustache* tmpl = Parsed(name);
    if (!tmpl) return {};
    mst::data root = ToData(view);
    TemplateContext ctx(&root);
    std::ostringstream out;
    tmpl->render(ctx, out);
    return std::move(out).str();
}

Status CheckTemplates() {
    for (const auto& [name, text] : Texts()) {
        mst::mustache m{std::string(text)};
        if (!m.is_valid()) {
            return Error::Internal("La plantilla " + name + " no es válida: " + m.error_message());
        }
    }
    return Ok();
}

std::string_view StaticAsset(std::string_view file) {
    for (const auto& f : vt_web_static()) {
        if (BaseName(f.path) == file) return f.data;
    }
    return {};
}

}  // namespace vt::web
