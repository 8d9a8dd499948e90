#pragma once
// The call the Preview plays: the engine's session, and what Back on the end screen needs.
// The runtime ends a call for good at an end or hand-off (a player logs it so); a preview
// is a trial run, where the author wants to try the other answer of the last question. So
// the call's actions are kept, and Back from the end replays all of them but the last on a
// fresh session (no log is written: nothing of the replay is seen but where it arrives).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "signpost/clock.hpp"
#include "signpost/library.hpp"
#include "signpost/session.hpp"

namespace signpost::editor {

class preview_call {
public:
    // Starts a call at the tree's start. `library` (may be null) and `clk` must outlive it.
    preview_call(std::shared_ptr<const tree> root, const tree_library* library, clock& clk);

    session& call() { return *m_session; }
    const session& call() const { return *m_session; }

    action_result choose(int visible);
    action_result next();
    action_result submit(const std::map<std::string, std::string>& inputs);
    // One step back: on the end screen too, to the step the call ended from.
    action_result back();
    bool can_go_back() const { return !m_actions.empty(); }
    // The inputs of the form a back() has just returned to, as they were submitted
    // (nullptr when the step undone was no form).
    const std::map<std::string, std::string>* undone_inputs() const {
        return m_undone_inputs ? &*m_undone_inputs : nullptr;
    }

private:
    struct choose_action {
        int visible = 0;
    };
    struct next_action {};
    using submit_action = std::map<std::string, std::string>;
    using action = std::variant<choose_action, next_action, submit_action>;

    action_result run(const action& a);
    action_result record(action a);

    std::shared_ptr<const tree> m_root;
    const tree_library* m_library;
    clock* m_clock;
    std::unique_ptr<session> m_session;
    std::vector<action> m_actions;  // the successful ones, as many as the session's history
    std::optional<submit_action> m_undone_inputs;
};

}  // namespace signpost::editor
