#include "signpost/load.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <regex>
#include <span>
#include <unordered_map>
#include <unordered_set>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "signpost/calendar_date.hpp"
#include "signpost/text.hpp"

// Index of this file:
// [SECTION] positions: byte offsets -> line:column without rescanning the file
// [SECTION] small parsing functions: numbers, booleans, text normalisation
// [SECTION] loader: one pass over the document, collecting every problem
// [SECTION] public entry points

namespace signpost {

namespace {

// Longer patterns are refused: std::regex compiles recursively and a monster pattern is
// more likely a paste accident than a format rule.
constexpr std::size_t max_pattern_length = 512;

// [SECTION] positions

// Byte offsets -> line:column. The loader asks for positions almost always in file order,
// so a cursor walks forward (memchr over newlines) and counts code points from the last
// position asked on the same line: one pass over the file in all, with no index built up
// front, even when 100k elements sit on one long line. Earlier offsets use the line starts
// seen so far. A UTF-8 byte order mark is not a character an author sees, so line 1
// starts after it (as in position_at).
class line_index {
public:
    explicit line_index(std::string_view text)
        : m_text(text), m_has_cr(std::memchr(text.data(), '\r', text.size()) != nullptr) {
        m_line_starts.push_back(text.starts_with("\xEF\xBB\xBF") ? 3 : 0);
    }

    source_pos at(std::size_t offset) {
        offset = std::clamp<std::size_t>(offset, m_line_starts.front(), m_text.size());  // inside a BOM: 1:1
        if (offset > m_scanned) scan_to(offset);
        std::size_t line = m_line_starts.size() - 1;
        if (m_line_starts.back() > offset)
            line = static_cast<std::size_t>(
                std::upper_bound(m_line_starts.begin(), m_line_starts.end(), offset) - m_line_starts.begin() - 1);
        const std::size_t start = m_line_starts[line];
        std::size_t from = start;
        std::size_t column = 1;
        if (m_last_line == line && m_last_offset <= offset) {
            from = m_last_offset;
            column = m_last_column;
        }
        column += code_points(from, offset);
        m_last_line = line;
        m_last_offset = offset;
        m_last_column = column;
        return {static_cast<int>(line) + 1, static_cast<int>(column)};
    }

private:
    void scan_to(std::size_t offset) {
        const char* base = m_text.data();
        std::size_t i = m_scanned;
        if (m_has_cr) {
            // A lone \r ends a line too (old Mac files): byte by byte.
            for (; i < offset; ++i)
                if (ends_line(m_text, i)) m_line_starts.push_back(static_cast<std::uint32_t>(i + 1));
            m_scanned = offset;
            return;
        }
        while (i < offset) {
            const void* nl = std::memchr(base + i, '\n', offset - i);
            if (!nl) break;
            i = static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1;
            m_line_starts.push_back(static_cast<std::uint32_t>(i));  // files are at most max_tree_bytes
        }
        m_scanned = offset;
    }
    std::size_t code_points(std::size_t from, std::size_t to) const {
        std::size_t n = 0;
        for (std::size_t i = from; i < to; ++i)
            n += (static_cast<unsigned char>(m_text[i]) & 0xC0u) != 0x80u;
        return n;
    }

    std::string_view m_text;
    bool m_has_cr;  // else every line ends at \n and memchr finds them
    std::vector<std::uint32_t> m_line_starts;
    std::size_t m_scanned = 0;  // newlines before this offset are in m_line_starts
    std::size_t m_last_line = static_cast<std::size_t>(-1);
    std::size_t m_last_offset = 0;
    std::size_t m_last_column = 1;
};

// Where pugixml's decoded text came from: the raw source offset of the `decoded`-th byte
// of a value that starts at `raw`. Undoes entity and character references and the
// end-of-line normalisation (\r\n -> one character), which pugixml applies while parsing.
// The walk keeps its place, so a series of increasing offsets (every {name} in one long
// text) costs one pass instead of one pass each.
class raw_walker {
public:
    raw_walker(std::string_view src, std::size_t raw, bool cdata) : m_src(src), m_i(raw), m_cdata(cdata) {}
    std::size_t to(std::size_t decoded);  // `decoded` must not be less than in the previous call

private:
    std::string_view m_src;
    std::size_t m_i;
    std::size_t m_d = 0;
    bool m_cdata;
};

std::size_t raw_offset(std::string_view src, std::size_t raw, std::size_t decoded, bool cdata) {
    return raw_walker(src, raw, cdata).to(decoded);
}

std::size_t raw_walker::to(std::size_t decoded) {
    const std::string_view src = m_src;
    const bool cdata = m_cdata;
    std::size_t& i = m_i;
    std::size_t& d = m_d;
    while (i < src.size() && d < decoded) {
        const char c = src[i];
        if (c == '\r') {
            i += (i + 1 < src.size() && src[i + 1] == '\n') ? 2 : 1;
            ++d;
            continue;
        }
        if (c == '&' && !cdata) {
            const std::size_t semi = src.substr(0, std::min(src.size(), i + 13)).find(';', i);
            if (semi != std::string_view::npos) {
                const std::string_view name = src.substr(i + 1, semi - i - 1);
                std::size_t length = 0;
                if (name == "lt" || name == "gt" || name == "amp" || name == "apos" || name == "quot") {
                    length = 1;
                } else if (name.size() > 1 && name[0] == '#') {
                    const bool hex = name[1] == 'x';
                    unsigned long cp = 0;
                    const auto digits = name.substr(hex ? 2 : 1);
                    std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
                    length = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                }
                if (length > 0) {
                    if (d + length > decoded) return i;  // inside the reference: point at '&'
                    d += length;
                    i = semi + 1;
                    continue;
                }
            }
        }
        ++i;
        ++d;
    }
    return i;
}

// [SECTION] small parsing functions

std::string_view trim(std::string_view s) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool is_blank(std::string_view s) { return trim(s).empty(); }

// Digits only, no sign and no leading zero (as the schema writes them); "0" is fine.
std::optional<int> parse_int(std::string_view s) {
    if (s.empty() || s[0] < '0' || s[0] > '9' || (s[0] == '0' && s.size() > 1)) return std::nullopt;
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

// Layout numbers read like number values (a leading '+' and surrounding blanks are fine),
// which is also what the schema's xs:double accepts.
std::optional<double> parse_finite(std::string_view s) {
    const auto v = parse_value(var_type::number, s);
    if (!v) return std::nullopt;
    return std::get<double>(*v);
}

std::optional<bool> parse_bool(std::string_view s) {
    if (s == "true") return true;
    if (s == "false") return false;
    return std::nullopt;
}

bool is_identifier(std::string_view s) {
    const auto start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (s.empty() || !start(s.front())) return false;
    return std::all_of(s.begin(), s.end(), [&](char c) { return start(c) || (c >= '0' && c <= '9'); });
}

bool is_keyword(std::string_view s) {
    return s == "and" || s == "or" || s == "not" || s == "true" || s == "false";
}

bool is_outcome_token(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

std::vector<std::string> split_tokens(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
        const std::size_t start = i;
        while (i < s.size() && !(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
        if (i > start) out.emplace_back(s.substr(start, i - start));
    }
    return out;
}

// Values quoted in messages are cut short: a 10 MB attribute must not become a 10 MB message.
std::string quote_value(std::string_view s) {
    constexpr std::size_t max = 60;
    if (s.size() <= max) return "'" + std::string(s) + "'";
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0u) == 0x80u) --cut;
    return "'" + std::string(s.substr(0, cut)) + "…'";
}

// [SECTION] loader

// An attribute as written in a start tag.
struct raw_attr {
    std::string_view name;
    std::size_t name_off = 0;
    std::size_t value_off = 0;  // first byte after the opening quote
};

bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The attributes of the start tag that begins at `lt`, in source order. pugixml keeps no
// attribute offsets, so this re-reads only that one tag (it already parsed cleanly).
void scan_start_tag(std::string_view src, std::size_t lt, std::vector<raw_attr>& out) {
    out.clear();
    std::size_t i = lt + 1;
    const auto at_end = [&] { return i >= src.size() || src[i] == '/' || src[i] == '>'; };
    while (!at_end() && !is_xml_space(src[i])) ++i;
    for (;;) {
        while (i < src.size() && is_xml_space(src[i])) ++i;
        if (at_end()) return;
        const std::size_t name_start = i;
        while (!at_end() && !is_xml_space(src[i]) && src[i] != '=') ++i;
        const auto name = src.substr(name_start, i - name_start);
        while (i < src.size() && is_xml_space(src[i])) ++i;
        if (i >= src.size() || src[i] != '=') return;
        ++i;
        while (i < src.size() && is_xml_space(src[i])) ++i;
        if (i >= src.size() || (src[i] != '"' && src[i] != '\'')) return;
        const char quote = src[i++];
        const std::size_t close = src.find(quote, i);
        if (close == std::string_view::npos) return;
        out.push_back({name, name_start, i});
        i = close + 1;
    }
}

// One attribute of an element, with where its name and value are in the source.
struct attr {
    std::string_view name;
    std::string_view value;   // decoded by pugixml
    std::size_t name_off = 0;
    std::size_t value_off = 0;  // first byte after the opening quote
};

// The allowed attributes present on one element.
// At most one of each allowed name is kept, and no element allows more than six.
struct attr_list {
    std::array<attr, 8> items;
    std::size_t count = 0;
    const attr* find(std::string_view name) const {
        for (std::size_t i = 0; i < count; ++i)
            if (items[i].name == name) return &items[i];
        return nullptr;
    }
    const attr* begin() const { return items.data(); }
    const attr* end() const { return items.data() + count; }
    void push_back(const attr& a) {
        if (count < items.size()) items[count++] = a;
    }
};

// Element text (pcdata and CDATA pieces joined), with the source of each piece so
// positions inside it can be found again.
struct element_text {
    struct piece {
        std::size_t decoded_start = 0;
        std::size_t raw = 0;
        bool cdata = false;
    };
    std::string_view text;  // the one piece in the document, or `joined`
    std::string joined;
    std::vector<piece> pieces;
    void clear() {
        text = {};
        joined.clear();
        pieces.clear();
    }
};

// The names an element allows; static tables, so reading an element allocates no lists.
using name_list = std::span<const std::string_view>;
constexpr std::string_view tree_attrs[]{"format", "id", "version", "title", "start", "allow-find"};
constexpr std::string_view tree_children[]{"description", "variables", "question", "step", "form",
                                           "logic",       "jump",      "escalate", "end",  "layout"};
constexpr std::string_view variable_attrs[]{"name", "type", "options", "default", "label", "private"};
constexpr std::string_view variables_children[]{"variable"};
constexpr std::string_view var_type_names[]{"number", "text", "flag", "choice"};

// The type other languages' names mean ("boolean" is a flag), any case.
std::optional<var_type> type_from_other_language(std::string_view name) {
    static const std::pair<std::string_view, var_type> names[]{
        {"boolean", var_type::flag}, {"bool", var_type::flag},     {"checkbox", var_type::flag},
        {"yesno", var_type::flag},   {"integer", var_type::number}, {"int", var_type::number},
        {"float", var_type::number}, {"double", var_type::number}, {"decimal", var_type::number},
        {"numeric", var_type::number}, {"string", var_type::text}, {"str", var_type::text},
        {"enum", var_type::choice},  {"select", var_type::choice}, {"dropdown", var_type::choice},
    };
    const std::string lower = lower_ascii(name);
    for (const auto& [other, type] : names)
        if (lower == other) return type;
    return std::nullopt;
}
constexpr std::string_view priorities[]{"low", "normal", "high", "urgent"};
constexpr std::string_view choice_attrs[]{"to", "if", "set"};
constexpr std::string_view field_attrs[]{"var", "label", "required", "pattern", "placeholder"};
constexpr std::string_view branch_attrs[]{"if", "to"};
constexpr std::string_view otherwise_attrs[]{"to"};
constexpr std::string_view layout_children[]{"pos"};
constexpr std::string_view pos_attrs[]{"node", "x", "y"};

// What each kind of node allows: attributes, then child elements.
name_list node_attrs(node_kind kind) {
    static constexpr std::string_view plain[]{"id", "title"};
    static constexpr std::string_view with_to[]{"id", "title", "to"};
    static constexpr std::string_view jump[]{"id", "title", "tree", "to"};
    static constexpr std::string_view escalate[]{"id", "title", "team", "priority"};
    static constexpr std::string_view end[]{"id", "title", "outcome"};
    switch (kind) {
    case node_kind::step:
    case node_kind::form: return with_to;
    case node_kind::jump: return jump;
    case node_kind::escalate: return escalate;
    case node_kind::end: return end;
    case node_kind::question:
    case node_kind::logic: break;
    }
    return plain;
}

name_list node_children(node_kind kind) {
    static constexpr std::string_view texts[]{"text", "hint"};
    static constexpr std::string_view question[]{"text", "hint", "choice"};
    static constexpr std::string_view form[]{"text", "hint", "field"};
    static constexpr std::string_view logic[]{"branch", "otherwise"};
    switch (kind) {
    case node_kind::question: return question;
    case node_kind::form: return form;
    case node_kind::logic: return logic;
    case node_kind::jump: return {};
    case node_kind::step:
    case node_kind::escalate:
    case node_kind::end: break;
    }
    return texts;
}

// "<step>", "<form>"...: how messages name an element of a node kind.
const char* tag_of(node_kind kind) {
    switch (kind) {
    case node_kind::question: return "<question>";
    case node_kind::step: return "<step>";
    case node_kind::form: return "<form>";
    case node_kind::logic: return "<logic>";
    case node_kind::jump: return "<jump>";
    case node_kind::escalate: return "<escalate>";
    case node_kind::end: return "<end>";
    }
    return "<step>";
}

bool contains(name_list names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

class loader {
public:
    // `from_disk`: `file` is the path the text was read from, so the tree id must match it.
    loader(std::string_view src, std::string file, bool from_disk)
        : m_src(src), m_file(std::move(file)), m_lines(src), m_from_disk(from_disk) {}

    load_result run(const pugi::xml_document& doc);

private:
    // --- reporting
    void report(severity level, std::string code, std::string message, source_pos pos,
                std::string_view node_id = {}, std::string_view field = {}) {
        m_problems.push_back({level, std::move(code), std::move(message), m_file, pos, std::string(node_id),
                              std::string(field)});
    }
    void error(std::string code, std::string message, source_pos pos, std::string_view node_id = {},
               std::string_view field = {}) {
        report(severity::error, std::move(code), std::move(message), pos, node_id, field);
    }
    std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) const;
    std::string suggestion(std::string_view word, name_list candidates) const {
        return suggestion(word, std::vector<std::string>(candidates.begin(), candidates.end()));
    }

    // --- positions
    source_pos at(std::size_t offset) const { return m_lines.at(offset); }
    static std::size_t element_offset(pugi::xml_node el) {
        const auto off = el.offset_debug();
        return off > 0 ? static_cast<std::size_t>(off) - 1 : 0;  // the '<' before the name
    }
    source_pos element_pos(pugi::xml_node el) const { return at(element_offset(el)); }
    source_pos name_pos(const attr& a) const { return at(a.name_off); }
    // Column of byte `offset` of the decoded value (expressions point inside attributes).
    source_pos value_pos(const attr& a, std::size_t offset) const {
        return at(raw_offset(m_src, a.value_off, offset, false));
    }
    // Source offsets of an attribute from pugixml's in-place pointers, checked against the
    // source; false when they do not match (then the tag is re-read).
    bool in_document(std::string_view name, raw_attr& out) const {
        if (m_base == 0) return false;
        const auto address = reinterpret_cast<std::uintptr_t>(name.data());
        if (address < m_base || address - m_base + name.size() > m_src.size()) return false;
        const std::size_t name_off = address - m_base;
        if (m_src.compare(name_off, name.size(), name) != 0) return false;
        // name, optional blanks, '=', optional blanks, quote: the value starts after the quote.
        std::size_t i = name_off + name.size();
        while (i < m_src.size() && is_xml_space(m_src[i])) ++i;
        if (i >= m_src.size() || m_src[i] != '=') return false;
        ++i;
        while (i < m_src.size() && is_xml_space(m_src[i])) ++i;
        if (i >= m_src.size() || (m_src[i] != '"' && m_src[i] != '\'')) return false;
        out = {name, name_off, i + 1};
        return true;
    }
    // --- generic element handling
    attr_list read_attrs(pugi::xml_node el, name_list allowed,
                         std::string_view node_id);
    // The text is in a scratch buffer, valid until the next call.
    const element_text& read_text(pugi::xml_node el, std::string_view node_id);
    void check_references(const element_text& t, std::string_view node_id, std::string_view field);
    // The declared variable a brace group that is no reference clearly means, or "".
    std::string meant_variable(std::string_view inside) const;
    void unknown_element(pugi::xml_node child, pugi::xml_node parent,
                         name_list allowed, std::string_view node_id);
    // An element read as the one it means (`<if>` as `<branch>`), whose error shows it
    // rewritten, attributes included.
    pugi::xml_node m_read_as_meant;
    void stray_text(pugi::xml_node child, pugi::xml_node parent, std::string_view node_id);
    // Calls on_element for each child element; text between them is reported.
    template <typename F>
    void for_children(pugi::xml_node el, std::string_view node_id, F&& on_element) {
        for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
            if (c.type() == pugi::node_element)
                on_element(c);
            else if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata)
                stray_text(c, el, node_id);
        }
    }
    // Reports everything inside `el` when it must have no children at all.
    void expect_empty(pugi::xml_node el, std::string_view node_id);
    // Warns of `{name}` in an attribute the player shows as written (`what`: "a title").
    void check_not_filled_in(const attr& a, std::string_view node_id, std::string_view what);
    // Reports a true/false attribute with another value; returns what it was meant to say.
    bool bool_error(const attr& a, std::string_view node_id);
    const attr* require(const attr_list& attrs, std::string_view name, pugi::xml_node el,
                        std::string_view node_id);

    // --- the format
    void read_tree(pugi::xml_node root);
    void read_variables(pugi::xml_node el);
    void read_variable(pugi::xml_node el);
    void read_node(pugi::xml_node el, node_kind kind);
    // `node_id` is the node's id as it is in the document (pending target checks keep it).
    void read_choice(pugi::xml_node el, node& n, std::string_view node_id);
    void read_field(pugi::xml_node el, node& n, std::unordered_set<std::string>& seen);
    void read_branch(pugi::xml_node el, node& n, std::string_view node_id);
    void read_layout(pugi::xml_node el);
    void drop_duplicate_layout();
    expression read_condition(const attr& a, std::string_view node_id);
    void read_assignments(const attr& a, choice& c, std::string_view node_id);
    void report_expr(const expr_error& e, const attr& a, std::size_t lead, std::string_view source,
                     std::string_view node_id);
    void check_pattern(const attr& a, const variable* v, std::string_view node_id);
    void check_file_name(const attr& id);
    // `target` and `node_id` must point into the parsed document, which outlives the
    // check; `field` and `what` are static names.
    void want_target(std::string_view target, std::size_t offset, std::string_view node_id,
                     std::string_view field, const char* what) {
        m_targets.push_back({target, offset, node_id, field, what});
    }
    void resolve_targets();


    std::string_view m_src;
    std::string m_file;
    mutable line_index m_lines;  // a cursor: asking moves it
    bool m_from_disk = false;
    diagnostics m_problems;
    std::shared_ptr<tree> m_tree = std::make_shared<tree>();
    tree_type_scope m_scope{*m_tree};
    std::vector<std::string> m_var_names;  // did-you-mean candidates
    std::unordered_map<std::string, source_pos> m_first_variable;
    // Where each valid node id is written, by node index; duplicates are found once the
    // index is built instead of through a second map.
    struct id_pos {
        std::size_t node = 0;
        std::size_t offset = 0;
    };
    std::vector<id_pos> m_id_pos;
    std::unordered_set<std::string> m_unknown_node_ids;  // ids on unknown elements under <tree>
    std::optional<source_pos> m_start_pos;
    struct pending_target {
        std::string_view target;
        std::size_t offset = 0;  // of the attribute name: a position is made only on error
        std::string_view node_id;
        std::string_view field;
        const char* what = "";
    };
    // Targets are checked once every node is known (nodes may point forward).
    std::vector<pending_target> m_targets;
    std::vector<raw_attr> m_tag;  // scratch for scan_start_tag
    std::vector<std::size_t> m_layout_offsets;  // of each <pos> read, for duplicates
    // Where pugixml's copy of the source starts: names and values are parsed in place in it,
    // so their offsets there are their offsets in the source.
    std::uintptr_t m_base = 0;
    element_text m_text;          // scratch for read_text
    std::unordered_map<std::string, std::string> m_pattern_errors;  // pattern -> error ("" = fine)
    mutable suggestion_budget m_suggestions;
};

std::string loader::suggestion(std::string_view word, const std::vector<std::string>& candidates) const {
    const std::string match = m_suggestions.closest(word, candidates);
    return match.empty() ? std::string{} : "did you mean '" + match + "'?";
}

// Names other script builders and HTML use for one of ours. Only where the meaning is
// plain: 'name' could be an id or a title, so it is not here.
std::string_view meant_attribute(std::string_view name, name_list allowed, pugi::xml_node el) {
    static constexpr std::pair<std::string_view, std::string_view> others[]{
        {"next", "to"},       {"goto", "to"},      {"go-to", "to"},          {"target", "to"},
        {"href", "to"},       {"then", "to"},      {"test", "if"},           {"when", "if"},
        {"condition", "if"},  {"cond", "if"},      {"queue", "team"},        {"department", "team"},
        {"group", "team"},    {"result", "outcome"}, {"status", "outcome"},  {"file", "tree"},
        {"src", "tree"},      {"variable", "var"}, {"urgency", "priority"},  {"regex", "pattern"},
    };
    const std::string lower = lower_ascii(name);
    for (const auto& [other, ours] : others)
        if (lower == other && contains(allowed, ours) && !el.attribute(std::string(ours).c_str())) return ours;
    return {};
}

attr_list loader::read_attrs(pugi::xml_node el, name_list allowed,
                             std::string_view node_id) {
    const std::size_t el_off = element_offset(el);
    bool scanned = false;  // the tag is re-read only when pugixml's pointers do not tell
    attr_list out;
    std::size_t k = 0;
    for (pugi::xml_attribute a = el.first_attribute(); a; a = a.next_attribute(), ++k) {
        attr item;
        item.name = a.name();
        item.value = a.value();
        raw_attr direct;
        const raw_attr* raw = nullptr;
        if (in_document(item.name, direct)) {
            raw = &direct;
        } else {
            if (!scanned) scan_start_tag(m_src, el_off, m_tag);
            scanned = true;
            if (k < m_tag.size() && m_tag[k].name == item.name) {
                raw = &m_tag[k];
            } else {
                const auto it = std::find_if(m_tag.begin(), m_tag.end(),
                                             [&](const raw_attr& r) { return r.name == item.name; });
                if (it != m_tag.end()) raw = &*it;
            }
        }
        item.name_off = raw ? raw->name_off : el_off;
        item.value_off = raw ? raw->value_off : el_off;

        const std::string_view name = item.name;
        if (!contains(allowed, name)) {
            std::string message = "unknown attribute '" + std::string(name) + "' on <" + el.name() + ">";
            const std::string hint = suggestion(name, allowed);
            const std::string_view meant = meant_attribute(name, allowed, el);
            if (!meant.empty()) {
                // Read as meant, so this slip is one error: no "needs a 'to'" beside it, and
                // the nodes it leads to are not called unreachable.
                message += "; Signpost calls it '" + std::string(meant) + "': write " + std::string(meant) + "=" +
                           quote_value(item.value);
                // On an element read as another, that element's error already shows it renamed.
                if (el != m_read_as_meant) error("unknown-attribute", message, name_pos(item), node_id, name);
                item.name = meant;
                if (!out.find(meant)) out.push_back(item);
                continue;
            }
            if (!hint.empty())
                message += "; " + hint;
            else if (allowed.empty())
                message += std::string("; <") + el.name() + "> takes no attributes";
            else
                message += "; allowed: " + comma_list(allowed);
            error("unknown-attribute", message, name_pos(item), node_id, name);
            continue;
        }
        if (out.find(item.name)) {
            error("xml-syntax", "attribute '" + std::string(name) + "' appears twice on <" + el.name() + ">; keep one",
                  name_pos(item), node_id, name);
            continue;
        }
        out.push_back(item);
    }
    return out;
}

const element_text& loader::read_text(pugi::xml_node el, std::string_view node_id) {
    element_text& t = m_text;
    t.clear();
    for (pugi::xml_node c = el.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
            const bool cdata = c.type() == pugi::node_cdata;
            const auto off = c.offset_debug();
            const std::size_t raw = off >= 0 ? static_cast<std::size_t>(off) : 0;
            const std::string_view value = c.value();
            if (t.pieces.empty()) {
                t.text = value;  // the usual case: one piece, read in place
            } else {
                if (t.joined.empty()) t.joined = t.text;
                t.joined += value;
                t.text = t.joined;
            }
            t.pieces.push_back({t.pieces.empty() ? 0 : t.text.size() - value.size(), raw, cdata});
        } else if (c.type() == pugi::node_element) {
            error("unknown-element",
                  std::string("element <") + c.name() + "> is not allowed inside <" + el.name() +
                      ">; write Markdown instead (**bold**, *italic*, [link](url))",
                  element_pos(c), node_id, c.name());
        }
    }
    return t;
}

void loader::check_references(const element_text& t, std::string_view node_id, std::string_view field) {
    // References come in text order: one walker per piece keeps the positions linear.
    std::optional<raw_walker> walk;
    std::size_t walk_piece = 0;
    std::size_t last_offset = 0;
    const auto position = [&](std::size_t offset) -> source_pos {
        const auto it = std::upper_bound(
            t.pieces.begin(), t.pieces.end(), offset,
            [](std::size_t o, const element_text::piece& p) { return o < p.decoded_start; });
        if (it == t.pieces.begin()) return {};
        const auto piece = static_cast<std::size_t>(it - t.pieces.begin()) - 1;
        const auto& p = t.pieces[piece];
        if (!walk || piece != walk_piece || offset < last_offset) {
            walk.emplace(m_src, p.raw, p.cdata);
            walk_piece = piece;
        }
        last_offset = offset;
        return at(walk->to(offset - p.decoded_start));
    };
    for (const auto& ref : find_references(t.text)) {
        if (m_tree->find_variable(ref.name) || ref.name == today_variable) continue;
        std::string message = "{" + std::string(ref.name) + "} is not a declared variable";
        const std::string hint = suggestion(ref.name, m_var_names);
        message += hint.empty() ? "; declare it in <variables> or write {{ for a literal brace" : "; " + hint;
        error("undeclared-variable", message, position(ref.offset), node_id, field);
    }
    // Braces an author meant as a reference but that are shown as written: the agent would
    // read "{ employee }" in the hand-off. Only where a declared variable is clearly meant.
    for (const brace_group& g : find_brace_groups(t.text)) {
        const std::string meant = meant_variable(g.inside);
        if (meant.empty()) continue;
        const std::string written = std::string(g.doubled ? "{{" : "{") + std::string(g.inside) + "}";
        std::string message = written + " is shown as written, not filled in";
        message += g.doubled ? "; write {" + meant + "} for its value, or {{" + meant + "}} for braces"
                             : ": a reference is {name} exactly; write {" + meant + "}";
        report(severity::warning, "not-a-reference", message, position(g.offset), node_id, std::string(field));
    }
}

std::string loader::meant_variable(std::string_view inside) const {
    const auto declared = [&](std::string_view name) { return m_tree->find_variable(std::string(name)) != nullptr; };
    const std::string trimmed(trim(inside));
    if (declared(trimmed)) return trimmed;  // { name }, {{name}
    std::string joined = trimmed;  // {asset-tag}, {asset tag}
    std::replace_if(joined.begin(), joined.end(), [](char c) { return c == '-' || c == ' '; }, '_');
    if (declared(joined)) return joined;
    if (const std::size_t dot = trimmed.find('.'); dot != std::string::npos) {
        const std::string before(trim(std::string_view(trimmed).substr(0, dot)));
        if (declared(before)) return before;  // {employee.name}
    }
    return {};
}

void loader::check_not_filled_in(const attr& a, std::string_view node_id, std::string_view what) {
    if (a.value.find('{') == std::string_view::npos) return;
    for (const auto& ref : find_references(a.value))
        report(severity::warning, "not-filled-in",
               "{" + std::string(ref.name) + "} in " + std::string(what) +
                   " is shown as written: only text, agent notes and choice labels are filled in with values, "
                   "so move it into the text",
               value_pos(a, ref.offset), node_id, std::string(a.name));
}

// "choice" from "<choice to=...>".
std::string_view form_element(std::string_view form) { return form.substr(1, form.find_first_of(" />", 1) - 1); }

// Elements other script builders use for one of ours, with the form ours takes.
std::string_view meant_element(std::string_view name, name_list allowed) {
    static constexpr std::pair<std::string_view, std::string_view> others[]{
        {"if", "<branch if=\"CONDITION\" to=\"ID\"/>"},     {"when", "<branch if=\"CONDITION\" to=\"ID\"/>"},
        {"case", "<branch if=\"CONDITION\" to=\"ID\"/>"},   {"else", "<otherwise to=\"ID\"/>"},
        {"default", "<otherwise to=\"ID\"/>"},               {"option", "<choice to=\"ID\">label</choice>"},
        {"answer", "<choice to=\"ID\">label</choice>"},      {"button", "<choice to=\"ID\">label</choice>"},
        {"input", "<field var=\"NAME\" label=\"...\"/>"},   {"description", "<text>...</text>"},
        {"body", "<text>...</text>"},                          {"note", "<hint>...</hint>"},
        {"tip", "<hint>...</hint>"},                           {"var", "<variable name=\"NAME\" type=\"...\"/>"},
    };
    const std::string lower = lower_ascii(name);
    for (const auto& [other, ours] : others) {
        if (lower != other) continue;
        if (contains(allowed, form_element(ours))) return ours;
    }
    return {};
}

// The attributes an element read as another (meant_element) takes.
name_list meant_element_attrs(std::string_view element) {
    if (element == "branch") return branch_attrs;
    if (element == "otherwise") return otherwise_attrs;
    if (element == "choice") return choice_attrs;
    if (element == "field") return field_attrs;
    if (element == "variable") return variable_attrs;
    return {};
}

// `<if test="n > 0" to="a"/>` as Signpost writes it: `<branch if='n > 0' to='a'/>`, its
// attributes renamed as read_attrs reads them (others left for their own error), so the
// one error an author gets is the line to write.
std::string rewritten_element(pugi::xml_node child, std::string_view form) {
    const std::string_view element = form_element(form);
    const name_list allowed = meant_element_attrs(element);
    std::string out = "<" + std::string(element);
    for (pugi::xml_attribute a = child.first_attribute(); a; a = a.next_attribute()) {
        std::string_view name = a.name();
        if (!contains(allowed, name)) name = meant_attribute(name, allowed, child);
        if (name.empty()) continue;
        out += " " + std::string(name) + "=" + quote_value(a.value());
    }
    if (element != "choice" && element != "text" && element != "hint") return out + "/>";
    std::string body;  // the label or text, on one line
    for (const char* p = child.child_value(); *p; ++p) {
        const bool space = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
        if (!space) body += *p;
        else if (!body.empty() && body.back() != ' ') body += ' ';
    }
    while (!body.empty() && body.back() == ' ') body.pop_back();
    if (body.empty() || body.size() > 60) body = "...";
    return out + ">" + body + "</" + std::string(element) + ">";
}

void loader::unknown_element(pugi::xml_node child, pugi::xml_node parent,
                             name_list allowed, std::string_view node_id) {
    const std::string name = child.name();
    std::string message = "unknown element <" + name + "> in <" + parent.name() + ">";
    const std::string hint = suggestion(name, allowed);
    const std::string_view meant = meant_element(name, allowed);
    if (!meant.empty() && child == m_read_as_meant)
        message += "; Signpost writes it " + rewritten_element(child, meant);
    else if (!meant.empty())
        message += std::string("; Signpost writes it ") + std::string(meant);
    else if (!hint.empty())
        message += "; " + hint;
    else if (allowed.empty())
        message += std::string("; <") + parent.name() + "> has no child elements";
    else
        message += "; allowed: " + comma_list(allowed);
    error("unknown-element", message, element_pos(child), node_id, name);
}

void loader::stray_text(pugi::xml_node child, pugi::xml_node parent, std::string_view node_id) {
    if (is_blank(child.value())) return;
    const auto off = child.offset_debug();
    // At the text itself, not at the line end before it.
    std::size_t first = off >= 0 ? static_cast<std::size_t>(off) : 0;
    while (first < m_src.size() && is_xml_space(m_src[first])) ++first;
    const bool is_node = parse_node_kind(parent.name()).has_value();
    error("unknown-element",
          std::string("text is not allowed directly inside <") + parent.name() + ">" +
              (is_node ? "; put it in a <text> element" : "; remove it"),
          at(first), node_id);
}

void loader::expect_empty(pugi::xml_node el, std::string_view node_id) {
    for_children(el, node_id, [&](pugi::xml_node c) { unknown_element(c, el, {}, node_id); });
}

const attr* loader::require(const attr_list& attrs, std::string_view name, pugi::xml_node el,
                            std::string_view node_id) {
    if (const attr* a = attrs.find(name)) return a;
    const bool vowel = !name.empty() && std::string_view("aeiou").find(name.front()) != std::string_view::npos;
    error("missing-attribute",
          std::string("<") + el.name() + "> needs " + (vowel ? "an '" : "a '") + std::string(name) + "' attribute",
          element_pos(el), node_id, std::string(name));
    return nullptr;
}

bool loader::bool_error(const attr& a, std::string_view node_id) {
    // "yes", "True", "1": what was meant is clear, so the fix is named and the value read
    // as meant (a required field read as optional would add a read-before-set warning).
    const std::string v = lower_ascii(trim(a.value));
    std::optional<bool> meant;
    if (v == "true" || v == "yes" || v == "y" || v == "1" || v == "on") meant = true;
    if (v == "false" || v == "no" || v == "n" || v == "0" || v == "off") meant = false;
    std::string message = std::string(a.name) + " must be true or false, not " + quote_value(a.value);
    if (meant) message += std::string("; write ") + (*meant ? "'true'" : "'false'");
    error("invalid-attribute", message, name_pos(a), node_id, std::string(a.name));
    return meant.value_or(false);
}

void loader::read_tree(pugi::xml_node root) {
    tree& t = *m_tree;
    t.pos = element_pos(root);
    const attr_list attrs = read_attrs(root, tree_attrs, "");

    if (!attrs.find("format"))
        error("missing-attribute",
              "<tree> needs a 'format' attribute: add format=\"" + std::to_string(current_format) +
                  "\" (the version of this file format it is written in)",
              element_pos(root), "", "format");
    if (const attr* a = attrs.find("format")) {
        if (const auto v = parse_int(a->value)) {
            t.format = *v;
            if (*v != current_format)
                error("unsupported-format",
                      "format " + std::to_string(*v) + " is not supported; this version of Signpost reads format " +
                          std::to_string(current_format),
                      name_pos(*a), "", "format");
        } else {
            error("invalid-attribute", "format must be a whole number in digits, without leading zeros (this "
                                           "version reads format 1), not " + quote_value(a->value),
                  name_pos(*a), "", "format");
        }
    }
    if (const attr* a = require(attrs, "id", root, "")) {
        t.id = a->value;
        if (!is_valid_id(t.id))
            error("invalid-id",
                  "tree id " + quote_value(t.id) +
                      " is not valid: it names the file, so use letters, digits, '-', '_' and '.' "
                      "(no '..', no slashes), starting with a letter or digit",
                  name_pos(*a), "", "id");
        else if (m_from_disk)
            check_file_name(*a);
    }
    if (const attr* a = attrs.find("version")) {
        const auto v = parse_int(trim(a->value));  // blanks around it are fine, as in xs:int
        if (v && *v > 0)
            t.version = *v;
        else
            error("invalid-attribute",
                  "version must be a whole number from 1 to 2147483647 in digits, without leading zeros, not " +
                      quote_value(a->value),
                  name_pos(*a), "", "version");
    }
    const attr* title = attrs.find("title");
    // An empty title means "no title": the default, so saving and loading agree.
    t.title = title && !title->value.empty() ? std::string(title->value) : t.id;
    if (const attr* a = attrs.find("start")) {
        t.start = a->value;
        m_start_pos = name_pos(*a);
    } else {
        error("missing-start", "<tree> needs a 'start' attribute naming the first node", t.pos, "", "start");
    }
    if (const attr* a = attrs.find("allow-find")) {
        if (const auto v = parse_bool(a->value))
            t.allow_find = *v;
        else
            t.allow_find = bool_error(*a, "");
    }

    // Variables first, wherever they are: conditions and texts anywhere may use them.
    std::optional<source_pos> variables_seen;
    for (pugi::xml_node c = root.child("variables"); c; c = c.next_sibling("variables")) {
        if (variables_seen) {
            error("duplicate-element",
                  "<variables> appears twice (first on line " + std::to_string(variables_seen->line) +
                      "); declare all variables in one <variables>",
                  element_pos(c), "", "variables");
            continue;
        }
        variables_seen = element_pos(c);
        read_variables(c);
    }
    t.reindex();
    m_var_names.reserve(t.variables.size());
    std::size_t elements = 0;
    for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) ++elements;
    t.nodes.reserve(elements);  // nodes are large: avoid moving 100k of them while growing
    for (const auto& v : t.variables) m_var_names.push_back(v.name);

    std::optional<source_pos> description_seen;
    std::optional<source_pos> layout_seen;
    const auto once = [&](std::optional<source_pos>& seen, pugi::xml_node c) {
        if (seen) {
            error("duplicate-element",
                  std::string("<") + c.name() + "> appears twice (first on line " + std::to_string(seen->line) +
                      "); keep one",
                  element_pos(c), "", c.name());
            return false;
        }
        seen = element_pos(c);
        return true;
    };
    for_children(root, "", [&](pugi::xml_node c) {
        const std::string_view name = c.name();
        if (name == "variables") return;
        if (name == "description") {
            if (!once(description_seen, c)) return;
            read_attrs(c, {}, "");
            const element_text& text = read_text(c, "");
            check_references(text, "", "description");
            t.description = normalise_element_text(text.text);
        } else if (name == "layout") {
            if (once(layout_seen, c)) read_layout(c);
        } else if (const auto kind = parse_node_kind(name)) {
            read_node(c, *kind);
        } else {
            unknown_element(c, root, tree_children, "");
            // A misspelt node (<decision id="triage">, <End ...>): its element's error says
            // it all, so references to its id are not each reported as well.
            if (const pugi::xml_attribute id = c.attribute("id"); id && *id.value())
                m_unknown_node_ids.insert(id.value());
        }
    });
    resolve_targets();  // also builds the final index
}

// Jumps and the tree library find a tree as <id>.xml, so a file named otherwise is never
// found by its id. Only files named *.xml are checked: other names (an editor's autosave
// copy, a pipe) are not where a library looks anyway.
void loader::check_file_name(const attr& id) {
    const std::filesystem::path path(m_file);
    if (path.extension() != ".xml") return;
    const std::string stem = path.stem().string();
    if (stem == id.value) return;
    const std::string name = path.filename().string();
    std::string message = "tree id " + quote_value(id.value) + " does not match the file name " + quote_value(name) +
                          ": jumps find a tree by its file name, so rename the file to " +
                          quote_value(std::string(id.value) + ".xml");
    if (is_valid_id(stem)) message += " or change the id to " + quote_value(stem);
    report(severity::warning, "id-file-mismatch", std::move(message), name_pos(id), "", "id");
}

void loader::read_variables(pugi::xml_node el) {
    read_attrs(el, {}, "");
    for_children(el, "", [&](pugi::xml_node c) {
        if (std::string_view(c.name()) == "variable") {
            read_variable(c);
        } else if (!meant_element(c.name(), variables_children).empty()) {
            // <var name=...>: one error, and the variable is declared, so its uses are not
            // each called undeclared.
            m_read_as_meant = c;
            unknown_element(c, el, variables_children, "");
            read_variable(c);
        } else {
            unknown_element(c, el, variables_children, "");
        }
    });
}

void loader::read_variable(pugi::xml_node el) {
    variable v;
    v.pos = element_pos(el);
    const attr_list attrs = read_attrs(el, variable_attrs, "");
    expect_empty(el, "");

    if (const attr* a = require(attrs, "name", el, "")) {
        v.name = a->value;
        if (!is_identifier(v.name) || is_keyword(v.name)) {
            error("invalid-attribute",
                  "variable name " + quote_value(v.name) +
                      " is not valid: use letters, digits and '_', not starting with a digit, and not "
                      "and/or/not/true/false",
                  name_pos(*a), "", "name");
        } else if (const auto [it, inserted] = m_first_variable.emplace(v.name, v.pos); !inserted) {
            error("duplicate-variable",
                  "variable '" + v.name + "' is already declared on line " + std::to_string(it->second.line) +
                      "; remove or rename one",
                  name_pos(*a), "", "name");
        }
    }
    bool type_known = false;
    if (const attr* a = require(attrs, "type", el, "")) {
        if (const auto type = parse_var_type(a->value)) {
            v.type = *type;
            type_known = true;
        } else if (const auto meant = type_from_other_language(a->value)) {
            // "boolean", "integer": the type is plain, so it is read as meant (else every
            // condition and `set` using the variable is a type error as well).
            error("invalid-attribute",
                  "unknown variable type " + quote_value(a->value) + "; write " + quote_value(to_string(*meant)) +
                      (*meant == var_type::flag ? " (true or false)" : ""),
                  name_pos(*a), "", "type");
            v.type = *meant;
            type_known = true;
        } else {
            std::string message = "unknown variable type " + quote_value(a->value);
            const std::string hint = suggestion(a->value, var_type_names);
            message += hint.empty() ? "; use number, text, flag or choice" : "; " + hint;
            error("invalid-attribute", message, name_pos(*a), "", "type");
        }
    }
    if (const attr* a = attrs.find("options")) {
        // Kept even where they are an error, so the author's list survives saving the
        // broken file (the saver writes them back) until the type is put right.
        std::unordered_set<std::string> listed;  // a linear search per option is quadratic
        std::vector<std::string> tokens = split_tokens(a->value);
        // "low, medium, high" (a token ending in a comma) and "good,okay,bad" (a comma with
        // a letter beside it); "1,000 2,000" are options as written (digits around each comma).
        const auto digit = [](char c) { return c >= '0' && c <= '9'; };
        const bool comma_list = std::any_of(tokens.begin(), tokens.end(), [&](const std::string& t) {
            if (t.size() > 1 && t.back() == ',') return true;
            for (std::size_t i = t.find(','); i != std::string::npos; i = t.find(',', i + 1))
                if (i > 0 && i + 1 < t.size() && !(digit(t[i - 1]) && digit(t[i + 1]))) return true;
            return false;
        });
        if (comma_list) {
            // "low, medium, high": the commas are separators meant, so they are read as such
            // (the default and conditions are then checked against the options intended,
            // instead of each failing on "low,") and saving writes the list with spaces.
            std::vector<std::string> split;
            for (const std::string& t : tokens)
                for (std::size_t i = 0; i <= t.size();) {
                    const std::size_t comma = std::min(t.find(',', i), t.size());
                    if (comma > i) split.push_back(t.substr(i, comma - i));
                    i = comma + 1;
                }
            std::string spaced;
            for (const std::string& t : split) spaced += (spaced.empty() ? "" : " ") + t;
            error("invalid-attribute",
                  "options are separated by spaces, not commas; write " + quote_value(spaced), name_pos(*a), "",
                  "options");
            tokens = std::move(split);
        }
        for (auto& option : tokens) {
            if (!listed.insert(option).second)
                error("invalid-attribute", "option " + quote_value(option) + " is listed twice", name_pos(*a), "",
                      "options");
            else
                v.options.push_back(std::move(option));
        }
        if (type_known && v.type != var_type::choice)
            error("invalid-attribute",
                  "'options' is only for choice variables; '" + v.name + "' is a " + to_string(v.type),
                  name_pos(*a), "", "options");
        else if (v.options.empty())
            error("invalid-attribute", "options is empty; list the choices separated by spaces", name_pos(*a), "",
                  "options");
    } else if (type_known && v.type == var_type::choice) {
        error("missing-attribute",
              "choice variable '" + v.name + "' needs 'options' (the allowed values, separated by spaces)", v.pos,
              "", "options");
    }
    if (const attr* a = attrs.find("default")) {
        v.default_text = a->value;
        if (type_known && v.type == var_type::choice) {
            if (std::find(v.options.begin(), v.options.end(), a->value) != v.options.end()) {
                v.default_value = value{std::string(a->value)};
            } else if (!v.options.empty()) {
                std::string message = "default " + quote_value(a->value) + " is not one of the options (" +
                                       comma_list(v.options) + ")";
                const std::string hint = suggestion(a->value, v.options);
                if (!hint.empty()) message += "; " + hint;
                error("invalid-default", message, name_pos(*a), "", "default");
            }
        } else if (type_known && v.type == var_type::date) {
            // A file holds days as they sort and compare, whatever an agent may type.
            if (parse_iso_day(a->value))
                v.default_value = value{std::string(a->value)};
            else
                error("invalid-default",
                      "default " + quote_value(a->value) + " is not a day; write it as YYYY-MM-DD, e.g. 2026-12-24",
                      name_pos(*a), "", "default");
        } else if (type_known) {
            if (auto parsed = parse_value(v.type, a->value))
                v.default_value = std::move(parsed);
            else
                error("invalid-default",
                      "default " + quote_value(a->value) + " is not a valid " + to_string(v.type) +
                          (v.type == var_type::flag ? " (use true or false)" : ""),
                      name_pos(*a), "", "default");
        }
    }
    if (const attr* a = attrs.find("label")) v.label = a->value;
    if (const attr* a = attrs.find("private")) {
        if (const auto b = parse_bool(a->value))
            v.is_private = *b;
        else
            v.is_private = bool_error(*a, "");
    }
    m_tree->variables.push_back(std::move(v));
}

void loader::read_node(pugi::xml_node el, node_kind kind) {
    node n;
    n.kind = kind;
    n.pos = element_pos(el);
    const std::string kind_name = to_string(kind);
    // Known before the attributes are read, so every finding can name its node; it points
    // into the document, so pending target checks can keep it.
    const std::string_view early_id = el.attribute("id").value();

    const name_list allowed_children = node_children(kind);
    const bool has_text = kind != node_kind::logic && kind != node_kind::jump;

    const attr_list attrs = read_attrs(el, node_attrs(kind), early_id);
    for (const auto& a : attrs) n.attr_pos[a.name] = name_pos(a);

    if (const attr* a = require(attrs, "id", el, early_id)) {
        n.id = a->value;
        if (!is_valid_id(n.id)) {
            error("invalid-id",
                  "node id " + quote_value(n.id) +
                      " is not valid: use letters, digits, '-', '_' and '.' (no '..'), starting with a letter "
                      "or digit, at most 128 characters",
                  name_pos(*a), n.id, "id");
        } else {
            m_id_pos.push_back({m_tree->nodes.size(), a->name_off});  // duplicates: see resolve_targets
        }
    }
    if (const attr* a = attrs.find("title")) {
        n.title = a->value;
        check_not_filled_in(*a, n.id, "a title");
    }

    const auto target = [&](const char* name, bool required, std::string& out) {
        const attr* a = required ? require(attrs, name, el, n.id) : attrs.find(name);
        if (!a) return;
        out = a->value;
        want_target(a->value, a->name_off, early_id, name, tag_of(kind));
    };
    switch (kind) {
    case node_kind::step:
    case node_kind::form: target("to", true, n.to); break;
    case node_kind::jump:
        if (const attr* a = require(attrs, "tree", el, n.id)) {
            n.tree_ref = a->value;
            if (!is_valid_id(n.tree_ref))
                error("invalid-tree-ref",
                      "jump target tree " + quote_value(n.tree_ref) +
                          " is not a tree id; write the id only (e.g. identity-verification), not a path "
                          "or file name",
                      name_pos(*a), n.id, "tree");
        }
        target("to", false, n.to);
        break;
    case node_kind::escalate:
        if (const attr* a = require(attrs, "team", el, n.id)) {
            n.team = a->value;
            check_not_filled_in(*a, n.id, "a team name");
            if (is_blank(n.team))
                error("invalid-attribute", "team is empty; name the team to hand the call to", name_pos(*a), n.id,
                      "team");
        }
        n.priority = "normal";
        if (const attr* a = attrs.find("priority")) {
            // Kept as written even when wrong, like every other value: the editor opens a
            // broken file to fix it, and a save must not swap the author's word for "normal".
            n.priority = a->value;
            if (!contains(priorities, a->value)) {
                std::string message = "unknown priority " + quote_value(a->value);
                const std::string hint = suggestion(a->value, priorities);
                message += hint.empty() ? "; use low, normal, high or urgent" : "; " + hint;
                error("invalid-attribute", message, name_pos(*a), n.id, "priority");
            }
        }
        break;
    case node_kind::end:
        if (const attr* a = require(attrs, "outcome", el, n.id)) {
            n.outcome = a->value;
            if (!is_outcome_token(n.outcome))
                error("invalid-attribute",
                      "outcome " + quote_value(n.outcome) +
                          " is not valid: use lower-case letters, digits, '_' and '-' (e.g. resolved)",
                      name_pos(*a), n.id, "outcome");
        }
        break;
    case node_kind::question:
    case node_kind::logic: break;
    }

    std::optional<source_pos> text_seen;
    std::optional<source_pos> hint_seen;
    std::optional<source_pos> otherwise_seen;
    // Choices, fields and branches are counted first: growing the vector one by one
    // allocated and moved three times for a five-choice question.
    const char* item = kind == node_kind::question ? "choice"
                       : kind == node_kind::form ? "field"
                       : kind == node_kind::logic ? "branch"
                                                  : nullptr;
    if (item) {
        std::size_t count = 0;
        for (pugi::xml_node c = el.child(item); c; c = c.next_sibling(item)) ++count;
        if (kind == node_kind::question) n.choices.reserve(count);
        if (kind == node_kind::form) n.fields.reserve(count);
        if (kind == node_kind::logic) n.branches.reserve(count);
    }
    std::unordered_set<std::string> field_vars;
    // An unknown element that looks like a misspelt item (<chioce>, or anything with a
    // `to`): an empty node is then that error, not also "has no <choice>".
    bool dropped_item = false;
    const auto once = [&](std::optional<source_pos>& seen, pugi::xml_node c) {
        if (seen) {
            error("duplicate-element",
                  std::string("<") + c.name() + "> appears twice in " + kind_name + " '" + n.id +
                      "' (first on line " + std::to_string(seen->line) + "); keep one",
                  element_pos(c), n.id, c.name());
            return false;
        }
        seen = element_pos(c);
        return true;
    };
    for_children(el, n.id, [&](pugi::xml_node c) {
        std::string_view name = c.name();
        // <option>, <if>, <else>: one error naming ours, and it is read as ours, so its
        // link is not lost (no unreachable nodes, no loop "with no way out" behind it).
        if (const std::string_view meant = meant_element(name, allowed_children); !meant.empty()) {
            m_read_as_meant = c;
            unknown_element(c, el, allowed_children, n.id);
            name = form_element(meant);
        }
        if (has_text && (name == "text" || name == "hint")) {
            const bool is_text = name == "text";
            if (!once(is_text ? text_seen : hint_seen, c)) return;
            read_attrs(c, {}, n.id);
            const element_text& text = read_text(c, n.id);
            check_references(text, n.id, name);
            (is_text ? n.text : n.hint) = normalise_element_text(text.text);
            n.attr_pos[name] = element_pos(c);
        } else if (kind == node_kind::question && name == "choice") {
            read_choice(c, n, early_id);
        } else if (kind == node_kind::form && name == "field") {
            read_field(c, n, field_vars);
        } else if (kind == node_kind::logic && name == "branch") {
            read_branch(c, n, early_id);
        } else if (kind == node_kind::logic && name == "otherwise") {
            if (!once(otherwise_seen, c)) return;
            n.attr_pos["otherwise"] = element_pos(c);
            const attr_list other = read_attrs(c, otherwise_attrs, n.id);
            expect_empty(c, n.id);
            if (const attr* a = require(other, "to", c, n.id)) {
                n.otherwise = a->value;
                want_target(a->value, a->name_off, early_id, "otherwise", "<otherwise>");
            }
        } else if (!has_text && (name == "text" || name == "hint")) {
            error("unknown-element",
                  "<" + kind_name + "> nodes take no <" + std::string(name) + ">: agents never see them",
                  element_pos(c), n.id, std::string(name));
        } else {
            unknown_element(c, el, allowed_children, n.id);
            if (item && (c.attribute("to") || !closest_match(name, {item}).empty())) dropped_item = true;
            if (const pugi::xml_attribute to = c.attribute("to"); to && *to.value())
                n.unread_targets.emplace_back(to.value());
        }
    });

    // An empty node whose item was misspelt gets that error alone.
    if (kind == node_kind::question) {
        if (n.choices.empty() && !dropped_item)
            error("empty-question", "question '" + n.id + "' has no <choice>; add at least one", n.pos, n.id);
        // Number keys 1-9 pick choices in the player; a tenth visible choice gets none.
        if (n.choices.size() > 9)
            report(severity::warning, "many-choices",
                   "question '" + n.id + "' has " + std::to_string(n.choices.size()) +
                       " choices; only 9 can have number keys when all are shown: split the question",
                   n.choices[9].pos, n.id, "choice");
    } else if (kind == node_kind::form && n.fields.empty() && !dropped_item) {
        error("empty-form", "form '" + n.id + "' has no <field>; add one or use a <step>", n.pos, n.id);
    } else if (kind == node_kind::logic && n.branches.empty() && !otherwise_seen && !dropped_item) {
        error("empty-logic", "logic '" + n.id + "' has no <branch> or <otherwise>; add at least one", n.pos,
              n.id);
    }
    m_tree->nodes.push_back(std::move(n));
}

void loader::read_choice(pugi::xml_node el, node& n, std::string_view node_id) {
    choice c;
    c.pos = element_pos(el);
    const attr_list attrs = read_attrs(el, choice_attrs, n.id);
    if (const attr* a = require(attrs, "to", el, n.id)) {
        c.to = a->value;
        want_target(a->value, a->name_off, node_id, "to", "choice");
    }
    if (const attr* a = attrs.find("if")) c.condition = read_condition(*a, n.id);
    if (const attr* a = attrs.find("set")) read_assignments(*a, c, n.id);
    const element_text& label = read_text(el, n.id);
    check_references(label, n.id, "label");
    c.label = normalise_element_text(label.text);
    if (c.label.empty())
        error("missing-text", "choice has no label; write what the agent picks between <choice> and </choice>",
              c.pos, n.id, "label");
    n.choices.push_back(std::move(c));
}

void loader::read_field(pugi::xml_node el, node& n, std::unordered_set<std::string>& seen) {
    field f;
    f.pos = element_pos(el);
    const attr_list attrs = read_attrs(el, field_attrs, n.id);
    expect_empty(el, n.id);
    const variable* v = nullptr;
    if (const attr* a = require(attrs, "var", el, n.id)) {
        f.variable = a->value;
        v = m_tree->find_variable(f.variable);
        if (!v) {
            std::string message = "field variable " + quote_value(f.variable) + " is not declared";
            const std::string hint = suggestion(f.variable, m_var_names);
            message += hint.empty() ? "; declare it in <variables>" : "; " + hint;
            error("undeclared-variable", message, name_pos(*a), n.id, "var");
        } else if (!seen.insert(f.variable).second) {
            error("duplicate-element", "form '" + n.id + "' asks for '" + f.variable + "' twice; keep one field",
                  f.pos, n.id, "field");
        }
    }
    if (const attr* a = attrs.find("label")) {
        f.label = a->value;  // empty = the default, as when saved
        check_not_filled_in(*a, n.id, "a field label");
    }
    f.label = field_label(*m_tree, f);
    if (const attr* a = attrs.find("required")) {
        if (const auto b = parse_bool(a->value))
            f.required = *b;
        else
            f.required = bool_error(*a, n.id);
    }
    if (const attr* a = attrs.find("pattern")) {
        f.pattern = a->value;
        check_pattern(*a, v, n.id);
    }
    if (const attr* a = attrs.find("placeholder")) {
        f.placeholder = a->value;
        check_not_filled_in(*a, n.id, "a placeholder");
    }
    n.fields.push_back(std::move(f));
}

void loader::check_pattern(const attr& a, const variable* v, std::string_view node_id) {
    if (a.value.size() > max_pattern_length) {
        error("invalid-pattern",
              "pattern is " + std::to_string(a.value.size()) + " bytes long; the limit is " +
                  std::to_string(max_pattern_length),
              name_pos(a), node_id, "pattern");
        return;
    }
    if (v && v->type != var_type::text) {
        error("invalid-pattern",
              std::string("pattern only applies to text variables; '") + v->name + "' is a " + to_string(v->type),
              name_pos(a), node_id, "pattern");
        return;
    }
    // A pattern that can backtrack exponentially would freeze the player on a short input.
    if (auto risk = pattern_risk(a.value)) {
        error("invalid-pattern", "pattern is refused: " + *risk, name_pos(a), node_id, "pattern");
        return;
    }
    // Forms often repeat the same pattern: compile each distinct one once.
    auto [it, fresh] = m_pattern_errors.try_emplace(std::string(a.value));
    if (fresh) {
        try {
            const std::regex compiled(it->first, std::regex::ECMAScript);
            (void)compiled;
        } catch (const std::regex_error& e) {
            it->second = e.what();
        } catch (const std::exception& e) {  // e.g. out of memory on a pathological pattern
            it->second = e.what();
        }
    }
    if (!it->second.empty())
        error("invalid-pattern", "pattern is not a valid regular expression: " + it->second, name_pos(a), node_id,
              "pattern");
}

void loader::read_branch(pugi::xml_node el, node& n, std::string_view node_id) {
    branch b;
    b.pos = element_pos(el);
    const attr_list attrs = read_attrs(el, branch_attrs, n.id);
    expect_empty(el, n.id);
    if (const attr* a = require(attrs, "if", el, n.id)) b.condition = read_condition(*a, n.id);
    if (const attr* a = require(attrs, "to", el, n.id)) {
        b.to = a->value;
        want_target(a->value, a->name_off, node_id, "to", "branch");
    }
    n.branches.push_back(std::move(b));
}

void loader::read_layout(pugi::xml_node el) {
    read_attrs(el, {}, "");
    m_tree->layout.reserve(m_tree->nodes.size());
    m_layout_offsets.reserve(m_tree->nodes.size());
    for_children(el, "", [&](pugi::xml_node c) {
        if (std::string_view(c.name()) != "pos") {
            unknown_element(c, el, layout_children, "");
            return;
        }
        const attr_list attrs = read_attrs(c, pos_attrs, "");
        expect_empty(c, "");
        layout_entry entry;
        const attr* named = require(attrs, "node", c, "");
        if (named) {
            entry.node = named->value;
            want_target(named->value, named->name_off, "", "node", "layout position");
        }
        for (const char* axis : {"x", "y"}) {
            const attr* a = require(attrs, axis, c, "");
            if (!a) continue;
            if (const auto v = parse_finite(a->value))
                (axis[0] == 'x' ? entry.x : entry.y) = *v;
            else
                error("invalid-attribute", std::string(axis) + " must be a finite number, not " + quote_value(a->value),
                      name_pos(*a), "", axis);
        }
        // A position of no node places nothing; kept, it would be saved as node="" and
        // every such <pos> would place the same node the next time.
        if (!named) return;
        // Duplicates are found with the index, once it is built (drop_duplicate_layout).
        m_layout_offsets.push_back(element_offset(c));
        m_tree->layout.push_back(std::move(entry));
    });
}

void loader::drop_duplicate_layout() {
    tree& t = *m_tree;
    std::vector<char> duplicate(t.layout.size(), 0);
    bool any = false;
    for (std::size_t i = 0; i < t.layout.size(); ++i) {
        const layout_entry& entry = t.layout[i];
        if (t.find_layout(entry.node) == &entry) continue;  // the index keeps the first
        duplicate[i] = 1;
        any = true;
        error("duplicate-element", "<layout> places '" + entry.node + "' twice; keep one <pos>",
              at(m_layout_offsets[i]), "", "pos");
    }
    if (!any) return;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < t.layout.size(); ++i) {
        if (duplicate[i]) continue;
        if (kept != i) t.layout[kept] = std::move(t.layout[i]);
        ++kept;
    }
    t.layout.resize(kept);
    t.reindex();
}

expression loader::read_condition(const attr& a, std::string_view node_id) {
    const std::string_view source = trim(a.value);
    const std::size_t lead = source.empty() ? 0 : static_cast<std::size_t>(source.data() - a.value.data());
    auto parsed = parse_expression(source);
    if (!parsed.result) {
        report_expr(parsed.error.value_or(expr_error{0, "expr-syntax", "not a valid expression"}), a, lead,
                    source, node_id);
        // Keep the text so an editor can show and save the broken condition as written.
        return expression(nullptr, std::string(source));
    }
    if (const auto e = check_condition(*parsed.result, m_scope)) report_expr(*e, a, lead, source, node_id);
    return std::move(*parsed.result);
}

void loader::read_assignments(const attr& a, choice& c, std::string_view node_id) {
    const std::string_view source = trim(a.value);
    const std::size_t lead = source.empty() ? 0 : static_cast<std::size_t>(source.data() - a.value.data());
    c.set_source = source;
    auto parsed = parse_assignments(source);
    if (!parsed.result) {
        report_expr(parsed.error.value_or(expr_error{0, "expr-syntax", "not a valid assignment"}), a, lead,
                    source, node_id);
        return;
    }
    if (const auto e = check_assignments(*parsed.result, m_scope)) report_expr(*e, a, lead, source, node_id);
    c.sets = std::move(*parsed.result);
}

void loader::report_expr(const expr_error& e, const attr& a, std::size_t lead, std::string_view source,
                         std::string_view node_id) {
    const std::string code = e.code.empty() ? "expr-syntax" : e.code;
    std::string message = e.message.empty() ? "invalid expression" : e.message;
    const std::string_view plain_advice = "declare it in <variables>";
    if (code == "undeclared-variable" && message.size() >= plain_advice.size() &&
        message.compare(message.size() - plain_advice.size(), plain_advice.size(), plain_advice) == 0) {
        std::size_t begin = std::min(e.offset, source.size());
        std::size_t end = begin;
        while (end < source.size() && (std::isalnum(static_cast<unsigned char>(source[end])) || source[end] == '_'))
            ++end;
        const std::string hint = suggestion(source.substr(begin, end - begin), m_var_names);
        if (!hint.empty()) message += "; " + hint;
    }
    error(code, message, value_pos(a, lead + e.offset), node_id, std::string(a.name));
}

void loader::resolve_targets() {
    tree& t = *m_tree;
    t.reindex();
    drop_duplicate_layout();
    std::vector<std::string> ids;  // suggested for unknown targets: only ids that can be right
    ids.reserve(t.nodes.size());
    for (const auto& n : t.nodes)
        if (is_valid_id(n.id)) ids.push_back(n.id);
    const auto known = [&](std::string_view id) { return !id.empty() && t.find(id) != nullptr; };
    for (const auto& [index, offset] : m_id_pos) {
        const node& n = t.nodes[index];
        const int first = t.index_of(n.id);  // reindex keeps the first of duplicates
        if (first >= 0 && static_cast<std::size_t>(first) != index)
            error("duplicate-id",
                  "id '" + n.id + "' is already used by the node on line " +
                      std::to_string(t.nodes[static_cast<std::size_t>(first)].pos.line) + "; node ids must be unique",
                  at(offset), n.id, "id");
    }

    if (m_start_pos && !known(t.start) && !m_unknown_node_ids.contains(t.start)) {
        std::string message = "start node " + quote_value(t.start) + " does not exist";
        const std::string hint = suggestion(t.start, ids);
        message += hint.empty() ? "; name one of the nodes" : "; " + hint;
        if (t.start.empty()) message = "start is empty; name the node calls begin at";
        error("unknown-start", message, *m_start_pos, "", "start");
    }
    for (const auto& p : m_targets) {
        if (known(p.target) || m_unknown_node_ids.contains(std::string(p.target))) continue;
        std::string message =
            std::string(p.what) + " goes to " + quote_value(p.target) + ", which is not a node of this tree";
        if (p.target.empty()) {
            message = std::string(p.what) + " has an empty target; name a node";
        } else {
            const std::string hint = suggestion(p.target, ids);
            if (!hint.empty()) message += "; " + hint;
        }
        error("unknown-target", message, at(p.offset), p.node_id, p.field);
    }
    m_targets.clear();
}

load_result loader::run(const pugi::xml_document& doc) {
    pugi::xml_node root;
    for (pugi::xml_node c = doc.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        if (!root)
            root = c;
        else
            error("xml-syntax",
                  std::string("second root element <") + c.name() + ">; a file holds exactly one <tree>",
                  element_pos(c));
    }
    if (std::string_view(root.name()) != "tree") {
        error("wrong-root",
              std::string("the root element is <") + root.name() + ">; a Signpost file has <tree> as its root",
              element_pos(root));
        return {nullptr, std::move(m_problems)};
    }
    m_tree->file = m_file;
    if (const auto off = root.offset_debug(); off >= 0 && static_cast<std::size_t>(off) < m_src.size())
        m_base = reinterpret_cast<std::uintptr_t>(root.name()) - static_cast<std::uintptr_t>(off);
    read_tree(root);
    std::stable_sort(m_problems.begin(), m_problems.end(), [](const diagnostic& a, const diagnostic& b) {
        return std::pair(a.pos.line, a.pos.column) < std::pair(b.pos.line, b.pos.column);
    });
    return {m_tree, std::move(m_problems)};
}

diagnostic file_problem(std::string code, std::string message, const std::string& file, source_pos pos = {}) {
    return {severity::error, std::move(code), std::move(message), file, pos, {}, {}};
}

std::string size_text(std::uintmax_t bytes) {
    return std::to_string(bytes / (1024u * 1024u)) + " MiB (" + std::to_string(bytes) + " bytes)";
}

// [SECTION] strict well-formedness scan
// pugixml is lenient: it keeps a bare '&', unknown entities, '<' in attribute values,
// control characters and text after the root. One linear pass over the raw bytes reports
// what an XML parser must refuse; pugixml still reports what this scan does not track.

struct syntax_problem {
    std::size_t offset = 0;
    std::string message;
};

struct syntax_scan {
    std::vector<syntax_problem> problems;
    // For pugixml's tag-mismatch message: the element open at the first bad closing tag
    // (or at the end of the file) and the closing tag's name.
    std::string open_at_mismatch;
    std::string closing_at_mismatch;
    bool mismatch_at_end = false;
    std::size_t comments = 0;  // pugixml skips them; savers cannot write them back
    std::size_t instructions = 0;  // <?...?> other than the XML declaration: the same
    // The scan stopped at a problem that makes the rest of the file unreadable (a quote or a
    // closing tag never closed: its last problem); pugixml's error after it is a
    // consequence, not news.
    bool stopped = false;
    std::size_t open_at_mismatch_offset = 0;  // where that element's start tag is
    int open_at_mismatch_line = 0;
};

constexpr std::size_t max_syntax_problems = 100;

bool is_name_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == ':' || c >= 0x80;
}

// Checks the reference that starts at the '&' at `amp`; only name bytes are read, so
// scanning every '&' of a file stays linear.
void check_reference(std::string_view src, std::size_t amp, std::vector<syntax_problem>& out) {
    std::size_t j = amp + 1;
    if (j < src.size() && src[j] == '#') {
        ++j;
        const bool hex = j < src.size() && src[j] == 'x';
        if (hex) ++j;
        const std::size_t digits = j;
        while (j < src.size() && (hex ? std::isxdigit(static_cast<unsigned char>(src[j])) != 0
                                      : (src[j] >= '0' && src[j] <= '9')))
            ++j;
        if (j == digits || j >= src.size() || src[j] != ';') {
            out.push_back({amp, "malformed character reference; write &#NNN; or &#xHHHH;, or '&amp;' for a "
                                "literal ampersand"});
            return;
        }
        // Only real characters: &#0; would cut a value short in pugixml, &#xD800; would put
        // invalid UTF-8 in the model (XML's "legal character" rule).
        unsigned long cp = 0;
        const auto [end, ec] = std::from_chars(src.data() + digits, src.data() + j, cp, hex ? 16 : 10);
        const bool allowed = ec == std::errc{} && end == src.data() + j &&
                             (cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                              (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF));
        if (!allowed)
            out.push_back({amp, "character reference " + quote_value(src.substr(amp, j + 1 - amp)) +
                                    " is not an allowed XML character; remove it"});
        return;
    }
    while (j < src.size() && is_name_byte(static_cast<unsigned char>(src[j]))) ++j;
    const std::string_view name = src.substr(amp + 1, j - amp - 1);
    if (name.empty() || j >= src.size() || src[j] != ';') {
        out.push_back({amp, "'&' starts an entity reference; write '&amp;' for a literal ampersand"});
        return;
    }
    if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos") return;
    static const std::pair<std::string_view, std::string_view> html[]{
        {"nbsp", "&#160;"}, {"copy", "&#169;"},   {"reg", "&#174;"},     {"eacute", "&#233;"},
        {"ndash", "&#8211;"}, {"mdash", "&#8212;"}, {"hellip", "&#8230;"}, {"euro", "&#8364;"}};
    std::string use = "a character reference such as &#160;";
    for (const auto& [entity, ref] : html)
        if (name == entity) use = std::string(ref);
    std::string shown(name.substr(0, 40));
    if (shown.size() < name.size()) shown += "…";
    out.push_back({amp, "unknown entity '&" + shown + ";': XML defines only &amp; &lt; &gt; &quot; &apos;; "
                        "use the character itself or " + use});
}

// Whether the '<' at `at` starts a tag (a name or '/' follows), rather than standing for
// "less than".
bool starts_tag(std::string_view src, std::size_t at) {
    if (at + 1 >= src.size()) return false;
    const auto c = static_cast<unsigned char>(src[at + 1]);
    return c == '/' || c == '!' || c == '?' || c == '_' || c == ':' || std::isalpha(c) != 0 || c >= 0x80;
}

// The XML declaration `decl` (from "<?xml" to before "?>", at `at`) may only declare UTF-8:
// the file is read as UTF-8 whatever it says, and an XML tool reading it as declared (a
// schema check, another editor) would see other text. ASCII is the one other name that
// reads the same, while the file (`src`) keeps to it.
void check_encoding(std::string_view decl, std::size_t at, std::string_view src, std::vector<syntax_problem>& out) {
    const std::size_t key = decl.find("encoding");
    if (key == std::string_view::npos) return;
    std::size_t j = key + 8;
    while (j < decl.size() && (is_xml_space(decl[j]) || decl[j] == '=')) ++j;
    if (j >= decl.size() || (decl[j] != '"' && decl[j] != '\'')) return;  // malformed: pugixml's to report
    const std::size_t close = decl.find(decl[j], j + 1);
    if (close == std::string_view::npos) return;
    const std::string_view name = decl.substr(j + 1, close - j - 1);
    const std::string lower = lower_ascii(name);
    if (lower == "utf-8" || lower == "utf8") return;
    if (lower == "us-ascii" || lower == "ascii") {
        const auto beyond = std::find_if(src.begin(), src.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
        if (beyond == src.end()) return;
        out.push_back({at + j + 1, "the file declares encoding " + quote_value(name) +
                                       ", but has characters outside ASCII; write encoding=\"UTF-8\" (tree files are UTF-8)"});
        return;
    }
    out.push_back({at + j + 1, "the file declares encoding " + quote_value(name) +
                                   ", but tree files are UTF-8; save it as UTF-8 and write encoding=\"UTF-8\""});
}

std::string control_message(unsigned cp) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "U+%04X", cp);
    return std::string(cp >= 0xFFFE ? "character " : "control character ") + hex +
           " is not allowed in XML; remove it";
}

// The first byte at or after `i` that is one of `stops` (at most four), or src.size().
// Element text and attribute values are most of a file and only a few bytes in them
// matter to the scan, so they are skipped sixteen bytes at a time where SSE2 is there.
template <char... stops>
std::size_t skip_to(std::string_view src, std::size_t i) {
    static_assert(sizeof...(stops) >= 1 && sizeof...(stops) <= 4);
#if defined(__SSE2__)
    while (i + 16 <= src.size()) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src.data() + i));
        const __m128i hit = (_mm_cmpeq_epi8(v, _mm_set1_epi8(stops)) | ...);
        if (const int mask = _mm_movemask_epi8(hit); mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(
                                                                             static_cast<unsigned>(mask)));
        i += 16;
    }
#endif
    while (i < src.size() && ((src[i] != stops) && ...)) ++i;
    return i;
}

// Offsets of bytes XML forbids anywhere (controls other than tab, LF, CR) and of 0xEF, the
// lead byte of U+FFFE and U+FFFF, in src[i, i + 16) as a bit mask; the input is valid UTF-8.
#if defined(__SSE2__)
unsigned suspect_bytes16(const char* p) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);  // v <= 0x1F
    const __m128i allowed = _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')) | _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')) |
                            _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'));
    const __m128i lead = _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(0xEF)));
    return static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(allowed, control) | lead));
}
#endif

syntax_scan scan_xml_syntax(std::string_view src) {
    syntax_scan out;
    auto& problems = out.problems;
    // Characters XML forbids anywhere, even in comments and CDATA (the input is valid UTF-8).
    // Blocks with no suspect byte need no closer look.
    for (std::size_t i = 0; i < src.size() && problems.size() < max_syntax_problems;) {
#if defined(__SSE2__)
        if (i + 16 <= src.size() && suspect_bytes16(src.data() + i) == 0) {
            i += 16;
            continue;
        }
        constexpr std::size_t block = 16;
#else
        constexpr std::size_t block = 1;
#endif
        for (const std::size_t stop = std::min(src.size(), i + block); i < stop; ++i) {
            const auto c = static_cast<unsigned char>(src[i]);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                problems.push_back({i, control_message(c)});
            else if (c == 0xEF && i + 2 < src.size() && static_cast<unsigned char>(src[i + 1]) == 0xBF &&
                     (static_cast<unsigned char>(src[i + 2]) & 0xFEu) == 0xBE)
                problems.push_back({i, control_message(0xFFFEu + (static_cast<unsigned char>(src[i + 2]) & 1u))});
        }
    }

    std::vector<std::string_view> open;  // element names, for the mismatch message
    std::vector<std::size_t> open_at;    // and where their start tags are
    bool root_seen = false;
    std::string_view root_name;
    bool reported_outside = false;
    const auto outside = [&](std::size_t at) {
        if (reported_outside) return;
        reported_outside = true;
        problems.push_back({at, root_seen ? "text after the closing </" + std::string(root_name) +
                                                "> tag; the file must end with the root element, remove it"
                                          : std::string("text before the root element; a tree file starts with "
                                                        "<tree format=\"1\" ...>")});
    };
    std::size_t i = src.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    const auto starts = [&](std::size_t at, std::string_view s) { return src.substr(at, s.size()) == s; };
    while (i < src.size() && problems.size() < max_syntax_problems) {
        const char c = src[i];
        if (c == '<') {
            if (starts(i, "<!--")) {
                const std::size_t end = src.find("-->", i + 4);
                if (end == std::string_view::npos) {
                    // Said where it opens: pugixml names the end of the file, lines away.
                    problems.push_back({i, "this comment is never closed: everything after it is read as comment; "
                                           "add --> where it ends"});
                    out.stopped = true;
                    return out;
                }
                if (const std::size_t dashes = src.find("--", i + 4); dashes < end)
                    problems.push_back({dashes, "'--' is not allowed inside a comment"});
                ++out.comments;
                i = end + 3;
            } else if (starts(i, "<![CDATA[")) {
                const std::size_t end = src.find("]]>", i + 9);  // content is literal
                if (end == std::string_view::npos) break;
                if (open.empty()) outside(i);
                i = end + 3;
            } else if (starts(i, "<?")) {
                const std::size_t end = src.find("?>", i + 2);
                if (end == std::string_view::npos) {
                    problems.push_back({i, "this <? is never closed: add ?> where it ends"});
                    out.stopped = true;
                    return out;
                }
                if (starts(i, "<?xml") && i + 5 < src.size() && is_xml_space(src[i + 5]))
                    check_encoding(src.substr(i, end - i), i, src, problems);
                else
                    ++out.instructions;
                i = end + 2;
            } else if (starts(i, "<!")) {
                return out;  // a DOCTYPE: refused as a whole after parsing
            } else if (starts(i, "</")) {
                const std::size_t name_start = i + 2;
                std::size_t j = name_start;
                while (j < src.size() && is_name_byte(static_cast<unsigned char>(src[j]))) ++j;
                const std::string_view name = src.substr(name_start, j - name_start);
                std::size_t k = j;
                while (k < src.size() && is_xml_space(src[k])) ++k;
                if (!name.empty() && (k >= src.size() || src[k] != '>')) {
                    // "</choice" then the next line's tag: pugixml reports it there, at the next tag.
                    problems.push_back({j, "closing tag </" + std::string(name) + " has no '>'; add it here"});
                    out.stopped = true;
                    return out;
                }
                const std::size_t gt = k;
                if (!name.empty() && std::find(open.begin(), open.end(), name) == open.end() &&
                    (open.empty() || closest_match(name, {std::string(open.back())}).empty())) {
                    // Nothing to close, and no typo of the open element's name: "does not match
                    // <tree>... a missing </tree>?" sent the author looking for a problem that
                    // is not there.
                    problems.push_back({i, "closing tag </" + std::string(name) + "> closes nothing: no <" +
                                               std::string(name) + "> is open here; remove it"});
                    out.stopped = true;
                    return out;
                }
                if (open.empty() || open.back() != name) {
                    if (!open.empty() && out.open_at_mismatch.empty() && out.closing_at_mismatch.empty()) {
                        out.open_at_mismatch = open.back();
                        out.open_at_mismatch_offset = open_at.back();
                        out.closing_at_mismatch = name;
                    }
                    break;  // pugixml reports the mismatch; later state would be guesswork
                }
                open.pop_back();
                open_at.pop_back();
                i = gt + 1;
            } else {
                const std::size_t name_start = i + 1;
                std::size_t j = name_start;
                while (j < src.size() && is_name_byte(static_cast<unsigned char>(src[j]))) ++j;
                const std::string_view name = src.substr(name_start, j - name_start);
                char quote = 0;
                std::size_t quote_at = 0;
                // Whether the open value has a line end before j, found by looking at each
                // byte once (a value of many '<' must not be searched again for each).
                std::size_t newline_checked = 0;
                bool newline_seen = false;
                const auto value_has_newline = [&](std::size_t from, std::size_t to) {
                    newline_checked = std::max(newline_checked, from);
                    if (!newline_seen && to > newline_checked)
                        newline_seen = src.substr(newline_checked, to - newline_checked).find('\n') != std::string_view::npos;
                    newline_checked = std::max(newline_checked, to);
                    return newline_seen;
                };
                for (; j < src.size() && problems.size() < max_syntax_problems; ++j) {
                    if (quote) {
                        // Skip the plain bytes of a value; only quotes, '<' and '&' matter.
                        j = skip_to<'<', '&', '"', '\''>(src, j);
                        if (j >= src.size()) break;
                    }
                    const char d = src[j];
                    if (quote) {
                        if (d == quote) {
                            quote = 0;
                        } else if (d == '<' && starts_tag(src, j) && value_has_newline(quote_at, j)) {
                            // A value running on over lines into a tag is a quote never closed:
                            // every later '<' would be reported too, each with advice that
                            // would damage the file. (A '<' that starts no tag, "is < 100",
                            // is the plain error below.)
                            problems.push_back({quote_at, std::string("this attribute value has no closing quote: it "
                                                                      "runs on past the end of the line; add ") +
                                                              quote + " where the value ends"});
                            out.stopped = true;
                            return out;
                        } else if (d == '<') {
                            problems.push_back({j, "'<' is not allowed inside an attribute value; write '&lt;'"});
                        } else if (d == '&') {
                            check_reference(src, j, problems);
                        }
                    } else if (d == '"' || d == '\'') {
                        quote = d;
                        quote_at = j;
                        newline_checked = j;
                        newline_seen = false;
                    } else if (d == '\xE2' && j + 2 < src.size() && src[j + 1] == '\x80' &&
                               (src[j + 2] == '\x9C' || src[j + 2] == '\x9D' || src[j + 2] == '\x98' ||
                                src[j + 2] == '\x99')) {
                        // A word processor's quotes: "values must be quoted" puzzled an author
                        // who had quoted it.
                        problems.push_back({j, "typographic quote " + std::string(src.substr(j, 3)) +
                                                   " around a value: XML needs straight quotes; write \"...\""});
                        out.stopped = true;
                        return out;
                    } else if (d == '>' || d == '<') {
                        break;
                    }
                }
                if (j >= src.size() || src[j] == '<') break;  // a broken tag: pugixml reports it
                if (!root_seen) root_name = name;
                if (src[j - 1] != '/') {
                    open.push_back(name);
                    open_at.push_back(i);
                }
                root_seen = true;
                i = j + 1;
            }
            continue;
        }
        if (open.empty()) {
            if (!is_xml_space(c)) outside(i);
        } else if (c != '<' && c != '&' && c != ']') {
            // Skip the plain bytes of element text (most of a file).
            i = skip_to<'<', '&', ']'>(src, i + 1) - 1;
        } else if (c == '&') {
            check_reference(src, i, problems);
        } else if (c == ']' && starts(i, "]]>")) {
            problems.push_back({i, "']]>' is not allowed in text; write ']]&gt;'"});
        }
        ++i;
    }
    if (i >= src.size() && !open.empty() && out.open_at_mismatch.empty()) {
        out.open_at_mismatch = open.back();
        out.open_at_mismatch_offset = open_at.back();
        out.mismatch_at_end = true;
    }
    return out;
}

// pugixml's descriptions name the parser's state; these say what is wrong in the file.
std::string parser_message(pugi::xml_parse_status status, const char* description, const syntax_scan& scan) {
    switch (status) {
        case pugi::status_end_element_mismatch:
            if (scan.mismatch_at_end)
                return "the file ends while <" + scan.open_at_mismatch + "> of line " +
                       std::to_string(scan.open_at_mismatch_line) + " is still open; add </" +
                       scan.open_at_mismatch + ">";
            if (!scan.open_at_mismatch.empty())
                return "closing tag </" + scan.closing_at_mismatch + "> does not match the open element <" +
                       scan.open_at_mismatch + "> of line " + std::to_string(scan.open_at_mismatch_line) +
                       " (check for a missing </" + scan.open_at_mismatch + "> or a typo in the tag name)";
            return "closing tag does not match the open element (check for a missing closing tag or a typo in "
                   "the tag name)";
        case pugi::status_no_document_element:
        case pugi::status_append_invalid_root:
            return "the file is empty or has no root element; a tree file starts with <tree format=\"1\" ...>";
        case pugi::status_bad_attribute:
            return "malformed attribute: values must be quoted, e.g. id=\"power\"";
        case pugi::status_bad_start_element:
            return "malformed start tag: check the element name and that the tag ends with '>' or '/>'";
        case pugi::status_bad_end_element:
            return "malformed closing tag: write </name> with the name of the open element";
        case pugi::status_unrecognized_tag:
            return "'<' must start an element, a comment or <?...?>; write '&lt;' for a literal '<'";
        case pugi::status_bad_comment: return "malformed comment: write <!-- ... -->";
        case pugi::status_bad_cdata: return "malformed CDATA section: write <![CDATA[ ... ]]>";
        case pugi::status_bad_pi:
            return "malformed processing instruction or XML declaration: write "
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
        default: return std::string("XML error: ") + description;
    }
}

}  // namespace

// [SECTION] public entry points

namespace {

load_result load_tree(std::string_view xml, std::string file, bool from_disk) {
    load_result out;
    if (xml.size() > max_tree_bytes) {
        out.problems.push_back(file_problem("too-large",
                                            "file is " + size_text(xml.size()) + "; the limit is " +
                                                size_text(max_tree_bytes) + ": split the tree with jumps",
                                            file));
        return out;
    }
    // Checked before parsing: pugixml would accept the bytes and hand garbage to the model.
    if (const auto bad = find_invalid_utf8(xml)) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(xml[*bad])));
        out.problems.push_back(file_problem("invalid-utf8",
                                            std::string("invalid UTF-8 (byte ") + hex +
                                                "); save the file as UTF-8",
                                            file, position_at(xml, *bad)));
        return out;
    }

    pugi::xml_document doc;
    const auto parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_doctype,
                                        pugi::encoding_utf8);
    const std::string doctype_message =
        "DOCTYPE declarations are not allowed (entity definitions could expand without limit); remove it";
    for (pugi::xml_node c = doc.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_doctype) continue;
        const auto value_off = c.offset_debug();
        std::size_t off = value_off >= 0 ? static_cast<std::size_t>(value_off) : 0;
        if (const std::size_t decl = xml.rfind("<!DOCTYPE", off); decl != std::string_view::npos) off = decl;
        out.problems.push_back(file_problem("doctype", doctype_message, file, position_at(xml, off)));
        return out;
    }
    if (parsed.status == pugi::status_bad_doctype) {
        out.problems.push_back(file_problem("doctype", doctype_message, file,
                                            position_at(xml, static_cast<std::size_t>(parsed.offset))));
        return out;
    }
    syntax_scan scan = scan_xml_syntax(xml);
    if (!scan.open_at_mismatch.empty())
        scan.open_at_mismatch_line = position_at(xml, scan.open_at_mismatch_offset).line;
    if (!parsed) {
        const auto off = static_cast<std::size_t>(std::max<std::ptrdiff_t>(parsed.offset, 0));
        const bool known = std::any_of(scan.problems.begin(), scan.problems.end(),
                                       [&](const syntax_problem& p) { return p.offset == off; });
        const bool after_stop = scan.stopped && off >= scan.problems.back().offset;
        if (!known && !after_stop) scan.problems.push_back({off, parser_message(parsed.status, parsed.description(), scan)});
    }
    if (!scan.problems.empty()) {
        std::stable_sort(scan.problems.begin(), scan.problems.end(),
                         [](const syntax_problem& a, const syntax_problem& b) { return a.offset < b.offset; });
        line_index lines(xml);
        for (auto& p : scan.problems)
            out.problems.push_back(file_problem("xml-syntax", std::move(p.message), file, lines.at(p.offset)));
        return out;
    }
    loader l(xml, std::move(file), from_disk);
    load_result result = l.run(doc);
    result.comments = scan.comments;
    result.instructions = scan.instructions;
    return result;
}

}  // namespace

load_result load_tree_string(std::string_view xml, std::string file) {
    return load_tree(xml, std::move(file), false);
}

load_result load_tree_string_as_file(std::string_view xml, std::string path) {
    return load_tree(xml, std::move(path), true);
}

load_result load_tree_file(const std::string& path, std::string* bytes) {
    load_result out;
    if (bytes) bytes->clear();
    const auto fail = [&](std::string code, std::string message) {
        out.problems.push_back(file_problem(std::move(code), std::move(message), path));
        return out;
    };
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return fail("read-error", "cannot read: it is a directory");
    // The size is checked before reading: a huge file is refused without loading it.
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec && size > max_tree_bytes)
        return fail("too-large", "file is " + size_text(size) + "; the limit is " + size_text(max_tree_bytes) +
                                     ": split the tree with jumps");

    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return fail("read-error", std::string("cannot read: ") + std::strerror(errno));
    struct file_closer {
        void operator()(std::FILE* p) const { std::fclose(p); }
    };
    const std::unique_ptr<std::FILE, file_closer> guard(f);

    // Read with a cap too: pipes and devices have no size to check up front.
    std::string content;
    if (!ec) content.reserve(static_cast<std::size_t>(size));
    char buffer[1 << 16];
    for (;;) {
        const std::size_t n = std::fread(buffer, 1, sizeof buffer, f);
        content.append(buffer, n);
        if (content.size() > max_tree_bytes)
            return fail("too-large", "file is larger than " + size_text(max_tree_bytes) + ": split the tree with jumps");
        if (n < sizeof buffer) {
            if (std::ferror(f)) return fail("read-error", std::string("cannot read: ") + std::strerror(errno));
            break;
        }
    }
    out = load_tree(content, path, true);
    if (bytes) *bytes = std::move(content);
    return out;
}

std::string unkept_markup(std::size_t comments, std::size_t instructions) {
    const auto count = [](std::size_t n, const char* what) {
        return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
    };
    std::string out = comments ? count(comments, "XML comment") : "";
    if (instructions)
        out += (out.empty() ? "" : " and ") + count(instructions, "processing instruction") + " (<?...?>)";
    return out;
}

}  // namespace signpost
