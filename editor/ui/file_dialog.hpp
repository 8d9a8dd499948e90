#pragma once
// The editor's file dialog: an ImGui modal with a path field and a folder listing
// (no native dialogs, so it behaves the same everywhere, headless tests included).

#include <optional>
#include <string>
#include <vector>

namespace signpost::editor {

class editor_app;

enum class file_purpose { open_tree, save_tree, open_log };

class file_dialog {
public:
    // Shows the dialog next frame, listing `folder` with `file_name` in the path field.
    void show(file_purpose purpose, const std::string& folder, const std::string& file_name = {});
    bool visible() const { return m_visible; }
    file_purpose purpose() const { return m_purpose; }
    // Draws the dialog when shown; returns the chosen path once, when the author confirms.
    std::optional<std::string> draw(editor_app& app);

    // The folder listed and the path typed (tests set them like a person would type).
    const std::string& folder() const { return m_folder; }
    std::string path_text;

private:
    void list(const std::string& folder);

    struct entry {
        std::string name;
        bool is_folder = false;
    };
    bool m_visible = false;
    bool m_open_requested = false;
    file_purpose m_purpose = file_purpose::open_tree;
    std::string m_folder;
    std::vector<entry> m_entries;
    std::string m_error;
    std::string m_replace_confirmed;  // the existing file a first Save was warned about
};

}  // namespace signpost::editor
