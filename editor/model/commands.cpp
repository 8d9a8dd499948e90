#include "model/commands.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "model/expression_text.hpp"
#include "model/files.hpp"
#include "signpost/calendar_date.hpp"
#include "signpost/expr.hpp"
#include "signpost/text.hpp"
#include "signpost/load.hpp"
#include "signpost/save.hpp"

namespace signpost::editor {

namespace {

// [SECTION] recording edits

// Collects an edit against a base tree without touching it: the builder edits copies of
// the nodes it touches, and finish() turns them into a tree_change. Erased and inserted
// nodes are ordered so every op's index is valid when it runs.
class recorder {
public:
    explicit recorder(const tree& t) : m_base(t) {}

    const tree& base() const { return m_base; }

    // The node as edited so far.
    const node& view(std::size_t i) const {
        const auto hit = m_edits.find(i);
        return hit == m_edits.end() ? m_base.nodes[i] : hit->second;
    }
    // A mutable copy of node i that becomes its new state.
    node& edit(std::size_t i) { return m_edits.try_emplace(i, m_base.nodes[i]).first->second; }
    void erase(std::size_t i) { m_erased.insert(i); }
    bool erased(std::size_t i) const { return m_erased.count(i) != 0; }
    // Appends a new node (its id must be free: use fresh_id()).
    node& insert(node n) {
        m_taken.insert(n.id);
        m_created.push_back(n.id);
        m_inserted.push_back(std::move(n));
        return m_inserted.back();
    }
    // Index of a base node by id (-1 when missing or erased).
    int find(std::string_view id) const {
        const int i = m_base.index_of(id);
        return i >= 0 && erased(static_cast<std::size_t>(i)) ? -1 : i;
    }
    // True when a node with this id exists in the result (base or inserted).
    bool exists(const std::string& id) const { return find(id) >= 0 || m_taken.count(id) != 0; }
    // An id no base or inserted node has, derived from `wanted`.
    std::string fresh_id(std::string_view wanted);
    // Reserves an id (an inserted node will take it).
    void reserve(const std::string& id) { m_taken.insert(id); }

    tree_header& header() {
        if (!m_header) m_header = header_of(m_base);
        return *m_header;
    }
    std::vector<variable>& variables() {
        if (!m_variables) m_variables = m_base.variables;
        return *m_variables;
    }

    void set_pos(const std::string& id, vec2 p);
    // Drops every layout entry naming one of `ids` (one pass, for big deletes).
    void erase_positions(const std::unordered_set<std::string>& ids);
    void rename_pos(const std::string& old_id, const std::string& new_id);

    const std::vector<std::string>& created() const { return m_created; }
    // Merge key chosen while building (overrides the command's own when set).
    std::string key;

    tree_change finish();

private:
    int layout_index(const std::string& id) const {
        const layout_entry* e = m_base.find_layout(id);
        return e ? static_cast<int>(e - m_base.layout.data()) : -1;
    }

    const tree& m_base;
    std::map<std::size_t, node> m_edits;
    std::set<std::size_t> m_erased;
    std::deque<node> m_inserted;  // deque: references handed out stay valid
    std::unordered_set<std::string> m_taken;
    std::unordered_map<std::string, int> m_next_number;
    std::vector<std::string> m_created;
    std::optional<tree_header> m_header;
    std::optional<std::vector<variable>> m_variables;
    std::map<std::size_t, layout_entry> m_layout_edits;
    std::set<std::size_t> m_layout_erased;
    std::vector<layout_entry> m_layout_added;
};

// "question-3" -> ("question", 3); "power" -> ("power", 0).
std::pair<std::string, int> split_number(std::string_view id) {
    const std::size_t dash = id.rfind('-');
    if (dash == std::string_view::npos || dash == 0 || dash + 1 >= id.size() || id.size() - dash > 7)
        return {std::string(id), 0};
    int n = 0;
    for (std::size_t i = dash + 1; i < id.size(); ++i) {
        if (id[i] < '0' || id[i] > '9') return {std::string(id), 0};
        n = n * 10 + (id[i] - '0');
    }
    return {std::string(id.substr(0, dash)), n};
}

std::string recorder::fresh_id(std::string_view wanted) {
    std::string want = is_valid_id(wanted) ? std::string(wanted) : std::string("node");
    if (!exists(want)) return want;
    auto [stem, number] = split_number(want);
    // Keep the result a valid id even for a stem close to the length limit.
    if (stem.size() > 110) stem.resize(110);
    int& next = m_next_number[stem];
    next = std::max({next, number + 1, 2});
    while (true) {
        std::string id = stem + "-" + std::to_string(next++);
        if (!exists(id)) return id;
    }
}

void recorder::set_pos(const std::string& id, vec2 p) {
    for (auto& e : m_layout_added)
        if (e.node == id) {
            e.x = p.x;
            e.y = p.y;
            return;
        }
    const int i = layout_index(id);
    if (i >= 0 && !m_layout_erased.count(static_cast<std::size_t>(i))) {
        const auto idx = static_cast<std::size_t>(i);
        const layout_entry& old = m_base.layout[idx];
        const auto edited = m_layout_edits.find(idx);
        const layout_entry& now = edited == m_layout_edits.end() ? old : edited->second;
        if (now.x == p.x && now.y == p.y) return;
        layout_entry& e = m_layout_edits.try_emplace(idx, old).first->second;
        e.x = p.x;
        e.y = p.y;
        return;
    }
    m_layout_added.push_back({id, p.x, p.y});
}

void recorder::erase_positions(const std::unordered_set<std::string>& ids) {
    std::erase_if(m_layout_added, [&](const layout_entry& e) { return ids.count(e.node) != 0; });
    // Every entry naming the node goes (a hand-edited file may hold more than one).
    for (std::size_t i = 0; i < m_base.layout.size(); ++i)
        if (ids.count(m_base.layout[i].node)) m_layout_erased.insert(i);
}

void recorder::rename_pos(const std::string& old_id, const std::string& new_id) {
    for (auto& e : m_layout_added)
        if (e.node == old_id) e.node = new_id;
    for (std::size_t i = 0; i < m_base.layout.size(); ++i)
        if (m_base.layout[i].node == old_id && !m_layout_erased.count(i))
            m_layout_edits.try_emplace(i, m_base.layout[i]).first->second.node = new_id;
}

tree_change recorder::finish() {
    tree_change c;
    if (m_header && !(*m_header == header_of(m_base))) c.header.emplace(header_of(m_base), std::move(*m_header));
    if (m_variables) c.variables.emplace(m_base.variables, std::move(*m_variables));
    for (auto& [i, n] : m_edits)
        if (!m_erased.count(i)) c.nodes.push_back({i, m_base.nodes[i], std::move(n)});
    for (auto it = m_erased.rbegin(); it != m_erased.rend(); ++it) c.nodes.push_back({*it, m_base.nodes[*it], std::nullopt});
    std::size_t next = m_base.nodes.size() - m_erased.size();
    for (auto& n : m_inserted) c.nodes.push_back({next++, std::nullopt, std::move(n)});

    for (auto& [i, e] : m_layout_edits)
        if (!m_layout_erased.count(i)) c.layout.push_back({i, m_base.layout[i], std::move(e)});
    for (auto it = m_layout_erased.rbegin(); it != m_layout_erased.rend(); ++it)
        c.layout.push_back({*it, m_base.layout[*it], std::nullopt});
    next = m_base.layout.size() - m_layout_erased.size();
    for (auto& e : m_layout_added) c.layout.push_back({next++, std::nullopt, std::move(e)});
    return c;
}

// [SECTION] the command every factory returns

using build_fn = std::function<std::optional<std::string>(recorder&)>;

class edit_command final : public command {
public:
    edit_command(std::string label, std::string key, build_fn build)
        : m_label(std::move(label)), m_key(std::move(key)), m_build(std::move(build)) {}

    std::optional<std::string> apply(tree& t) override {
        if (!m_built) {
            recorder r(t);
            if (auto error = m_build(r)) return error;
            if (!r.key.empty()) m_key = r.key;
            m_created = r.created();
            m_change = r.finish();
            if (auto why = find_unstorable_text(m_change)) {
                m_change = {};
                m_created.clear();
                return why;
            }
            m_built = true;
            m_build = nullptr;  // drop captured arguments (clipboard text...)
        }
        apply_change(t, m_change);
        return std::nullopt;
    }
    void revert(tree& t) override { revert_change(t, m_change); }
    std::string label() const override { return m_label; }
    std::string merge_key() const override { return m_key; }
    bool absorb(command& later) override {
        auto* other = dynamic_cast<edit_command*>(&later);
        if (!other || !other->m_built || !m_built) return false;
        compose_change(m_change, std::move(other->m_change));
        other->m_change = {};
        m_created.insert(m_created.end(), other->m_created.begin(), other->m_created.end());
        return true;
    }
    std::vector<std::string> created_nodes() const override { return m_created; }
    bool changed() const override { return !m_change.empty(); }

private:
    std::string m_label;
    std::string m_key;
    build_fn m_build;
    bool m_built = false;
    tree_change m_change;
    std::vector<std::string> m_created;
};

std::unique_ptr<command> make(std::string label, std::string key, build_fn fn) {
    return std::make_unique<edit_command>(std::move(label), std::move(key), std::move(fn));
}

// [SECTION] small helpers

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string no_node(std::string_view id) { return "there is no node " + quoted(id); }

std::string_view trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

// A node of the wanted kind, or an error message.
std::optional<std::string> need(const recorder& r, const std::string& id, int& index,
                                std::optional<node_kind> kind = std::nullopt) {
    index = r.find(id);
    if (index < 0) return no_node(id);
    if (kind && r.view(static_cast<std::size_t>(index)).kind != *kind)
        return quoted(id) + " is not a " + to_string(*kind) + " node";
    return std::nullopt;
}

std::optional<std::string> need_index(int index, std::size_t size, const char* what) {
    if (index < 0 || static_cast<std::size_t>(index) >= size)
        return std::string("there is no ") + what + " " + std::to_string(index + 1);
    return std::nullopt;
}

// A condition from typed text: parsed when it parses, else kept as written (like the loader).
expression condition_from(std::string_view text) {
    const auto source = trim(text);
    auto parsed = parse_expression(source);
    if (parsed.result) return std::move(*parsed.result);
    return expression(nullptr, std::string(source));
}

void set_assignments(choice& c, std::string_view text) {
    c.set_source = std::string(trim(text));
    auto parsed = parse_assignments(c.set_source);
    c.sets = parsed.result ? std::move(*parsed.result) : std::vector<assignment>{};
}

template <typename T>
void move_item(std::vector<T>& list, std::size_t from, std::size_t to) {
    if (from < to)
        std::rotate(list.begin() + static_cast<std::ptrdiff_t>(from), list.begin() + static_cast<std::ptrdiff_t>(from) + 1,
                    list.begin() + static_cast<std::ptrdiff_t>(to) + 1);
    else if (from > to)
        std::rotate(list.begin() + static_cast<std::ptrdiff_t>(to), list.begin() + static_cast<std::ptrdiff_t>(from),
                    list.begin() + static_cast<std::ptrdiff_t>(from) + 1);
}

bool has_text(node_kind k) { return k != node_kind::logic && k != node_kind::jump; }

const char* property_name(node_property p) {
    switch (p) {
        case node_property::title: return "title";
        case node_property::text: return "text";
        case node_property::hint: return "hint";
        case node_property::team: return "team";
        case node_property::priority: return "priority";
        case node_property::outcome: return "outcome";
        case node_property::tree_ref: return "tree";
        case node_property::to: return "to";
    }
    return "?";
}

bool property_applies(node_property p, node_kind k) {
    switch (p) {
        case node_property::title: return true;
        case node_property::text:
        case node_property::hint: return has_text(k);
        case node_property::team:
        case node_property::priority: return k == node_kind::escalate;
        case node_property::outcome: return k == node_kind::end;
        case node_property::tree_ref: return k == node_kind::jump;
        case node_property::to: return k == node_kind::step || k == node_kind::form || k == node_kind::jump;
    }
    return false;
}

template <typename Node>
auto* property_field(Node& n, node_property p) {
    switch (p) {
        case node_property::title: return &n.title;
        case node_property::text: return &n.text;
        case node_property::hint: return &n.hint;
        case node_property::team: return &n.team;
        case node_property::priority: return &n.priority;
        case node_property::outcome: return &n.outcome;
        case node_property::tree_ref: return &n.tree_ref;
        case node_property::to: return &n.to;
    }
    return &n.title;
}

// Points pin `p` at `target` inside a recorder (shared by connect and connect_to_new_node).
std::optional<std::string> link_pin(recorder& r, const pin& p, const std::string& target) {
    int index = -1;
    if (auto e = need(r, p.node, index)) return e;
    if (!target.empty() && !r.exists(target)) return no_node(target);
    const auto i = static_cast<std::size_t>(index);
    const node& now = r.view(i);
    switch (p.slot) {
        case pin_slot::choice: {
            if (now.kind != node_kind::question) return quoted(p.node) + " has no answers";
            if (p.index < 0 || static_cast<std::size_t>(p.index) > now.choices.size())
                return need_index(p.index, now.choices.size(), "answer");
            if (static_cast<std::size_t>(p.index) == now.choices.size()) {
                if (target.empty()) return std::nullopt;  // dropping the "add" pin nowhere adds nothing
                choice c;
                c.label = "New answer";
                c.to = target;
                r.edit(i).choices.push_back(std::move(c));
            } else if (now.choices[static_cast<std::size_t>(p.index)].to != target) {
                r.edit(i).choices[static_cast<std::size_t>(p.index)].to = target;
            }
            return std::nullopt;
        }
        case pin_slot::branch: {
            if (now.kind != node_kind::logic) return quoted(p.node) + " has no branches";
            if (p.index < 0 || static_cast<std::size_t>(p.index) > now.branches.size())
                return need_index(p.index, now.branches.size(), "branch");
            if (static_cast<std::size_t>(p.index) == now.branches.size()) {
                if (target.empty()) return std::nullopt;
                branch b;
                b.condition = condition_from("true");
                b.to = target;
                r.edit(i).branches.push_back(std::move(b));
            } else if (now.branches[static_cast<std::size_t>(p.index)].to != target) {
                r.edit(i).branches[static_cast<std::size_t>(p.index)].to = target;
            }
            return std::nullopt;
        }
        case pin_slot::otherwise:
            if (now.kind != node_kind::logic) return quoted(p.node) + " has no 'otherwise'";
            if (now.otherwise != target) r.edit(i).otherwise = target;
            return std::nullopt;
        case pin_slot::next:
            if (now.kind != node_kind::step && now.kind != node_kind::form && now.kind != node_kind::jump)
                return quoted(p.node) + " has no 'next' link";
            if (now.to != target) r.edit(i).to = target;
            return std::nullopt;
    }
    return std::nullopt;
}

bool is_identifier(std::string_view s) {
    if (s.empty()) return false;
    const auto start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (!start(s[0])) return false;
    return std::all_of(s.begin(), s.end(), [&](char c) { return start(c) || (c >= '0' && c <= '9'); });
}

bool is_keyword(std::string_view s) { return s == "and" || s == "or" || s == "not" || s == "true" || s == "false"; }

std::optional<std::string> check_variable_name(std::string_view name) {
    if (!is_identifier(name) || is_keyword(name))
        return quoted(name) +
               " is not a valid variable name: use letters, digits and '_', not starting with a digit, and no keyword";
    return std::nullopt;
}

// Checks what cannot be saved at all and fills the parsed default; a default that does
// not fit is kept as text for the validator to report, as the loader would.
std::optional<std::string> normalise_variable(variable& v) {
    if (auto e = check_variable_name(v.name)) return e;
    if (v.type != var_type::choice) v.options.clear();
    std::set<std::string> seen;
    for (const auto& o : v.options) {
        if (o.empty() || o.find_first_of(" \t\r\n") != std::string::npos)
            return "option " + quoted(o) + " must be one word (options are separated by spaces)";
        if (!seen.insert(o).second) return "option " + quoted(o) + " is listed twice";
    }
    v.default_value.reset();
    if (v.default_text) {
        if (v.type == var_type::choice) {
            if (seen.count(*v.default_text)) v.default_value = value{*v.default_text};
        } else if (v.type == var_type::date) {
            // As the loader reads a file: a day written YYYY-MM-DD, never "friday".
            if (parse_iso_day(*v.default_text)) v.default_value = value{*v.default_text};
        } else {
            v.default_value = parse_value(v.type, *v.default_text);
        }
    }
    return std::nullopt;
}

int variable_index(const std::vector<variable>& vars, std::string_view name) {
    for (std::size_t i = 0; i < vars.size(); ++i)
        if (vars[i].name == name) return static_cast<int>(i);
    return -1;
}

std::string join_ids(std::vector<std::string> ids) {
    std::sort(ids.begin(), ids.end());
    std::string out;
    for (const auto& id : ids) {
        out += id;
        out += ',';
    }
    return out;
}

}  // namespace

// [SECTION] public helpers

std::string unique_node_id(const tree& t, std::string_view base) {
    recorder r(t);
    return r.fresh_id(base);
}

std::optional<vec2> position_of(const tree& t, std::string_view node_id) {
    if (const layout_entry* e = t.find_layout(node_id)) return vec2{e->x, e->y};
    return std::nullopt;
}

node make_node(node_kind kind, std::string id) {
    node n;
    n.kind = kind;
    n.id = std::move(id);
    switch (kind) {
        case node_kind::question: n.text = "New question"; break;
        case node_kind::step: n.text = "New step"; break;
        case node_kind::form: n.text = "Ask for these details."; break;
        case node_kind::logic:
        case node_kind::jump: break;
        case node_kind::escalate:
            n.team = "Support";
            n.priority = "normal";
            n.text = "Hand off the call.";
            break;
        case node_kind::end:
            n.outcome = "resolved";
            n.text = "Thank the customer.";
            break;
    }
    return n;
}

// [SECTION] nodes

namespace {
std::optional<std::string> add_node_to(recorder& r, node_kind kind, vec2 pos, std::string& id) {
    id = r.fresh_id(std::string(to_string(kind)) + "-1");
    r.insert(make_node(kind, id));
    r.set_pos(id, pos);
    // The first node of an empty tree is its start. Not a node added to a tree whose start
    // was deleted: a new end linked from an answer would silently make every call end at
    // once; the missing start stays an error until the author says which node starts.
    if (r.base().nodes.empty() && !r.exists(r.header().start)) r.header().start = id;
    return std::nullopt;
}
}  // namespace

std::unique_ptr<command> add_node(node_kind kind, vec2 pos) {
    return make("Add " + std::string(to_string(kind)), {}, [kind, pos](recorder& r) {
        std::string id;
        return add_node_to(r, kind, pos, id);
    });
}

std::unique_ptr<command> delete_nodes(std::vector<std::string> ids) {
    return make(ids.size() == 1 ? "Delete node" : "Delete nodes", {}, [ids = std::move(ids)](recorder& r) -> std::optional<std::string> {
        std::unordered_set<std::string> doomed;
        for (const auto& id : ids)
            if (r.find(id) >= 0) doomed.insert(id);
        if (doomed.empty()) return std::string("nothing to delete");
        const tree& t = r.base();
        r.erase_positions(doomed);
        for (std::size_t i = 0; i < t.nodes.size(); ++i) {
            const node& n = t.nodes[i];
            if (doomed.count(n.id)) {
                r.erase(i);
                continue;
            }
            const auto gone = [&](const std::string& to) { return !to.empty() && doomed.count(to) != 0; };
            const bool touches = gone(n.to) || gone(n.otherwise) ||
                                 std::any_of(n.choices.begin(), n.choices.end(), [&](const choice& c) { return gone(c.to); }) ||
                                 std::any_of(n.branches.begin(), n.branches.end(), [&](const branch& b) { return gone(b.to); });
            if (!touches) continue;
            // Answers and branches that led there stay, unlinked: their labels, conditions and
            // `set`s are the author's work, and Problems lists each one to link again.
            node& e = r.edit(i);
            for (choice& c : e.choices)
                if (gone(c.to)) c.to.clear();
            for (branch& b : e.branches)
                if (gone(b.to)) b.to.clear();
            // An empty <otherwise> is no otherwise, and a jump with no `to` ends the call
            // when its tree ends: cleared, the script would quietly do something else. They
            // keep naming the deleted node, an error Problems shows until linked again.
            if (gone(e.to) && e.kind != node_kind::jump) e.to.clear();
        }
        if (doomed.count(t.start)) r.header().start.clear();
        return std::nullopt;
    });
}

std::unique_ptr<command> move_nodes(std::vector<std::pair<std::string, vec2>> positions) {
    std::vector<std::string> ids;
    for (const auto& p : positions) ids.push_back(p.first);
    const bool one = positions.size() == 1;
    return make(one ? "Move node" : "Move nodes", "move:" + join_ids(std::move(ids)),
                [positions = std::move(positions)](recorder& r) -> std::optional<std::string> {
                    for (const auto& [id, pos] : positions) {
                        if (r.find(id) < 0) return no_node(id);
                        if (!std::isfinite(pos.x) || !std::isfinite(pos.y)) return std::string("position is not finite");
                        r.set_pos(id, pos);
                    }
                    return std::nullopt;
                });
}

std::unique_ptr<command> offset_nodes(const tree& t, const std::vector<std::string>& ids, vec2 delta) {
    std::vector<std::pair<std::string, vec2>> positions;
    for (const auto& id : ids) positions.emplace_back(id, position_of(t, id).value_or(vec2{}) + delta);
    return move_nodes(std::move(positions));
}

std::unique_ptr<command> set_node_property(std::string id, node_property property, std::string value) {
    const std::string key = "prop:" + id + ":" + property_name(property);
    // Element texts are kept as a save and reopen will give them back.
    if (property == node_property::text || property == node_property::hint) value = normalise_element_text(value);
    return make(std::string("Edit ") + property_name(property), key,
                [id = std::move(id), property, value = std::move(value)](recorder& r) -> std::optional<std::string> {
                    int i = -1;
                    if (auto e = need(r, id, i)) return e;
                    const node& now = r.view(static_cast<std::size_t>(i));
                    if (!property_applies(property, now.kind))
                        return std::string("a ") + to_string(now.kind) + " node has no " + property_name(property);
                    if (*property_field(now, property) == value) return std::nullopt;
                    *property_field(r.edit(static_cast<std::size_t>(i)), property) = value;
                    return std::nullopt;
                });
}

std::unique_ptr<command> rename_node(std::string old_id, std::string new_id) {
    return make("Rename node", {}, [old_id = std::move(old_id), new_id = std::move(new_id)](recorder& r) -> std::optional<std::string> {
        int index = -1;
        if (auto e = need(r, old_id, index)) return e;
        if (new_id == old_id) return std::nullopt;
        if (!is_valid_id(new_id))
            return quoted(new_id) +
                   " is not a valid id: use letters, digits, '-', '_' and '.', starting with a letter or digit";
        if (r.exists(new_id)) return quoted(new_id) + " is already the id of another node";
        const tree& t = r.base();
        for (std::size_t i = 0; i < t.nodes.size(); ++i) {
            const node& n = t.nodes[i];
            const bool refers = n.to == old_id || n.otherwise == old_id ||
                                std::any_of(n.choices.begin(), n.choices.end(), [&](const choice& c) { return c.to == old_id; }) ||
                                std::any_of(n.branches.begin(), n.branches.end(), [&](const branch& b) { return b.to == old_id; });
            if (!refers && static_cast<int>(i) != index) continue;
            node& e = r.edit(i);
            if (static_cast<int>(i) == index) e.id = new_id;
            if (e.to == old_id) e.to = new_id;
            if (e.otherwise == old_id) e.otherwise = new_id;
            for (auto& c : e.choices)
                if (c.to == old_id) c.to = new_id;
            for (auto& b : e.branches)
                if (b.to == old_id) b.to = new_id;
        }
        if (t.start == old_id) r.header().start = new_id;
        r.rename_pos(old_id, new_id);
        return std::nullopt;
    });
}

std::unique_ptr<command> change_kind(std::string id, node_kind kind) {
    return make("Change kind", {}, [id = std::move(id), kind](recorder& r) -> std::optional<std::string> {
        int i = -1;
        if (auto e = need(r, id, i)) return e;
        const node old = r.view(static_cast<std::size_t>(i));
        if (old.kind == kind) return std::nullopt;
        // The first outgoing link survives the change so the flow stays connected.
        std::string first_target = old.to;
        for (const auto& c : old.choices)
            if (first_target.empty()) first_target = c.to;
        for (const auto& b : old.branches)
            if (first_target.empty()) first_target = b.to;
        if (first_target.empty()) first_target = old.otherwise;

        node n = make_node(kind, old.id);
        n.title = old.title;
        n.pos = old.pos;
        if (has_text(kind) && has_text(old.kind)) {
            n.text = old.text;
            n.hint = old.hint;
        }
        switch (kind) {
            case node_kind::question:
                if (!first_target.empty()) {
                    choice c;
                    c.label = "Continue";
                    c.to = first_target;
                    n.choices.push_back(std::move(c));
                }
                break;
            case node_kind::form:
                n.fields = old.fields;
                n.to = first_target;
                break;
            case node_kind::step: n.to = first_target; break;
            case node_kind::jump:
                n.to = first_target;
                n.tree_ref = old.tree_ref;
                break;
            case node_kind::logic: n.otherwise = first_target; break;
            case node_kind::escalate:
                if (!old.team.empty()) n.team = old.team;
                if (!old.priority.empty()) n.priority = old.priority;
                break;
            case node_kind::end:
                if (!old.outcome.empty()) n.outcome = old.outcome;
                break;
        }
        r.edit(static_cast<std::size_t>(i)) = std::move(n);
        return std::nullopt;
    });
}

// [SECTION] choices

namespace {
// Runs `fn` on a copy of choice `index` of question `id`, recording it only when it changed.
std::unique_ptr<command> edit_choice(std::string label, std::string key, std::string id, int index,
                                     std::function<void(choice&)> fn,
                                     std::function<bool(const choice&)> unchanged) {
    return make(std::move(label), std::move(key),
                [id = std::move(id), index, fn = std::move(fn), unchanged = std::move(unchanged)](recorder& r) -> std::optional<std::string> {
                    int i = -1;
                    if (auto e = need(r, id, i, node_kind::question)) return e;
                    const node& now = r.view(static_cast<std::size_t>(i));
                    if (auto e = need_index(index, now.choices.size(), "answer")) return e;
                    if (unchanged(now.choices[static_cast<std::size_t>(index)])) return std::nullopt;
                    fn(r.edit(static_cast<std::size_t>(i)).choices[static_cast<std::size_t>(index)]);
                    return std::nullopt;
                });
}

std::string slot_key(const char* what, const std::string& id, int index) {
    return std::string(what) + ":" + id + ":" + std::to_string(index);
}
}  // namespace

std::unique_ptr<command> add_choice(std::string id, std::string label, std::string to) {
    label = normalise_element_text(label);
    return make("Add answer", {}, [id = std::move(id), label = std::move(label), to = std::move(to)](recorder& r) -> std::optional<std::string> {
        int i = -1;
        if (auto e = need(r, id, i, node_kind::question)) return e;
        choice c;
        c.label = label;
        c.to = to;
        r.edit(static_cast<std::size_t>(i)).choices.push_back(std::move(c));
        return std::nullopt;
    });
}

std::unique_ptr<command> remove_choice(std::string id, int index) {
    return make("Remove answer", {}, [id = std::move(id), index](recorder& r) -> std::optional<std::string> {
        int i = -1;
        if (auto e = need(r, id, i, node_kind::question)) return e;
        if (auto e = need_index(index, r.view(static_cast<std::size_t>(i)).choices.size(), "answer")) return e;
        auto& list = r.edit(static_cast<std::size_t>(i)).choices;
        list.erase(list.begin() + index);
        return std::nullopt;
    });
}

std::unique_ptr<command> move_choice(std::string id, int from, int to) {
    return make("Reorder answers", {}, [id = std::move(id), from, to](recorder& r) -> std::optional<std::string> {
        int i = -1;
        if (auto e = need(r, id, i, node_kind::question)) return e;
        const std::size_t size = r.view(static_cast<std::size_t>(i)).choices.size();
        if (auto e = need_index(from, size, "answer")) return e;
        if (auto e = need_index(to, size, "answer")) return e;
        if (from == to) return std::nullopt;
        move_item(r.edit(static_cast<std::size_t>(i)).choices, static_cast<std::size_t>(from), static_cast<std::size_t>(to));
        return std::nullopt;
    });
}

std::unique_ptr<command> set_choice_label(std::string id, int index, std::string label) {
    label = normalise_element_text(label);
    auto key = slot_key("choice-label", id, index);
    return edit_choice(
        "Edit answer", std::move(key), std::move(id), index, [label](choice& c) { c.label = label; },
        [label](const choice& c) { return c.label == label; });
}

std::unique_ptr<command> set_choice_target(std::string id, int index, std::string to) {
    return connect(pin{std::move(id), pin_slot::choice, index}, std::move(to));
}

std::unique_ptr<command> set_choice_condition(std::string id, int index, std::string text) {
    auto key = slot_key("choice-if", id, index);
    const std::string source(trim(text));
    return edit_choice(
        "Edit condition", std::move(key), std::move(id), index,
        [source](choice& c) {
            if (source.empty())
                c.condition.reset();
            else
                c.condition = condition_from(source);
        },
        [source](const choice& c) { return c.condition ? c.condition->source() == source : source.empty(); });
}

std::unique_ptr<command> set_choice_assignments(std::string id, int index, std::string text) {
    auto key = slot_key("choice-set", id, index);
    const std::string source(trim(text));
    return edit_choice(
        "Edit assignments", std::move(key), std::move(id), index, [source](choice& c) { set_assignments(c, source); },
        [source](const choice& c) { return c.set_source == source; });
}

// [SECTION] branches

std::unique_ptr<command> add_branch(std::string id, std::string condition, std::string to) {
    return make("Add branch", {}, [id = std::move(id), condition = std::move(condition), to = std::move(to)](recorder& r) -> std::optional<std::string> {
        int i = -1;
        if (auto e = need(r, id, i, node_kind::logic)) return e;
        branch b;
        b.condition = condition_from(condition);
        b.to = to;
        r.edit(static_cast<std::size_t>(i)).branches.push_back(std::move(b));
        return std::nullopt;
    });
}

std::unique_ptr<command> remove_branch(std::string id, int index) {
    return make("Remove branch", {}, [id = std::move(id), index](recorder& r) -> std::optional<std::string> {
        int i = -1;
        if (auto e = need(r, id, i, node_kind::logic)) return e;
        if (auto e = need_index(index, r.view(static_cast<std::size_t>(i)).branches.size(), "branch")) return e;
        auto& list = r.edit(static_cast<std::size_t>(i)).branches;
        list.erase(list.begin() + index);
        return std::nullopt;
    });
}

std::unique_ptr<command> move_branch(std::string id, int from, int to) {
    return make("Reorder branches", {}, [id = std::move(id), from, to](recorder& r) -> std::optional<std::string> {
        int i = -1;
        if (auto e = need(r, id, i, node_kind::logic)) return e;
        const std::size_t size = r.view(static_cast<std::size_t>(i)).branches.size();
        if (auto e = need_index(from, size, "branch")) return e;
        if (auto e = need_index(to, size, "branch")) return e;
        if (from == to) return std::nullopt;
        move_item(r.edit(static_cast<std::size_t>(i)).branches, static_cast<std::size_t>(from), static_cast<std::size_t>(to));
        return std::nullopt;
    });
}

std::unique_ptr<command> set_branch_condition(std::string id, int index, std::string text) {
    return make("Edit condition", slot_key("branch-if", id, index),
                [id = std::move(id), index, source = std::string(trim(text))](recorder& r) -> std::optional<std::string> {
                    int i = -1;
                    if (auto e = need(r, id, i, node_kind::logic)) return e;
                    const node& now = r.view(static_cast<std::size_t>(i));
                    if (auto e = need_index(index, now.branches.size(), "branch")) return e;
                    if (now.branches[static_cast<std::size_t>(index)].condition.source() == source) return std::nullopt;
                    r.edit(static_cast<std::size_t>(i)).branches[static_cast<std::size_t>(index)].condition = condition_from(source);
                    return std::nullopt;
                });
}

std::unique_ptr<command> set_branch_target(std::string id, int index, std::string to) {
    return connect(pin{std::move(id), pin_slot::branch, index}, std::move(to));
}

std::unique_ptr<command> set_otherwise(std::string id, std::string to) {
    return connect(pin{std::move(id), pin_slot::otherwise, 0}, std::move(to));
}

// [SECTION] fields

std::unique_ptr<command> add_field(std::string id, field f) {
    return make("Add field", {}, [id = std::move(id), f = std::move(f)](recorder& r) mutable -> std::optional<std::string> {
        int i = -1;
        if (auto e = need(r, id, i, node_kind::form)) return e;
        f.label = field_label(r.base(), f);  // as the loader fills it in
        r.edit(static_cast<std::size_t>(i)).fields.push_back(f);
        return std::nullopt;
    });
}

std::unique_ptr<command> remove_field(std::string id, int index) {
    return make("Remove field", {}, [id = std::move(id), index](recorder& r) -> std::optional<std::string> {
        int i = -1;
        if (auto e = need(r, id, i, node_kind::form)) return e;
        if (auto e = need_index(index, r.view(static_cast<std::size_t>(i)).fields.size(), "field")) return e;
        auto& list = r.edit(static_cast<std::size_t>(i)).fields;
        list.erase(list.begin() + index);
        return std::nullopt;
    });
}

std::unique_ptr<command> move_field(std::string id, int from, int to) {
    return make("Reorder fields", {}, [id = std::move(id), from, to](recorder& r) -> std::optional<std::string> {
        int i = -1;
        if (auto e = need(r, id, i, node_kind::form)) return e;
        const std::size_t size = r.view(static_cast<std::size_t>(i)).fields.size();
        if (auto e = need_index(from, size, "field")) return e;
        if (auto e = need_index(to, size, "field")) return e;
        if (from == to) return std::nullopt;
        move_item(r.edit(static_cast<std::size_t>(i)).fields, static_cast<std::size_t>(from), static_cast<std::size_t>(to));
        return std::nullopt;
    });
}

std::unique_ptr<command> set_field(std::string id, int index, field f) {
    return make("Edit field", slot_key("field", id, index), [id = std::move(id), index, f = std::move(f)](recorder& r) mutable -> std::optional<std::string> {
        int i = -1;
        if (auto e = need(r, id, i, node_kind::form)) return e;
        f.label = field_label(r.base(), f);  // as the loader fills it in
        const node& now = r.view(static_cast<std::size_t>(i));
        if (auto e = need_index(index, now.fields.size(), "field")) return e;
        const field& old = now.fields[static_cast<std::size_t>(index)];
        if (old.variable == f.variable && old.label == f.label && old.required == f.required &&
            old.pattern == f.pattern && old.placeholder == f.placeholder)
            return std::nullopt;
        field& target = r.edit(static_cast<std::size_t>(i)).fields[static_cast<std::size_t>(index)];
        const source_pos keep = target.pos;
        target = f;
        target.pos = keep;
        return std::nullopt;
    });
}

// [SECTION] links

std::unique_ptr<command> connect(pin from, std::string target) {
    return make(target.empty() ? "Remove link" : "Link", {},
                [from = std::move(from), target = std::move(target)](recorder& r) { return link_pin(r, from, target); });
}

std::unique_ptr<command> disconnect(pin from) { return connect(std::move(from), {}); }

std::unique_ptr<command> connect_to_new_node(pin from, node_kind kind, vec2 pos) {
    return make("Add linked " + std::string(to_string(kind)), {},
                [from = std::move(from), kind, pos](recorder& r) -> std::optional<std::string> {
                    if (r.find(from.node) < 0) return no_node(from.node);
                    std::string id;
                    if (auto e = add_node_to(r, kind, pos, id)) return e;
                    return link_pin(r, from, id);
                });
}

// [SECTION] tree

std::unique_ptr<command> set_tree_header(tree_header header) {
    header.description = normalise_element_text(header.description);
    return make("Edit tree", "tree", [header = std::move(header)](recorder& r) -> std::optional<std::string> {
        if (!is_valid_id(header.id))
            return quoted(header.id) + " is not a valid tree id: use letters, digits, '-', '_' and '.'";
        if (header.version < 1) return std::string("the version must be 1 or more");
        const tree_header old = header_of(r.base());
        // Typing in one field merges; switching to another field starts a new step.
        std::string key = "tree:";
        if (old.id != header.id) key += "id,";
        if (old.version != header.version) key += "version,";
        if (old.title != header.title) key += "title,";
        if (old.start != header.start) key += "start,";
        if (old.description != header.description) key += "description,";
        if (old.allow_find != header.allow_find) key += "allow_find,";
        r.key = key;
        r.header() = header;
        return std::nullopt;
    });
}

// [SECTION] variables

std::unique_ptr<command> add_variable(variable v) {
    return make("Add variable", {}, [v = std::move(v)](recorder& r) mutable -> std::optional<std::string> {
        if (auto e = normalise_variable(v)) return e;
        if (variable_index(r.variables(), v.name) >= 0) return "a variable named " + quoted(v.name) + " already exists";
        r.variables().push_back(v);
        return std::nullopt;
    });
}

std::unique_ptr<command> set_variable(std::string name, variable v) {
    const std::string key = "var:" + name;
    return make("Edit variable", key, [name = std::move(name), v = std::move(v)](recorder& r) mutable -> std::optional<std::string> {
        if (v.name != name) return std::string("use rename to change a variable's name");
        const int i = variable_index(r.base().variables, name);
        if (i < 0) return "there is no variable " + quoted(name);
        if (auto e = normalise_variable(v)) return e;
        const variable& old = r.base().variables[static_cast<std::size_t>(i)];
        if (old.type == v.type && old.options == v.options && old.default_text == v.default_text && old.label == v.label &&
            old.is_private == v.is_private)
            return std::nullopt;
        v.pos = old.pos;
        r.variables()[static_cast<std::size_t>(i)] = v;
        return std::nullopt;
    });
}

std::unique_ptr<command> rename_variable(std::string old_name, std::string new_name) {
    return make("Rename variable", {}, [old_name = std::move(old_name), new_name = std::move(new_name)](recorder& r) -> std::optional<std::string> {
        const tree& t = r.base();
        const int vi = variable_index(t.variables, old_name);
        if (vi < 0) return "there is no variable " + quoted(old_name);
        if (new_name == old_name) return std::nullopt;
        if (auto e = check_variable_name(new_name)) return e;
        if (variable_index(t.variables, new_name) >= 0) return "a variable named " + quoted(new_name) + " already exists";
        r.variables()[static_cast<std::size_t>(vi)].name = new_name;
        const auto text = [&](const std::string& s) { return rename_in_text(s, old_name, new_name); };
        const auto expr = [&](const std::string& s) { return rename_in_expression(s, old_name, new_name); };
        for (std::size_t i = 0; i < t.nodes.size(); ++i) {
            node n = t.nodes[i];
            bool changed = false;
            const auto update = [&](std::string& s, const std::string& renamed) {
                if (s != renamed) {
                    s = renamed;
                    changed = true;
                }
            };
            update(n.text, text(n.text));
            update(n.hint, text(n.hint));
            for (auto& c : n.choices) {
                update(c.label, text(c.label));
                if (c.condition) {
                    const std::string renamed = expr(c.condition->source());
                    if (renamed != c.condition->source()) {
                        c.condition = condition_from(renamed);
                        changed = true;
                    }
                }
                if (const std::string renamed = expr(c.set_source); renamed != c.set_source) {
                    set_assignments(c, renamed);
                    changed = true;
                }
            }
            for (auto& b : n.branches) {
                const std::string renamed = expr(b.condition.source());
                if (renamed != b.condition.source()) {
                    b.condition = condition_from(renamed);
                    changed = true;
                }
            }
            for (auto& f : n.fields)
                if (f.variable == old_name) {
                    f.variable = new_name;
                    changed = true;
                }
            if (changed) r.edit(i) = std::move(n);
        }
        if (const std::string d = text(t.description); d != t.description) r.header().description = d;
        return std::nullopt;
    });
}

std::unique_ptr<command> remove_variable(std::string name) {
    return make("Remove variable", {}, [name = std::move(name)](recorder& r) -> std::optional<std::string> {
        const int i = variable_index(r.base().variables, name);
        if (i < 0) return "there is no variable " + quoted(name);
        r.variables().erase(r.variables().begin() + i);
        return std::nullopt;
    });
}

// [SECTION] clipboard

namespace {

// The lines of a clipboard's description that name its source.
constexpr std::string_view source_tree_key = "source-tree: ";
constexpr std::string_view source_file_key = "source-file: ";
constexpr std::string_view source_instance_key = "source-instance: ";

// One spelling per file, so "trees/x.xml" and "./trees/x.xml" are one file.
std::string file_key(std::string_view file) { return absolute_path(std::string(file)); }

}  // namespace

std::string copy_nodes(const tree& t, const std::vector<std::string>& ids, std::string_view source_file,
                       std::string_view source_instance) {
    std::unordered_set<std::string> wanted(ids.begin(), ids.end());
    tree part;
    part.id = "clipboard";
    part.variables = t.variables;
    for (const auto& n : t.nodes) {
        if (!wanted.count(n.id)) continue;
        part.nodes.push_back(n);
        if (const layout_entry* e = t.find_layout(n.id)) part.layout.push_back(*e);
    }
    if (part.nodes.empty()) return {};
    part.start = part.nodes.front().id;
    // Where the nodes came from, so a paste elsewhere knows their outside links name
    // other nodes there. A name a tree file cannot hold (a control character) is left out.
    part.description = "Nodes copied in the Signpost editor.\n" + std::string(source_tree_key) + t.id;
    const auto one_line = [](std::string_view v) {
        return std::none_of(v.begin(), v.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
    };
    const std::string file = file_key(source_file);
    if (!file.empty() && one_line(file)) part.description += "\n" + std::string(source_file_key) + file;
    if (!source_instance.empty() && one_line(source_instance))
        part.description += "\n" + std::string(source_instance_key) + std::string(source_instance);
    part.reindex();
    return save_tree_string(part);
}

bool is_node_clipboard(std::string_view text) {
    if (text.find("<tree") == std::string_view::npos) return false;
    const auto loaded = load_tree_string(text, "<clipboard>");
    return loaded.loaded && !loaded.loaded->nodes.empty();
}

namespace {

std::optional<clipboard_source> source_in(const tree& part) {
    std::optional<clipboard_source> out;
    std::string_view rest = part.description;
    while (!rest.empty()) {
        const std::size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.starts_with(source_tree_key)) {
            if (!out) out.emplace();
            out->tree_id = std::string(line.substr(source_tree_key.size()));
        } else if (line.starts_with(source_file_key) && out) {
            out->file = std::string(line.substr(source_file_key.size()));
        } else if (line.starts_with(source_instance_key) && out) {
            out->instance = std::string(line.substr(source_instance_key.size()));
        }
    }
    return out;
}

// True when the pasted nodes' links to nodes outside the copy still mean those nodes.
bool keeps_outside_links(const tree& part, const tree& target, std::string_view target_file,
                         std::string_view target_instance) {
    const std::optional<clipboard_source> source = source_in(part);
    return source && same_tree(*source, target, target_file, target_instance);
}

// Every link of the copied nodes that points outside them.
int outside_links(const tree& part) {
    std::unordered_set<std::string> inside;
    for (const auto& n : part.nodes) inside.insert(n.id);
    int count = 0;
    const auto outside = [&](const std::string& to) { return !to.empty() && !inside.count(to); };
    std::unordered_set<std::string> done;
    for (const auto& n : part.nodes) {
        if (!done.insert(n.id).second) continue;  // pasted once, as paste_into does
        count += outside(n.to) + outside(n.otherwise);
        for (const auto& c : n.choices) count += outside(c.to);
        for (const auto& b : n.branches) count += outside(b.to);
    }
    return count;
}

std::optional<std::string> paste_into(recorder& r, const std::string& text, vec2 offset, bool same_document,
                                      const std::string& target_file, const std::string& target_instance) {
    const auto loaded = load_tree_string(text, "<clipboard>");
    if (!loaded.loaded || loaded.loaded->nodes.empty()) return std::string("the clipboard holds no nodes");
    const tree& part = *loaded.loaded;
    const bool keep_outside = same_document || keeps_outside_links(part, r.base(), target_file, target_instance);
    // New ids first, so links among the pasted nodes can be remapped.
    std::unordered_map<std::string, std::string> renamed;
    for (const auto& n : part.nodes) {
        if (renamed.count(n.id)) continue;
        const std::string id = r.fresh_id(n.id);
        r.reserve(id);
        renamed.emplace(n.id, id);
    }
    const auto remap = [&](std::string& to) {
        // No target is no link, even when a broken node's id is empty too.
        if (to.empty()) return;
        if (const auto hit = renamed.find(to); hit != renamed.end()) to = hit->second;
        else if (!keep_outside) to.clear();
    };
    std::unordered_set<std::string> done;
    for (const auto& source : part.nodes) {
        if (!done.insert(source.id).second) continue;  // a duplicate id in hand-made text
        node n = source;
        n.id = renamed.at(source.id);
        remap(n.to);
        remap(n.otherwise);
        for (auto& c : n.choices) remap(c.to);
        for (auto& b : n.branches) remap(b.to);
        const vec2 at = position_of(part, source.id).value_or(vec2{}) + offset;
        r.insert(std::move(n));
        r.set_pos(renamed.at(source.id), at);
    }
    // Declare what the pasted nodes may use and this tree lacks.
    for (const auto& v : part.variables)
        if (variable_index(r.base().variables, v.name) < 0 && variable_index(r.variables(), v.name) < 0)
            r.variables().push_back(v);
    return std::nullopt;
}

}  // namespace

std::optional<clipboard_source> source_of_clipboard(std::string_view text) {
    const auto loaded = load_tree_string(text, "<clipboard>");
    if (!loaded.loaded) return std::nullopt;
    return source_in(*loaded.loaded);
}

bool same_tree(const clipboard_source& source, const tree& target, std::string_view target_file,
               std::string_view target_instance) {
    // The same open document, whatever it was saved or renamed as since the copy.
    if (!source.instance.empty() && source.instance == target_instance) return true;
    // Another editor on the same file; an untitled tree has no file to share.
    return !source.file.empty() && source.tree_id == target.id && source.file == file_key(target_file);
}

int links_dropped_by_paste(std::string_view clipboard_text, const tree& target, std::string_view target_file,
                           std::string_view target_instance) {
    const auto loaded = load_tree_string(clipboard_text, "<clipboard>");
    if (!loaded.loaded || keeps_outside_links(*loaded.loaded, target, target_file, target_instance)) return 0;
    return outside_links(*loaded.loaded);
}

std::unique_ptr<command> paste_nodes(std::string clipboard_text, vec2 offset, std::string target_file,
                                     std::string target_instance) {
    return make("Paste", {},
                [text = std::move(clipboard_text), offset, file = std::move(target_file),
                 instance = std::move(target_instance)](recorder& r) {
                    return paste_into(r, text, offset, false, file, instance);
                });
}

std::unique_ptr<command> duplicate_nodes(const tree& t, const std::vector<std::string>& ids, vec2 offset) {
    return make("Duplicate", {}, [text = copy_nodes(t, ids), offset](recorder& r) -> std::optional<std::string> {
        if (text.empty()) return std::string("nothing to duplicate");
        return paste_into(r, text, offset, true, {}, {});
    });
}

// [SECTION] layout

std::unique_ptr<command> apply_auto_layout(layout_options options) {
    return make("Arrange nodes", {}, [options](recorder& r) -> std::optional<std::string> {
        const auto positions = auto_layout(r.base(), options);
        for (const auto& p : positions) r.set_pos(p.node, {p.x, p.y});
        return std::nullopt;
    });
}

// [SECTION] batch

namespace {
class batch_command final : public command {
public:
    batch_command(std::string label, std::vector<std::unique_ptr<command>> parts)
        : m_label(std::move(label)), m_parts(std::move(parts)) {}

    std::optional<std::string> apply(tree& t) override {
        for (std::size_t i = 0; i < m_parts.size(); ++i) {
            if (auto error = m_parts[i]->apply(t)) {
                for (std::size_t k = i; k-- > 0;) m_parts[k]->revert(t);
                return error;
            }
        }
        return std::nullopt;
    }
    void revert(tree& t) override {
        for (auto it = m_parts.rbegin(); it != m_parts.rend(); ++it) (*it)->revert(t);
    }
    std::string label() const override { return m_label; }
    std::vector<std::string> created_nodes() const override {
        std::vector<std::string> out;
        for (const auto& p : m_parts) {
            const auto c = p->created_nodes();
            out.insert(out.end(), c.begin(), c.end());
        }
        return out;
    }
    bool changed() const override {
        return std::any_of(m_parts.begin(), m_parts.end(), [](const auto& p) { return p->changed(); });
    }

private:
    std::string m_label;
    std::vector<std::unique_ptr<command>> m_parts;
};
}  // namespace

std::unique_ptr<command> batch(std::string label, std::vector<std::unique_ptr<command>> parts) {
    return std::make_unique<batch_command>(std::move(label), std::move(parts));
}

}  // namespace signpost::editor
