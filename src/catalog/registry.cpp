#include <algorithm>

#include "vt/audit/audit.hpp"
#include "vt/catalog/catalog.hpp"

namespace vt::catalog {

std::string_view AudienceName(Audience a) {
    switch (a) {
        case Audience::kCitizen: return "ciudadano";
        case Audience::kEmployer: return "empleador";
        case Audience::kInternal: return "interno";
    }
    return "";
}

std::string_view PriorityName(Priority p) { return p == Priority::kPriority ? "prioritario" : "general"; }

std::string_view ChannelName(Channel c) { return c == Channel::kDigital ? "digital" : "presencial"; }

std::string FoldForSearch(std::string_view text) {
    // Only the letters Spanish uses; other UTF-8 passes through unchanged.
    static const std::pair<std::string_view, char> kFold[] = {
        {"á", 'a'}, {"é", 'e'}, {"í", 'i'}, {"ó", 'o'}, {"ú", 'u'}, {"ü", 'u'}, {"ñ", 'n'},
        {"Á", 'a'}, {"É", 'e'}, {"Í", 'i'}, {"Ó", 'o'}, {"Ú", 'u'}, {"Ü", 'u'}, {"Ñ", 'n'}};
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        bool folded = false;
        for (const auto& [from, to] : kFold) {
            if (text.substr(i, from.size()) == from) {
                out.push_back(to);
                i += from.size();
                folded = true;
                break;
            }
        }
        if (!folded) {
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text[i]))));
            ++i;
        }
    }
    return out;
}

Registry::Registry(std::vector<Definition> definitions) {
    for (auto& d : definitions) {
        auto key = std::make_pair(d.id, d.version);
        versions_.insert_or_assign(key, std::move(d));
    }
    for (const auto& [key, def] : versions_) current_[key.first] = &def;  // ascending: newest wins
}

Result<std::unique_ptr<Registry>> Registry::Open(store::Store& store, const std::filesystem::path& dir,
                                                 const core::Clock& clock) {
    VT_ASSIGN_OR_RETURN(std::vector<Definition> files, LoadDirectory(dir));
    std::vector<Definition> published;
    VT_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> Status {
        published.clear();
        std::string now = core::FormatUtc(clock.Now());
        for (const Definition& d : files) {
            std::string sha = audit::Sha256Hex(d.source);
            VT_ASSIGN_OR_RETURN(store::Rows rows,
                                tx.Query("SELECT sha256 FROM tramite_definitions WHERE tramite_id = $1 AND version = $2",
                                         {store::Value{d.id}, store::Value{std::int64_t{d.version}}}));
            if (!rows.empty()) {
                if (rows[0].Text(0) != sha) {
                    return Error::Conflict("definition-changed",
                                           "La definición " + d.id + ".json cambió pero conserva la versión " +
                                               std::to_string(d.version) +
                                               ", ya publicada: suba el número de versión para publicar el cambio.");
                }
                continue;
            }
            VT_RETURN_IF_ERROR(tx.Exec(
                "INSERT INTO tramite_definitions (tramite_id, version, source, sha256, published_at) "
                "VALUES ($1, $2, $3, $4, $5)",
                {store::Value{d.id}, store::Value{std::int64_t{d.version}}, store::Value{d.source}, store::Value{sha},
                 store::Value{now}}));
            VT_ASSIGN_OR_RETURN(auto index, audit::Append(tx, audit::Entry{"sistema", "tramite.published",
                                                                          "tramite_definition",
                                                                          d.id + "@" + std::to_string(d.version), now,
                                                                          sha}));
            (void)index;
        }
        return Ok();
    }));
    // Every published version, including those whose file has since moved on.
    VT_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> Status {
        VT_ASSIGN_OR_RETURN(store::Rows rows, tx.Query("SELECT tramite_id, version, source FROM tramite_definitions"));
        for (const store::Row& r : rows) {
            std::string name = r.Text(0) + "@" + std::to_string(r.Int(1));
            VT_ASSIGN_OR_RETURN(Definition d, ParseDefinition(r.Text(2), name));
            published.push_back(std::move(d));
        }
        return Ok();
    }));
    return std::make_unique<Registry>(std::move(published));
}

const Definition* Registry::Current(std::string_view id) const {
    auto it = current_.find(id);
    return it == current_.end() ? nullptr : it->second;
}

const Definition* Registry::Find(std::string_view id, int version) const {
    auto it = versions_.find(std::make_pair(std::string(id), version));
    return it == versions_.end() ? nullptr : &it->second;
}

std::vector<const Definition*> Registry::All() const { return Search({}); }

std::vector<const Definition*> Registry::Search(const SearchQuery& q) const {
    std::vector<std::string> words;
    std::string folded = FoldForSearch(q.text);
    for (std::size_t i = 0; i < folded.size();) {
        std::size_t j = folded.find(' ', i);
        if (j == std::string::npos) j = folded.size();
        if (j > i) words.push_back(folded.substr(i, j - i));
        i = j + 1;
    }
    std::vector<const Definition*> out;
    for (const auto& [id, d] : current_) {
        if (q.audience && std::find(d->audience.begin(), d->audience.end(), *q.audience) == d->audience.end()) continue;
        if (q.priority && d->priority != *q.priority) continue;
        if (q.channel && d->channel != *q.channel) continue;
        if (!q.topic.empty() && d->topic != q.topic) continue;
        std::string haystack = FoldForSearch(d->name + " " + d->description + " " + d->topic + " " + d->id);
        bool all = std::all_of(words.begin(), words.end(),
                               [&](const std::string& w) { return haystack.find(w) != std::string::npos; });
        if (all) out.push_back(d);
    }
    std::sort(out.begin(), out.end(), [](const Definition* a, const Definition* b) {
        return FoldForSearch(a->name) < FoldForSearch(b->name);
    });
    return out;
}

Indicators Registry::ComputeIndicators() const {
    Indicators ind;
    for (const auto& [id, d] : current_) {
        // Internal procedures are not services the ministry provides to the public.
        bool public_service = std::any_of(d->audience.begin(), d->audience.end(),
                                          [](Audience a) { return a != Audience::kInternal; });
        if (!public_service) continue;
        bool digital = d->channel == Channel::kDigital;
        if (d->priority == Priority::kPriority) {
            ++ind.priority_total;
            ind.priority_digital += digital;
        } else {
            ++ind.general_total;
            ind.general_digital += digital;
        }
    }
    return ind;
}

audit::CoveredTable AuditCoverage() {
    audit::CoveredTable table;
    table.table = "tramite_definitions";
    table.object_type = "tramite_definition";
    table.rows = [](store::Tx& tx) -> Result<std::vector<audit::CoveredRow>> {
        VT_ASSIGN_OR_RETURN(store::Rows rows,
                            tx.Query("SELECT tramite_id, version, source FROM tramite_definitions "
                                     "ORDER BY tramite_id, version"));
        std::vector<audit::CoveredRow> out;
        for (const store::Row& r : rows) {
            std::string key = r.Text(0) + "@" + std::to_string(r.Int(1));
            out.push_back({std::move(key), audit::Sha256Hex(r.Text(2))});
        }
        return out;
    };
    return table;
}

}  // namespace vt::catalog
