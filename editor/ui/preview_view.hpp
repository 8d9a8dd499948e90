#pragma once
// Preview: plays the tree inside the editor with the engine's runtime, as the player would,
// on a snapshot of the tree taken when the call starts. The canvas highlights the node the
// call is on.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/preview_call.hpp"
#include "signpost/clock.hpp"
#include "signpost/library.hpp"
#include "signpost/session.hpp"

namespace signpost::editor {

class editor_app;

class preview_view {
public:
    preview_view();
    ~preview_view();

    // Starts a call on the tree as it is now. False (with a reason in error()) when the tree
    // has problems the runtime cannot play (unknown targets, no start...).
    bool start(editor_app& app);
    void stop();
    bool running() const { return m_call != nullptr; }
    void draw(editor_app& app);
    // True while the preview has the keyboard (its panel has the focus), with or without a
    // call running: the canvas then deletes nothing, as Backspace is the preview's Back and
    // the author is not looking at the selection.
    bool has_keys() const { return m_focused; }
    // Set by the app each frame: whether the preview's panel is focused.
    void set_focused(bool focused) { m_focused = focused; }

    // The node the call is on when it is in the edited tree ("" otherwise or when stopped).
    std::string current_node() const;
    session* call() { return m_call ? &m_call->call() : nullptr; }
    const std::string& error() const { return m_error; }
    // Typed form inputs (variable -> text), as the player keeps them.
    std::map<std::string, std::string> inputs;

private:
    void draw_current(editor_app& app);
    void draw_finished(editor_app& app);
    void draw_variables(editor_app& app);
    void sync_inputs();
    void go_back();
    // Keys are the preview's: it is focused, no text is typed, no popup is open.
    bool keys_free() const;

    system_clock m_clock;
    std::shared_ptr<const tree> m_tree;
    std::unique_ptr<tree_library> m_library;
    std::unique_ptr<preview_call> m_call;
    std::uint64_t m_generation = 0;
    const void* m_doc = nullptr;
    std::string m_error;
    std::string m_action_error;
    std::vector<field_error> m_field_errors;
    const node* m_inputs_for = nullptr;
    std::size_t m_inputs_depth = 0;
    bool m_focused = false;
};

}  // namespace signpost::editor
