// Path statistics over the session log.
//
// [SECTION] Small pieces (hashing, kinds, ratios)
// [SECTION] The accumulator's state
// [SECTION] Adding a session
// [SECTION] Building the report
// [SECTION] Reading a whole log

#include "signpost/statistics.hpp"
#include "signpost/utc_time.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "signpost/duration_sketch.hpp"

namespace signpost {

namespace {

// [SECTION] Small pieces (hashing, kinds, ratios)

// Lets unordered_map<std::string, …> be searched with a string_view, without a copy.
struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using text_map = std::unordered_map<std::string, V, text_hash, std::equal_to<>>;

// Logic and jump nodes move on by themselves; end and escalate nodes finish the call on
// arrival. None of them waits for the agent, so none has a dwell time.
bool is_automatic(node_kind k) {
    return k == node_kind::logic || k == node_kind::jump || k == node_kind::end || k == node_kind::escalate;
}

duration_figures figures_of(const duration_sketch& d) {
    duration_figures f;
    f.count = d.count();
    f.mean_ms = d.mean();
    f.median_ms = d.quantile(0.5);
    f.p90_ms = d.quantile(0.9);
    f.exact = d.exact();
    return f;
}

double ratio(std::uint64_t part, std::uint64_t whole) {
    return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

// What ended an agent's stay on a node, which decides whether it is a dwell sample.
enum class stay_end { action, moved_on, finished };

}  // namespace

// [SECTION] The accumulator's state

struct path_statistics::impl {
    struct tree_entry {
        std::string id;
        std::shared_ptr<const tree> file;  // null: no file found, nothing to compare with
        text_map<int> nodes;               // node id -> index into `nodes`
    };
    struct node_entry {
        int tree = 0;
        std::string id;
        const node* in_file = nullptr;  // null: not in the tree file (or no file)
        std::uint64_t visits = 0, returns = 0, found = 0, sessions = 0, exits = 0, abandoned = 0, back = 0, ended = 0;
        std::uint64_t automatic = 0;  // stays that ended with the node moving on by itself
        duration_sketch dwell;
        std::uint64_t last_stamp = 0;  // session that last reached it (counts each session once)
        std::vector<int> versions;
    };
    struct version_entry {
        int version = 0;
        std::string hash;
        std::uint64_t sessions = 0, completed = 0, escalated = 0, abandoned = 0;
        std::int64_t first = 0, last = 0;
    };
    using outcome_key = std::pair<int, std::string>;  // (status, outcome)
    struct outcome_count {
        std::uint64_t sessions = 0;
        priority_counts by_priority{};  // escalated only
        void add(const outcome_count& o) {
            sessions += o.sessions;
            for (std::size_t i = 0; i < by_priority.size(); ++i) by_priority[i] += o.by_priority[i];
        }
    };
    using outcome_map = std::map<outcome_key, outcome_count>;
    struct agent_entry {
        std::uint64_t sessions = 0, completed = 0, escalated = 0, abandoned = 0, active = 0;
        std::uint64_t visits = 0, back = 0;
        duration_sketch handling;
        outcome_map outcomes;
    };

    std::string root_id;
    statistics_options options;

    std::vector<tree_entry> trees;
    std::vector<node_entry> nodes;
    std::unordered_map<std::uint64_t, std::uint64_t> links;  // (from << 32 | to) -> moves
    text_map<std::uint64_t> paths;                           // encoded path -> sessions
    std::uint64_t other_paths = 0;
    outcome_map outcomes;
    std::vector<version_entry> versions;
    std::map<std::string, agent_entry, std::less<>> agents;

    session_figures totals;
    duration_sketch handling;
    std::uint64_t added = 0;
    std::uint64_t stamp = 0;

    // Per-session scratch, kept to reuse its memory.
    std::vector<int> path;
    std::vector<char> path_found;  // per entry of `path`: reached with find, not a link
    std::vector<int> resolved;  // node index of each place of the session's path; -1: not yet
    session_path from_events;
    std::string key;
    int last_tree = -1;

    impl(std::string id, statistics_options o) : root_id(std::move(id)), options(std::move(o)) {
        if (!options.current || options.current->id != root_id) options.current = nullptr;
        tree_index(root_id);  // the root's nodes come first, in file order
    }

    // Index of a tree, looking its file up the first time it is met.
    int tree_index(std::string_view id) {
        if (last_tree >= 0 && trees[static_cast<std::size_t>(last_tree)].id == id) return last_tree;
        for (std::size_t i = 0; i < trees.size(); ++i) {
            if (trees[i].id == id) return last_tree = static_cast<int>(i);
        }
        tree_entry t;
        t.id = std::string(id);
        if (options.current && t.id == options.current->id) t.file = options.current;
        else if (options.find_tree) t.file = options.find_tree(t.id);
        else if (options.library != nullptr && is_valid_id(t.id)) t.file = options.library->get(t.id).found;
        trees.push_back(std::move(t));
        last_tree = static_cast<int>(trees.size() - 1);
        // Nodes of a known tree are listed in file order, visited or not: an author wants
        // to see the steps nobody reaches.
        if (const tree* file = trees.back().file.get()) {
            for (const node& n : file->nodes) add_node(last_tree, n.id);
        }
        return last_tree;
    }

    int add_node(int in_tree, std::string_view id) {
        node_entry n;
        n.tree = in_tree;
        n.id = std::string(id);
        if (const tree* file = trees[static_cast<std::size_t>(in_tree)].file.get()) n.in_file = file->find(id);
        nodes.push_back(std::move(n));
        int index = static_cast<int>(nodes.size() - 1);
        trees[static_cast<std::size_t>(in_tree)].nodes.emplace(std::string(id), index);
        return index;
    }

    // The entry of a node met before or in a file read already, or -1 (nothing is added).
    int known_node(std::string_view tree_id, std::string_view node_id) const {
        for (const tree_entry& t : trees) {
            if (t.id != tree_id) continue;
            const auto it = t.nodes.find(node_id);
            return it == t.nodes.end() ? -1 : it->second;
        }
        return -1;
    }

    int node_index(std::string_view tree_id, std::string_view node_id) {
        int t = tree_index(tree_id);
        auto& map = trees[static_cast<std::size_t>(t)].nodes;
        if (auto it = map.find(node_id); it != map.end()) return it->second;
        return add_node(t, node_id);
    }

    version_entry& version_of(const session_record& s) {
        for (version_entry& v : versions) {
            if (v.version == s.tree_version && v.hash == s.tree_hash) return v;
        }
        version_entry v;
        v.version = s.tree_version;
        v.hash = s.tree_hash;
        v.first = v.last = s.started_ms;
        versions.push_back(std::move(v));
        return versions.back();
    }

    // [SECTION] Adding a session

    void add(const session_record& s, const session_path& trail) {
        if (s.tree_id != root_id) return;
        ++added;
        const session_status status = s.status;
        const bool finished = status != session_status::active;

        version_entry& v = version_of(s);
        ++v.sessions;
        v.first = std::min(v.first, s.started_ms);
        v.last = std::max(v.last, s.started_ms);
        if (status == session_status::completed) ++v.completed;
        if (status == session_status::escalated) ++v.escalated;
        if (status == session_status::abandoned) ++v.abandoned;
        if (options.tree_version != 0 && s.tree_version != options.tree_version) return;

        ++stamp;
        session_figures& t = totals;
        if (t.started == 0 || s.started_ms < t.first_started_ms) t.first_started_ms = s.started_ms;
        if (t.started == 0 || s.started_ms > t.last_started_ms) t.last_started_ms = s.started_ms;
        ++t.started;
        switch (status) {
            case session_status::completed: ++t.completed; break;
            case session_status::escalated: ++t.escalated; break;
            case session_status::abandoned: ++t.abandoned; break;
            case session_status::active: ++t.active; break;
        }
        const std::size_t priority = priority_slot(s.priority);
        if (status == session_status::escalated) ++t.escalated_by_priority[priority];
        if (s.writer_lost) ++t.writer_lost;

        // Walk the events: where the agent is, since when, and the path so far.
        int position = -1;
        bool stay_open = false;
        std::int64_t stay_start = 0;
        std::uint64_t backs = 0, visits = 0;
        bool in_press = false;  // the back events so far pass on: more of one press follow
        path.clear();
        path_found.clear();

        auto close_stay = [&](std::int64_t when, stay_end how) {
            if (!stay_open) return;
            stay_open = false;
            node_entry& n = nodes[static_cast<std::size_t>(position)];
            const std::int64_t spent = elapsed_ms(stay_start, when);
            if (how == stay_end::finished) return;
            if (n.in_file != nullptr) {
                if (is_automatic(n.in_file->kind)) {
                    if (how == stay_end::moved_on) ++n.automatic;
                    return;
                }
            } else if (how == stay_end::moved_on && spent == 0) {
                // Kind unknown: the runtime gives every event of one agent action the same
                // time, so moving on within the same millisecond is no agent.
                ++n.automatic;
                return;
            }
            n.dwell.add(spent);
        };
        auto open_stay = [&](int where, std::int64_t when) {
            position = where;
            stay_open = true;
            stay_start = when;
        };

        // Each place is looked up once per session, when a step first needs it.
        resolved.assign(trail.places.size(), -1);
        auto node_at = [&](std::uint32_t place) {
            int& n = resolved[place];
            if (n < 0) n = node_index(trail.places[place].tree_id, trail.places[place].node);
            return n;
        };
        for (const path_step& e : trail.steps) {
            if (e.kind != event_kind::back) in_press = false;  // a damaged log may end a press early
            switch (e.kind) {
                case event_kind::start:
                case event_kind::note: break;
                case event_kind::enter: {
                    const int n = node_at(e.place);
                    close_stay(e.time_ms, e.found ? stay_end::action : stay_end::moved_on);
                    if (e.found) {
                        // Not a link of the tree: counted apart, so it never shows as a
                        // link (or a retired one) nor as a move forward from a node.
                        ++nodes[static_cast<std::size_t>(n)].found;
                        ++t.finds;
                    } else if (position >= 0) {
                        ++links[static_cast<std::uint64_t>(position) << 32 | static_cast<std::uint32_t>(n)];
                        ++nodes[static_cast<std::size_t>(position)].exits;
                    }
                    node_entry& ne = nodes[static_cast<std::size_t>(n)];
                    ++ne.visits;
                    ++visits;
                    if (ne.last_stamp != stamp) {
                        ne.last_stamp = stamp;
                        ++ne.sessions;
                        if (std::find(ne.versions.begin(), ne.versions.end(), s.tree_version) == ne.versions.end())
                            ne.versions.push_back(s.tree_version);
                    }
                    path.push_back(n);
                    path_found.push_back(e.found ? 1 : 0);
                    open_stay(n, e.time_ms);
                    break;
                }
                case event_kind::choose:
                case event_kind::field: close_stay(e.time_ms, stay_end::action); break;
                case event_kind::back: {
                    // One press (a Back, or a breadcrumb click undoing several actions, one
                    // event each): counted once, on the node the agent pressed it on.
                    if (!in_press) {
                        close_stay(e.time_ms, stay_end::action);
                        ++nodes[static_cast<std::size_t>(node_at(e.place))].back;
                        ++backs;
                    }
                    in_press = e.passes_on;
                    // Back undoes the last action, which may have passed several automatic
                    // nodes: drop path entries down to the node returned to, matched by
                    // node entry (tree and id: a sub-tree may reuse an id).
                    const path_place& back_to = trail.places[e.detail];
                    int to = known_node(back_to.tree_id, back_to.node);
                    std::size_t keep = path.size();
                    while (keep > 1 && path[keep - 2] != to) --keep;
                    if (keep <= 1) {
                        // Logs from before 2026-11-27 named the node returned to with the
                        // tree left, wrong across a jump: the latest entry with its id.
                        keep = path.size();
                        while (keep > 1 && nodes[static_cast<std::size_t>(path[keep - 2])].id != back_to.node) --keep;
                        if (keep > 1) to = path[keep - 2];
                    }
                    if (keep > 1) {
                        path.resize(keep - 1);
                        path_found.resize(keep - 1);
                    } else {
                        // Not on the path (events missing?): trust the event.
                        to = node_at(e.detail);
                        if (!path.empty()) path.pop_back();
                        path.push_back(to);
                        path_found.resize(path.size());
                        path_found.back() = 0;
                    }
                    if (e.passes_on) {
                        position = to;  // passed over, not stood on: no return, no stay
                    } else {
                        ++nodes[static_cast<std::size_t>(to)].returns;
                        open_stay(to, e.time_ms);
                    }
                    break;
                }
                case event_kind::restart:
                    close_stay(e.time_ms, stay_end::action);
                    ++t.restarts;
                    path.clear();
                    path_found.clear();
                    position = -1;
                    break;
                case event_kind::end: {
                    const bool abandoned = trail.places[e.detail].node == "abandoned";
                    close_stay(e.time_ms, abandoned ? stay_end::action : stay_end::finished);
                    if (!abandoned) ++nodes[static_cast<std::size_t>(node_at(e.place))].ended;
                    break;
                }
            }
        }
        t.back_presses += backs;
        if (backs > 0) ++t.with_back;

        if (status == session_status::abandoned) {
            int where = position;
            if (where < 0 && !s.end_node.empty()) where = node_index(s.tree_id, s.end_node);
            if (where >= 0) ++nodes[static_cast<std::size_t>(where)].abandoned;
        }
        // A writer-lost session's end time is only its last sign of life.
        const bool timed = finished && !s.writer_lost && s.ended_ms.has_value();
        if (timed) handling.add(elapsed_ms(s.started_ms, *s.ended_ms));

        std::string outcome = status == session_status::abandoned ? std::string() : s.outcome;
        // Abandoned endings are told apart by their reason (the caller hung up, a wrong
        // department, the player stopped): which it is, is the question about them. Paths
        // are not split by it.
        const std::string ending = status != session_status::abandoned ? outcome
                                   : s.writer_lost                      ? std::string(writer_lost_reason)
                                                                        : reason_key(s.outcome);
        // One row per team, split by priority: the team's total stays one figure.
        auto count_outcome = [&](outcome_map& into) {
            outcome_count& c = into[{static_cast<int>(status), ending}];
            ++c.sessions;
            if (status == session_status::escalated) ++c.by_priority[priority];
        };
        if (finished) {
            count_outcome(outcomes);
            count_path(status, outcome);
        }

        if (options.by_agent) {
            agent_entry& a = agent(s.agent);
            ++a.sessions;
            switch (status) {
                case session_status::completed: ++a.completed; break;
                case session_status::escalated: ++a.escalated; break;
                case session_status::abandoned: ++a.abandoned; break;
                case session_status::active: ++a.active; break;
            }
            if (timed) a.handling.add(elapsed_ms(s.started_ms, *s.ended_ms));
            if (finished) count_outcome(a.outcomes);
            a.visits += visits;
            a.back += backs;
        }
    }

    agent_entry& agent(const std::string& name) {
        if (auto it = agents.find(name); it != agents.end()) return it->second;
        return agents[name];
    }

    // Path keys: the number of nodes, each node index (4 bytes each), the status byte, then
    // the outcome text.
    static void append_int(std::string& out, int v) {
        char bytes[4];
        std::memcpy(bytes, &v, 4);
        out.append(bytes, 4);
    }
    static int read_int(const std::string& k, std::size_t at) {
        int v = 0;
        if (at + 4 <= k.size()) std::memcpy(&v, k.data() + at, 4);
        return v;
    }

    void count_path(session_status status, const std::string& outcome) {
        key.clear();
        append_int(key, static_cast<int>(path.size()));
        // A step reached with find is kept as -(index + 1): the same nodes walked through
        // links are another path.
        for (std::size_t i = 0; i < path.size(); ++i) append_int(key, path_found[i] ? -(path[i] + 1) : path[i]);
        key += static_cast<char>(status);
        key += outcome;
        if (auto it = paths.find(std::string_view(key)); it != paths.end()) {
            ++it->second;
        } else if (paths.size() < options.max_distinct_paths) {
            paths.emplace(key, 1);
        } else {
            ++other_paths;
        }
    }

    // [SECTION] Building the report

    const tree* file_of(int index) const { return trees[static_cast<std::size_t>(index)].file.get(); }

    // What the tree files say about a move.
    struct link_check {
        enum class verdict { unknown, in_tree, not_in_tree } result = verdict::unknown;
        std::string label;  // choice label, "if …", "otherwise"; "" for Continue and jumps
    };
    static link_check in_tree(std::string label = {}) { return {link_check::verdict::in_tree, std::move(label)}; }
    static link_check not_in_tree() { return {link_check::verdict::not_in_tree, {}}; }

    // Whether the tree files have the move from node `from` to node `to` (indexes into
    // `nodes`). Unknown when a tree file it depends on is missing.
    link_check check_link(int from, int to) const {
        const node_entry& a = nodes[static_cast<std::size_t>(from)];
        const node_entry& b = nodes[static_cast<std::size_t>(to)];
        const tree* ta = file_of(a.tree);
        const tree* tb = file_of(b.tree);
        if (a.tree == b.tree) {
            if (ta == nullptr) return {};
            if (a.in_file == nullptr || b.in_file == nullptr) return not_in_tree();
            return same_tree_link(*ta, *a.in_file, b.id);
        }
        const std::string& tree_a = trees[static_cast<std::size_t>(a.tree)].id;
        const std::string& tree_b = trees[static_cast<std::size_t>(b.tree)].id;
        // Into a jumped tree: from the jump node to that tree's start.
        if (a.in_file != nullptr && a.in_file->kind == node_kind::jump && a.in_file->tree_ref == tree_b) {
            if (tb == nullptr) return {};
            return b.id == tb->start ? in_tree() : not_in_tree();
        }
        // Back out of a jumped tree: from one of its end nodes to the `to` of a jump into it.
        if (tb != nullptr && b.in_file != nullptr) {
            for (const node& n : tb->nodes) {
                if (n.kind != node_kind::jump || n.tree_ref != tree_a || n.to != b.id) continue;
                if (ta == nullptr) return {};
                return a.in_file != nullptr && a.in_file->kind == node_kind::end ? in_tree() : not_in_tree();
            }
        }
        if (ta == nullptr || tb == nullptr) return {};
        return not_in_tree();
    }

    static link_check same_tree_link(const tree& t, const node& from, const std::string& to) {
        switch (from.kind) {
            // Moves are counted per pair of nodes: when several answers lead to the same
            // step, the link is labelled with all of them (the first alone named the
            // wrong answer for the others' moves).
            case node_kind::question:
            case node_kind::logic: {
                std::vector<std::string> labels;
                for (const choice& c : from.choices)
                    if (c.to == to) labels.push_back(c.label);
                for (const branch& b : from.branches)
                    if (b.to == to) labels.push_back("if " + b.condition.source());
                if (from.kind == node_kind::logic && from.otherwise == to) labels.push_back("otherwise");
                if (labels.empty()) return not_in_tree();
                std::string joined;
                for (const std::string& l : labels) joined += (joined.empty() ? "" : " / ") + l;
                return in_tree(std::move(joined));
            }
            case node_kind::jump:
                // A jump never moves straight to its `to`: the jumped tree's end does.
                return not_in_tree();
            default: {
                auto next = t.successors(from);
                if (std::find(next.begin(), next.end(), to) != next.end()) return in_tree();
                return not_in_tree();
            }
        }
    }

    node_figures node_report(const node_entry& n, std::uint64_t started) const {
        node_figures f;
        f.tree_id = trees[static_cast<std::size_t>(n.tree)].id;
        f.node_id = n.id;
        if (n.in_file != nullptr) {
            f.title = n.in_file->title;
            f.kind = to_string(n.in_file->kind);
        }
        f.visits = n.visits;
        f.returns = n.returns;
        f.found = n.found;
        f.sessions = n.sessions;
        f.reach_rate = ratio(n.sessions, started);
        f.dwell = figures_of(n.dwell);
        f.automatic_stays = n.automatic;
        f.exits = n.exits;
        f.abandoned_here = n.abandoned;
        f.abandon_rate = ratio(n.abandoned, n.sessions);
        f.back_presses = n.back;
        f.back_rate = ratio(n.back, n.visits);
        f.ended_here = n.ended;
        f.versions = n.versions;
        std::sort(f.versions.begin(), f.versions.end());
        return f;
    }

    // Each node's place in the report: by tree (the root first, then the others by id),
    // then the tree file's order, then nodes the file does not have (or of a tree without
    // a file) by id. Not the order the log happened to mention them in, so that any read
    // order, or split between threads, gives the same report.
    std::vector<std::size_t> node_ranks() const {
        std::vector<std::size_t> by_tree(trees.size());
        for (std::size_t t = 0; t < trees.size(); ++t) by_tree[t] = t;
        std::sort(by_tree.begin() + (trees.empty() ? 0 : 1), by_tree.end(),
                  [&](std::size_t a, std::size_t b) { return trees[a].id < trees[b].id; });
        std::vector<std::size_t> tree_ranks(trees.size());
        for (std::size_t k = 0; k < by_tree.size(); ++k) tree_ranks[by_tree[k]] = k;
        auto key = [&](std::size_t i) {
            const node_entry& n = nodes[i];
            const tree* file = file_of(n.tree);
            const std::size_t in_file = n.in_file != nullptr && file != nullptr
                                            ? static_cast<std::size_t>(n.in_file - file->nodes.data())
                                            : SIZE_MAX;
            return std::tuple<std::size_t, std::size_t, const std::string&>(
                tree_ranks[static_cast<std::size_t>(n.tree)], in_file, n.id);
        };
        std::vector<std::size_t> order(nodes.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
        std::vector<std::size_t> rank(nodes.size());
        for (std::size_t k = 0; k < order.size(); ++k) rank[order[k]] = k;
        return rank;
    }

    static std::vector<outcome_figures> outcome_list(const outcome_map& counts) {
        std::uint64_t total = 0;
        for (const auto& [k, n] : counts) total += n.sessions;
        std::vector<outcome_figures> out;
        for (const auto& [k, n] : counts) {
            outcome_figures o;
            o.status = static_cast<session_status>(k.first);
            o.outcome = k.second;
            o.sessions = n.sessions;
            o.share = ratio(n.sessions, total);
            o.by_priority = n.by_priority;
            out.push_back(std::move(o));
        }
        std::stable_sort(out.begin(), out.end(),
                         [](const outcome_figures& a, const outcome_figures& b) { return a.sessions > b.sessions; });
        // Reasons are free text: past the most frequent few, the rest are one row.
        std::size_t reasons = 0;
        outcome_figures others;
        others.status = session_status::abandoned;
        std::uint64_t merged = 0;
        std::vector<outcome_figures> kept;
        for (outcome_figures& o : out) {
            if (o.status == session_status::abandoned && !o.outcome.empty() && ++reasons > max_abandon_reasons) {
                others.sessions += o.sessions;
                ++merged;
                continue;
            }
            kept.push_back(std::move(o));
        }
        if (merged > 0) {
            others.outcome = fmt::format("{} other reasons", merged);
            others.share = ratio(others.sessions, total);
            kept.push_back(std::move(others));
        }
        return kept;
    }

    // An End call reason as counted: spaces trimmed and runs of them made one, letters in
    // lower case ("Caller hung up " and "caller hung up" are one reason).
    static std::string reason_key(std::string_view reason) {
        std::string out;
        for (const char c : reason) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (!out.empty() && out.back() != ' ') out += ' ';
                continue;
            }
            out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        }
        if (!out.empty() && out.back() == ' ') out.pop_back();
        return out;
    }

    tree_report build() const {
        tree_report r;
        r.tree_id = root_id;
        const tree* root = file_of(0);
        r.has_tree = root != nullptr;
        r.title = root != nullptr && !root->title.empty() ? root->title : root_id;
        if (root != nullptr) {
            r.tree_file = root->file;
            r.tree_file_version = root->version;
        }
        r.sessions = totals;
        r.sessions.handling = figures_of(handling);
        const std::uint64_t started = totals.started;
        const std::uint64_t finished = totals.completed + totals.escalated + totals.abandoned;

        r.outcomes = outcome_list(outcomes);

        // The file that is current: given with --tree, else the library's file of the tree
        // (two logged versions of one number were both "current" by number alone).
        std::string current_hash = options.current_hash;
        if (current_hash.empty() && root != nullptr && !options.current && options.library != nullptr && is_valid_id(root_id))
            current_hash = options.library->get(root_id).hash;
        for (const version_entry& v : versions) {
            version_figures f;
            f.version = v.version;
            f.hash = v.hash;
            if (root != nullptr) {
                f.current = !current_hash.empty() && !v.hash.empty() ? v.hash == current_hash
                                                                    : v.version == root->version;
            }
            f.counted = options.tree_version == 0 || v.version == options.tree_version;
            f.sessions = v.sessions;
            f.completed = v.completed;
            f.escalated = v.escalated;
            f.abandoned = v.abandoned;
            f.first_started_ms = v.first;
            f.last_started_ms = v.last;
            r.versions.push_back(std::move(f));
        }
        std::sort(r.versions.begin(), r.versions.end(), [](const version_figures& a, const version_figures& b) {
            return std::tie(a.version, a.first_started_ms, a.hash) < std::tie(b.version, b.first_started_ms, b.hash);
        });

        // Nodes: known trees in file order; nodes of unknown trees by traffic; nodes the
        // files do not have apart, as drift.
        const std::vector<std::size_t> rank = node_ranks();
        std::vector<std::size_t> in_order(nodes.size());
        for (std::size_t i = 0; i < nodes.size(); ++i) in_order[rank[i]] = i;
        std::vector<int> unknown;
        for (std::size_t i : in_order) {
            const node_entry& n = nodes[i];
            if (file_of(n.tree) == nullptr) {
                unknown.push_back(static_cast<int>(i));
            } else if (n.in_file == nullptr) {
                r.retired_nodes.push_back(node_report(n, started));
            } else {
                r.nodes.push_back(node_report(n, started));
            }
        }
        std::stable_sort(unknown.begin(), unknown.end(), [&](int a, int b) {
            const node_entry& x = nodes[static_cast<std::size_t>(a)];
            const node_entry& y = nodes[static_cast<std::size_t>(b)];
            if (x.tree != y.tree) return rank[static_cast<std::size_t>(a)] < rank[static_cast<std::size_t>(b)];
            return x.visits > y.visits;  // then by id: the order they come in
        });
        for (int i : unknown) r.nodes.push_back(node_report(nodes[static_cast<std::size_t>(i)], started));
        std::stable_sort(r.retired_nodes.begin(), r.retired_nodes.end(),
                         [](const node_figures& a, const node_figures& b) { return a.visits > b.visits; });
        for (const tree_entry& t : trees) {
            if (t.file == nullptr) r.unknown_trees.push_back(t.id);
        }
        std::sort(r.unknown_trees.begin(), r.unknown_trees.end(), [&](const std::string& a, const std::string& b) {
            if ((a == root_id) != (b == root_id)) return a == root_id;
            return a < b;
        });

        // Links: every move seen, plus the links of known trees nobody took.
        struct link_row {
            int from, to;
            std::uint64_t moves;
        };
        std::vector<link_row> rows;
        rows.reserve(links.size());
        for (const auto& [k, moves] : links)
            rows.push_back({static_cast<int>(k >> 32), static_cast<int>(k & 0xffffffffu), moves});
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            const node_entry& n = nodes[i];
            const tree* file = file_of(n.tree);
            // A jump's `to` is reached from the jumped tree's end, never from the jump itself.
            if (n.in_file == nullptr || file == nullptr || n.in_file->kind == node_kind::jump) continue;
            for (const std::string& next : file->successors(*n.in_file)) {
                auto& map = trees[static_cast<std::size_t>(n.tree)].nodes;
                auto it = map.find(next);
                if (it == map.end()) continue;
                std::uint64_t k = static_cast<std::uint64_t>(i) << 32 | static_cast<std::uint32_t>(it->second);
                if (!links.contains(k)) rows.push_back({static_cast<int>(i), it->second, 0});
            }
        }
        std::sort(rows.begin(), rows.end(), [&](const link_row& a, const link_row& b) {
            const std::size_t from_a = rank[static_cast<std::size_t>(a.from)];
            const std::size_t from_b = rank[static_cast<std::size_t>(b.from)];
            if (from_a != from_b) return from_a < from_b;
            if (a.moves != b.moves) return a.moves > b.moves;
            return rank[static_cast<std::size_t>(a.to)] < rank[static_cast<std::size_t>(b.to)];
        });
        for (const link_row& row : rows) {
            const node_entry& a = nodes[static_cast<std::size_t>(row.from)];
            const node_entry& b = nodes[static_cast<std::size_t>(row.to)];
            link_figures l;
            l.from_tree = trees[static_cast<std::size_t>(a.tree)].id;
            l.from = a.id;
            l.to_tree = trees[static_cast<std::size_t>(b.tree)].id;
            l.to = b.id;
            l.transitions = row.moves;
            l.share = ratio(row.moves, a.exits);
            link_check check = check_link(row.from, row.to);
            if (check.result == link_check::verdict::not_in_tree) {
                r.retired_links.push_back(std::move(l));
                continue;
            }
            l.label = std::move(check.label);
            r.links.push_back(std::move(l));
        }
        // The most taken first: those are the ones to explain.
        std::stable_sort(r.retired_links.begin(), r.retired_links.end(),
                         [](const link_figures& a, const link_figures& b) { return a.transitions > b.transitions; });

        // Paths: the most frequent first; ties in the order of their node ids.
        std::vector<std::pair<const std::string*, std::uint64_t>> all;
        all.reserve(paths.size());
        for (const auto& [k, n] : paths) all.emplace_back(&k, n);
        const std::size_t top = std::min(options.top_paths, all.size());
        std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(top), all.end(),
                          [&](const auto& a, const auto& b) {
                              if (a.second != b.second) return a.second > b.second;
                              return path_text(*a.first) < path_text(*b.first);
                          });
        for (std::size_t i = 0; i < top; ++i) {
            path_figures p = decode_key(*all[i].first);
            p.sessions = all[i].second;
            p.share = ratio(p.sessions, finished);
            r.top_paths.push_back(std::move(p));
        }
        r.distinct_paths = paths.size();
        r.other_path_sessions = other_paths;
        r.max_distinct_paths = options.max_distinct_paths;

        build_spots(r);

        for (const auto& [name, a] : agents) {
            agent_figures f;
            f.agent = name;
            f.sessions = a.sessions;
            f.completed = a.completed;
            f.escalated = a.escalated;
            f.abandoned = a.abandoned;
            f.active = a.active;
            f.handling = figures_of(a.handling);
            f.outcomes = outcome_list(a.outcomes);
            f.visits = a.visits;
            f.back_presses = a.back;
            f.back_rate = ratio(a.back, a.visits);
            r.agents.push_back(std::move(f));
        }
        return r;
    }

    // [SECTION] Merging a part read on another thread

    void merge(impl& o) {
        // Their node indexes are not ours: map each of their nodes to ours by tree and id.
        std::vector<int> to_mine(o.nodes.size());
        for (std::size_t i = 0; i < o.nodes.size(); ++i) {
            node_entry& theirs = o.nodes[i];
            const int mine_index = node_index(o.trees[static_cast<std::size_t>(theirs.tree)].id, theirs.id);
            to_mine[i] = mine_index;
            node_entry& mine = nodes[static_cast<std::size_t>(mine_index)];
            mine.visits += theirs.visits;
            mine.returns += theirs.returns;
            mine.found += theirs.found;
            mine.sessions += theirs.sessions;
            mine.exits += theirs.exits;
            mine.abandoned += theirs.abandoned;
            mine.back += theirs.back;
            mine.ended += theirs.ended;
            mine.dwell.merge(theirs.dwell);
            mine.automatic += theirs.automatic;
            for (int v : theirs.versions)
                if (std::find(mine.versions.begin(), mine.versions.end(), v) == mine.versions.end())
                    mine.versions.push_back(v);
        }
        for (const auto& [k, moves] : o.links) {
            const auto from = static_cast<std::uint64_t>(to_mine[static_cast<std::size_t>(k >> 32)]);
            const auto to = static_cast<std::uint32_t>(to_mine[static_cast<std::size_t>(k & 0xffffffffu)]);
            links[from << 32 | to] += moves;
        }
        for (const auto& [k, count] : o.paths) {
            key.clear();
            const int n = read_int(k, 0);
            append_int(key, n);
            std::size_t at = 4;
            for (int i = 0; i < n; ++i, at += 4) {
                const int step = read_int(k, at);
                const int mine = to_mine[static_cast<std::size_t>(step < 0 ? -step - 1 : step)];
                append_int(key, step < 0 ? -(mine + 1) : mine);
            }
            key.append(k, at, std::string::npos);
            if (auto it = paths.find(std::string_view(key)); it != paths.end()) it->second += count;
            else if (paths.size() < options.max_distinct_paths) paths.emplace(key, count);
            else other_paths += count;
        }
        other_paths += o.other_paths;
        for (const auto& [k, count] : o.outcomes) outcomes[k].add(count);
        for (const version_entry& theirs : o.versions) {
            auto it = std::find_if(versions.begin(), versions.end(), [&](const version_entry& v) {
                return v.version == theirs.version && v.hash == theirs.hash;
            });
            if (it == versions.end()) {
                versions.push_back(theirs);
                continue;
            }
            it->sessions += theirs.sessions;
            it->completed += theirs.completed;
            it->escalated += theirs.escalated;
            it->abandoned += theirs.abandoned;
            it->first = std::min(it->first, theirs.first);
            it->last = std::max(it->last, theirs.last);
        }
        for (auto& [name, theirs] : o.agents) {
            agent_entry& a = agent(name);
            a.sessions += theirs.sessions;
            a.completed += theirs.completed;
            a.escalated += theirs.escalated;
            a.abandoned += theirs.abandoned;
            a.active += theirs.active;
            a.visits += theirs.visits;
            a.back += theirs.back;
            a.handling.merge(theirs.handling);
            for (const auto& [k, count] : theirs.outcomes) a.outcomes[k].add(count);
        }
        session_figures& t = totals;
        const session_figures& u = o.totals;
        if (u.started > 0) {
            t.first_started_ms = t.started == 0 ? u.first_started_ms : std::min(t.first_started_ms, u.first_started_ms);
            t.last_started_ms = t.started == 0 ? u.last_started_ms : std::max(t.last_started_ms, u.last_started_ms);
        }
        t.started += u.started;
        t.completed += u.completed;
        t.escalated += u.escalated;
        for (std::size_t i = 0; i < t.escalated_by_priority.size(); ++i)
            t.escalated_by_priority[i] += u.escalated_by_priority[i];
        t.abandoned += u.abandoned;
        t.writer_lost += u.writer_lost;
        t.active += u.active;
        t.restarts += u.restarts;
        t.finds += u.finds;
        t.back_presses += u.back_presses;
        t.with_back += u.with_back;
        handling.merge(o.handling);
        added += o.added;
    }

    path_figures decode_key(const std::string& k) const {
        path_figures p;
        const int count = read_int(k, 0);
        std::size_t at = 4;
        for (int i = 0; i < count; ++i, at += 4) {
            const int step = read_int(k, at);
            const node_entry& e = nodes[static_cast<std::size_t>(step < 0 ? -step - 1 : step)];
            p.steps.emplace_back(trees[static_cast<std::size_t>(e.tree)].id, e.id);
            if (step < 0) p.found.push_back(p.steps.size() - 1);
        }
        if (at < k.size()) {
            p.end = static_cast<session_status>(k[at]);
            p.outcome = k.substr(at + 1);
        }
        return p;
    }

    // A path as text, for ordering paths of equal counts.
    std::string path_text(const std::string& k) const {
        path_figures p = decode_key(k);
        std::string text;
        for (std::size_t i = 0; i < p.steps.size(); ++i)
            text += (p.was_found(i) ? found_step_mark : "") + p.steps[i].first + ":" + p.steps[i].second + " ";
        text += to_string(p.end);
        text += " " + p.outcome;
        return text;
    }

    problem_spot spot(const node_figures& n, double value, std::uint64_t count, std::uint64_t out_of) const {
        problem_spot s;
        s.tree_id = n.tree_id;
        s.node_id = n.node_id;
        s.title = n.title;
        s.value = value;
        s.count = count;
        s.out_of = out_of;
        return s;
    }

    // The top entries of `all` by `value` (largest first; ties by the order of `nodes`).
    std::vector<problem_spot> top_spots(std::vector<problem_spot> all) const {
        std::stable_sort(all.begin(), all.end(),
                         [](const problem_spot& a, const problem_spot& b) { return a.value > b.value; });
        if (all.size() > options.top_spots) all.resize(options.top_spots);
        return all;
    }

    void build_spots(tree_report& r) const {
        std::vector<problem_spot> points, abandon, back, slow;
        for (const node_figures& n : r.nodes) {
            if (n.abandoned_here > 0)
                points.push_back(spot(n, ratio(n.abandoned_here, r.sessions.abandoned), n.abandoned_here,
                                      r.sessions.abandoned));
            if (n.visits < options.min_spot_visits) continue;
            // The rate is per session: a few sessions going round in circles are no sample.
            if (n.abandoned_here > 0 && n.sessions >= options.min_spot_visits)
                abandon.push_back(spot(n, n.abandon_rate, n.abandoned_here, n.sessions));
            if (n.back_presses > 0) back.push_back(spot(n, n.back_rate, n.back_presses, n.visits));
            if (n.dwell.count >= options.min_spot_visits) {
                slow.push_back(spot(n, n.dwell.median_ms, n.dwell.count, 0));
                slow.back().exact = n.dwell.exact;
            }
        }
        // Calls still end on nodes a newer file removed: where they ended is listed all the same.
        for (const node_figures& n : r.retired_nodes)
            if (n.abandoned_here > 0) {
                points.push_back(spot(n, ratio(n.abandoned_here, r.sessions.abandoned), n.abandoned_here,
                                      r.sessions.abandoned));
                points.back().retired = true;
            }
        std::uint64_t on_nodes = 0;
        for (const problem_spot& p : points) on_nodes += p.count;
        r.abandon_points = top_spots(std::move(points));
        std::uint64_t listed = 0;
        for (const problem_spot& p : r.abandon_points) listed += p.count;
        r.abandoned_elsewhere = on_nodes - listed;
        r.abandoned_no_step = r.sessions.abandoned > on_nodes ? r.sessions.abandoned - on_nodes : 0;
        r.highest_abandonment = top_spots(std::move(abandon));
        r.highest_back_rate = top_spots(std::move(back));
        r.slowest = top_spots(std::move(slow));
    }
};

path_statistics::path_statistics(std::string tree_id, statistics_options options)
    : m_impl(std::make_unique<impl>(std::move(tree_id), std::move(options))) {}
path_statistics::~path_statistics() = default;
path_statistics::path_statistics(path_statistics&&) noexcept = default;
path_statistics& path_statistics::operator=(path_statistics&&) noexcept = default;

std::size_t priority_slot(std::string_view priority) {
    // "unknown" is last: it is no priority a log holds.
    for (std::size_t i = 0; i + 1 < report_priorities.size(); ++i)
        if (priority == report_priorities[i]) return i;
    return report_priorities.size() - 1;
}

std::string priority_name(std::size_t slot) {
    const std::string name = report_priorities[slot];
    return slot + 1 == report_priorities.size() ? name + " priority" : name;
}

std::vector<std::size_t> priorities_used(const priority_counts& counts) {
    std::vector<std::size_t> used;
    for (std::size_t i = 0; i < counts.size(); ++i)
        if (counts[i] > 0) used.push_back(i);
    return used;
}

void path_statistics::add(const session_record& s, std::span<const event> events) {
    m_impl->from_events.assign(events);
    m_impl->add(s, m_impl->from_events);
}
void path_statistics::add(const session_record& s, const session_path& path) { m_impl->add(s, path); }
void path_statistics::merge(path_statistics&& other) {
    if (other.m_impl && other.m_impl->root_id == m_impl->root_id) m_impl->merge(*other.m_impl);
}
std::uint64_t path_statistics::sessions_added() const { return m_impl->added; }
tree_report path_statistics::report() const { return m_impl->build(); }

std::uint64_t tree_report::abandoned_in(std::string_view tree) const {
    std::uint64_t n = 0;
    for (const node_figures& f : nodes)
        if (f.tree_id == tree) n += f.abandoned_here;
    return n;
}

const node_figures* tree_report::find_node(std::string_view tree, std::string_view node) const {
    for (const auto* list : {&nodes, &retired_nodes}) {
        for (const node_figures& n : *list) {
            if (n.tree_id == tree && n.node_id == node) return &n;
        }
    }
    return nullptr;
}

const link_figures* tree_report::find_link(std::string_view from_tree, std::string_view from,
                                           std::string_view to_tree, std::string_view to) const {
    for (const auto* list : {&links, &retired_links}) {
        for (const link_figures& l : *list) {
            if (l.from_tree == from_tree && l.from == from && l.to_tree == to_tree && l.to == to) return &l;
        }
    }
    return nullptr;
}

// [SECTION] Reading a whole log

log_result collect_reports(const log_reader& log, const log_filter& filter, const statistics_options& options,
                           std::vector<tree_report>& out, const report_progress& progress) {
    out.clear();
    log_filter f = filter;
    if (options.current) f.tree_id = options.current->id;
    using tree_map = std::map<std::string, path_statistics, std::less<>>;

    // The log is read in parts by session id, one per core, each into its own figures,
    // which are merged at the end: the figures are the same as from one read.
    const unsigned parts = options.threads != 0
                               ? static_cast<unsigned>(std::min<std::size_t>(options.threads, 64))
                               : std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
    struct part_state {
        tree_map by_tree;
        log_result result;
    };
    std::vector<part_state> states(parts);
    // tree_library caches what it loads, so it is not safe on two threads at once: every
    // part finds its trees through one lock.
    std::mutex lookup_lock;
    statistics_options part_options = options;
    part_options.find_tree = [&](const std::string& id) -> std::shared_ptr<const tree> {
        std::lock_guard lock(lookup_lock);
        if (options.find_tree) return options.find_tree(id);
        if (options.library != nullptr && is_valid_id(id)) return options.library->get(id).found;
        return nullptr;
    };
    // Bounds of the parts from one snapshot: found by each part, they could shift between
    // the parts' reads while players add sessions.
    log_split split;
    if (parts > 1) {
        if (auto r = log.split(parts, true, split); !r) return r;
    }
    std::atomic<std::uint64_t> done{0};
    auto read_part = [&](unsigned index) {
        part_state& state = states[index];
        // Logs usually hold one tree: remember the last one instead of searching each time.
        path_statistics* last = nullptr;
        std::string last_id;
        std::uint64_t mine = 0;
        auto add = [&](const session_record& s, const session_path& path) {
            if (last == nullptr || last_id != s.tree_id) {
                auto it = state.by_tree.find(s.tree_id);
                if (it == state.by_tree.end())
                    it = state.by_tree.emplace(s.tree_id, path_statistics(s.tree_id, part_options)).first;
                last = &it->second;
                last_id = s.tree_id;
            }
            last->add(s, path);
            done.fetch_add(1, std::memory_order_relaxed);
            // Progress is reported from the calling thread only (it draws on a terminal).
            if (index == 0 && ++mine % 4096 == 0 && progress) progress(done.load(std::memory_order_relaxed));
        };
        state.result = log.scan_paths(f, add, {index, parts, &split});
    };
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < parts; ++i) pool.emplace_back(read_part, i);
    read_part(0);
    for (std::thread& t : pool) t.join();
    for (const part_state& state : states)
        if (!state.result) return state.result;

    tree_map& all = states[0].by_tree;
    for (unsigned i = 1; i < parts; ++i) {
        for (auto& [id, stats] : states[i].by_tree) {
            auto it = all.find(id);
            if (it == all.end()) it = all.emplace(id, path_statistics(id, part_options)).first;
            it->second.merge(std::move(stats));
        }
    }
    if (options.current && !all.contains(options.current->id))
        all.emplace(options.current->id, path_statistics(options.current->id, part_options));
    if (progress) progress(done.load());
    for (const auto& [id, stats] : all) out.push_back(stats.report());
    return {};
}

std::string whole_percent(double share) {
    if (!(share > 0)) return "0%";
    if (share >= 1) return "100%";
    if (share < 0.005) return "<1%";
    if (share >= 0.995) return ">99%";
    return fmt::format("{}%", std::lround(share * 100));
}

}  // namespace signpost
