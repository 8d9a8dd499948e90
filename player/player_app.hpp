#pragma once
// The player's application model: the loaded script, the call in progress, the agent's
// drafts (form inputs, note, end-call reason) and what the log reported. UI-free: the
// window and the console drive it, and tests drive it directly.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "signpost/clock.hpp"
#include "signpost/library.hpp"
#include "signpost/session.hpp"
#include "signpost/session_log.hpp"

namespace signpost::player {

struct player_options {
    std::string tree_path;
    std::vector<std::string> library_dirs;
    std::string agent;
    std::string log_path;  // "" = the default log; "-" = do not record (previews, demos)
};

// A choice or flag field typed as one of its options in another case, or as the start of
// only one of them, is that option: the agent types "pl" for "plus" or "y" for "yes" (a
// drop-down list or a checkbox cannot be used from the keyboard). Otherwise `typed` as it is.
std::string complete_input(const view_field& f, const std::string& typed);

// A value as the field asks for it: a flag's true/false as yes/no.
std::string shown_as_asked(var_type type, const std::string& value);

struct call_data_row {
    std::string label;
    std::string value;
};

class player_app {
public:
    player_app(player_options options, clock& clk);
    ~player_app();

    // Loads the tree and starts the first call. On failure returns the diagnostics, one
    // per line, and the app must not be used.
    [[nodiscard]] std::optional<std::string> start();

    session& call() { return *m_session; }
    const session& call() const { return *m_session; }
    // 1 for the first call, 2 for the next...: tells calls apart where nothing else may.
    std::uint64_t call_number() const { return m_calls; }
    // Counts the times the form inputs were set up anew (a step arrived at, a restart, a
    // new call): the view gives each its own inputs and takes the keyboard to them.
    std::uint64_t drafts_generation() const { return m_drafts_generation; }
    const tree& script() const { return *m_tree; }
    const player_options& options() const { return m_options; }

    // Agent actions: each updates the drafts and the message shown to the agent.
    void choose(int visible);
    void next();
    void submit();
    void back();
    void back_to(std::size_t crumb);
    void restart();
    // Adds `note_draft` as a note (an after-call note once the call has ended) and clears it.
    // A note too long is refused (note_error says why) and stays in the draft.
    bool add_note();
    void end_call();  // abandoned, with `end_reason` as the reason
    bool go_to(const std::string& node_id);
    // Starts the next call, on a newer version of the script when the file changed. A note
    // still being typed is added to the call that ends.
    void next_call();

    // Called every frame/loop: notices a republished script (checked at most every second).
    void poll_file_change();

    // Drafts the UI edits in place.
    std::map<std::string, std::string> form_inputs;
    std::string note_draft;
    std::string end_reason;
    std::vector<field_error> field_errors;
    std::string action_error;  // why the last action did nothing
    std::string note_error;    // why the last note was not added

    // For the agent: "This call uses version 3; the next call will use version 4", etc.
    const std::string& notice() const { return m_notice; }
    // Why the log cannot record (shown as a warning; the call goes on).
    std::string log_warning() const;
    // Records neither the log nor its spill file took: lost when the player quits.
    std::size_t unsaved_log_records() const;

    // A tree the call can run, by id (the script's sub-scripts), or null.
    const tree* tree_by_id(const std::string& id) const;
    // The call's variables for the side panel: labelled by their declaration (in the tree
    // the agent is in, the script, or a sub-script the call went through: its variables stay
    // after it returns), in the order the scripts declare them, values as shown; none
    // whose value is empty.
    std::vector<call_data_row> call_data() const;

    // Error for a field, or "".
    std::string field_error_for(const std::string& variable) const;
    // What a date field's typing will be taken as, said while it is typed: "taken as Fri
    // 4 Dec 2026" for "friday", or why it would be refused; "" for nothing typed.
    std::string date_reading(const std::string& typed) const;
    // The steps find offers in the tree the call is in, in file order: every question,
    // step, form, hand-off and end whose id, title or text holds `query` (any case); all
    // of them for an empty query. Logic and jump nodes are never gone to by hand.
    std::vector<const node*> find_steps(const std::string& query) const;
    // Going to `n` ends the call: a hand-off, or an end that does not return to a calling
    // script. Find asks first.
    bool ends_call(const node& n) const {
        return n.kind == node_kind::escalate || (n.kind == node_kind::end && !m_session->current().end_returns);
    }

    // The form's inputs show what the agent typed (a form gone back to, or typing left in it
    // by a move away), not only the values the script holds: kept to be mended, where a
    // value the script asks for again is to be typed over.
    bool form_shows_typing() const { return m_shows_typing; }

    // form_inputs fields that differ from what the form showed when it was reached.
    std::map<std::string, std::string> unsent_typing() const;

private:
    [[nodiscard]] std::optional<std::string> load_script(std::shared_ptr<const tree>& out, std::string& hash);
    void begin_session();
    void sync_drafts();  // resets drafts when the node changed
    // A call ending on a form keeps what was typed there and not submitted, as a note: the
    // caller who hung up mid-form has said it, and the next team may need it.
    void note_unsent_form();
    // The draft left when the call is closed (player closed, next call): added whole, in
    // parts if it is too long for one note, so none of it is lost.
    void keep_note_draft();
    // Adds `note`, in parts marked "(part i of n)" when it is longer than a note may be.
    void add_note_in_parts(const std::string& note);
    // Before a move away from a form without submitting it (Back, a crumb, find): what was
    // typed there is kept to show again when the call comes to that form once more.
    void keep_unsent_form();
    std::int64_t file_stamp() const;

    player_options m_options;
    clock& m_clock;
    std::uint64_t m_calls = 0;
    std::unique_ptr<tree_library> m_library;
    std::vector<std::string> m_watched;  // the script's file and its sub-scripts' (file_stamp)
    std::shared_ptr<const tree> m_tree;
    std::string m_tree_hash;
    std::unique_ptr<log_writer> m_log;
    std::unique_ptr<session> m_session;
    const node* m_drafts_for = nullptr;
    // What was submitted in each form of this call, to show again when it is gone back to.
    std::map<const node*, std::map<std::string, std::string>> m_typed;
    std::map<std::string, std::string> m_form_start;  // form_inputs as sync_drafts set them up
    // Typing left in a form by a move away from it, not submitted: shown again there.
    std::map<const node*, std::map<std::string, std::string>> m_unsent;
    bool m_went_back = false;  // the last move was Back: a form shows what was typed in it
    bool m_shows_typing = false;  // form_shows_typing()
    std::size_t m_drafts_depth = 0;
    std::uint64_t m_drafts_generation = 0;
    std::string m_notice;
    std::int64_t m_stamp = 0;
    std::int64_t m_last_poll_ms = 0;
    bool m_pending_reload = false;
};

}  // namespace signpost::player
