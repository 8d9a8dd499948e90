// Whole-tree analysis: graph shape (reachability, dead ends, loops), jumps across the
// library, local lint (logic without otherwise, duplicate labels), a must-be-set dataflow
// for variables, and path statistics.
//
// Index
//   [SECTION] Small helpers
//   [SECTION] Node graph (CSR adjacency)
//   [SECTION] Validation context: trees across jumps
//   [SECTION] Must-be-set analysis
//   [SECTION] Checks
//   [SECTION] Entry point
//
// Every graph walk is iterative (explicit stacks): trees can have 100k nodes and the
// editor validates on every edit, so recursion proportional to tree size is off limits.
// Recursion only happens across trees (one level per distinct jumped-into tree, guarded).

#include "signpost/validate.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <unordered_map>

#include "signpost/text.hpp"

namespace signpost {

namespace {

// [SECTION] Small helpers

diagnostic make_diag(severity level, std::string code, std::string message, const tree& t,
                     source_pos pos, std::string node_id = {}, std::string field = {}) {
    diagnostic d;
    d.level = level;
    d.code = std::move(code);
    d.message = std::move(message);
    d.file = t.file;
    d.pos = pos;
    d.node_id = std::move(node_id);
    d.field = std::move(field);
    return d;
}

std::string quote(std::string_view s) { return "'" + std::string(s) + "'"; }

// Quoted, comma-separated, cut after `limit` names so a huge loop stays one readable line.
std::string name_list(const std::vector<std::string>& names, std::size_t limit = 8) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < limit; ++i) {
        if (i) out += ", ";
        out += quote(names[i]);
    }
    if (names.size() > limit) out += " and " + std::to_string(names.size() - limit) + " more";
    return out;
}

std::string trim(std::string_view s) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

bool has_default(const variable& v) { return v.default_value.has_value() || v.default_text.has_value(); }

// Fixed-width bitsets stored back to back in one vector (one row per node).
struct bit_rows {
    std::size_t words = 0;
    std::vector<std::uint64_t> bits;

    bit_rows() = default;
    bit_rows(std::size_t rows, std::size_t width_bits, bool value)
        : words((width_bits + 63) / 64), bits(rows * words, value ? ~std::uint64_t{0} : 0) {}

    std::span<std::uint64_t> row(std::size_t r) { return {bits.data() + r * words, words}; }
    std::span<const std::uint64_t> row(std::size_t r) const { return {bits.data() + r * words, words}; }
};

bool test_bit(std::span<const std::uint64_t> row, std::size_t i) { return (row[i / 64] >> (i % 64)) & 1u; }
void set_bit(std::span<std::uint64_t> row, std::size_t i) { row[i / 64] |= std::uint64_t{1} << (i % 64); }

// [SECTION] Node graph (CSR adjacency)

struct edge {
    int to = -1;
    int choice = -1;  // index into the question's choices; -1 for other edges
};

struct node_graph {
    std::unordered_map<std::string_view, int> index;  // node id -> index in tree.nodes
    std::vector<int> first;                             // edges of node i: [first[i], first[i+1])
    std::vector<edge> edges;
    // Nodes with a target that names no node, or none at all where one is required: the
    // loader reports those, so the ending checks treat them as finishing instead of
    // piling dead-end errors on top.
    std::vector<char> broken;
    int start = -1;

    int size() const { return static_cast<int>(first.size()) - 1; }
    std::span<const edge> out(int i) const {
        return {edges.data() + first[static_cast<std::size_t>(i)],
                static_cast<std::size_t>(first[static_cast<std::size_t>(i) + 1] - first[static_cast<std::size_t>(i)])};
    }
    int edge_begin(int i) const { return first[static_cast<std::size_t>(i)]; }
};

// An <otherwise> whose `to` is empty or missing (the loader's error): the author meant one,
// so the node neither lacks it (logic-unmatched) nor is complete without it.
bool has_empty_otherwise(const node& nd) {
    return nd.kind == node_kind::logic && nd.otherwise.empty() && nd.attr_pos.find("otherwise") != nullptr;
}

// Targets that name no node are left out: the loader reports them (unknown-target).
node_graph build_graph(const tree& t) {
    node_graph g;
    const std::size_t n = t.nodes.size();
    g.index.reserve(n);
    for (std::size_t i = 0; i < n; ++i) g.index.emplace(t.nodes[i].id, static_cast<int>(i));
    const auto target = [&](const std::string& id) {
        auto it = g.index.find(id);
        return it == g.index.end() ? -1 : it->second;
    };
    g.first.reserve(n + 1);
    g.broken.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const node& nd = t.nodes[i];
        g.first.push_back(static_cast<int>(g.edges.size()));
        bool any = false;
        const auto add = [&](const std::string& id, int choice) {
            any = true;
            if (const int j = target(id); j >= 0)
                g.edges.push_back({j, choice});
            else
                g.broken[i] = 1;
        };
        switch (nd.kind) {
            case node_kind::question:
                for (std::size_t c = 0; c < nd.choices.size(); ++c) add(nd.choices[c].to, static_cast<int>(c));
                break;
            case node_kind::logic:
                for (const branch& b : nd.branches) add(b.to, -1);
                if (!nd.otherwise.empty()) add(nd.otherwise, -1);
                else if (has_empty_otherwise(nd)) g.broken[i] = 1;
                break;
            case node_kind::step:
            case node_kind::form:
            case node_kind::jump:  // a jump with `to` continues there once the sub-tree ends
                if (!nd.to.empty()) add(nd.to, -1);
                break;
            case node_kind::escalate:
            case node_kind::end:
                break;
        }
        const bool needs_target = nd.kind == node_kind::question || nd.kind == node_kind::logic ||
                                  nd.kind == node_kind::step || nd.kind == node_kind::form;
        if (needs_target && !any) g.broken[i] = 1;
    }
    g.first.push_back(static_cast<int>(g.edges.size()));
    g.start = target(t.start);
    return g;
}

std::vector<char> reachable_from_start(const node_graph& g) {
    std::vector<char> seen(static_cast<std::size_t>(g.size()), 0);
    if (g.start < 0) return seen;
    std::vector<int> todo{g.start};
    seen[static_cast<std::size_t>(g.start)] = 1;
    while (!todo.empty()) {
        const int v = todo.back();
        todo.pop_back();
        for (const edge& e : g.out(v))
            if (!seen[static_cast<std::size_t>(e.to)]) {
                seen[static_cast<std::size_t>(e.to)] = 1;
                todo.push_back(e.to);
            }
    }
    return seen;
}

// Distinct jump targets of a tree, in file order.
std::vector<std::string> jump_targets(const tree& t) {
    std::vector<std::string> refs;
    std::set<std::string_view> seen;
    for (const node& nd : t.nodes)
        if (nd.kind == node_kind::jump && !nd.tree_ref.empty() && seen.insert(nd.tree_ref).second)
            refs.push_back(nd.tree_ref);
    return refs;
}

// [SECTION] Validation context: trees across jumps

// Variables set whenever a tree ends normally (so a jump with `to` continues with them set).
struct end_sets {
    bool returns = false;            // false: the tree never reaches an end, nothing follows
    std::vector<std::string> names;  // set on every path to every end
};

// Steps (nodes passed) and questions asked on a path. Trees that jump into the same tree
// twice, in a chain, double the length at every level, so the sums saturate instead of
// overflowing.
struct path_length {
    std::uint64_t steps = 0;
    std::uint64_t questions = 0;
    bool operator<(const path_length& o) const {
        return steps != o.steps ? steps < o.steps : questions < o.questions;
    }
    static std::uint64_t plus(std::uint64_t a, std::uint64_t b) {
        return a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max() : a + b;
    }
    void add(const path_length& o) {
        steps = plus(steps, o.steps);
        questions = plus(questions, o.questions);
    }
};

class validation {
public:
    validation(const tree& root, const tree_library* library) : m_root(root), m_library(library) {}

    const tree& root() const { return m_root; }
    const tree_library* library() const { return m_library; }

    // The tree with this id: the root itself, or a good tree from the library.
    const tree* resolve(const std::string& id) {
        if (id == m_root.id) return &m_root;
        if (!m_library || !is_valid_id(id)) return nullptr;
        auto& f = facts(id);
        if (!f.looked_up) {
            f.looked_up = true;
            f.held = m_library->get(id).found;
        }
        return f.held.get();
    }

    const node_graph& graph_of(const tree& t) {
        auto& f = facts(t.id);
        if (!f.graph) f.graph = build_graph(t);
        return *f.graph;
    }

    // Terminal nodes: end, escalate, and jumps without `to` whose tree can end (the call
    // ends when the sub-tree does). Unknown or unresolvable sub-trees count as terminal:
    // they are reported as missing-tree, not as a cascade of dead ends.
    std::vector<char> terminals(const tree& t) {
        std::vector<char> term(t.nodes.size(), 0);
        for (std::size_t i = 0; i < t.nodes.size(); ++i) {
            const node& nd = t.nodes[i];
            if (nd.kind == node_kind::end || nd.kind == node_kind::escalate)
                term[i] = 1;
            else if (nd.kind == node_kind::jump && nd.to.empty())
                term[i] = jump_can_end(nd.tree_ref) ? 1 : 0;
            else if (nd.kind == node_kind::jump)
                // A sub-tree that can only escalate finishes the call inside it: `to` never runs.
                term[i] = jump_only_escalates(nd.tree_ref) ? 1 : 0;
        }
        return term;
    }

    // False when tree `ref` is known never to reach an `end` (so a jump's `to` never runs).
    bool jump_returns(const std::string& ref) {
        if (!resolve(ref)) return true;
        const std::optional<end_sets> sub = sets_after(ref);
        return !sub || sub->returns;
    }

    // Tree `ref` can finish the call, but only by escalating: it never comes back.
    bool jump_only_escalates(const std::string& ref) { return jump_can_end(ref) && !jump_returns(ref); }

    bool jump_can_end(const std::string& ref) {
        const tree* sub = resolve(ref);
        return !sub || tree_can_end(*sub);
    }

    // True when some path from the tree's start reaches a terminal.
    bool tree_can_end(const tree& t) {
        auto& f = facts(t.id);
        if (f.can_end_state == state::in_progress) return true;  // jump cycle: reported as such
        if (f.can_end_state == state::done) return f.can_end;
        f.can_end_state = state::in_progress;
        const node_graph& g = graph_of(t);
        const std::vector<char> term = terminals(t);
        const std::vector<char> reach = reachable_from_start(g);
        bool can_end = g.start < 0;  // a tree without a start is broken, reported by the loader
        for (std::size_t i = 0; i < term.size() && !can_end; ++i) can_end = reach[i] && (term[i] || g.broken[i]);
        auto& after = facts(t.id);  // re-fetch: the map may have grown during recursion
        after.can_end = can_end;
        after.can_end_state = state::done;
        return can_end;
    }

    // Variables every normal end of tree `id` leaves set; nullopt when unknown (missing
    // tree, or a jump cycle still being analysed): then nothing counts as set.
    std::optional<end_sets> sets_after(const std::string& ref);

    // The longest loop-free path from the start of tree `ref`, through the trees it jumps
    // into; zero for a missing tree or one already being walked (a jump cycle).
    path_length longest_path(const std::string& ref);

private:
    path_length longest_from_start(const tree& t);

    enum class state { not_started, in_progress, done };
    struct tree_facts {
        bool looked_up = false;
        std::shared_ptr<const tree> held;
        std::optional<node_graph> graph;
        state can_end_state = state::not_started;
        bool can_end = true;
        state sets_state = state::not_started;
        end_sets sets;
        state path_state = state::not_started;
        path_length path;
    };
    // std::map: references stay valid while other entries are added.
    tree_facts& facts(const std::string& id) { return m_facts[id]; }

    const tree& m_root;
    const tree_library* m_library;
    std::map<std::string, tree_facts> m_facts;
};

// [SECTION] Must-be-set analysis

// Forward dataflow: in[n] = variables set on every path from the start to n.
// gen on leaving a node: required form fields, what a jump's sub-tree sets;
// gen on a question's edge: the chosen choice's `set`.
struct set_analysis {
    std::unordered_map<std::string_view, int> var_index;
    bit_rows in;        // per node; meaningful only where visited
    std::vector<char> visited;
    bit_rows node_gen;  // per node
    std::vector<int> edge_gen;  // per edge: row in choice_gen, or -1
    bit_rows choice_gen;
    std::vector<std::uint64_t> entry;  // defaults
};

set_analysis analyse_sets(const tree& t, const node_graph& g, validation& ctx) {
    set_analysis a;
    const std::size_t n = static_cast<std::size_t>(g.size());
    const std::size_t nvars = t.variables.size();
    for (std::size_t i = 0; i < nvars; ++i) a.var_index.emplace(t.variables[i].name, static_cast<int>(i));
    const auto var = [&](std::string_view name) {
        auto it = a.var_index.find(name);
        return it == a.var_index.end() ? -1 : it->second;
    };

    a.node_gen = bit_rows(n, nvars, false);
    for (std::size_t i = 0; i < n; ++i) {
        const node& nd = t.nodes[i];
        auto row = a.node_gen.row(i);
        if (nd.kind == node_kind::form) {
            // An optional field may be left empty, so only required fields count.
            for (const field& f : nd.fields)
                if (const int v = var(f.variable); f.required && v >= 0) set_bit(row, static_cast<std::size_t>(v));
        } else if (nd.kind == node_kind::jump && !nd.to.empty()) {
            const std::optional<end_sets> sub = ctx.sets_after(nd.tree_ref);
            if (sub && !sub->returns) {
                // The sub-tree never comes back: whatever follows is never run that way.
                std::fill(row.begin(), row.end(), ~std::uint64_t{0});
            } else if (sub) {
                for (const std::string& name : sub->names)
                    if (const int v = var(name); v >= 0) set_bit(row, static_cast<std::size_t>(v));
            }
        }
    }

    // Choice `set`s, one row per choice that sets anything.
    std::vector<std::vector<std::uint64_t>> gens;
    a.edge_gen.assign(g.edges.size(), -1);
    for (std::size_t i = 0; i < n; ++i) {
        const node& nd = t.nodes[i];
        if (nd.kind != node_kind::question) continue;
        const auto edges = g.out(static_cast<int>(i));
        for (std::size_t k = 0; k < edges.size(); ++k) {
            const choice& c = nd.choices[static_cast<std::size_t>(edges[k].choice)];
            // A `set` that did not parse (the loader reported it) may have meant to set
            // anything: warning that its variables are unset would repeat that error.
            const bool unparsed = c.sets.empty() && c.set_source.find_first_not_of(" \t\r\n;") != std::string::npos;
            if (c.sets.empty() && !unparsed) continue;
            std::vector<std::uint64_t> row(a.node_gen.words, unparsed ? ~std::uint64_t{0} : 0);
            for (const assignment& s : c.sets)
                if (const int v = var(s.variable); v >= 0) set_bit(row, static_cast<std::size_t>(v));
            a.edge_gen[static_cast<std::size_t>(g.edge_begin(static_cast<int>(i))) + k] = static_cast<int>(gens.size());
            gens.push_back(std::move(row));
        }
    }
    a.choice_gen = bit_rows(gens.size(), nvars, false);
    for (std::size_t r = 0; r < gens.size(); ++r) std::copy(gens[r].begin(), gens[r].end(), a.choice_gen.row(r).begin());

    a.entry.assign(a.node_gen.words, 0);
    for (std::size_t i = 0; i < nvars; ++i)
        if (has_default(t.variables[i])) set_bit(a.entry, i);

    a.in = bit_rows(n, nvars, true);
    a.visited.assign(n, 0);
    if (g.start < 0) return a;

    // Worklist to a fixpoint; sets only shrink, so it terminates.
    const std::size_t words = a.node_gen.words;
    std::vector<int> work{g.start};
    std::vector<char> queued(n, 0);
    queued[static_cast<std::size_t>(g.start)] = 1;
    a.visited[static_cast<std::size_t>(g.start)] = 1;
    std::copy(a.entry.begin(), a.entry.end(), a.in.row(static_cast<std::size_t>(g.start)).begin());
    std::vector<std::uint64_t> out(words), out_edge(words);
    while (!work.empty()) {
        const int p = work.back();
        work.pop_back();
        queued[static_cast<std::size_t>(p)] = 0;
        const auto in_p = a.in.row(static_cast<std::size_t>(p));
        const auto gen_p = a.node_gen.row(static_cast<std::size_t>(p));
        for (std::size_t w = 0; w < words; ++w) out[w] = in_p[w] | gen_p[w];
        const int base = g.edge_begin(p);
        const auto edges = g.out(p);
        for (std::size_t k = 0; k < edges.size(); ++k) {
            const int slot = a.edge_gen[static_cast<std::size_t>(base) + k];
            out_edge = out;
            if (slot >= 0) {
                const auto cg = a.choice_gen.row(static_cast<std::size_t>(slot));
                for (std::size_t w = 0; w < words; ++w) out_edge[w] |= cg[w];
            }
            const std::size_t q = static_cast<std::size_t>(edges[k].to);
            auto in_q = a.in.row(q);
            bool changed = false;
            if (!a.visited[q]) {
                a.visited[q] = 1;
                changed = true;
                std::copy(out_edge.begin(), out_edge.end(), in_q.begin());
            } else {
                for (std::size_t w = 0; w < words; ++w) {
                    const std::uint64_t merged = in_q[w] & out_edge[w];
                    if (merged != in_q[w]) {
                        in_q[w] = merged;
                        changed = true;
                    }
                }
            }
            if (changed && !queued[q]) {
                queued[q] = 1;
                work.push_back(static_cast<int>(q));
            }
        }
    }
    return a;
}

path_length validation::longest_path(const std::string& ref) {
    const tree* sub = resolve(ref);
    if (!sub) return {};
    auto& f = facts(sub->id);
    if (f.path_state == state::in_progress) return {};
    if (f.path_state == state::done) return f.path;
    f.path_state = state::in_progress;
    const path_length result = longest_from_start(*sub);
    auto& after = facts(sub->id);
    after.path = result;
    after.path_state = state::done;
    return result;
}

// Depth-first, without recursion (trees can be 100k nodes deep); back edges are left out,
// so a loop counts once. A jump adds the longest path of its tree; its `to` counts only
// when that tree can come back.
path_length validation::longest_from_start(const tree& t) {
    const node_graph& g = graph_of(t);
    if (g.start < 0) return {};
    const std::size_t n = static_cast<std::size_t>(g.size());
    enum : char { white, grey, black };
    std::vector<char> color(n, white);
    std::vector<path_length> from(n);
    struct frame {
        int v;
        int next;
    };
    std::vector<frame> calls{{g.start, g.edge_begin(g.start)}};
    color[static_cast<std::size_t>(g.start)] = grey;
    while (!calls.empty()) {
        const int v = calls.back().v;
        const std::size_t vi = static_cast<std::size_t>(v);
        if (calls.back().next < g.first[vi + 1]) {
            const int w = g.edges[static_cast<std::size_t>(calls.back().next++)].to;
            if (color[static_cast<std::size_t>(w)] == white) {
                color[static_cast<std::size_t>(w)] = grey;
                calls.push_back({w, g.edge_begin(w)});
            }
            continue;
        }
        calls.pop_back();
        const node& nd = t.nodes[vi];
        path_length best;
        const bool comes_back = nd.kind != node_kind::jump || !jump_only_escalates(nd.tree_ref);
        if (comes_back)
            for (const edge& e : g.out(v)) {
                const std::size_t wi = static_cast<std::size_t>(e.to);
                if (color[wi] == black && best < from[wi]) best = from[wi];  // grey: a back edge
            }
        path_length here = best;
        here.add({1, nd.kind == node_kind::question ? 1u : 0u});
        if (nd.kind == node_kind::jump) here.add(longest_path(nd.tree_ref));
        from[vi] = here;
        color[vi] = black;
    }
    return from[static_cast<std::size_t>(g.start)];
}

std::optional<end_sets> validation::sets_after(const std::string& ref) {
    const tree* sub = resolve(ref);
    if (!sub) return std::nullopt;
    auto& f = facts(sub->id);
    if (f.sets_state == state::in_progress) return std::nullopt;
    if (f.sets_state == state::done) return f.sets;
    f.sets_state = state::in_progress;

    const node_graph& g = graph_of(*sub);
    const set_analysis a = analyse_sets(*sub, g, *this);
    end_sets result;
    std::vector<std::uint64_t> common(a.in.words, ~std::uint64_t{0});
    for (std::size_t i = 0; i < sub->nodes.size(); ++i) {
        const node& nd = sub->nodes[i];
        if (!a.visited[i]) continue;
        // `end` returns to the caller; an escalate hands the call off and never returns.
        // A jump without `to` ends this tree when its own sub-tree ends.
        const bool returns_here = nd.kind == node_kind::end || (nd.kind == node_kind::jump && nd.to.empty());
        if (!returns_here) continue;
        std::vector<std::uint64_t> at_end(a.in.row(i).begin(), a.in.row(i).end());
        if (nd.kind == node_kind::jump) {
            const std::optional<end_sets> deeper = sets_after(nd.tree_ref);
            if (deeper && !deeper->returns) continue;
            if (deeper)
                for (const std::string& name : deeper->names)
                    if (auto it = a.var_index.find(name); it != a.var_index.end())
                        set_bit(at_end, static_cast<std::size_t>(it->second));
        }
        result.returns = true;
        for (std::size_t w = 0; w < common.size(); ++w) common[w] &= at_end[w];
    }
    if (result.returns)
        for (std::size_t v = 0; v < sub->variables.size(); ++v)
            if (test_bit(common, v)) result.names.push_back(sub->variables[v].name);

    auto& after = facts(sub->id);
    after.sets = result;
    after.sets_state = state::done;
    return result;
}

// [SECTION] Checks

// One place a node reads a variable.
struct read_site {
    int variable = -1;
    source_pos pos;
    std::string field;
};

// Reads of a node, first site per variable, in reading order (text, hint, choices, branches).
std::vector<read_site> reads_of(const node& nd, const set_analysis& a) {
    std::vector<read_site> sites;
    std::set<int> seen;
    const auto add = [&](std::string_view name, source_pos pos, const char* field) {
        auto it = a.var_index.find(name);
        if (it == a.var_index.end() || !seen.insert(it->second).second) return;
        sites.push_back({it->second, pos, field});
    };
    for (const text_reference& r : find_references(nd.text)) add(r.name, nd.pos_of("text"), "text");
    for (const text_reference& r : find_references(nd.hint)) add(r.name, nd.pos_of("hint"), "hint");
    for (const choice& c : nd.choices) {
        // Conditions are evaluated on arrival, labels shown then too.
        if (c.condition)
            for (const std::string& name : variables_read(*c.condition)) add(name, c.pos, "if");
        for (const text_reference& r : find_references(c.label)) add(r.name, c.pos, "choice");
    }
    for (const choice& c : nd.choices) {
        std::set<std::string_view> assigned;  // `a = 1; b = a + 1` reads the fresh a
        for (const assignment& s : c.sets) {
            for (const std::string& name : variables_read(s.value))
                if (!assigned.contains(name)) add(name, c.pos, "set");
            assigned.insert(s.variable);
        }
    }
    for (const branch& b : nd.branches)
        for (const std::string& name : variables_read(b.condition)) add(name, b.pos, "if");
    return sites;
}

class checker {
public:
    checker(const tree& t, validation& ctx, diagnostics& out)
        : m_tree(t), m_ctx(ctx), m_out(out), m_graph(ctx.graph_of(t)), m_reach(reachable_here()) {}

    void run() {
        check_local();
        check_jumps();
        if (m_graph.start < 0) return;  // unknown-start is the loader's finding
        check_unreachable();
        check_endings();
        check_reads();
        report_path_stats();
    }

private:
    const node& at(int i) const { return m_tree.nodes[static_cast<std::size_t>(i)]; }

    // Like reachable_from_start, but a jump whose tree can only escalate does not continue
    // to its `to`: the call is handed off inside the sub-tree.
    std::vector<char> reachable_here() {
        std::vector<char> seen(static_cast<std::size_t>(m_graph.size()), 0);
        if (m_graph.start < 0) return seen;
        std::vector<int> todo{m_graph.start};
        seen[static_cast<std::size_t>(m_graph.start)] = 1;
        while (!todo.empty()) {
            const int v = todo.back();
            todo.pop_back();
            const node& nd = at(v);
            if (nd.kind == node_kind::jump && m_ctx.jump_only_escalates(nd.tree_ref)) continue;
            for (const edge& e : m_graph.out(v))
                if (!seen[static_cast<std::size_t>(e.to)]) {
                    seen[static_cast<std::size_t>(e.to)] = 1;
                    todo.push_back(e.to);
                }
        }
        return seen;
    }
    void add(severity level, const char* code, std::string message, source_pos pos, std::string node_id = {},
             std::string field = {}) {
        m_out.push_back(make_diag(level, code, std::move(message), m_tree, pos, std::move(node_id), std::move(field)));
    }

    // True when every choice has a condition, none is literally `true`, all parsed, and no
    // two are a condition and its plain negation (`vip` / `not vip`): nothing shows that one
    // of them always holds.
    static bool all_may_be_false(const std::vector<choice>& choices) {
        std::set<std::string> conditions;
        for (const choice& c : choices) {
            if (!c.condition || c.condition->empty()) return false;  // always shown, or the loader's error
            const std::string text = trim(c.condition->source());
            if (text == "true") return false;
            conditions.insert(text);
        }
        for (const std::string& c : conditions)
            if (conditions.contains("not " + c) || conditions.contains("not (" + c + ")")) return false;
        return true;
    }

    // logic-unmatched, question-unmatched and duplicate-label: properties of a single node.
    void check_local() {
        for (const node& nd : m_tree.nodes) {
            // A logic node with nothing in it is the loader's empty-logic, not this.
            // A child the loader could not read (<otherwse to=...>) may be the way out.
            if (nd.kind == node_kind::logic && nd.otherwise.empty() && !nd.branches.empty() &&
                !has_empty_otherwise(nd) && nd.unread_targets.empty()) {
                const bool has_true = std::any_of(nd.branches.begin(), nd.branches.end(), [](const branch& b) {
                    return trim(b.condition.source()) == "true";
                });
                // A condition that did not parse is the loader's error; what it would say is unknown.
                const bool unparsed = std::any_of(nd.branches.begin(), nd.branches.end(),
                                                  [](const branch& b) { return b.condition.empty(); });
                if (!has_true && !unparsed)
                    add(severity::warning, "logic-unmatched",
                        "logic " + quote(nd.id) +
                            " has no <otherwise> and its branches may all be false, which leaves the call stuck; "
                            "add <otherwise to=\"...\"/>",
                        nd.pos, nd.id);
            }
            if (nd.kind == node_kind::question && !nd.choices.empty() && nd.unread_targets.empty() &&
                all_may_be_false(nd.choices))
                add(severity::warning, "question-unmatched",
                    "every answer of " + quote(nd.id) +
                        " has a condition and they may all be false, which leaves the agent no answer to pick; "
                        "add an answer without if=\"...\" (such as \"None of these\")",
                    nd.pos, nd.id);
            if (nd.kind == node_kind::question) {
                // Compared as shown (Markdown markers dropped). Two conditional choices with one
                // label are plausible alternatives (`if="vip"` / `if="not vip"`), so a pair is
                // flagged only when at least one of them is always shown.
                std::map<std::string, std::vector<std::size_t>> labels;
                for (std::size_t c = 0; c < nd.choices.size(); ++c) {
                    const choice& ch = nd.choices[c];
                    auto& earlier = labels[lower_ascii(trim(markdown_to_plain(ch.label)))];
                    const auto clash = std::find_if(earlier.begin(), earlier.end(), [&](std::size_t e) {
                        return !ch.condition || !nd.choices[e].condition;
                    });
                    if (clash != earlier.end())
                        add(severity::warning, "duplicate-label",
                            "choices " + std::to_string(*clash + 1) + " and " + std::to_string(c + 1) + " of " +
                                quote(nd.id) + " are both labelled " + quote(trim(ch.label)) +
                                "; agents cannot tell them apart, so reword one",
                            ch.pos, nd.id, "choice");
                    earlier.push_back(c);
                }
            }
        }
    }

    // missing-tree, jump-cycle, jump-variable-type, jump-variable-private.
    void check_jumps() {
        const tree_library* lib = m_ctx.library();
        if (!lib) return;
        std::map<std::string, std::optional<std::string>> cycles;  // by target tree id
        for (const node& nd : m_tree.nodes) {
            if (nd.kind != node_kind::jump || nd.tree_ref.empty() || !is_valid_id(nd.tree_ref)) continue;
            if (!m_ctx.resolve(nd.tree_ref)) {
                const tree_library::lookup found = lib->get(nd.tree_ref);
                const auto first_error = std::find_if(found.problems.begin(), found.problems.end(),
                                                      [](const diagnostic& d) { return d.level == severity::error; });
                std::string why;
                std::string advice = "; add the tree to the library or fix the id";
                if (first_error == found.problems.end()) {
                    why = "could not be loaded";
                } else if (first_error->code == "missing-tree") {
                    why = "is not available: " + first_error->message;
                    // Trees are named by id; the library adds the file name's ".xml" itself.
                    if (nd.tree_ref.size() > 4 && nd.tree_ref.ends_with(".xml"))
                        advice = "; write the tree's id without .xml: " +
                                 quote(nd.tree_ref.substr(0, nd.tree_ref.size() - 4));
                } else {
                    // The tree was found: what stops it is in its own file.
                    why = "has errors (" + format(*first_error) + ")";
                    advice = first_error->file.empty() ? "; fix the errors in that tree"
                                                       : "; fix the errors in " + first_error->file;
                }
                add(severity::error, "missing-tree",
                    "jump " + quote(nd.id) + " runs tree " + quote(nd.tree_ref) + ", which " + why + advice,
                    nd.pos_of("tree"), nd.id, "tree");
                continue;
            }
            auto it = cycles.find(nd.tree_ref);
            if (it == cycles.end()) it = cycles.emplace(nd.tree_ref, find_cycle(nd.tree_ref)).first;
            if (it->second)
                add(severity::error, "jump-cycle",
                    "jump " + quote(nd.id) + " starts a cycle of trees jumping into each other (" + *it->second +
                        "); the call would never come back out, so break the cycle",
                    nd.pos_of("tree"), nd.id, "tree");
        }
        check_variable_types();
    }

    // The chain "root -> a -> ... -> x" ending at the first tree seen twice, if any.
    std::optional<std::string> find_cycle(const std::string& first) {
        struct frame {
            std::string id;
            std::vector<std::string> refs;
            std::size_t next = 0;
        };
        std::vector<frame> path;
        path.push_back({m_tree.id, {first}, 0});
        std::set<std::string> on_path{m_tree.id};
        while (!path.empty()) {
            frame& top = path.back();
            if (top.next == top.refs.size()) {
                m_no_cycle.insert(top.id);
                on_path.erase(top.id);
                path.pop_back();
                continue;
            }
            const std::string ref = top.refs[top.next++];
            if (on_path.contains(ref)) {
                std::string chain;
                for (const frame& f : path) chain += f.id + " -> ";
                return chain + ref;
            }
            if (m_no_cycle.contains(ref)) continue;
            const tree* sub = m_ctx.resolve(ref);
            if (!sub) continue;
            on_path.insert(ref);
            path.push_back({ref, jump_targets(*sub), 0});  // invalidates `top`; not used again
        }
        m_no_cycle.erase(m_tree.id);  // the root's frame only carried one target
        return std::nullopt;
    }

    void check_variable_types() {
        struct owner {
            var_type type;
            bool is_private = false;
            std::string tree_id;
            const variable* in_root = nullptr;
            const node* via = nullptr;
        };
        std::map<std::string, owner> owners;
        for (const variable& v : m_tree.variables)
            owners.emplace(v.name, owner{v.type, v.is_private, m_tree.id, &v, nullptr});
        std::set<std::string> privacy_told;  // one warning a name
        // A variable that trees joined by jumps declare differently: said at the script's own
        // declaration when it is one of them, else at the jump that reaches both.
        const auto differs = [this](const owner& first, const std::string& name, const node* via, severity level,
                                    const char* code, const std::string& how, const std::string& fix,
                                    const char* root_attribute) {
            if (first.in_root)
                add(level, code, "variable " + quote(name) + " is " + how + " (reached by jump " + quote(via->id) + ")" + fix,
                    first.in_root->pos, "", root_attribute);
            else
                add(level, code, "variable " + quote(name) + " is " + how + ", both reached by jumps from here" + fix,
                    via->pos_of("tree"), via->id, "tree");
        };

        // Breadth-first over the trees reachable by jumps, remembering which of our jump
        // nodes leads to each (to point the diagnostic at something in this file).
        std::vector<std::pair<const tree*, const node*>> queue;
        std::set<std::string> seen{m_tree.id};
        for (const node& nd : m_tree.nodes)
            if (nd.kind == node_kind::jump && !seen.contains(nd.tree_ref))
                if (const tree* sub = m_ctx.resolve(nd.tree_ref)) {
                    seen.insert(sub->id);
                    queue.emplace_back(sub, &nd);
                }
        for (std::size_t q = 0; q < queue.size(); ++q) {
            const auto [sub, via] = queue[q];
            for (const std::string& ref : jump_targets(*sub))
                if (!seen.contains(ref))
                    if (const tree* deeper = m_ctx.resolve(ref)) {
                        seen.insert(deeper->id);
                        queue.emplace_back(deeper, via);
                    }
            for (const variable& v : sub->variables) {
                auto [it, fresh] = owners.emplace(v.name, owner{v.type, v.is_private, sub->id, nullptr, via});
                if (fresh) continue;
                const owner& first = it->second;
                if (first.is_private != v.is_private && privacy_told.insert(v.name).second) {
                    // The value is one for the whole call: a form in the tree that does not
                    // call it private writes it to the log.
                    const std::string where = first.is_private ? "private in tree " + quote(first.tree_id) +
                                                                     " but not in tree " + quote(sub->id)
                                                               : "private in tree " + quote(sub->id) + " but not in tree " +
                                                                     quote(first.tree_id);
                    differs(first, v.name, via, severity::warning, "jump-variable-private", where,
                            "; the trees share one value per name, and a form where it is not private logs it: "
                            "declare it private in both",
                            "private");
                }
                if (first.type == v.type) continue;
                differs(first, v.name, via, severity::error, "jump-variable-type",
                        std::string(to_string(first.type)) + " in tree " + quote(first.tree_id) + " but " +
                            to_string(v.type) + " in tree " + quote(sub->id),
                        "; the trees share one value per name, so declare it with one type", "type");
            }
        }
    }

    void check_unreachable() {
        const std::string& start = m_tree.start;
        if (std::all_of(m_reach.begin(), m_reach.end(), [](char r) { return r != 0; })) return;
        const std::vector<char> meant = reached_if_fixed();
        for (int i = 0; i < m_graph.size(); ++i)
            if (!meant[static_cast<std::size_t>(i)])
                add(severity::warning, "unreachable",
                    "node " + quote(at(i).id) + " cannot be reached from the start node " + quote(start) +
                        "; link to it from another node or remove it",
                    at(i).pos, at(i).id);
    }

    // The reachable nodes plus those an author reaches by fixing the loader's findings:
    // a target that names no node counts as going to the node the loader suggested for it
    // (its "did you mean"), and nodes that no reference can name (an empty or a duplicate
    // id: missing-attribute, duplicate-id) count as reached. Warning that such a node is
    // unreachable would only repeat the error about the broken reference. When a reached
    // node lacks a target altogether (a step without `to`, a question whose choices were
    // all dropped), any node may be the one it is meant to go to: none is reported.
    std::vector<char> reached_if_fixed() const {
        const std::size_t n = static_cast<std::size_t>(m_graph.size());
        std::vector<char> seen = m_reach;
        std::vector<int> todo;
        for (std::size_t i = 0; i < n; ++i)
            if (m_reach[i] && (m_graph.broken[i] || !m_tree.nodes[i].unread_targets.empty()))
                todo.push_back(static_cast<int>(i));
        std::vector<std::string> ids;  // did-you-mean candidates, as the loader lists them
        suggestion_budget budget;      // as the loader's: past it, such a node is reported unreachable
        const auto visit = [&](int v) {
            if (!seen[static_cast<std::size_t>(v)]) {
                seen[static_cast<std::size_t>(v)] = 1;
                todo.push_back(v);
            }
        };
        bool unknown_meaning = false;
        const auto follow_broken = [&](const std::string& target) {
            if (target.empty() || m_graph.index.contains(target)) return;
            if (ids.empty())
                for (const node& nd : m_tree.nodes)
                    if (is_valid_id(nd.id)) ids.push_back(nd.id);
            if (const std::string match = budget.closest(target, ids); !match.empty())
                visit(m_graph.index.at(match));
            else
                unknown_meaning = true;
        };
        while (!todo.empty()) {
            const int v = todo.back();
            todo.pop_back();
            const node& nd = at(v);
            if (nd.kind == node_kind::jump && m_ctx.jump_only_escalates(nd.tree_ref)) continue;
            if (m_graph.broken[static_cast<std::size_t>(v)] && lacks_target(nd)) return std::vector<char>(n, 1);
            if (m_graph.broken[static_cast<std::size_t>(v)]) {
                for (const choice& c : nd.choices) follow_broken(c.to);
                for (const branch& b : nd.branches) follow_broken(b.to);
                follow_broken(nd.otherwise);
                follow_broken(nd.to);
                // A target like no node (the node may be a misspelt element, <decision
                // id="triage">): it may be meant to lead anywhere, as a missing target.
                if (unknown_meaning) return std::vector<char>(n, 1);
            }
            // Links in children the loader could not read (<chioce to="x">) are the author's.
            for (const std::string& target : nd.unread_targets) {
                if (const auto it = m_graph.index.find(target); it != m_graph.index.end()) visit(it->second);
                else follow_broken(target);
            }
            if (unknown_meaning) return std::vector<char>(n, 1);
            for (const edge& e : m_graph.out(v)) visit(e.to);
        }
        for (std::size_t i = 0; i < n; ++i) {
            const auto it = m_graph.index.find(m_tree.nodes[i].id);
            if (m_tree.nodes[i].id.empty() || it == m_graph.index.end() || it->second != static_cast<int>(i))
                seen[i] = 1;
        }
        return seen;
    }

    // A link the loader could not read at all (missing-attribute, empty-question,
    // empty-logic, an empty target): where it was meant to go is unknown.
    static bool lacks_target(const node& nd) {
        const auto empty_to = [](const auto& link) { return link.to.empty(); };
        switch (nd.kind) {
            case node_kind::step:
            case node_kind::form: return nd.to.empty();
            case node_kind::question:
                return nd.choices.empty() || std::any_of(nd.choices.begin(), nd.choices.end(), empty_to);
            case node_kind::logic:
                return (nd.branches.empty() && nd.otherwise.empty()) || has_empty_otherwise(nd) ||
                       std::any_of(nd.branches.begin(), nd.branches.end(), empty_to);
            default: return false;
        }
    }

    // dead-end and inescapable-loop over the reachable part of the graph.
    void check_endings() {
        const std::size_t n = static_cast<std::size_t>(m_graph.size());
        const std::vector<char> term = m_ctx.terminals(m_tree);

        // Reverse reachability from the terminals.
        std::vector<int> rfirst(n + 1, 0);
        for (const edge& e : m_graph.edges) ++rfirst[static_cast<std::size_t>(e.to) + 1];
        for (std::size_t i = 0; i < n; ++i) rfirst[i + 1] += rfirst[i];
        std::vector<int> rev(m_graph.edges.size());
        {
            std::vector<int> fill(rfirst.begin(), rfirst.end() - 1);
            for (int v = 0; v < static_cast<int>(n); ++v)
                for (const edge& e : m_graph.out(v)) rev[static_cast<std::size_t>(fill[static_cast<std::size_t>(e.to)]++)] = v;
        }
        // A jump with `to` into a tree that can never end does not finish through its `to`:
        // the call is stuck inside the sub-tree.
        std::vector<char> stuck(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            const node& nd = m_tree.nodes[i];
            if (m_reach[i] && nd.kind == node_kind::jump && !nd.to.empty() && !m_ctx.jump_can_end(nd.tree_ref))
                stuck[i] = 1;
        }
        std::vector<char> finishes(n, 0);
        std::vector<int> todo;
        for (std::size_t i = 0; i < n; ++i)
            if (term[i] || m_graph.broken[i]) {
                finishes[i] = 1;
                todo.push_back(static_cast<int>(i));
            }
        while (!todo.empty()) {
            const int v = todo.back();
            todo.pop_back();
            for (int k = rfirst[static_cast<std::size_t>(v)]; k < rfirst[static_cast<std::size_t>(v) + 1]; ++k) {
                const std::size_t u = static_cast<std::size_t>(rev[static_cast<std::size_t>(k)]);
                if (!finishes[u] && !stuck[u]) {
                    finishes[u] = 1;
                    todo.push_back(static_cast<int>(u));
                }
            }
        }

        const std::vector<int> comp = strongly_connected();
        std::vector<int> comp_size;
        for (int c : comp)
            if (c >= 0) {
                if (static_cast<std::size_t>(c) >= comp_size.size()) comp_size.resize(static_cast<std::size_t>(c) + 1, 0);
                ++comp_size[static_cast<std::size_t>(c)];
            }
        const auto cyclic = [&](int v) {
            if (comp_size[static_cast<std::size_t>(comp[static_cast<std::size_t>(v)])] > 1) return true;
            for (const edge& e : m_graph.out(v))
                if (e.to == v) return true;
            return false;
        };

        std::map<int, std::vector<int>> loops;  // component -> members in file order
        std::vector<int> loop_order;            // components by first member in file order
        for (int v = 0; v < static_cast<int>(n); ++v) {
            const std::size_t vi = static_cast<std::size_t>(v);
            if (!m_reach[vi] || finishes[vi]) continue;
            if (stuck[vi]) {
                const node& nd = at(v);
                add(severity::error, "dead-end",
                    "the tree " + quote(nd.tree_ref) + " this jump runs can never reach an end or escalate, so the "
                    "call gets stuck inside it and never comes back to " + quote(nd.to) + "; fix that tree",
                    nd.pos, nd.id);
                continue;
            }
            if (cyclic(v)) {
                auto& members = loops[comp[vi]];
                if (members.empty()) loop_order.push_back(comp[vi]);
                members.push_back(v);
                continue;
            }
            const node& nd = at(v);
            std::string message;
            if (nd.kind == node_kind::jump && nd.to.empty())
                message = "tree " + quote(nd.tree_ref) + ", run by jump " + quote(nd.id) +
                          ", never reaches an end, so the call cannot finish here; fix that tree or give the "
                          "jump a `to`";
            else
                message = "no end or escalate can be reached from " + quote(nd.id) +
                          "; every way on leads to nodes that cannot finish the call";
            add(severity::error, "dead-end", message, nd.pos, nd.id);
        }
        for (int c : loop_order) {
            const std::vector<int>& members = loops[c];
            std::vector<std::string> names;
            for (int v : members) names.push_back(at(v).id);
            const node& first = at(members.front());
            const std::string message =
                members.size() == 1
                    ? quote(first.id) + " leads only back to itself and never to an end or escalate; add a way out"
                    : "the nodes " + name_list(names) +
                          " loop among themselves with no way out to an end or escalate; add a choice that leads out";
            add(severity::error, "inescapable-loop", message, first.pos, first.id);
        }
        check_frozen_loops(comp, finishes, cyclic);
    }

    // Loops that have ways out but can never take them. Only answers (`set`) and forms change
    // variables (a jump's sub-tree may too), so in a cycle of step and logic nodes alone every
    // logic node routes the same way each time round: once in, the call goes round forever.
    template <class cyclic_fn>
    void check_frozen_loops(const std::vector<int>& comp, const std::vector<char>& finishes, const cyclic_fn& cyclic) {
        const std::size_t n = static_cast<std::size_t>(m_graph.size());
        std::unordered_map<int, int> first_member;  // component -> first member in file order
        std::set<int> changes;                      // components with a node that may change a variable
        // A form changes only its fields' variables: a loop whose conditions read none of
        // them (a form that asks the caller's name, a counter nothing increments) routes
        // the same way each time round too.
        std::map<int, std::set<std::string>> form_writes, condition_reads;
        for (int v = 0; v < static_cast<int>(n); ++v) {
            const std::size_t vi = static_cast<std::size_t>(v);
            // Loops with no way out at all are inescapable-loop above already.
            if (!m_reach[vi] || !finishes[vi] || comp[vi] < 0 || !cyclic(v)) continue;
            first_member.emplace(comp[vi], v);
            const node& nd = at(v);
            if (nd.kind == node_kind::question || nd.kind == node_kind::jump) changes.insert(comp[vi]);
            if (nd.kind == node_kind::form)
                for (const field& f : nd.fields) form_writes[comp[vi]].insert(f.variable);
            if (nd.kind == node_kind::logic)
                for (const branch& b : nd.branches) {
                    // A condition that did not parse is the loader's error; what it reads is unknown.
                    if (b.condition.empty()) changes.insert(comp[vi]);
                    for (std::string& name : variables_read(b.condition)) condition_reads[comp[vi]].insert(std::move(name));
                }
        }
        for (const auto& [c, written] : form_writes) {
            const auto reads = condition_reads.find(c);
            if (reads != condition_reads.end() &&
                std::any_of(written.begin(), written.end(), [&](const std::string& w) { return reads->second.contains(w); }))
                changes.insert(c);
        }
        std::vector<int> parent;  // breadth-first search inside one component; allocated once
        std::vector<int> touched;
        for (int v = 0; v < static_cast<int>(n); ++v) {
            const std::size_t vi = static_cast<std::size_t>(v);
            if (comp[vi] < 0) continue;
            const auto it = first_member.find(comp[vi]);
            if (it == first_member.end() || it->second != v || changes.contains(comp[vi])) continue;
            if (parent.empty()) parent.assign(n, -2);
            const bool has_form = form_writes.contains(comp[vi]);
            add(severity::error, "inescapable-loop",
                "loop " + cycle_text(v, comp, parent, touched) + " can never be left: " +
                    (has_form ? "its forms capture nothing its conditions read, so they always route the same way; "
                                "capture in the loop a variable a condition reads (or set it in an answer), or "
                                "route it differently"
                              : "no answer or form inside it changes a variable, so its conditions always route the "
                                "same way; add a question or form to the loop, or route it differently"),
                at(v).pos, at(v).id);
        }
    }

    // "a -> b -> c -> a": a shortest cycle through `v` inside its component (long ones cut).
    std::string cycle_text(int v, const std::vector<int>& comp, std::vector<int>& parent,
                           std::vector<int>& touched) const {
        const int c = comp[static_cast<std::size_t>(v)];
        for (int t : touched) parent[static_cast<std::size_t>(t)] = -2;
        touched.clear();
        parent[static_cast<std::size_t>(v)] = -1;
        touched.push_back(v);
        int last = -1;  // the node whose edge closes the cycle back to v
        for (std::size_t q = 0; q < touched.size() && last < 0; ++q) {
            const int u = touched[q];
            for (const edge& e : m_graph.out(u)) {
                if (e.to == v) {
                    last = u;
                    break;
                }
                const std::size_t wi = static_cast<std::size_t>(e.to);
                if (comp[wi] != c || parent[wi] != -2) continue;
                parent[wi] = u;
                touched.push_back(e.to);
            }
        }
        std::vector<int> path;  // last back to v
        for (int u = last; u >= 0; u = parent[static_cast<std::size_t>(u)]) path.push_back(u);
        constexpr std::size_t shown = 8;
        std::string text;
        for (std::size_t i = 0; i < path.size(); ++i) {
            if (i == shown && path.size() > shown + 1) {
                text += " -> ...";
                break;
            }
            if (i) text += " -> ";
            text += at(path[path.size() - 1 - i]).id;
        }
        return text + " -> " + at(v).id;
    }

    // Tarjan's algorithm with an explicit call stack; component per node (-1 if unreached).
    std::vector<int> strongly_connected() const {
        const std::size_t n = static_cast<std::size_t>(m_graph.size());
        std::vector<int> index(n, -1), low(n, 0), comp(n, -1);
        std::vector<char> on_stack(n, 0);
        std::vector<int> stack;
        struct frame {
            int v;
            int next;  // absolute edge index
        };
        std::vector<frame> calls;
        int counter = 0, comps = 0;
        const auto enter = [&](int v) {
            const std::size_t vi = static_cast<std::size_t>(v);
            index[vi] = low[vi] = counter++;
            stack.push_back(v);
            on_stack[vi] = 1;
            calls.push_back({v, m_graph.edge_begin(v)});
        };
        enter(m_graph.start);
        while (!calls.empty()) {
            const int v = calls.back().v;
            const std::size_t vi = static_cast<std::size_t>(v);
            if (calls.back().next < m_graph.first[vi + 1]) {
                const int w = m_graph.edges[static_cast<std::size_t>(calls.back().next++)].to;
                const std::size_t wi = static_cast<std::size_t>(w);
                if (index[wi] < 0)
                    enter(w);
                else if (on_stack[wi])
                    low[vi] = std::min(low[vi], index[wi]);
                continue;
            }
            calls.pop_back();
            if (!calls.empty()) {
                const std::size_t ui = static_cast<std::size_t>(calls.back().v);
                low[ui] = std::min(low[ui], low[vi]);
            }
            if (low[vi] == index[vi]) {
                int w;
                do {
                    w = stack.back();
                    stack.pop_back();
                    on_stack[static_cast<std::size_t>(w)] = 0;
                    comp[static_cast<std::size_t>(w)] = comps;
                } while (w != v);
                ++comps;
            }
        }
        return comp;
    }

    // read-before-set.
    void check_reads() {
        const set_analysis a = analyse_sets(m_tree, m_graph, m_ctx);
        struct pending {
            int node;
            read_site site;
        };
        std::vector<pending> found;
        std::set<int> vars_needing_paths;
        for (int v = 0; v < m_graph.size(); ++v) {
            const std::size_t vi = static_cast<std::size_t>(v);
            if (!a.visited[vi]) continue;
            for (read_site& s : reads_of(at(v), a))
                if (!test_bit(a.in.row(vi), static_cast<std::size_t>(s.variable))) {
                    vars_needing_paths.insert(s.variable);
                    found.push_back({v, std::move(s)});
                }
        }
        // One breadth-first search per variable over the edges that do not set it gives a
        // shortest unsetting path to every node (what the message shows).
        std::map<int, std::vector<int>> parents;
        for (int var : vars_needing_paths) parents[var] = unsetting_paths(a, static_cast<std::size_t>(var));
        for (const pending& p : found) {
            const std::string& name = m_tree.variables[static_cast<std::size_t>(p.site.variable)].name;
            add(severity::warning, "read-before-set",
                quote(name) + " may be read before it is set (nothing sets it on the path " +
                    path_text(parents[p.site.variable], p.node) + "); give it a default or capture it earlier",
                p.site.pos, at(p.node).id, p.site.field);
        }
    }

    std::vector<int> unsetting_paths(const set_analysis& a, std::size_t var) const {
        const std::size_t n = static_cast<std::size_t>(m_graph.size());
        std::vector<int> parent(n, -2);  // -2 unseen, -1 the start
        if (test_bit(a.entry, var)) return parent;
        parent[static_cast<std::size_t>(m_graph.start)] = -1;
        std::vector<int> frontier{m_graph.start}, next;
        while (!frontier.empty()) {
            next.clear();
            for (int p : frontier) {
                if (test_bit(a.node_gen.row(static_cast<std::size_t>(p)), var)) continue;
                const int base = m_graph.edge_begin(p);
                const auto edges = m_graph.out(p);
                for (std::size_t k = 0; k < edges.size(); ++k) {
                    const int slot = a.edge_gen[static_cast<std::size_t>(base) + k];
                    if (slot >= 0 && test_bit(a.choice_gen.row(static_cast<std::size_t>(slot)), var)) continue;
                    const std::size_t q = static_cast<std::size_t>(edges[k].to);
                    if (parent[q] != -2) continue;
                    parent[q] = p;
                    next.push_back(edges[k].to);
                }
            }
            std::swap(frontier, next);
        }
        return parent;
    }

    // "start -> a -> b", or "start -> ... -> x -> y -> b" for long paths: only the last few
    // steps are walked, so each message costs O(1) however long the path is.
    std::string path_text(const std::vector<int>& parent, int target) const {
        constexpr std::size_t shown = 4;
        if (parent[static_cast<std::size_t>(target)] == -2) return at(target).id;  // no witness (cannot happen)
        std::vector<int> tail;
        int v = target;
        while (v >= 0 && tail.size() < shown) {
            tail.push_back(v);
            v = parent[static_cast<std::size_t>(v)];
        }
        std::string text;
        if (v >= 0) {  // steps before the tail: always name the start
            text = at(m_graph.start).id + " -> ";
            if (v != m_graph.start) text += "... -> ";
        }
        for (auto it = tail.rbegin(); it != tail.rend(); ++it) {
            if (it != tail.rbegin()) text += " -> ";
            text += at(*it).id;
        }
        return text;
    }

    // path-stats: longest path over the reachable nodes with back edges dropped.
    void report_path_stats() {
        // Through the context, so a jump cycle back into this tree stops at it (the root
        // counts as being walked), as for any other tree.
        const path_length longest = m_ctx.longest_path(m_tree.id);
        const auto count = [](std::uint64_t k, const char* one, const char* many) {
            if (k == std::numeric_limits<std::uint64_t>::max()) return std::string("more than 10^19 ") + many;
            return std::to_string(k) + " " + (k == 1 ? one : many);
        };
        add(severity::info, "path-stats",
            "longest path: " + count(longest.steps, "step", "steps") + ", " +
                count(longest.questions, "question", "questions") + " on the worst path",
            m_tree.pos);
    }

    const tree& m_tree;
    validation& m_ctx;
    diagnostics& m_out;
    const node_graph& m_graph;
    std::vector<char> m_reach;
    std::set<std::string> m_no_cycle;  // trees from which no jump cycle can be reached
};

}  // namespace

// [SECTION] Entry point

diagnostics validate_tree(const tree& t, const tree_library* library) {
    diagnostics out;
    validation ctx(t, library);
    checker(t, ctx, out).run();
    // Source order reads best in a terminal and in the editor's problem list.
    std::stable_sort(out.begin(), out.end(), [](const diagnostic& a, const diagnostic& b) {
        if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
        return a.pos.column < b.pos.column;
    });
    return out;
}

}  // namespace signpost
