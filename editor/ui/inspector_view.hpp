#pragma once
// The inspector: every field of the selected node, or of the tree when nothing is selected.
// Each edit becomes a command; text typed in one field is one undo step.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "model/expression_text.hpp"
#include "signpost/tree.hpp"
#include "ui/wrapped_text_box.hpp"

namespace signpost::editor {

class editor_app;
class command;

class inspector_view {
public:
    void draw(editor_app& app);
    // Forgets drafts and the field being typed in (another document).
    void reset();

    // The error shown under a field after a refused edit ("" = none); key as in the
    // inspector's field labels, e.g. "choice.0.if" (tests read it).
    std::string field_error(const std::string& field) const;

private:
    struct edit_result {
        bool changed = false;  // the text changed this frame
        bool left = false;     // the author left the field (Enter, Tab, click elsewhere)
        std::string text;
    };
    // Text a command refused, kept in its box with the error until the author changes it,
    // whichever node is selected meanwhile (typing is not thrown away by a click elsewhere).
    struct draft {
        std::string text;
        std::string error;
        // The tree's value of the field when the draft was made (set the first time the box
        // shows it). Once the value differs (undo, an edit elsewhere) the draft is dropped.
        std::optional<std::string> base;
        // The scope's item counts when it was made (see m_items): fields are keyed by index
        // ("var.2.name"), so once items are added or removed the index may name another
        // item, and the draft is dropped.
        std::string items;
    };

    void draw_tree(editor_app& app);
    void draw_variables(editor_app& app);
    void draw_node(editor_app& app, const node& n);
    void draw_choices(editor_app& app, const node& n);
    void draw_branches(editor_app& app, const node& n);
    void draw_fields(editor_app& app, const node& n);
    void draw_node_problems(editor_app& app, const std::string& node_id);

    // A text box whose text survives between frames while it is being typed in.
    edit_result text_input(editor_app& app, const std::string& field, const std::string& value, bool multiline = false,
                           float height = 0, const char* hint = nullptr);
    // A text box that applies every change as a command (refused text stays as a draft
    // with its error under the box).
    void live_text(editor_app& app, const std::string& field, const std::string& value,
                   const std::function<std::unique_ptr<command>(const std::string&)>& make, bool multiline = false,
                   float height = 0, const char* hint = nullptr);
    // The same for `if` / `set` text, with the parse and type error shown as the author types.
    void expression_text(editor_app& app, const std::string& field, const std::string& value, expression_kind kind,
                         const std::function<std::unique_ptr<command>(const std::string&)>& make);
    // A combo listing the tree's nodes with a search box; true and `out` set when one is picked.
    bool target_picker(editor_app& app, const std::string& field, const std::string& current, std::string& out,
                       bool allow_none);
    // Applies a command for this view: a refused edit is kept as a draft of `field`.
    bool apply(editor_app& app, const std::string& field, const std::string& text, std::unique_ptr<command> c);
    // Label column + highlight when a problem asked to focus this field.
    void label(editor_app& app, const char* text, const std::string& field, int index = -1);
    // The refused draft's error under its field; for renames, `still` is the name kept
    // (said, and recorded in `app` for tests as "not-renamed:FIELD").
    void show_error(const std::string& field, const std::string& still = {}, editor_app* app = nullptr);
    std::string key(const std::string& field) const { return m_scope + "/" + field; }

    std::string m_scope;  // node id, or "#tree"
    std::string m_items;  // how many variables, or a node's answers/branches/fields, this frame
    std::string m_edit_key;
    std::string m_edit_buf;
    // The field's text when its edit began: as stored, and as its box showed it.
    std::pair<std::string, std::string> m_edit_began;
    ui::wrapped_text_box m_text_box;  // the multi-line fields (one is edited at a time)
    std::unordered_map<std::string, draft> m_drafts;
    std::string m_picker_filter;
    std::uint64_t m_seen_generation = 0;
    std::string m_flash_field;
    int m_flash_index = -1;
    double m_flash_until = 0;
    bool m_scroll_to_flash = false;
    // New variable row.
    std::string m_new_var;
    int m_new_var_type = 0;
};

}  // namespace signpost::editor
