// The editor window: panels, files, shortcuts.
//
// Index
//   [SECTION] set-up
//   [SECTION] commands and status
//   [SECTION] files
//   [SECTION] frame

#include "editor_app.hpp"

#include <algorithm>
#include <filesystem>
#include <string_view>

#include <imgui_internal.h>  // ImGui::ClearActiveID: a field being edited lets go before a save

#include "menus.hpp"
#include "model/commands.hpp"
#include "palette.hpp"
#include "ui/fonts.hpp"
#include "ui/keys.hpp"
#include "ui/text_glyphs.hpp"

namespace signpost::editor {

namespace fs = std::filesystem;

// [SECTION] set-up

editor_app::editor_app(editor_options options) : m_options(std::move(options)), m_recent(m_options.recent_store) {}

editor_app::~editor_app() {
    m_preview.stop();  // the call points into the document's snapshot, not the document
}

namespace {

// A tree id for a file name that is none ("My Printer Jam" -> "my-printer-jam"): letters
// and digits kept (lower case), every other run of characters one '-'. Empty when nothing
// is left.
std::string id_from_name(std::string_view name) {
    std::string id;
    for (const char c : name) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) id += c;
        else if (c >= 'A' && c <= 'Z') id += static_cast<char>(c - 'A' + 'a');
        else if (!id.empty() && id.back() != '-') id += '-';
    }
    while (!id.empty() && id.back() == '-') id.pop_back();
    if (id.size() > 120) id.resize(120);
    return is_valid_id(id) ? id : std::string();
}

}  // namespace

void editor_app::start() {
    if (m_options.remember_recent) m_recent.load();
    const std::string& path = m_options.tree_path;
    std::error_code ec;
    const fs::path folder = fs::path(path).parent_path();
    std::string new_file;
    std::string new_file_note;  // why the file to be written is not the one named
    std::string missing_folder;
    if (!path.empty() && !fs::exists(path, ec) && !ec && (folder.empty() || fs::is_directory(folder, ec))) {
        // `signpost-editor my-script.xml` for a file not there yet starts it: a new tree that
        // Ctrl+S writes to that name (its id is the name, as the format wants).
        new_file = path;
        // A name that is no id ("My Printer Jam.xml") could never be found by a jump, and
        // would be a tree whose id and file disagree: it is written under an id-like name.
        const std::string stem = fs::path(path).stem().string();
        if (!is_valid_id(stem)) {
            const std::string id = id_from_name(stem);
            const std::string renamed = id.empty() ? std::string() : (folder / (id + ".xml")).string();
            if (!renamed.empty() && !fs::exists(renamed, ec)) {
                new_file_note = " ('" + stem + "' is no tree id: jumps find a tree by its file name, so it will be " +
                                id + ".xml)";
                new_file = renamed;
            } else {
                new_file.clear();
                new_file_note = "'" + stem +
                                "' is no tree id (letters, digits, '-', '_', '.'): jumps find a tree by its file "
                                "name. Ctrl+S asks for a name.";
            }
        }
    } else if (!path.empty() && !fs::exists(path, ec) && !folder.empty() && !fs::is_directory(folder, ec)) {
        // Not "cannot read": nothing was there to read. Ctrl+S asks where to write it.
        missing_folder = folder.string();
    } else if (!path.empty()) {
        open_now(path);
    }
    if (!m_doc) {
        // Nothing opened: a new tree, with the file's diagnostics still on show.
        const std::string stem = fs::path(new_file).stem().string();
        std::unique_ptr<document> fresh =
            document::from_template(!new_file.empty() && is_valid_id(stem) ? stem : placeholder_tree_id);
        fresh->set_new_file(new_file);
        adopt(std::move(fresh));
        if (!missing_folder.empty())
            set_status("Cannot start " + path + ": the folder " + missing_folder +
                           " does not exist. Create it, or write this new tree elsewhere (Ctrl+S asks where).",
                       true);
        else if (!new_file.empty())
            set_status("New file " + new_file + ": not written yet (Ctrl+S writes it)" + new_file_note);
        else if (!new_file_note.empty())
            set_status("New tree, not written yet: " + new_file_note);
        else if (m_failed_path.empty())
            set_status("New tree from the template: pick a node and edit it in the inspector");
        // An untitled tree's autosave left by a crash is offered back like a file's (after
        // the autosave of a file that failed to open, if any: one offer at a time).
        offer_untitled_recovery();
    }
}

void editor_app::adopt(std::unique_ptr<document> doc) {
    m_preview.stop();
    m_doc = std::move(doc);
    m_doc->set_library_dirs(m_options.library_dirs);  // new documents too
    m_canvas.reset();
    m_inspector.reset();
    m_outline.reset();
    m_doc->revalidate();
    // Its text for the font atlas; what is typed or pasted later is noted as it comes.
    ui::want_glyphs_for(m_doc->current());
    ui::want_glyphs(m_doc->path());
    m_autosaved_generation = m_doc->generation();
    m_last_autosave = m_now();
    if (m_statistics.loaded()) m_statistics.reload(*this);
}

// [SECTION] commands and status

bool editor_app::run(std::unique_ptr<command> c) {
    if (!c) return false;
    const std::optional<std::string> error = m_doc->execute(std::move(c));
    if (error) {
        set_status(*error, true);
        return false;
    }
    // A refusal from before no longer holds once an edit went through: left red, it read
    // as if this one had failed too.
    if (m_status_error) set_status({});
    if (!m_doc->last_created().empty()) m_doc->selection().set(m_doc->last_created());
    return true;
}

void editor_app::delete_selection() {
    const std::vector<std::string> ids = m_doc->selection().ids();
    const tree& t = m_doc->current();
    const auto doomed = [&](const std::string& id) {
        return !id.empty() && std::find(ids.begin(), ids.end(), id) != ids.end();
    };
    std::size_t broken = 0;
    for (const node& n : t.nodes) {
        if (doomed(n.id)) continue;
        broken += doomed(n.to) + doomed(n.otherwise);
        for (const choice& c : n.choices) broken += doomed(c.to);
        for (const branch& b : n.branches) broken += doomed(b.to);
    }
    const std::string what = ids.size() == 1 ? "'" + ids.front() + "'" : std::to_string(ids.size()) + " nodes";
    if (!run(delete_nodes(ids))) return;
    if (broken == 0) {
        set_status("Deleted " + what);
        return;
    }
    set_status("Deleted " + what + "; " + std::to_string(broken) +
               (broken == 1 ? " link that led to it is broken" : " links that led to them are broken") +
               ": link again (see Problems; Ctrl+Z undoes)");
}

void editor_app::select_and_show(const std::string& node_id) {
    m_doc->selection().select_only(node_id);
    m_canvas.request_centre(node_id);
}

void editor_app::set_status(std::string message, bool error) {
    m_status = std::move(message);
    ui::want_glyphs(m_status);
    m_status_error = error;
}

void editor_app::record(const std::string& label) {
    m_controls.push_back({label, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
}

const drawn_control* editor_app::find_control(const std::string& prefix) const {
    // The newest first: a popup drawn over the panels wins.
    for (auto it = m_controls.rbegin(); it != m_controls.rend(); ++it)
        if (it->label.rfind(prefix, 0) == 0) return &*it;
    return nullptr;
}

std::vector<std::string> editor_app::library_folders() const {
    std::vector<std::string> folders;
    std::error_code ec;
    std::string own = m_doc && !m_doc->untitled() ? fs::path(m_doc->path()).parent_path().string()
                                                   : fs::current_path(ec).string();
    // Built whole before it goes in: assigning "." to folders.back() trips a GCC 12 -Wrestrict
    // false positive at -O2.
    folders.push_back(own.empty() ? std::string(".") : std::move(own));
    for (const std::string& d : m_options.library_dirs) folders.push_back(d);
    return folders;
}

// [SECTION] files

void editor_app::new_now(std::size_t which) {
    const auto starters = starter_templates();
    const starter_template& starter = starters[which < starters.size() ? which : 0];
    adopt(document::from_starter(starter));
    m_lossy_warning.clear();
    m_failed_path.clear();
    m_failed_problems.clear();
    set_status("New tree from the \"" + std::string(starter.name) +
               "\" template: pick a node and edit it in the inspector");
}

bool editor_app::open_now(const std::string& path) {
    open_result r = document::open(path, m_options.library_dirs);
    m_recovery.reset();
    // Reopening the file being edited (Reload) finds this editor's own autosave: that is
    // no crash to recover from.
    if (r.recovery && m_doc && m_doc->path() == path && r.recovery->autosave == m_doc->autosave_path() &&
        m_doc->wrote_autosave())
        r.recovery.reset();
    if (!r.doc) {
        // Nothing came back (not XML, not a tree, conflict markers...): show why and keep
        // what was open. The author's unsaved edits to it may still be in its autosave.
        m_failed_path = path;
        m_failed_problems = std::move(r.problems);
        m_failed_fatal = true;
        m_recovery = std::move(r.recovery);
        show_problems_tab();
        set_status("Cannot open " + path + ": see Problems", true);
        return false;
    }
    const bool broken = has_errors(r.problems);
    std::size_t errors = 0;
    for (const diagnostic& d : r.problems) errors += d.level == severity::error;
    m_lossy_warning.clear();
    if (broken)
        m_lossy_warning = "it opened with " + std::to_string(errors) + " error" + (errors == 1 ? "" : "s") +
                          " (see Problems): what the loader could not read (a misspelt element, a bad value) is "
                          "not in the editor and would be gone from the file";
    const std::string unkept = unkept_markup(r.comments, r.instructions);
    m_unkept_markup = !unkept.empty();
    if (!unkept.empty())
        m_lossy_warning += std::string(m_lossy_warning.empty() ? "it" : "; and it") + " has " + unkept +
                           ", which the saved file does not keep";
    m_failed_fatal = false;
    m_failed_path = broken ? path : std::string();
    m_failed_problems = broken ? r.problems : diagnostics{};
    adopt(std::move(r.doc));
    remember(path);
    m_recovery = r.recovery;
    if (broken) {
        show_problems_tab();
        set_status("Opened " + path + " with errors: see Problems", true);
    } else if (!unkept.empty()) {
        // Said up front: the author may want to move the notes before saving.
        set_status("Opened " + path + ": it has " + unkept + ", not kept when saving; put notes in hints or the description",
                   true);
    } else {
        set_status("Opened " + path);
    }
    return true;
}

void editor_app::remember(const std::string& path) {
    if (!m_options.remember_recent) return;
    m_recent.add(path);
    (void)m_recent.save();  // a read-only config folder must not stop the editing
}

bool editor_app::ask_before_losing(pending_action action, const std::string& path) {
    if (!m_doc || !m_doc->dirty()) return true;
    m_pending = action;
    m_pending_path = path;
    return false;
}

void editor_app::new_document(std::size_t which) {
    m_pending_template = which;
    if (ask_before_losing(pending_action::new_document)) new_now(which);
}

void editor_app::open_file(const std::string& path) {
    if (ask_before_losing(pending_action::open_file, path)) open_now(path);
}

bool editor_app::save(bool overwrite_changes_on_disk) {
    std::error_code ec;
    if (const std::string named = m_doc->new_file(); m_doc->untitled() && !named.empty() && !fs::exists(named, ec) && !ec)
        return save_as(named);
    if (m_doc->untitled()) {
        m_dialog.show(file_purpose::save_tree, fs::current_path().string(), m_doc->current().id + ".xml");
        return false;
    }
    if (!m_lossy_warning.empty()) {
        m_lossy_asked = true;  // the prompt saves (or not) when the author has read it
        return false;
    }
    m_doc->edits().seal();
    if (const auto error = m_doc->save(overwrite_changes_on_disk)) {
        m_disk_conflict = !overwrite_changes_on_disk && m_doc->changed_on_disk();
        set_status("Not saved: " + *error, true);
        return false;
    }
    m_disk_conflict = false;
    remember(m_doc->path());
    m_failed_path.clear();
    m_failed_problems.clear();
    say_saved();
    return true;
}

void editor_app::say_saved() {
    // Saved either way (nothing is lost), but a tree with errors is one players refuse: said
    // now, not found out on the floor.
    if (m_doc->problems_stale()) m_doc->revalidate();
    std::size_t errors = 0;
    for (const diagnostic& d : m_doc->problems()) errors += d.level == severity::error;
    if (errors == 0) {
        set_status("Saved " + m_doc->path());
        return;
    }
    set_status("Saved " + m_doc->path() + ", with " + std::to_string(errors) + (errors == 1 ? " error" : " errors") +
                   " (see Problems): players refuse it until that is fixed",
               true);
}

bool editor_app::save_as(const std::string& path) {
    // Onto the document's own file it is a plain save, with its checks (changed on disk,
    // what a broken file loses): the suggested name usually is that file.
    std::error_code ec;
    if (!m_doc->untitled() && fs::equivalent(path, m_doc->path(), ec) && !ec) return save();
    // A tree never saved still has the templates' placeholder id: it takes the file's name,
    // as jumps find trees by it (an id the author chose is kept, and warned about).
    const std::string stem = fs::path(path).stem().string();
    if (m_doc->untitled() && m_doc->current().id == placeholder_tree_id && stem != placeholder_tree_id &&
        is_valid_id(stem)) {
        tree_header named = header_of(m_doc->current());
        named.id = stem;
        if (m_doc->execute(set_tree_header(named))) return false;  // an id it cannot take: not saved
    }
    m_doc->edits().seal();
    if (const auto error = m_doc->save_as(path)) {
        set_status("Not saved: " + *error, true);
        return false;
    }
    m_lossy_warning.clear();  // the original file stays as it was
    remember(m_doc->path());
    m_failed_path.clear();
    m_failed_problems.clear();
    say_saved();
    return true;
}

void editor_app::resolve_pending(bool save_first) {
    if (save_first) {
        if (m_doc->untitled()) {
            m_continue_after_save = true;  // the Save As dialog finishes the job
            save();
            return;
        }
        if (!save()) {
            // A prompt about this save (what it drops, a change on disk) is up: the action
            // goes on once that save is done; otherwise it is dropped with the error shown.
            if (m_lossy_asked || m_disk_conflict) m_continue_after_prompt = true;
            else m_pending = pending_action::none;
            return;
        }
    } else {
        m_doc->discard_autosave();  // the author chose to drop these edits
    }
    run_pending();
}

void editor_app::run_pending() {
    const pending_action action = m_pending;
    m_pending = pending_action::none;
    m_continue_after_prompt = false;
    switch (action) {
    case pending_action::new_document: new_now(m_pending_template); break;
    case pending_action::open_file: open_now(m_pending_path); break;
    case pending_action::quit: m_quit = true; break;
    case pending_action::none: break;
    }
}

void editor_app::accept_recovery() {
    if (!m_recovery) return;
    const std::string path = m_recovery->file;
    const std::string autosave = m_recovery->autosave;
    m_recovery.reset();
    if (autosave_lock::held(autosave)) {
        // Another editor on the same file answered the same offer first and writes there now.
        set_status("Another editor has recovered these edits already: they are in its window", true);
        offer_untitled_recovery();
        return;
    }
    open_result r = document::open_recovered(path, m_options.library_dirs, autosave);
    // The untitled autosave is the one just recovered: it stays until saved, not re-offered.
    const bool offer_next = !path.empty();
    if (!r.doc) {
        set_status("The autosave could not be read", true);
        return;
    }
    if (path != m_doc->path()) {
        // The file itself did not open: the recovered edits take its place.
        m_lossy_warning.clear();
        remember(path);
    } else if (m_failed_path == path && !m_lossy_warning.empty()) {
        // The warning was about the file as opened ("see Problems"); Problems now shows the
        // recovered tree, which may have none.
        m_lossy_warning = "the file on disk opened with errors: what the loader could not read from it is not in "
                          "the recovered edits either, and would be gone from the file";
        if (m_unkept_markup) m_lossy_warning += "; and its XML comments or <?...?> instructions are not kept";
    }
    if (m_failed_path == path) {
        m_failed_path.clear();
        m_failed_problems.clear();
    }
    m_doc->discard_autosave();  // edits made while the offer waited give way to the recovered ones
    if (path.empty()) r.doc->set_new_file(m_doc->new_file());  // a name given at start still holds
    adopt(std::move(r.doc));
    set_status("Recovered the unsaved edits of " + m_doc->display_name() + ": save to keep them");
    if (offer_next) offer_untitled_recovery();
}

void editor_app::decline_recovery() {
    if (!m_recovery) return;
    // Only while no other editor holds it: one that recovered it meanwhile writes there.
    if (const std::optional<autosave_lock> hold = autosave_lock::take(m_recovery->autosave)) {
        std::error_code ec;
        fs::remove(m_recovery->autosave, ec);
    }
    m_recovery.reset();
    offer_untitled_recovery();
}

void editor_app::offer_untitled_recovery() {
    // One offer at a time: a file's offer answered, an untitled tree being shown may have
    // a crash autosave of its own waiting (its next autosave would overwrite it).
    if (!m_recovery && m_doc->untitled()) m_recovery = recovery_for("");
}

void editor_app::open_statistics(const std::string& log_path) {
    if (m_statistics.open(*this, log_path)) {
        set_status("Statistics from " + log_path);
    } else {
        set_status("Cannot read " + log_path + ": " + m_statistics.error(), true);
    }
    show_statistics_tab();
}

void editor_app::resolve_lossy_save(lossy_choice choice) {
    m_lossy_asked = false;
    const bool go_on = m_continue_after_prompt;
    m_continue_after_prompt = false;
    switch (choice) {
    case lossy_choice::save_anyway:
        m_lossy_warning.clear();  // asked once per opened file
        if (save() && go_on) run_pending();
        else if (!m_disk_conflict) m_pending = pending_action::none;
        else m_continue_after_prompt = go_on;  // the disk prompt decides next
        return;
    case lossy_choice::save_as: {
        m_continue_after_save = go_on;  // the Save As dialog finishes the job
        const fs::path path = m_doc->path();
        m_dialog.show(file_purpose::save_tree, path.parent_path().string(), path.stem().string() + "-fixed.xml");
        return;
    }
    case lossy_choice::cancel:
        m_pending = pending_action::none;
        set_status("Not saved: use Save As to keep the original file as it is", true);
        return;
    }
}

void editor_app::resolve_disk_conflict(disk_choice choice) {
    m_disk_conflict = false;
    const bool go_on = m_continue_after_prompt;
    m_continue_after_prompt = false;
    switch (choice) {
    case disk_choice::overwrite:
        if (save(true) && go_on) run_pending();
        else m_pending = pending_action::none;
        return;
    case disk_choice::reload: {
        const std::string path = m_doc->path();  // a copy: opening replaces the document
        const std::string own_autosave = m_doc->wrote_autosave() ? m_doc->autosave_path() : std::string();
        // The edits here are dropped only once the file has opened: a removed file, or one
        // with conflict markers, keeps them (and their autosave).
        std::error_code ec;
        if (open_now(path) && !own_autosave.empty()) fs::remove(own_autosave, ec);
        m_pending = pending_action::none;
        return;
    }
    case disk_choice::cancel:
        m_pending = pending_action::none;
        set_status("Not saved: the file on disk was left as it is", true);
        return;
    }
}

bool editor_app::request_close() {
    // The window's close button while the Id box still holds a rename: taken first.
    if (defer_for_field_edit('Q', false)) return false;
    if (!m_doc->dirty()) {
        // An autosave offered for recovery and not yet answered is the author's only copy
        // of those edits: closing must not delete it.
        if (!m_recovery) m_doc->discard_autosave();
        return true;
    }
    m_pending = pending_action::quit;
    return false;
}

std::string editor_app::keep_edits_for_stop() {
    if (!m_doc || !m_options.autosave) return {};
    if (!m_doc->dirty()) {
        m_doc->discard_autosave();  // edits undone back to the file: nothing to offer
        return {};
    }
    if (const auto error = m_doc->write_autosave())
        return "unsaved edits of " + m_doc->display_name() + " could not be kept: " + *error;
    return "unsaved edits of " + m_doc->display_name() + " kept in " + m_doc->autosave_path() +
           "; they are offered back at the next start";
}

std::string editor_app::file_label() const {
    if (!m_doc) return "untitled";
    if (!m_doc->untitled()) return m_doc->path();
    if (!m_doc->new_file().empty()) return m_doc->new_file() + " (not written yet)";
    return "untitled (not saved yet)";
}

std::string editor_app::window_title() const {
    const std::string name = m_doc ? m_doc->display_name() : "untitled";
    return (m_doc && m_doc->dirty() ? "\xE2\x97\x8F " : "") + name + " \xE2\x80\x94 Signpost editor";
}

void editor_app::autosave_if_due() {
    if (!m_options.autosave) return;
    if (!m_doc->dirty()) {
        m_doc->discard_autosave();  // edits undone back to the file: nothing to offer
        return;
    }
    if (m_doc->generation() == m_autosaved_generation) return;
    const auto now = m_now();
    if (now - m_last_autosave < m_options.autosave_every) return;
    m_last_autosave = now;
    m_autosaved_generation = m_doc->generation();
    if (const auto error = m_doc->write_autosave()) {
        set_status("Autosave failed: " + *error, true);
    } else if (!m_doc->autosave_guarded() && !m_unguarded_said) {
        m_unguarded_said = true;
        set_status("Autosave works, but without a lock (the state folder cannot be written): another editor "
                   "on this file could write the same autosave",
                   true);
    }
}

// [SECTION] frame

namespace {

// A bar between two panels that the author drags to resize them. Returns how far it moved
// this frame along its axis (x for a vertical bar, y for a horizontal one).
float splitter(const char* id, bool vertical, float thickness, float length) {
    const ImVec2 size = vertical ? ImVec2(thickness, length) : ImVec2(length, thickness);
    ImGui::InvisibleButton(id, size);
    const bool active = ImGui::IsItemActive();
    if (active || ImGui::IsItemHovered())
        ImGui::SetMouseCursor(vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    const ImU32 colour = ImGui::GetColorU32(active ? ImGuiCol_SeparatorActive
                                                   : ImGui::IsItemHovered() ? ImGuiCol_SeparatorHovered : ImGuiCol_Separator);
    if (vertical) ImGui::GetWindowDrawList()->AddLine(ImVec2((a.x + b.x) * 0.5f, a.y), ImVec2((a.x + b.x) * 0.5f, b.y), colour);
    else ImGui::GetWindowDrawList()->AddLine(ImVec2(a.x, (a.y + b.y) * 0.5f), ImVec2(b.x, (a.y + b.y) * 0.5f), colour);
    if (!active) return 0;
    return vertical ? ImGui::GetIO().MouseDelta.x : ImGui::GetIO().MouseDelta.y;
}

}  // namespace

bool editor_app::defer_for_field_edit(char key, bool shift) {
    // Ctrl+S pressed while typing a node's new id saved the file without it, and said
    // "Saved"; Ctrl+Q then quit without asking and the rename was lost.
    if (!ImGui::GetIO().WantTextInput || !ImGui::IsAnyItemActive() || m_deferred) return false;
    m_deferred = deferred_shortcut{key, shift};
    m_release_field = true;
    return true;
}

void editor_app::run_file_shortcut(char key, bool shift) {
    if (defer_for_field_edit(key, shift)) return;
    switch (key) {
    case 'S':
        if (shift) m_dialog.show(file_purpose::save_tree, library_folders().front(), m_doc->current().id + ".xml");
        else save();
        break;
    case 'O': m_dialog.show(file_purpose::open_tree, library_folders().front()); break;
    case 'N': new_document(); break;
    case 'Q':
        if (request_close()) m_quit = true;
        break;
    default: break;
    }
}

void editor_app::handle_shortcuts() {
    ImGuiIO& io = ImGui::GetIO();
    if (m_deferred && !m_release_field) {
        // The field was let go at the start of this frame and applied its edit as it was drawn.
        const deferred_shortcut d = *m_deferred;
        m_deferred.reset();
        run_file_shortcut(d.key, d.shift);
        return;
    }
    if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) return;
    const auto pressed = [](int k) { return ImGui::IsKeyPressed(k, false); };
    if (!io.KeyCtrl) return;
    if (pressed(ui::letter('S'))) {
        run_file_shortcut('S', io.KeyShift);
    } else if (pressed(ui::letter('O'))) {
        run_file_shortcut('O', false);
    } else if (pressed(ui::letter('N'))) {
        run_file_shortcut('N', false);
    } else if (pressed(ui::letter('Q'))) {
        run_file_shortcut('Q', false);
    } else if (!io.WantTextInput && pressed(ui::letter('Z'))) {
        // Ctrl+Z inside a text box is the box's own undo; elsewhere it is the document's.
        if (io.KeyShift) m_doc->redo();
        else m_doc->undo();
    } else if (!io.WantTextInput && pressed(ui::letter('Y'))) {
        m_doc->redo();
    }
}

void editor_app::draw(const ui::font_set& fonts) {
    m_fonts = &fonts;
    if (m_release_field) {
        // At the start of a frame, so the field sees itself let go as it is drawn (ImGui
        // reports a field deactivated in the frame after it was active) and applies its edit.
        ImGui::ClearActiveID();
        m_release_field = false;
    }
    m_controls.clear();
    const auto now = m_now();
    m_doc->revalidate_if_due(now);
    autosave_if_due();
    m_canvas.highlighted = m_preview.current_node();
    m_canvas.traffic = m_statistics.traffic();

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(4, 4));
    // The panels are sized to the window and scroll themselves: a wheel over a list that
    // fits must not shift the whole window by the status line's spacing.
    ImGui::Begin("Signpost editor", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_MenuBar |
                     ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    draw_menu_bar(*this);

    const float em = fonts.size;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float status_h = ImGui::GetFrameHeightWithSpacing();
    const float bar = 6.0f;  // splitter thickness
    const float height = avail.y - status_h;
    // Panel sizes: defaults from the window size, then wherever the author drags the bars.
    if (m_left_width <= 0) m_left_width = std::clamp(avail.x * 0.15f, em * 10, em * 16);
    if (m_right_width <= 0) m_right_width = std::clamp(avail.x * 0.27f, em * 16, em * 28);
    m_left_width = std::clamp(m_left_width, em * 6, std::max(em * 6, avail.x * 0.4f));
    m_right_width = std::clamp(m_right_width, em * 12, std::max(em * 12, avail.x * 0.5f));
    const float centre = std::max(avail.x - m_left_width - m_right_width - bar * 2, em * 10);
    // The bottom panel keeps its height (the canvas above must not jump as problems come
    // and go; the lists scroll), until the author drags the bar; always room for the tab
    // bar, the summary line, the table's header and a few whole rows.
    const float row = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2;
    const float least = ImGui::GetFrameHeightWithSpacing() * 2 + row * 5 + ImGui::GetStyle().WindowPadding.y * 2;
    // By default only that: the canvas is where the work is. With statistics open the
    // figures are the work too, so their tables get rows enough to read.
    const float start = m_statistics.loaded() ? std::max(least, height * 0.4f) : least;
    float bottom = m_bottom_height > 0 ? m_bottom_height : start;
    bottom = std::clamp(bottom, least, std::max(least, height - em * 8));

    // Left: the outline.
    ImGui::BeginChild("##left", ImVec2(m_left_width, height), true);
    ImGui::PushFont(fonts.bold);
    ImGui::TextUnformatted("Outline");
    ImGui::PopFont();
    m_outline.draw(*this);
    ImGui::EndChild();
    ImGui::SameLine(0, 0);
    m_left_width += splitter("##split_left", true, bar, height);
    ImGui::SameLine(0, 0);

    // Centre: the canvas over the Problems / Statistics tabs.
    ImGui::BeginGroup();
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::BeginChild("##canvas_panel", ImVec2(centre, height - bottom - bar), true,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoMove);
    m_canvas.draw(*this);
    ImGui::EndChild();
    ImGui::PopStyleVar();
    if (const float d = splitter("##split_bottom", false, bar, centre); d != 0) m_bottom_height = bottom - d;
    record("split:bottom");
    ImGui::BeginChild("##bottom", ImVec2(centre, bottom), true);
    if (ImGui::BeginTabBar("##bottom_tabs")) {
        const std::string count = problems_view::summary(m_doc->problems());
        const std::string problems_title = (count == "none" ? std::string("Problems") : "Problems (" + count + ")") + "###problems";
        if (ImGui::BeginTabItem(problems_title.c_str(), nullptr, m_select_problems_tab ? ImGuiTabItemFlags_SetSelected : 0)) {
            m_problems.draw(*this);
            ImGui::EndTabItem();
        }
        record("tab:problems");
        if (ImGui::BeginTabItem("Statistics###statistics", nullptr,
                                m_select_statistics_tab ? ImGuiTabItemFlags_SetSelected : 0)) {
            m_statistics.draw(*this);
            ImGui::EndTabItem();
        }
        record("tab:statistics");
        ImGui::EndTabBar();
    }
    m_select_problems_tab = m_select_statistics_tab = false;
    ImGui::EndChild();
    ImGui::EndGroup();
    ImGui::SameLine(0, 0);
    m_right_width -= splitter("##split_right", true, bar, height);
    ImGui::SameLine(0, 0);

    // Right: inspector and preview.
    ImGui::BeginChild("##right", ImVec2(0, height), true);
    if (ImGui::BeginTabBar("##right_tabs")) {
        if (ImGui::BeginTabItem("Inspector")) {
            ImGui::BeginChild("##inspector_scroll");
            m_inspector.draw(*this);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        record("tab:inspector");
        bool preview_focused = false;
        if (ImGui::BeginTabItem("Preview", nullptr, m_select_preview_tab ? ImGuiTabItemFlags_SetSelected : 0)) {
            // The panel (its tab included) has the focus: the preview takes the player's keys.
            preview_focused = ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows);
            m_preview.set_focused(preview_focused);
            ImGui::BeginChild("##preview_scroll");
            // Brought to the front to play (Preview menu, --preview): it takes the keys at once
            // (once the tab bar has put it in front, which may be a frame later).
            if (m_focus_preview) ImGui::SetWindowFocus();
            m_focus_preview = false;
            m_preview.draw(*this);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        record("tab:preview");
        if (!preview_focused) m_preview.set_focused(false);
        ImGui::EndTabBar();
    }
    m_select_preview_tab = false;
    ImGui::EndChild();

    // Status line.
    const bool dirty = m_doc->dirty();
    ImGui::TextColored(dirty ? colours::warning : colours::muted, "%s%s", dirty ? "\xE2\x97\x8F " : "",
                       file_label().c_str());
    ImGui::SameLine();
    ImGui::TextColored(colours::muted, " \xC2\xB7  %zu nodes", m_doc->current().nodes.size());
    if (!m_status.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(m_status_error ? colours::error : colours::muted, " \xC2\xB7  %s", m_status.c_str());
        // One line: a long message (a save error with its path) runs past the edge; all of it
        // is in the tooltip.
        if (ImGui::IsItemHovered() && ImGui::GetItemRectMax().x > ImGui::GetWindowPos().x + ImGui::GetWindowWidth()) {
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
            ImGui::TextUnformatted(m_status.c_str());
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
        }
    }

    draw_prompts(*this);
    if (const std::optional<std::string> chosen = m_dialog.draw(*this)) {
        switch (m_dialog.purpose()) {
        case file_purpose::open_tree: open_file(*chosen); break;
        case file_purpose::open_log: open_statistics(*chosen); break;
        case file_purpose::save_tree:
            if (save_as(*chosen) && m_continue_after_save) {
                m_continue_after_save = false;
                resolve_pending(false);
            }
            break;
        }
    } else if (!m_dialog.visible()) {
        m_continue_after_save = false;
    }
    handle_shortcuts();
    ImGui::End();
}

}  // namespace signpost::editor
