// Fuzz target: the runtime (session) driven through a fuzzed tree by fuzzed actions.
// Input: tree XML, a NUL byte, then action bytes (each action reads one to three bytes).
// Checked besides "no crash, no sanitizer report":
//   - the view always shows a node of the tree it names, and only that node's choices;
//     an active session that is not stuck rests on a question, step or form;
//   - the breadcrumb ends at the node shown, unless the script is stuck there;
//   - every action that worked and is followed by a back() that works is undone exactly
//     (node, breadcrumb, variables, stuck reason);
//   - the event stream is numbered 0, 1, 2 ..., starts with `start`, names nodes that exist
//     (and choices they have), and ends with one `end` that matches the session's status,
//     followed by nothing but after-call notes.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "signpost/clock.hpp"
#include "signpost/library.hpp"
#include "signpost/load.hpp"
#include "signpost/session.hpp"

namespace {

using namespace signpost;
using fuzz::require;
using action_bytes = fuzz::byte_reader;

class event_log final : public event_sink {
public:
    void on_event(const event& e) override { events.push_back(e); }
    std::vector<event> events;
};

// What back() must give back exactly.
struct snapshot {
    const tree* where = nullptr;
    const node* at = nullptr;
    std::string stuck;
    std::vector<std::string> crumbs;  // tree/node/answer/fields of every step
    std::map<std::string, value> variables;

    static snapshot of(const session& s) {
        snapshot shot{s.current().tree_ptr, s.current().node_ptr, s.current().stuck, {}, s.variables()};
        for (const crumb& c : s.breadcrumb()) {
            std::string line = c.tree_id + "/" + c.node_id + " -> " + c.answer;
            for (const auto& [name, text] : c.fields) line += " [" + name + "=" + text + "]";
            shot.crumbs.push_back(std::move(line));
        }
        return shot;
    }
    bool operator==(const snapshot&) const = default;

    std::string describe() const {
        std::string out = "node " + (at ? at->id : std::string("(none)")) + ", stuck '" + stuck + "'\n";
        for (const auto& line : crumbs) out += "  " + line + "\n";
        for (const auto& [name, v] : variables) out += "  " + name + " = " + to_display(v) + "\n";
        return out;
    }
};

void check_view(const session& s) {
    const view& v = s.current();
    require(v.tree_ptr != nullptr && v.node_ptr != nullptr, "a started session shows no node");
    const auto& nodes = v.tree_ptr->nodes;
    require(!nodes.empty() && v.node_ptr >= nodes.data() && v.node_ptr < nodes.data() + nodes.size(),
            "the node shown is not in the tree shown", v.node_ptr->id);
    for (const view_choice& c : v.choices) {
        require(c.index >= 0 && static_cast<std::size_t>(c.index) < v.node_ptr->choices.size(),
                "a choice shown is not one of the node's choices", v.node_ptr->id);
        require(c.to == v.node_ptr->choices[c.index].to, "a choice shown goes elsewhere than its node says",
                v.node_ptr->id);
    }
    if (!s.finished() && v.stuck.empty()) {
        const node_kind k = v.node_ptr->kind;
        require(k == node_kind::question || k == node_kind::step || k == node_kind::form,
                "an active session that is not stuck rests on a node the agent cannot act on", v.node_ptr->id);
    }
    // Stuck on a logic or jump node: the breadcrumb ends at the last step the agent saw.
    if (!v.stuck.empty()) return;
    require(!s.breadcrumb().empty(), "the breadcrumb is empty");
    require(s.breadcrumb().back().node_id == v.node_ptr->id && s.breadcrumb().back().tree_id == v.tree_ptr->id,
            "the breadcrumb does not end at the node shown",
            s.breadcrumb().back().tree_id + "/" + s.breadcrumb().back().node_id + " vs " + v.tree_ptr->id + "/" +
                v.node_ptr->id);
}

void check_events(const std::vector<event>& events, const session& s, const tree_library& library) {
    require(!events.empty() && events.front().kind == event_kind::start, "the event stream does not begin with start");
    for (std::size_t i = 0; i < events.size(); ++i) {
        const event& e = events[i];
        require(e.sequence == static_cast<int>(i), "events are not numbered 0, 1, 2 ...", std::to_string(i));
        require(e.kind != event_kind::end ||
                    std::all_of(events.begin() + static_cast<std::ptrdiff_t>(i) + 1, events.end(),
                                [](const event& later) { return later.kind == event_kind::note; }),
                "an event other than a note follows the end event");
        const auto t = library.get(e.tree_id).found;
        require(t != nullptr, "an event names a tree that is not loaded", e.tree_id);
        const node* n = t->find(e.node);
        require(n != nullptr, "an event names a node its tree does not have", e.tree_id + "/" + e.node);
        if (e.kind == event_kind::choose)
            require(e.choice >= 0 && static_cast<std::size_t>(e.choice) < n->choices.size(),
                    "a choose event names a choice its node does not have", e.node);
        if (e.kind == event_kind::back) {
            // One press: the back events marked as passing on are followed by another back,
            // which starts where this one returned to; the last is not marked.
            const bool passing = e.choice == back_passes_on;
            require(passing || e.choice == -1, "a back event with a choice other than the passing mark", e.node);
            if (passing) {
                require(i + 1 < events.size() && events[i + 1].kind == event_kind::back,
                        "a back marked as passing on is not followed by a back", e.node);
                const event& next = events[i + 1];
                const std::string left = e.detail.find(':') == std::string::npos ? e.tree_id + ":" + e.detail : e.detail;
                require(left == next.tree_id + ":" + next.node, "the next back of a press does not start where this one returned to",
                        left + " / " + next.tree_id + ":" + next.node);
            }
        }
    }
    const auto end = std::find_if(events.begin(), events.end(), [](const event& e) { return e.kind == event_kind::end; });
    const bool ended = end != events.end();
    require(ended == s.finished(), "the end event and the session's status disagree");
    if (ended) require(end->detail == to_string(s.status()), "the end event's status is not the session's");
}

// Answers for a form: each field left out, empty, or given a value chosen by one byte.
std::map<std::string, std::string> answers(const session& s, action_bytes& in) {
    std::map<std::string, std::string> out;
    for (const view_field& f : s.current().fields) {
        switch (in.next() % 8) {
            case 0: break;
            case 1: out[f.variable] = ""; break;
            case 2: out[f.variable] = "1"; break;
            case 3: out[f.variable] = f.options.empty() ? "x" : f.options[in.next() % f.options.size()]; break;
            case 4: out[f.variable] = f.value; break;
            case 5: out[f.variable] = "-1e308"; break;
            case 6: out[f.variable] = f.placeholder; break;
            default: out[f.variable] = std::string(300, '7'); break;
        }
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t split = std::min(input.find('\0'), input.size());
    const load_result loaded = load_tree_string(input.substr(0, split), "fuzz.xml");
    if (!loaded.ok()) return 0;  // the player refuses such trees
    action_bytes in(split < input.size() ? input.substr(split + 1) : std::string_view());

    // The sample trees' folder, so their jumps go somewhere, and the tree itself (a jump to
    // its own id runs it again).
    tree_library library({SIGNPOST_FUZZ_TREES});
    library.add(loaded.loaded);
    manual_clock clk(1'700'000'000'000);
    event_log log;
    session s(loaded.loaded, &library, clk, &log, "fuzz");
    check_view(s);

    for (int actions = 0; !in.done() && actions < 400; ++actions) {
        clk.advance(in.next());
        const snapshot before = snapshot::of(s);
        action_result did;
        bool undoable = true;  // a move forward: back() must undo exactly this
        switch (in.next() % 10) {
            case 0:
            case 1: did = s.choose(static_cast<int>(in.next() % (s.current().choices.size() + 1))); break;
            case 2: did = s.next(); break;
            case 3: did = s.submit(answers(s, in)); break;
            case 4: did = s.back(); undoable = false; break;
            case 5: did = s.back_to(in.next() % (s.breadcrumb().size() + 1)); undoable = false; break;
            case 6: {
                const auto& nodes = s.current().tree_ptr->nodes;
                const std::size_t pick = in.next() % (nodes.size() + 1);
                did = s.go_to(pick < nodes.size() ? nodes[pick].id : std::string("no-such-node"));
                break;
            }
            case 7: s.note(std::string(in.next() % 4, 'n')); undoable = false; break;
            case 8: s.restart(); undoable = false; break;
            default: s.abandon(in.next() % 2 ? "" : "caller hung up"); undoable = false; break;
        }
        if (!did.ok) require(snapshot::of(s) == before, "an action that failed changed the session", did.error);
        check_view(s);
        // Undo what just happened, when the next byte says so, and check it was undone.
        if (did.ok && undoable && !in.done() && in.next() % 2 && s.can_go_back()) {
            if (s.back().ok)
                require(snapshot::of(s) == before, "back() did not undo the last action",
                        "before:\n" + before.describe() + "after back():\n" + snapshot::of(s).describe());
            check_view(s);
        }
        if (actions % 16 == 0) (void)s.transcript();
    }
    (void)s.transcript();
    check_events(log.events, s, library);
    return 0;
}
