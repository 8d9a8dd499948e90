#include "file_dialog.hpp"

#include <algorithm>
#include <filesystem>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "editor_app.hpp"
#include "palette.hpp"
#include "ui/fonts.hpp"
#include "ui/keys.hpp"

namespace signpost::editor {

namespace fs = std::filesystem;

namespace {

const char* title_for(file_purpose p) {
    switch (p) {
    case file_purpose::open_tree: return "Open tree###file_dialog";
    case file_purpose::save_tree: return "Save tree as###file_dialog";
    case file_purpose::open_log: return "Open statistics (session log)###file_dialog";
    }
    return "File###file_dialog";
}

bool wanted(file_purpose p, const fs::path& name) {
    const std::string ext = name.extension().string();
    if (p == file_purpose::open_log) return ext == ".db" || ext == ".sqlite" || ext == ".sqlite3";
    return ext == ".xml";
}

}  // namespace

void file_dialog::show(file_purpose purpose, const std::string& folder, const std::string& file_name) {
    m_purpose = purpose;
    m_visible = true;
    m_open_requested = true;
    m_error.clear();
    m_replace_confirmed.clear();
    std::error_code ec;
    std::string dir = folder;
    if (dir.empty() || !fs::is_directory(dir, ec)) dir = fs::current_path(ec).string();
    list(dir);
    path_text = (fs::path(m_folder) / file_name).string();
    if (file_name.empty() && !path_text.empty() && path_text.back() != '/') path_text += '/';
}

void file_dialog::list(const std::string& folder) {
    std::error_code ec;
    m_folder = fs::absolute(folder, ec).lexically_normal().string();
    if (m_folder.size() > 1 && m_folder.back() == '/') m_folder.pop_back();
    m_entries.clear();
    for (fs::directory_iterator it(m_folder, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
         it.increment(ec)) {
        const fs::path name = it->path().filename();
        if (name.string().empty() || name.string()[0] == '.') continue;  // hidden files and autosaves
        std::error_code type_ec;
        const bool folder_entry = it->is_directory(type_ec);
        if (!folder_entry && !wanted(m_purpose, name)) continue;
        m_entries.push_back({name.string(), folder_entry});
        ui::want_glyphs(m_entries.back().name);
    }
    ui::want_glyphs(m_folder);
    if (ec) m_error = "Cannot list " + m_folder + ": " + ec.message();
    std::sort(m_entries.begin(), m_entries.end(), [](const entry& a, const entry& b) {
        return a.is_folder != b.is_folder ? a.is_folder : a.name < b.name;
    });
}

std::optional<std::string> file_dialog::draw(editor_app& app) {
    if (!m_visible) return std::nullopt;
    const char* title = title_for(m_purpose);
    if (m_open_requested) {
        ImGui::OpenPopup(title);
        m_open_requested = false;
    }
    const float em = app.fonts().size;
    ImGui::SetNextWindowSize(ImVec2(em * 36, em * 26), ImGuiCond_Appearing);
    std::optional<std::string> chosen;
    if (!ImGui::BeginPopupModal(title, nullptr)) {
        m_visible = false;
        return std::nullopt;
    }
    ImGui::TextColored(colours::muted, "%s", m_folder.c_str());
    ImGui::SetNextItemWidth(-1);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    bool confirm = ImGui::InputText("##path", &path_text, ImGuiInputTextFlags_EnterReturnsTrue);
    app.record("dialog:path");

    ImGui::BeginChild("##listing", ImVec2(0, -em * 2.6f), true);
    if (ImGui::Selectable("..", false, ImGuiSelectableFlags_AllowDoubleClick)) {
        list(fs::path(m_folder).parent_path().string());
        path_text = m_folder + "/";
    }
    std::string enter_folder;
    for (const entry& e : m_entries) {
        const std::string label = (e.is_folder ? "\xE2\x96\xB8 " + e.name + "/" : "   " + e.name) + "##" + e.name;
        const std::string full = (fs::path(m_folder) / e.name).string();
        if (ImGui::Selectable(label.c_str(), path_text == full, ImGuiSelectableFlags_AllowDoubleClick)) {
            if (e.is_folder) {
                enter_folder = full;
            } else {
                path_text = full;
                if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) confirm = true;
            }
        }
        app.record("dialog:" + e.name);
    }
    ImGui::EndChild();
    if (!enter_folder.empty()) {
        list(enter_folder);
        path_text = m_folder + "/";
    }

    if (!m_error.empty()) ImGui::TextColored(colours::error, "%s", m_error.c_str());
    const char* action = m_purpose == file_purpose::save_tree ? "Save" : "Open";
    if (ImGui::Button(action, ImVec2(em * 6, 0))) confirm = true;
    app.record(std::string("dialog:") + action);
    ImGui::SameLine();
    const bool cancel = ImGui::Button("Cancel", ImVec2(em * 6, 0)) || ImGui::IsKeyPressed(ui::key::escape, false);
    app.record("dialog:Cancel");

    if (confirm) {
        std::error_code ec;
        const fs::path typed = fs::path(path_text).is_absolute() ? fs::path(path_text) : fs::path(m_folder) / path_text;
        if (fs::is_directory(typed, ec)) {
            list(typed.string());  // a folder typed or picked: go into it
            path_text = m_folder + "/";
        } else if (m_purpose != file_purpose::save_tree && !fs::exists(typed, ec)) {
            m_error = "No such file: " + typed.string();
        } else {
            fs::path result = typed;
            if (m_purpose == file_purpose::save_tree && result.extension() != ".xml") result += ".xml";
            const std::string path = result.lexically_normal().string();
            // Save As onto another existing file (the suggested <tree id>.xml often is one)
            // replaces it: asked once, by a second Save on the same name.
            const bool other_file = m_purpose == file_purpose::save_tree && fs::exists(result, ec) &&
                                    !(fs::equivalent(result, app.doc().path(), ec) && !ec);
            if (other_file && m_replace_confirmed != path) {
                m_replace_confirmed = path;
                m_error = result.filename().string() + " already exists: press Save again to replace it";
            } else {
                chosen = path;
                m_visible = false;
                ImGui::CloseCurrentPopup();
            }
        }
    } else if (cancel) {
        m_visible = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
    return chosen;
}

}  // namespace signpost::editor
