#pragma once
// The runtime: one call's walk through a tree (and the trees it jumps into).
// The player and the editor's preview both drive this; neither knows how it works inside.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/clock.hpp"
#include "signpost/event.hpp"
#include "signpost/library.hpp"
#include "signpost/tree.hpp"
#include "signpost/value.hpp"

namespace signpost {

enum class session_status { active, completed, escalated, abandoned };
// "active", "completed", "escalated", "abandoned".
const char* to_string(session_status s);

// A choice as the agent sees it: only choices whose `if` holds are listed.
struct view_choice {
    int index = 0;        // index into node.choices (what events record)
    std::string label;    // interpolated
    std::string to;
};

// A form field as the agent sees it.
struct view_field {
    std::string variable;
    std::string label;
    var_type type = var_type::text;
    bool required = false;
    std::string pattern;
    std::string placeholder;
    std::vector<std::string> options;  // choice variables
    std::string value;                 // the variable's value as text, set by this call ("" if none)
    std::string default_value;         // the declared default it still holds instead (value is then "")
    bool is_private = false;           // the log never records its value (session::is_private)
};

// Where the session is now.
// The end of a sub-script that an action passed through on its way back to the calling
// script (a jump with `to`): its text is meant for the agent ("Thank the caller: ...") but
// the walk does not stop there, so the view carries it to the step that follows.
struct passed_end {
    std::string tree_title;  // the sub-script's title, or its id
    std::string title;       // the end node's title, or its id
    std::string text;        // with {variables} filled in, as they were there
    std::string hint;
};

struct view {
    const tree* tree_ptr = nullptr;  // the tree the node belongs to
    const node* node_ptr = nullptr;  // null only before start
    std::string title;           // node title, or its id when it has none
    std::string text;            // Markdown with {variables} filled in
    std::string hint;            // filled in too
    std::vector<view_choice> choices;  // question
    std::vector<view_field> fields;    // form
    int jump_depth = 0;                // 0 in the root tree
    // An end node of this tree returns to the calling script (a jump with `to`) instead of
    // ending the call.
    bool end_returns = false;
    // When the script cannot go on (a jump target that does not load, a logic node with
    // no matching branch, a runaway logic loop): why. The agent can still go back or end.
    std::string stuck;
    // Sub-script ends with text the last action went through, in order (empty after Back).
    std::vector<passed_end> passed;
};

// One step of the walk so far: what the breadcrumb shows and the transcript lists.
struct crumb {
    std::string tree_id;
    std::string node_id;
    std::string title;
    std::string answer;   // the choice label taken, "Continue", or "" while current
    std::vector<std::pair<std::string, std::string>> fields;  // captured on this step
    std::int64_t entered_ms = 0;
};

struct field_error {
    std::string variable;
    std::string message;  // "Required", "Should look like E123456" (the placeholder), "Must match [0-9]{8}" (none), "Not a number", ...
};

// What an action did. `ok` false: nothing changed, `error` says why.
struct action_result {
    bool ok = true;
    std::string error;
    std::vector<field_error> field_errors;  // submit only
    explicit operator bool() const { return ok; }
};

class session {
public:
    // Starts at the root tree's start node (emitting start and enter events).
    // `library` resolves jumps; it may be null for trees without jumps. `sink` may be null.
    session(std::shared_ptr<const tree> root, const tree_library* library, clock& clk,
            event_sink* sink = nullptr, std::string agent = "");
    ~session();
    session(const session&) = delete;
    session& operator=(const session&) = delete;

    const view& current() const { return m_view; }
    session_status status() const { return m_status; }
    bool finished() const { return m_status != session_status::active; }

    // Takes the `visible`-th choice of current().choices (0-based).
    action_result choose(int visible);
    // Continues from a step node.
    action_result next();
    // Validates and stores a form's inputs (variable -> typed text), then continues.
    // On any invalid field nothing is stored and every field error is returned.
    action_result submit(const std::map<std::string, std::string>& inputs);
    // Undoes the last step, variable changes included.
    action_result back();
    // Goes back to breadcrumb entry `index` (undoing everything after it).
    action_result back_to(std::size_t index);
    bool can_go_back() const;
    // Starts over at the root start node with fresh variables (recorded, not a new session).
    void restart();
    // Moves straight to a node of the current tree (the player's find); only when the
    // tree has allow-find="true".
    action_result go_to(const std::string& node_id);
    // Adds an agent note to the current step (shown in the transcript). After the call has
    // ended it is an after-call note ("after the call" in the transcript, an event after `end`).
    // Refuses a note over max_note_bytes (a paste of a whole document by mistake), saying so:
    // the caller keeps the text to shorten or split.
    action_result note(const std::string& text);
    static constexpr std::size_t max_note_bytes = 16 * 1024;
    // Ends the call early ("End call"): status abandoned, with an optional reason.
    void abandon(const std::string& reason = "");

    // After an end/escalate: the end node's outcome, or "" otherwise.
    const std::string& outcome() const { return m_outcome; }
    // After an escalate: team, priority and the filled-in hand-off summary.
    const std::string& team() const { return m_team; }
    const std::string& priority() const { return m_priority; }
    const std::string& handoff() const { return m_handoff; }
    const std::string& abandon_reason() const { return m_abandon_reason; }

    // The steps taken so far, oldest first; the last is the current node.
    const std::vector<crumb>& breadcrumb() const { return m_crumbs; }
    // Current values of all variables that have one, by name.
    std::map<std::string, value> variables() const;
    // Notes in order, with the node they were made on.
    const std::vector<std::pair<std::string, std::string>>& notes() const { return m_notes; }
    // A variable whose value stays out of the log: declared private by the tree the call is
    // in, by any tree on its way there, or by any tree the call has entered before (the
    // trees share one value per name).
    bool is_private(const std::string& variable) const;

    // A plain-text record ready to paste into a ticket: tree, agent, times, each step with
    // its answer and captured fields, notes, and how it ended.
    std::string transcript() const;

    const tree& root_tree() const { return *m_root; }
    const std::string& agent() const { return m_agent; }
    std::int64_t started_ms() const { return m_started_ms; }
    std::int64_t ended_ms() const { return m_ended_ms; }

private:
    struct state;  // the undoable part: position, call stack, variables, stuck reason
    // What back() needs to undo one action: only what the action changed, so an action
    // costs the same however long the call has been.
    struct undo_step;
    struct pattern_cache;  // compiled field patterns, by pattern text
    void emit(event_kind kind, const std::string& tree_id, const std::string& node, int choice = -1,
              std::string detail = {}, std::string outcome = {}, std::string priority = {});
    // The time of the action under way (see action_clock), else the clock's.
    std::int64_t now();
    // The agent's calendar day at now(), "2026-12-04": what `today` reads in expressions.
    std::string today_iso();
    // Held by each agent action: every event it emits carries the time the action began, so
    // a logic or jump node the action passed through shows no time of its own in the log,
    // however long writing the events in between took.
    class action_clock;
    void begin();  // fresh variables, empty history, arrive at the root start
    void init_variables(const tree& t);
    // Moves to `node_id` of `t` and runs logic/jump/end nodes until an interactive node,
    // the end of the session, or a reason to be stuck.
    // `how` is the detail of the first `enter` (found_by_search for go_to).
    void arrive(std::shared_ptr<const tree> t, std::string node_id, std::string how = {});
    void add_crumb(const tree& t, const node& n);
    void refresh_view();
    // {name} in a text of tree `t`, filled in with the call's values.
    std::function<std::optional<std::string>(std::string_view)> variable_lookup(const tree& t) const;
    std::string fill_in(const tree& t, const std::string& text) const;
    void push_history();
    // Undoes the latest history entry (no event: back() and back_to() emit one for the
    // agent's whole move).
    void undo_last();
    // The `back` event for a move from (left_tree, left_node) to where the session is now;
    // `more_follow`: not the last of one press (back_passes_on).
    void emit_back(const std::string& left_tree, const std::string& left_node, bool more_follow = false);
    // The step recording the action under way; null while (re)starting, which has no undo.
    undo_step* open_step();
    // `is_default`: the variable's declared default, not set by the call (view_field shows
    // it apart from a value).
    void set_variable(const std::string& name, value v, bool is_default = false);
    void finish(session_status s, const node& end_node);

    std::shared_ptr<const tree> m_root;
    const tree_library* m_library;
    clock& m_clock;
    event_sink* m_sink;
    std::string m_agent;
    int m_sequence = 0;
    std::unique_ptr<state> m_state;
    std::vector<undo_step> m_history;
    std::unique_ptr<pattern_cache> m_patterns;
    std::vector<crumb> m_crumbs;
    std::vector<std::pair<std::string, std::string>> m_notes;
    std::vector<std::string> m_note_titles;  // title of each note's node, for the transcript
    // Variables some tree the call has entered declares private: private from then on in
    // every tree (a sub-script's private answer is not logged by the script it returns to).
    std::set<std::string> m_private_names;
    view m_view;
    std::vector<passed_end> m_passed;  // for the view: see view::passed
    session_status m_status = session_status::active;
    std::string m_outcome, m_team, m_priority, m_handoff, m_abandon_reason;
    std::string m_today;          // today_iso()'s last answer, for {today} in texts
    std::int64_t m_today_ms = 0;  // the time it was worked out for
    std::int64_t m_started_ms = 0;
    std::int64_t m_ended_ms = 0;
    std::optional<std::int64_t> m_action_ms;  // set while an action runs (action_clock)
};

}  // namespace signpost
