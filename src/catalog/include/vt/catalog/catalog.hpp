#pragma once
/// The catalog of trámites. Each trámite is a definition file (tramites/<id>.json):
/// what it is, who may file it, its requirements, fee, form schema, workflow with
/// per-state deadlines in días hábiles, and the documents it issues. A new trámite is a
/// new file, not new code.
///
/// Definitions are immutable once published: the catalog keeps every published version
/// (in the database), so a case is always processed under the version it was filed with.

#include <boost/json/value.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vt/audit/verify.hpp"
#include "vt/core/clock.hpp"
#include "vt/core/result.hpp"
#include "vt/store/store.hpp"

namespace vt::catalog {

enum class FieldType {
    kText,         ///< "texto": one line.
    kLongText,     ///< "texto_largo": several paragraphs.
    kInteger,      ///< "entero".
    kMoney,        ///< "dinero": integer centavos in JSON.
    kDate,         ///< "fecha": "YYYY-MM-DD".
    kSelect,       ///< "seleccion": one of `options`.
    kMultiSelect,  ///< "seleccion_multiple": several of `options`.
    kYesNo,        ///< "si_no": JSON boolean.
    kCui,          ///< "cui": DPI number, check digit verified.
    kNit,          ///< "nit": tax number, check digit verified.
    kEmail,        ///< "correo".
    kPhone,        ///< "telefono": 8 digits (Guatemala) or +country.
    kPlace,        ///< "lugar": {"departamento": "DD", "municipio": "DDMM"}.
    kFile,         ///< "archivo": {"documento": "<id of an upload>"}.
    kGroup,        ///< "grupo": a repeatable list of sub-forms.
};

/// The Spanish name used in definition files ("texto", "cui", ...).
std::string_view FieldTypeName(FieldType type);

struct Option {
    std::string value;
    std::string label;
};

/// Shows a field only when another field of the same form (or of the enclosing group)
/// has one of `values`. Hidden fields are never required, and answers to them are
/// rejected so that no data the person did not see is stored.
struct Condition {
    std::string field;
    std::vector<boost::json::value> values;
};

struct Field {
    std::string id;
    FieldType type = FieldType::kText;
    std::string label;
    std::string help;
    bool required = false;
    /// Text: length in characters. Integer/money: value. Multi-select/group: item count.
    std::optional<std::int64_t> min, max;
    /// Text: a regular expression (ECMAScript) the whole answer must match, and the
    /// message shown when it does not.
    std::optional<std::string> pattern;
    std::string pattern_message;
    /// Date bounds: "YYYY-MM-DD", or "hoy" (the filing day) with an optional offset in
    /// calendar days, e.g. "hoy-30".
    std::optional<std::string> min_date, max_date;
    std::vector<Option> options;                ///< select, multi-select
    std::optional<Condition> visible_if;
    std::vector<std::string> accepted_types;    ///< file: MIME types, checked by content
    std::int64_t max_bytes = 0;                 ///< file: size limit
    std::vector<Field> fields;                  ///< group: the sub-form
};

struct Requirement {
    std::string id;
    std::string name;
    std::string description;
    bool required = true;
    std::vector<std::string> accepted_types;
    std::int64_t max_bytes = 0;
};

struct State {
    std::string id;
    std::string name;
    bool terminal = false;
    /// Días hábiles the case may stay in this state; absent: no per-state deadline.
    std::optional<int> sla_working_days;
};

struct Transition {
    std::string id;
    std::string name;
    std::vector<std::string> from;   ///< States it may be taken from.
    std::string to;
    /// Who may take it: official roles of the case's office, "solicitante" (the applicant
    /// or their organization's representatives) or "sistema" (automatic transitions).
    std::vector<std::string> roles;
    std::vector<Field> inputs;       ///< What the official must supply (e.g. a resolution).
    /// The issued document this transition produces, if any (id in Definition::documents).
    std::optional<std::string> issues;
    /// "prorroga_dias_habiles": taking it extends the trámite's legal deadline by this many
    /// días hábiles, counted from the deadline in force (e.g. LAIP Art. 43). It may only be
    /// taken before that deadline has passed.
    std::optional<int> extends_working_days;
    /// "automatica": the system takes this transition by itself, as soon as the case is in
    /// one of `from`, when the named check passes (e.g. no firm sanctions for the NIT in
    /// answer `field`). When the check does not pass, or cannot answer, the case waits for
    /// the officials' transitions. Its roles must be exactly ["sistema"].
    struct Automatic {
        /// "verificacion": name of a check the server provides; empty: always passes (a
        /// fallback after the checks listed before it, recording why they did not pass).
        std::string check;
        std::string field;  ///< "campo": the form answer the check looks at (may be empty).
    };
    std::optional<Automatic> automatic;
};

struct Workflow {
    std::string initial;
    std::vector<State> states;
    std::vector<Transition> transitions;

    const State* FindState(std::string_view id) const;
    const Transition* FindTransition(std::string_view id) const;
    /// Transitions that may be taken from `state`.
    std::vector<const Transition*> From(std::string_view state) const;
};

struct IssuedDocument {
    std::string id;
    std::string name;
    /// Template text with {{placeholders}} for the PDF (rendered by the documents module).
    std::string template_text;
};

enum class Audience { kCitizen, kEmployer, kInternal };
enum class Priority { kPriority, kGeneral };
enum class Channel { kDigital, kInPerson };

struct Definition {
    std::string id;
    int version = 1;
    std::string name;
    std::string description;
    std::string legal_basis;
    std::vector<Audience> audience;
    Priority priority = Priority::kGeneral;
    Channel channel = Channel::kDigital;
    std::string office;  ///< Code of the responsible office.
    std::string topic;
    std::vector<Requirement> requirements;
    std::int64_t fee_centavos = 0;
    std::vector<Field> form;
    Workflow workflow;
    /// Días hábiles from filing to a terminal state (the legal deadline).
    std::optional<int> sla_working_days;
    std::vector<IssuedDocument> documents;
    bool allow_anonymous = false;
    /// "enlace": for a digital service that another part of the site provides without a
    /// case file (the severance calculator), its path; such a definition has no form and
    /// no workflow and cannot be filed. Empty for trámites filed here.
    std::string link;

    /// The file's JSON, canonicalised; what is stored and hashed when published.
    std::string source;
};

/// Parses and checks one definition. `file` is used in messages only.
/// Errors: kInvalid whose fields() map "<file>: <JSON path>" to the reason, listing every
/// problem found (unknown keys, wrong types, duplicate ids, transitions to unknown states,
/// unreachable states, no terminal state, select without options, bad regex, ...).
Result<Definition> ParseDefinition(std::string_view json, const std::string& file);

/// Reads every *.json in `dir`. Errors as ParseDefinition, for all files at once, plus
/// duplicate ids.
Result<std::vector<Definition>> LoadDirectory(const std::filesystem::path& dir);

/// Context for validating answers.
struct AnswerContext {
    std::string today;  ///< "YYYY-MM-DD": the filing day, for "hoy" date bounds.
};

/// Checks `answers` against `fields`. Returns every problem at once: kInvalid whose
/// fields() map JSON paths ("trabajadores[2].cui") to Spanish messages. On success the
/// answers are returned normalised (CUI and NIT in canonical form, hidden and empty
/// optional fields dropped).
Result<boost::json::object> ValidateAnswers(const std::vector<Field>& fields, const boost::json::object& answers,
                                            const AnswerContext& context);

/// An answer as people read it, by its field's type (`field` may be null: then by its JSON
/// type): dates in words, amounts in quetzales, option labels, "Sí"/"No", municipio and
/// departamento names, lists joined with commas, one line per group item.
std::string AnswerText(const Field* field, const boost::json::value& value);

/// Spanish names of the enums as they appear in definition files and the API.
std::string_view AudienceName(Audience a);
std::string_view PriorityName(Priority p);
std::string_view ChannelName(Channel c);

struct SearchQuery {
    std::string text;  ///< Words to find in name, description and topic; accents ignored.
    std::optional<Audience> audience;
    std::optional<Priority> priority;
    std::optional<Channel> channel;
    std::string topic;
};

/// The programme's indicator: share of priority and of general trámites available
/// digitally, against its targets (2024: 100 % of priority and 50 % of general;
/// 2026: 100 % of general).
struct Indicators {
    int priority_total = 0;
    int priority_digital = 0;
    int general_total = 0;
    int general_digital = 0;
    double priority_share() const { return priority_total ? double(priority_digital) / priority_total : 0; }
    double general_share() const { return general_total ? double(general_digital) / general_total : 0; }
};

/// Every published version of every trámite, in memory. Immutable after Open(); safe to
/// share between threads.
class Registry {
public:
    /// Loads the definition files in `dir`, publishes to the database those whose
    /// (id, version) is new (one audit entry each, in the same transaction), and loads
    /// every published version. Errors: kInvalid when a file is wrong (see LoadDirectory),
    /// or kConflict (code "definition-changed") when a published version's file changed
    /// without a new version number.
    static Result<std::unique_ptr<Registry>> Open(store::Store& store, const std::filesystem::path& dir,
                                                  const core::Clock& clock);

    /// Builds a registry from definitions already parsed (for tests and `tramites check`).
    explicit Registry(std::vector<Definition> definitions);

    /// The newest version of trámite `id`, or null.
    const Definition* Current(std::string_view id) const;
    /// A specific version, or null.
    const Definition* Find(std::string_view id, int version) const;
    /// Newest versions, ordered by name.
    std::vector<const Definition*> All() const;
    /// Newest versions matching `query`, ordered by name.
    std::vector<const Definition*> Search(const SearchQuery& query) const;
    Indicators ComputeIndicators() const;

private:
    std::map<std::pair<std::string, int>, Definition, std::less<>> versions_;
    std::map<std::string, const Definition*, std::less<>> current_;
};

/// The published definitions as `ventanilla audit verify` checks them: table
/// tramite_definitions, key "<id>@<version>", row hash = hex SHA-256 of the source (the
/// row_hash of its "tramite.published" entry).
audit::CoveredTable AuditCoverage();

/// Lowercase without Spanish accents ("Petén" -> "peten"), for searching.
std::string FoldForSearch(std::string_view text);

}  // namespace vt::catalog
