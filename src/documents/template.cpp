#include "template.hpp"

#include <boost/json.hpp>


namespace vt::documents {
namespace {

namespace json = boost::json;

std::string_view Trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

}  // namespace

Result<std::string> FillTemplate(std::string_view text, const PlaceholderLookup& lookup) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t open = text.find("{{", pos);
        if (open == std::string_view::npos) break;
        std::size_t close = text.find("}}", open + 2);
        if (close == std::string_view::npos) break;
        out.append(text.substr(pos, open - pos));
        std::string_view name = Trim(text.substr(open + 2, close - open - 2));
        std::optional<std::string> value = lookup(name);
        if (!value) {
            return Error(ErrorKind::kInvalid, "template-placeholder-unknown",
                         "La plantilla del documento usa {{" + std::string(name) +
                             "}}, que no es un campo del trámite.");
        }
        out += *value;
        pos = close + 2;
    }
    out.append(text.substr(pos));
    return out;
}

}  // namespace vt::documents
