#pragma once
// Undoable edits. An edit is recorded as a `tree_change` (exact before/after copies of
// what it touched), so undo and redo restore the tree exactly without copying all of it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "signpost/tree.hpp"

namespace signpost::editor {

// Everything on <tree> itself plus <description>.
struct tree_header {
    std::string id;
    int version = 1;
    std::string title;
    std::string start;
    std::string description;
    bool allow_find = false;
    friend bool operator==(const tree_header&, const tree_header&) = default;
};

// The header fields of `t`.
tree_header header_of(const tree& t);
// Writes the header fields into `t`.
void set_header(tree& t, const tree_header& h);

// One step on `tree::nodes`: replace (before+after), insert (after only) or erase (before
// only). `index` refers to the list as it is when this step runs.
struct node_op {
    std::size_t index = 0;
    std::optional<node> before;
    std::optional<node> after;
};

// The same for `tree::layout`.
struct layout_op {
    std::size_t index = 0;
    std::optional<layout_entry> before;
    std::optional<layout_entry> after;
};

// A recorded edit. Apply runs header, variables, node ops, layout ops in order; revert
// runs the inverse in reverse order.
struct tree_change {
    std::optional<std::pair<tree_header, tree_header>> header;                   // before, after
    std::optional<std::pair<std::vector<variable>, std::vector<variable>>> variables;  // before, after
    std::vector<node_op> nodes;
    std::vector<layout_op> layout;

    // True when it changes nothing.
    bool empty() const;
};

// The first text `c` would put into the tree that a tree file cannot hold (a control
// character, U+FFFE...: signpost::unstorable_text), as a message for the author, or nullopt.
// Commands refuse such edits, so the editor never holds a tree it could not save and reopen.
std::optional<std::string> find_unstorable_text(const tree_change& c);

// Redoes `c` on `t` (t must be in the state `c` was recorded from). Reindexes `t` when ids move.
void apply_change(tree& t, const tree_change& c);
// Undoes `c` on `t` (t must be in the state right after `c`). Reindexes `t` when ids move.
void revert_change(tree& t, const tree_change& c);
// Folds `later` (recorded right after `earlier`) into `earlier`. Replace-only edits of the
// same items collapse (first before, last after) so long drags stay small.
void compose_change(tree_change& earlier, tree_change later);

// An edit the user can undo.
class command {
public:
    virtual ~command() = default;
    // Performs the edit. On error `t` is unchanged and the message says why (shown to the author).
    [[nodiscard]] virtual std::optional<std::string> apply(tree& t) = 0;
    // Undoes the last successful apply().
    virtual void revert(tree& t) = 0;
    // Short name for the Edit menu: "Move nodes", "Edit text".
    virtual std::string label() const = 0;
    // Non-empty: consecutive commands with equal keys within the merge window are one undo step.
    virtual std::string merge_key() const { return {}; }
    // Absorbs `later` (already applied right after this one); false = keep two steps.
    virtual bool absorb(command& later) {
        (void)later;
        return false;
    }
    // Ids of nodes the last apply() created (for the UI to select them).
    virtual std::vector<std::string> created_nodes() const { return {}; }
    // False when the last apply() changed nothing (history then records no step).
    virtual bool changed() const { return true; }
};

// The undo/redo stacks. Unlimited depth.
class history {
public:
    // Merge timing uses a monotonic clock (tests pass their own time points).
    using clock = std::chrono::steady_clock;

    // Same-key commands closer together than `merge_window` merge into one step.
    explicit history(std::chrono::milliseconds merge_window = std::chrono::milliseconds(1000));

    // Applies `c` to `t` and records it (clearing redo). Error: nothing recorded, t unchanged.
    [[nodiscard]] std::optional<std::string> execute(tree& t, std::unique_ptr<command> c,
                                                     clock::time_point now = clock::now());
    // Undoes the newest step; false when there is none.
    bool undo(tree& t);
    // Redoes the newest undone step; false when there is none.
    bool redo(tree& t);
    bool can_undo() const { return !m_done.empty(); }
    bool can_redo() const { return !m_undone.empty(); }
    // Label of the step undo()/redo() would act on ("" when none).
    std::string undo_label() const;
    std::string redo_label() const;
    // Ends the current merge group: the next command starts a new step (mouse release,
    // focus leaving a text box, save).
    void seal() { m_sealed = true; }
    // Identifies the current state: a fresh number for every new or merged step; undo and
    // redo return to the numbers of the states they restore. 0 = the initial state.
    std::uint64_t revision() const;
    // Number of steps that can be undone / redone.
    std::size_t undo_depth() const { return m_done.size(); }
    std::size_t redo_depth() const { return m_undone.size(); }
    // Forgets every step.
    void clear();
    // Ids created by the command of the last successful execute().
    const std::vector<std::string>& last_created() const { return m_last_created; }

private:
    struct step {
        std::unique_ptr<command> cmd;
        std::uint64_t revision = 0;
        clock::time_point last_time;
    };
    std::vector<step> m_done;
    std::vector<step> m_undone;
    std::chrono::milliseconds m_window;
    std::uint64_t m_next_revision = 1;
    bool m_sealed = true;
    std::vector<std::string> m_last_created;
};

}  // namespace signpost::editor
