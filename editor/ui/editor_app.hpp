#pragma once
// The editor window: the open document and the views around it. The views are thin: they
// read the document and issue commands through run(); file handling and the shortcuts that
// work everywhere live here.
//
// Index
//   [SECTION] options and controls
//   [SECTION] editor_app

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "canvas_view.hpp"
#include "file_dialog.hpp"
#include "inspector_view.hpp"
#include "model/document.hpp"
#include "model/files.hpp"
#include "outline_view.hpp"
#include "preview_view.hpp"
#include "problems_view.hpp"
#include "statistics_view.hpp"
#include "ui/fonts.hpp"

namespace signpost::editor {

// [SECTION] options and controls

struct editor_options {
    std::string tree_path;            // opened at start ("" = a new tree from the template)
    std::string recent_store;         // the recent-files list ("" = recent_files::default_store())
    std::vector<std::string> library_dirs;  // extra folders for jump targets (preview)
    std::chrono::milliseconds autosave_every{5000};
    bool autosave = true;
    bool remember_recent = true;  // add opened and saved files to the recent list
};

// Something drawn that a person can act on: tests find and click these by label.
struct drawn_control {
    std::string label;
    ImVec2 min;
    ImVec2 max;
    ImVec2 centre() const { return ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f); }
};

// What is waiting for the author to answer "save changes?".
enum class pending_action { none, new_document, open_file, quit };

// [SECTION] editor_app

class editor_app {
public:
    explicit editor_app(editor_options options);
    ~editor_app();
    editor_app(const editor_app&) = delete;
    editor_app& operator=(const editor_app&) = delete;

    // Opens options.tree_path (or a new tree) and loads the recent files list.
    void start();
    // Draws one frame filling the main viewport.
    void draw(const ui::font_set& fonts);

    // [SECTION] what views use
    document& doc() { return *m_doc; }
    const document& doc() const { return *m_doc; }
    // Runs a command; an error goes to the status line. Selects nodes it created.
    bool run(std::unique_ptr<command> c);
    // Deletes the selected nodes (Delete, Cut); the status line says how many answers and
    // branches that led to them are left unlinked.
    void delete_selection();
    // Selects `node_id` and centres the canvas on it.
    void select_and_show(const std::string& node_id);
    void set_status(std::string message, bool error = false);
    const std::string& status() const { return m_status; }
    bool status_is_error() const { return m_status_error; }
    // Records the last ImGui item under `label` (for tests).
    void record(const std::string& label);
    const drawn_control* find_control(const std::string& prefix) const;
    const std::vector<drawn_control>& controls() const { return m_controls; }
    const ui::font_set& fonts() const { return *m_fonts; }

    canvas_view& canvas() { return m_canvas; }
    inspector_view& inspector() { return m_inspector; }
    outline_view& outline() { return m_outline; }
    problems_view& problems() { return m_problems; }
    preview_view& preview() { return m_preview; }
    statistics_view& statistics() { return m_statistics; }
    file_dialog& dialog() { return m_dialog; }
    recent_files& recent() { return m_recent; }

    // Folders the preview and the validator look in for jump targets.
    std::vector<std::string> library_folders() const;
    // Brings a bottom or side tab to the front next frame.
    void show_preview_tab() { m_select_preview_tab = m_focus_preview = true; }
    void show_statistics_tab() { m_select_statistics_tab = true; }
    void show_problems_tab() { m_select_problems_tab = true; }

    // [SECTION] files (each asks about unsaved changes first where it would lose them)
    // A new untitled tree from starter_templates()[which] (0: the blank starter); asks
    // first when there are unsaved edits.
    void new_document(std::size_t which = 0);
    void open_file(const std::string& path);
    // Saves; an untitled document asks for a path instead. True when written. When the file
    // changed on disk since it was read, nothing is written and disk_conflict() asks what to
    // do, unless `overwrite_changes_on_disk`.
    bool save(bool overwrite_changes_on_disk = false);
    bool save_as(const std::string& path);
    // Opens a session log for the statistics overlay.
    void open_statistics(const std::string& log_path);
    // The window's close button: true when it may close now; otherwise a prompt is shown.
    bool request_close();
    bool quit_requested() const { return m_quit; }
    // The system asks the editor to stop now (a logout, `kill`): unsaved edits go to the
    // autosave, offered back at the next start. Returns what to tell the author ("" = none).
    std::string keep_edits_for_stop();
    // Quits without asking (after request_close() said yes).
    void request_quit_now() { m_quit = true; }
    // The window title, with a marker while there are unsaved changes.
    std::string window_title() const;
    // The file the status line names: the document's, or the one it will be written to.
    std::string file_label() const;

    // The diagnostics of a file that could not be opened at all ("" path = none).
    const std::string& failed_path() const { return m_failed_path; }
    const diagnostics& failed_problems() const { return m_failed_problems; }
    // True when that file could not be opened at all (else it opened with these errors).
    bool failed_fatal() const { return m_failed_fatal; }

    // [SECTION] prompts (drawn by the menus file)
    pending_action pending() const { return m_pending; }
    const std::string& pending_path() const { return m_pending_path; }
    // Runs the pending action after the author chose (save first or discard); clears it.
    void resolve_pending(bool save_first);
    void cancel_pending() { m_pending = pending_action::none; }
    // A save found the file changed on disk (another program, a git pull): the prompt asks
    // whether to overwrite it, reload it (dropping the edits here) or do nothing yet.
    bool disk_conflict() const { return m_disk_conflict; }
    // The open file had load errors or XML comments, so a save rewrites it without what the
    // loader could not read, or without the comments: the first save asks first, saying so.
    const std::string& lossy_save_warning() const { return m_lossy_warning; }
    bool lossy_save_asked() const { return m_lossy_asked; }
    enum class lossy_choice { save_anyway, save_as, cancel };
    void resolve_lossy_save(lossy_choice choice);
    enum class disk_choice { overwrite, reload, cancel };
    void resolve_disk_conflict(disk_choice choice);
    // An autosave offered back: of the file just opened (or that failed to open), or of an
    // untitled tree.
    const std::optional<autosave_offer>& recovery_offer() const { return m_recovery; }
    void accept_recovery();
    void decline_recovery();

    // The clock autosave and revalidation use (tests move it by hand).
    void set_time_source(std::function<document::clock::time_point()> now) { m_now = std::move(now); }

private:
    // "Saved FILE" on the status line, or with the count of errors the saved tree has.
    void say_saved();
    void adopt(std::unique_ptr<document> doc);
    bool open_now(const std::string& path);  // true when a tree came back
    void run_pending();  // the New/Open/Quit the author answered "save first" or "don't save" to
    void new_now(std::size_t which);
    void handle_shortcuts();
    void run_file_shortcut(char key, bool shift);  // Ctrl+S, Ctrl+Shift+S, Ctrl+O, Ctrl+N, Ctrl+Q
    // A text field being edited gives up the keyboard, and `key` runs next frame, once the
    // field's edit (a rename, applied when the field is left) is in the document.
    bool defer_for_field_edit(char key, bool shift);
    void autosave_if_due();
    // Offers an untitled tree's crash autosave when no other offer is up.
    void offer_untitled_recovery();
    void remember(const std::string& path);
    bool ask_before_losing(pending_action action, const std::string& path = {});

    editor_options m_options;
    std::unique_ptr<document> m_doc;
    recent_files m_recent;
    const ui::font_set* m_fonts = nullptr;

    canvas_view m_canvas;
    inspector_view m_inspector;
    outline_view m_outline;
    problems_view m_problems;
    preview_view m_preview;
    statistics_view m_statistics;
    file_dialog m_dialog;

    std::vector<drawn_control> m_controls;
    std::string m_status;
    bool m_status_error = false;
    bool m_quit = false;
    struct deferred_shortcut {
        char key = 0;
        bool shift = false;
    };
    std::optional<deferred_shortcut> m_deferred;
    bool m_release_field = false;  // take the keyboard from the field at the next frame's start
    pending_action m_pending = pending_action::none;
    std::string m_pending_path;
    std::size_t m_pending_template = 0;
    std::optional<autosave_offer> m_recovery;
    bool m_disk_conflict = false;
    std::string m_lossy_warning;  // what the first save of this file would drop ("" = nothing)
    bool m_unkept_markup = false;  // the file as opened has comments or <?...?> instructions
    bool m_lossy_asked = false;   // the prompt about it is up
    std::string m_failed_path;
    diagnostics m_failed_problems;
    bool m_failed_fatal = false;
    bool m_continue_after_save = false;  // a "save changes?" answer waits for Save As
    bool m_continue_after_prompt = false;  // ... or for the lossy-save or disk-conflict prompt
    bool m_select_preview_tab = false;
    bool m_focus_preview = false;  // the preview takes the keyboard when next drawn
    bool m_select_statistics_tab = false;
    bool m_select_problems_tab = false;
    // Panel sizes in pixels (0 = the default for the window size).
    float m_left_width = 0;
    float m_right_width = 0;
    float m_bottom_height = 0;
    std::uint64_t m_autosaved_generation = 0;
    document::clock::time_point m_last_autosave{};
    bool m_unguarded_said = false;  // the autosave-without-a-lock warning, once
    std::function<document::clock::time_point()> m_now = [] { return document::clock::now(); };
};

}  // namespace signpost::editor
