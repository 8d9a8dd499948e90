#include "menus.hpp"

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include <imgui.h>

#include "editor_app.hpp"
#include "model/commands.hpp"
#include "palette.hpp"
#include "ui/fonts.hpp"

namespace signpost::editor {

namespace {

void file_menu(editor_app& app) {
    if (!ImGui::BeginMenu("File")) return;
    document& doc = app.doc();
    const std::string here = app.library_folders().front();
    if (ImGui::BeginMenu("New from template")) {
        const auto starters = starter_templates();
        for (std::size_t i = 0; i < starters.size(); ++i) {
            const std::string label(starters[i].name);
            if (ImGui::MenuItem(label.c_str(), i == 0 ? "Ctrl+N" : nullptr)) app.new_document(i);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(starters[i].summary).c_str());
        }
        ImGui::EndMenu();
    }
    if (ImGui::MenuItem("Open...", "Ctrl+O")) app.dialog().show(file_purpose::open_tree, here);
    if (ImGui::BeginMenu("Open recent", !app.recent().items().empty())) {
        std::string chosen;
        for (const std::string& path : app.recent().items()) {
            ui::want_glyphs(path);
            if (ImGui::MenuItem(path.c_str())) chosen = path;
        }
        ImGui::EndMenu();
        if (!chosen.empty()) {
            if (std::filesystem::exists(chosen)) {
                app.open_file(chosen);
            } else {
                app.recent().remove(chosen);
                (void)app.recent().save();
                app.set_status(chosen + " no longer exists", true);
            }
        }
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Save", "Ctrl+S")) app.save();
    if (ImGui::MenuItem("Save as...", "Ctrl+Shift+S"))
        app.dialog().show(file_purpose::save_tree, here, doc.current().id + ".xml");
    ImGui::Separator();
    if (ImGui::MenuItem("Open statistics...")) app.dialog().show(file_purpose::open_log, here);
    if (ImGui::MenuItem("Close statistics", nullptr, false, app.statistics().loaded())) app.statistics().close();
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q") && app.request_close()) app.request_quit_now();
    ImGui::EndMenu();
}

void edit_menu(editor_app& app) {
    if (!ImGui::BeginMenu("Edit")) return;
    document& doc = app.doc();
    const std::string undo = doc.edits().can_undo() ? "Undo " + doc.edits().undo_label() : "Undo";
    const std::string redo = doc.edits().can_redo() ? "Redo " + doc.edits().redo_label() : "Redo";
    if (ImGui::MenuItem(undo.c_str(), "Ctrl+Z", false, doc.edits().can_undo())) doc.undo();
    if (ImGui::MenuItem(redo.c_str(), "Ctrl+Shift+Z", false, doc.edits().can_redo())) doc.redo();
    ImGui::Separator();
    const bool any = !doc.selection().empty();
    if (ImGui::MenuItem("Cut", "Ctrl+X", false, any)) {
        ImGui::SetClipboardText(copy_nodes(doc.current(), doc.selection().ids(), doc.path(), doc.instance_id()).c_str());
        app.delete_selection();
    }
    if (ImGui::MenuItem("Copy", "Ctrl+C", false, any))
        ImGui::SetClipboardText(copy_nodes(doc.current(), doc.selection().ids(), doc.path(), doc.instance_id()).c_str());
    if (ImGui::MenuItem("Duplicate", "Ctrl+D", false, any)) app.run(duplicate_nodes(doc.current(), doc.selection().ids()));
    if (ImGui::MenuItem("Delete", "Delete", false, any)) app.delete_selection();
    ImGui::Separator();
    if (ImGui::MenuItem("Select all", "Ctrl+A")) doc.selection().select_all(doc.current());
    if (ImGui::MenuItem("Select none", "Escape", false, any)) doc.selection().clear();
    ImGui::EndMenu();
}

void view_menu(editor_app& app) {
    if (!ImGui::BeginMenu("View")) return;
    if (ImGui::MenuItem("Zoom to fit", "F")) app.canvas().request_fit();
    if (ImGui::MenuItem("Zoom 100%")) {
        view_transform& v = app.canvas().transform();
        const vec2 middle{app.canvas().size().x * 0.5, app.canvas().size().y * 0.5};
        v.zoom_at(middle, 1.0);
    }
    if (ImGui::MenuItem("Show traffic on the canvas", nullptr, app.statistics().show_on_canvas, app.statistics().loaded()))
        app.statistics().show_on_canvas = !app.statistics().show_on_canvas;
    ImGui::EndMenu();
}

void tree_menu(editor_app& app) {
    if (!ImGui::BeginMenu("Tree")) return;
    document& doc = app.doc();
    if (ImGui::BeginMenu("Add node")) {
        const ImVec2 o = app.canvas().origin(), s = app.canvas().size();
        const vec2 at = app.canvas().to_canvas(ImVec2(o.x + s.x * 0.5f, o.y + s.y * 0.5f));
        for (const node_kind k : all_kinds)
            if (ImGui::MenuItem(kind_label(k))) app.run(add_node(k, snap_to_grid(at, snap_grid)));
        ImGui::EndMenu();
    }
    if (ImGui::MenuItem("Automatic layout")) {
        app.run(apply_auto_layout());
        app.canvas().request_fit();
    }
    if (ImGui::MenuItem("Tree settings and variables")) doc.selection().clear();
    if (ImGui::MenuItem("Check now")) doc.revalidate();
    ImGui::EndMenu();
}

void preview_menu(editor_app& app) {
    if (!ImGui::BeginMenu("Preview")) return;
    if (ImGui::MenuItem(app.preview().running() ? "Restart call" : "Play")) {
        app.preview().start(app);
        app.show_preview_tab();
    }
    if (ImGui::MenuItem("Stop", nullptr, false, app.preview().running())) app.preview().stop();
    ImGui::EndMenu();
}

}  // namespace

void draw_menu_bar(editor_app& app) {
    if (!ImGui::BeginMenuBar()) return;
    file_menu(app);
    edit_menu(app);
    view_menu(app);
    tree_menu(app);
    preview_menu(app);
    // The file name with the unsaved marker, at the right of the bar.
    const std::string name = (app.doc().dirty() ? "\xE2\x97\x8F " : "") + app.doc().display_name();
    const float w = ImGui::CalcTextSize(name.c_str()).x;
    ImGui::SameLine(ImGui::GetWindowWidth() - w - ImGui::GetStyle().WindowPadding.x * 4);
    ImGui::TextColored(app.doc().dirty() ? colours::warning : colours::muted, "%s", name.c_str());
    ImGui::EndMenuBar();
}

namespace {

// A modal question with a row of buttons; Escape presses the last. The index of the button
// pressed this frame (the popup then closes), else nullopt. `buttons` are (label, the id
// tests click by).
std::optional<int> choice_prompt(editor_app& app, const char* title, const std::string& message,
                                 std::initializer_list<std::pair<const char*, const char*>> buttons) {
    const float em = app.fonts().size;
    if (!ImGui::IsPopupOpen(title)) ImGui::OpenPopup(title);
    ImGui::SetNextWindowSize(ImVec2(em * 34, 0));
    if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoResize)) return std::nullopt;
    ImGui::TextWrapped("%s", message.c_str());
    ImGui::Spacing();
    std::optional<int> pressed;
    int index = 0;
    for (const auto& [label, id] : buttons) {
        if (index > 0) ImGui::SameLine();
        if (ImGui::Button(label, ImVec2(std::max(em * 6, ImGui::CalcTextSize(label).x + em), 0))) pressed = index;
        app.record(id);
        ++index;
    }
    if (!pressed && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) pressed = index - 1;
    if (pressed) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return pressed;
}

}  // namespace

void draw_prompts(editor_app& app) {
    const float em = app.fonts().size;
    // Unsaved changes: asked before New, Open and Quit would drop them.
    // Not over another prompt (two modals would reopen each other every frame).
    if (app.pending() != pending_action::none && !app.dialog().visible() && !app.lossy_save_asked() &&
        !app.disk_conflict() && !app.recovery_offer()) {
        const std::string message = app.doc().display_name() + " has changes that are not saved. Save them before " +
                                    (app.pending() == pending_action::quit ? "closing" : "going on") + "?";
        const std::optional<int> pressed = choice_prompt(
            app, "Unsaved changes", message,
            {{"Save", "prompt:Save"}, {"Don't save", "prompt:Discard"}, {"Cancel", "prompt:Cancel"}});
        if (pressed == 0) app.resolve_pending(true);
        else if (pressed == 1) app.resolve_pending(false);
        else if (pressed == 2) app.cancel_pending();
    }

    // The first save of a file that opened with errors or comments drops what the editor
    // could not read: said before it happens.
    if (app.lossy_save_asked()) {
        const std::string message = "Saving rewrites " + app.doc().display_name() + " in canonical form, but " +
                                    app.lossy_save_warning() +
                                    ". Save anyway, or save under another name and keep the original as it is?";
        const std::optional<int> pressed =
            choice_prompt(app, "Save this file?", message,
                          {{"Save anyway", "lossy:Anyway"}, {"Save as...", "lossy:Rename"}, {"Cancel", "lossy:Cancel"}});
        using choice = editor_app::lossy_choice;
        if (pressed)
            app.resolve_lossy_save(*pressed == 0 ? choice::save_anyway : *pressed == 1 ? choice::save_as : choice::cancel);
    }

    // The file changed on disk since it was read: a save would undo someone else's work.
    if (app.disk_conflict()) {
        const std::string message = app.doc().display_name() +
                                    " was changed or removed on disk since it was opened (another program, another "
                                    "editor, or a git pull). Saving now would overwrite that.";
        using choice = editor_app::disk_choice;
        const std::optional<int> pressed = choice_prompt(
            app, "File changed on disk", message,
            {{"Overwrite with mine", "disk:Overwrite"}, {"Reload, dropping my edits", "disk:Reload"},
             {"Cancel", "disk:Cancel"}});
        if (pressed)
            app.resolve_disk_conflict(*pressed == 0 ? choice::overwrite : *pressed == 1 ? choice::reload : choice::cancel);
    }

    // An autosave left behind: the editor (or the machine) stopped with edits unsaved.
    if (app.recovery_offer() && !ImGui::IsPopupOpen("Recover unsaved edits?")) ImGui::OpenPopup("Recover unsaved edits?");
    ImGui::SetNextWindowSize(ImVec2(em * 30, 0));
    if (ImGui::BeginPopupModal("Recover unsaved edits?", nullptr, ImGuiWindowFlags_NoResize)) {
        if (const auto& offer = app.recovery_offer()) {
            const std::string name = std::filesystem::path(offer->file).filename().string();
            if (offer->file.empty())
                ImGui::TextWrapped("An untitled tree was being edited when the editor last stopped, and its edits "
                                   "were never saved. Recover them?");
            else if (offer->file != app.doc().path())
                ImGui::TextWrapped("%s cannot be opened (see Problems), but it has an autosave: edits made before "
                                   "the editor last stopped. Recover them? Saving them replaces the file as it is "
                                   "now.",
                                   name.c_str());
            else if (offer->older_than_file)
                ImGui::TextWrapped("%s has an autosave of edits that were never saved, but the file has changed "
                                   "since (a git pull, another editor). Recovering shows the autosave instead of "
                                   "the newer file, and saving it replaces that file: use Save As to keep both.",
                                   name.c_str());
            else
                ImGui::TextWrapped("%s has an autosave newer than the file: the editor was closed before these "
                                   "edits were saved. Recover them?",
                                   name.c_str());
        }
        ImGui::Spacing();
        if (ImGui::Button("Recover", ImVec2(em * 7, 0))) {
            app.accept_recovery();
            ImGui::CloseCurrentPopup();
        }
        app.record("recover:Recover");
        ImGui::SameLine();
        if (ImGui::Button("Discard autosave", ImVec2(em * 9, 0))) {
            app.decline_recovery();
            ImGui::CloseCurrentPopup();
        }
        app.record("recover:Discard");
        if (!app.recovery_offer()) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

}  // namespace signpost::editor
