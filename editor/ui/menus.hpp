#pragma once
// The menu bar and the editor's prompts (unsaved changes, recovery after a crash).

namespace signpost::editor {

class editor_app;

// File, Edit, View, Tree and Preview menus.
void draw_menu_bar(editor_app& app);
// "Save changes?" and "Recover unsaved edits?" dialogs, when they are due.
void draw_prompts(editor_app& app);

}  // namespace signpost::editor
