#include "wrapped_text_box.hpp"

#include <algorithm>
#include <cstring>

#include <imgui_internal.h>
#include <imgui_stdlib.h>

namespace signpost::ui {

namespace {

constexpr std::size_t max_undo_steps = 200;

bool pressed(ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetIO().KeyMap[key]); }

std::size_t to_size(int n) { return n < 0 ? 0 : static_cast<std::size_t>(n); }

// The box's text as ImGui holds it (up to a NUL, should one ever be in it).
std::string_view box_text(const ImGuiInputTextCallbackData* data) {
    return {data->Buf, strnlen(data->Buf, to_size(data->BufTextLen))};
}

// Puts `shown` into the box, and makes it what Escape goes back to.
void replace_box_text(ImGuiInputTextCallbackData* data, const std::string& shown, ImGuiID id) {
    data->DeleteChars(0, data->BufTextLen);
    data->InsertChars(0, shown.data(), shown.data() + shown.size());
    if (ImGuiInputTextState* state = ImGui::GetInputTextState(id)) {
        state->InitialTextA.resize(static_cast<int>(shown.size()) + 1);
        std::memcpy(state->InitialTextA.Data, shown.c_str(), shown.size() + 1);
    }
}

}  // namespace

bool wrapped_text_box::draw(const char* label, std::string& text, const ImVec2& size) {
    ImFont* font = ImGui::GetFont();
    const float scale = ImGui::GetFontSize() / font->FontSize;
    // ImGui keeps 16-bit characters: anything past U+FFFF is drawn as U+FFFD.
    m_advance = [font, scale](char32_t c) {
        return font->GetCharAdvance(static_cast<ImWchar>(c > 0xFFFF ? 0xFFFD : c)) * scale;
    };
    const ImGuiStyle& style = ImGui::GetStyle();
    const float outer = size.x > 0 ? size.x : ImGui::GetContentRegionAvail().x + (size.x < 0 ? size.x : 0);
    // Room for the scrollbar is always kept, so the lines do not move when it appears.
    m_width = std::max(1.0f, outer - style.FramePadding.x * 2 - style.ScrollbarSize - 2);

    m_drawing = ImGui::GetID(label);
    // Changed underneath while being edited (the player's Restart clears the note): the
    // change wins, and editing starts over from it.
    if (m_id == m_drawing && text != m_returned) m_id = 0;
    const bool editing = m_id == m_drawing && m_frame == ImGui::GetFrameCount() - 1;
    std::string buffer;
    if (editing) {
        buffer = m_shown.shown;  // ImGui draws its own copy while the box is active
    } else {
        m_offered = wrap_text(text, m_width, m_advance);
        buffer = m_offered.shown;
    }
    // The box grows with its text, to three times the height it was given.
    ImVec2 box = size;
    if (size.y > 0) {
        const auto lines = static_cast<float>(std::count(buffer.begin(), buffer.end(), '\n') + 1);
        const float needed = lines * ImGui::GetTextLineHeight() + style.FramePadding.y * 2 + 2;
        box.y = std::clamp(needed, size.y, size.y * 3);
    }
    ImGui::InputTextMultiline(label, &buffer, box,
                              ImGuiInputTextFlags_CallbackAlways | ImGuiInputTextFlags_NoUndoRedo, &on_callback,
                              this);
    if (m_id != m_drawing) return false;
    // Changed with no callback: Escape, which puts back what the box began with (unless
    // the box keeps its text then).
    if (buffer != m_shown.shown && !escape_keeps) m_shown = wrap_text(m_initial.text, m_width, m_advance);
    if (!ImGui::IsItemActive()) m_id = 0;
    m_returned = m_shown.text;
    if (m_shown.text == text) return false;
    text = m_shown.text;
    return true;
}

int wrapped_text_box::on_callback(ImGuiInputTextCallbackData* data) {
    static_cast<wrapped_text_box*>(data->UserData)->callback(data);
    return 0;
}

void wrapped_text_box::callback(ImGuiInputTextCallbackData* data) {
    const int frame = ImGui::GetFrameCount();
    if (m_id != m_drawing || m_frame != frame - 1) {
        // Editing begins (ImGui took the box's text from what draw() offered).
        m_id = m_drawing;
        m_shown = m_offered;
        m_initial = m_offered;
        m_shown_width = m_width;
        m_undo.clear();
        m_redo.clear();
        m_typing = false;
        m_select_start = m_select_end = m_cursor_after = to_size(data->CursorPos);
        if (box_text(data) != m_shown.shown) {
            // Still active from before a reset() or a change underneath: it shows what it
            // was given now.
            replace_box_text(data, m_shown.shown, m_id);
            data->CursorPos = data->SelectionStart = data->SelectionEnd = 0;
            m_select_start = m_select_end = m_cursor_after = 0;
        }
    }
    m_frame = frame;

    const ImGuiIO& io = ImGui::GetIO();
    const std::string_view now = box_text(data);
    const std::size_t cursor = to_size(data->CursorPos);
    const bool ctrl = io.KeyCtrl;
    const auto selected_text = [this] {
        // Copy and Cut with nothing selected take the whole text (as ImGui does).
        if (m_select_start == m_select_end) return m_shown.text;
        const std::size_t from = m_shown.to_text(m_select_start);
        return m_shown.text.substr(from, m_shown.to_text(m_select_end) - from);
    };
    // Typing Enter over a selected break gives the same bytes: ImGui's own flag tells.
    const ImGuiInputTextState* state = ImGui::GetInputTextState(m_id);
    const bool edited = now != m_shown.shown || (state && state->Edited);

    if (ctrl && !io.KeyShift && pressed(ImGuiKey_Z)) {
        restore(data, m_undo, m_redo);
    } else if (ctrl && (pressed(ImGuiKey_Y) || (io.KeyShift && pressed(ImGuiKey_Z)))) {
        restore(data, m_redo, m_undo);
    } else if (edited) {
        // ImGui copied the shown text, with the breaks as line ends: copy the text instead.
        if ((ctrl && pressed(ImGuiKey_X)) || (io.KeyShift && pressed(ImGuiKey_Delete)))
            ImGui::SetClipboardText(selected_text().c_str());
        const std::size_t before = m_shown.to_text(m_select_end);
        edited_text e = read_edit(m_shown, {now, cursor, m_select_start, m_select_end});
        // Typing joins one undo step until a space, a line break, or the cursor moving.
        const std::string& old = m_shown.text;
        const std::size_t added = e.text.size() - std::min(e.text.size(), old.size());
        const bool typing = m_select_start == m_select_end && added > 0 && added <= 4 && e.cursor == before + added &&
                            e.text.compare(0, before, old, 0, before) == 0 && e.text[before] != ' ' &&
                            e.text[before] != '\n';
        if (!(typing && m_typing)) {
            m_undo.push_back({old, before});
            if (m_undo.size() > max_undo_steps) m_undo.erase(m_undo.begin());
        }
        m_redo.clear();
        m_typing = typing;
        rewrap(data, std::move(e.text), e.cursor, e.cursor);
    } else {
        if ((ctrl && (pressed(ImGuiKey_C) || pressed(ImGuiKey_Insert))))
            ImGui::SetClipboardText(selected_text().c_str());
        if (cursor != m_cursor_after) m_typing = false;
        if (m_width != m_shown_width) {
            // The box was made wider or narrower: the same text, the same selection (ImGui
            // leaves an old selection's ends behind when the cursor moves: no selection then).
            const int anchor = data->SelectionStart == data->SelectionEnd ? data->CursorPos
                               : data->SelectionStart == data->CursorPos  ? data->SelectionEnd
                                                                          : data->SelectionStart;
            std::string text = m_shown.text;
            rewrap(data, std::move(text), m_shown.to_text(cursor), m_shown.to_text(to_size(anchor)));
        }
    }
    m_select_start = to_size(std::min(data->SelectionStart, data->SelectionEnd));
    m_select_end = to_size(std::max(data->SelectionStart, data->SelectionEnd));
    if (m_select_start == m_select_end) m_select_start = m_select_end = to_size(data->CursorPos);
    m_cursor_after = to_size(data->CursorPos);
}

void wrapped_text_box::rewrap(ImGuiInputTextCallbackData* data, std::string text, std::size_t cursor,
                              std::size_t anchor) {
    wrapped_text w = wrap_text(text, m_width, m_advance);
    m_shown_width = m_width;
    if (w.shown != box_text(data)) {
        data->DeleteChars(0, data->BufTextLen);
        data->InsertChars(0, w.shown.data(), w.shown.data() + w.shown.size());
    }
    data->CursorPos = static_cast<int>(w.to_shown(cursor));
    data->SelectionStart = static_cast<int>(w.to_shown(anchor));
    data->SelectionEnd = data->CursorPos;
    m_shown = std::move(w);
}

void wrapped_text_box::restore(ImGuiInputTextCallbackData* data, std::vector<edited_text>& from,
                               std::vector<edited_text>& to) {
    if (from.empty()) return;
    to.push_back({m_shown.text, m_shown.to_text(to_size(data->CursorPos))});
    edited_text back = std::move(from.back());
    from.pop_back();
    m_typing = false;
    rewrap(data, std::move(back.text), back.cursor, back.cursor);
}

}  // namespace signpost::ui
