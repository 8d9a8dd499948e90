#include "player_view.hpp"

#include <algorithm>
#include <cfloat>
#include <cctype>
#include <utility>
#include <vector>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "signpost/text.hpp"
#include "signpost/value.hpp"
#include "ui/keys.hpp"
#include "ui/markdown_view.hpp"
#include "ui/soft_wrap.hpp"
#include "ui/text_glyphs.hpp"
#include "ui/wrapped_button.hpp"

namespace signpost::player {

namespace {

const ImVec4 colour_warning(1.0f, 0.78f, 0.30f, 1.0f);
const ImVec4 colour_error(1.0f, 0.42f, 0.40f, 1.0f);
const ImVec4 colour_muted(0.62f, 0.66f, 0.72f, 1.0f);
const ImVec4 colour_hint_bg(0.16f, 0.20f, 0.28f, 1.0f);
const ImVec4 colour_done(0.30f, 0.75f, 0.45f, 1.0f);
const ImVec4 colour_escalated(1.0f, 0.62f, 0.25f, 1.0f);

bool ctrl_pressed(int k) { return ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(k, false); }
bool plain_pressed(int k) { return !ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(k, false); }
bool dialog_open() { return ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId); }
// The dialogs' titles (ImGui names popups by them).
constexpr const char* restart_dialog = "Restart the call";
constexpr const char* end_dialog = "End call";
constexpr const char* find_dialog = "Find a step";
// The first field of a form that just appeared is still getting the keyboard (ImGui takes a
// frame or two): what is typed meanwhile is kept for it.
bool field_taking_keyboard(const player_view_state& state) {
    return !state.select_field.empty() && ImGui::GetFrameCount() - state.select_frame <= 3;
}
// Enter on the main keys or the number pad (agents often work from the pad).
bool enter_pressed() { return plain_pressed(ui::key::enter) || plain_pressed(ui::key::keypad_enter); }
bool digit_pressed(int d) { return plain_pressed(ui::key::digit_0 + d) || plain_pressed(ui::key::keypad_0 + d); }
// Back from anywhere: Alt+Left, or the Back button of a mouse that has one (ImGui's button 3).
// Once per press: held down, it must not run back through the whole call.
bool back_pressed() {
    const ImGuiIO& io = ImGui::GetIO();
    return (io.KeyAlt && !io.KeyCtrl && ImGui::IsKeyPressed(ui::key::left, false)) || ImGui::IsMouseClicked(3);
}

// A button that records where it was drawn, so tests can click it like a person.
bool control(player_view_state& state, const std::string& label, ImVec2 size = ImVec2(0, 0)) {
    const bool clicked = ImGui::Button(label.c_str(), size);
    state.controls.push_back({label, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    return clicked;
}

// ui::wrapped_button, recorded like control() under `text` + `id`.
bool wrapped_control(player_view_state& state, const std::string& text, const std::string& id, float min_height) {
    const bool clicked = ui::wrapped_button(text, id, min_height);
    state.controls.push_back({text + id, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    return clicked;
}

std::string plain(std::string_view markdown) { return markdown_to_plain(markdown); }

// `text` with each line longer than `width` broken where it reaches it (ImGui's multi-line
// box does not scroll sideways: the rest of a long hand-off line was out of sight), the
// continuations indented like their line. Breaks fall between words, or anywhere in a word
// longer than the line (Chinese and Japanese have no spaces).
std::string wrapped(std::string_view text, const ImFont* font, float width) {
    std::string out;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(start, end - start);
        std::string indent(std::min(line.find_first_not_of(' '), line.size()), ' ');
        float indent_width = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, indent.c_str()).x;
        if (indent_width > width / 3) {  // a deep indent would leave a few characters a line
            indent.clear();
            indent_width = 0;
        }
        const char* p = line.data();
        const char* line_end = line.data() + line.size();
        for (bool first = true; first || p < line_end; first = false) {
            const float room = std::max(width - (first ? 0 : indent_width), font->FontSize * 2);
            const char* cut = p == line_end ? p : font->CalcWordWrapPositionA(1.0f, p, line_end, room);
            if (cut > p && cut < line_end && *cut != ' ') {
                // ImGui breaks before punctuation ("signs" / ". Warning"): such a mark stays
                // with its word, and the line breaks at the space before that word instead.
                std::size_t length = 0;
                // Not a space of the line's indent: that would leave an empty line.
                const std::string_view before(p, static_cast<std::size_t>(cut - p));
                const std::size_t words = before.find_first_not_of(' ');
                const std::size_t space = before.rfind(' ');
                if (!ui::may_start_line(ui::code_point_at(std::string_view(cut, static_cast<std::size_t>(line_end - cut)), 0, length)) &&
                    space != std::string_view::npos && words != std::string_view::npos && space > words)
                    cut = p + space + 1;
            }
            if (cut == p && p < line_end) {
                cut = p + 1;  // at least one whole character
                while (cut < line_end && (static_cast<unsigned char>(*cut) & 0xC0u) == 0x80u) ++cut;
            }
            std::string_view piece(p, static_cast<std::size_t>(cut - p));
            while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
            if (!first) out += "\n" + indent;
            out += piece;
            p = cut;
            while (p < line_end && *p == ' ') ++p;  // the spaces at a break are not carried over
        }
        if (end == text.size()) break;
        out += '\n';
        start = end + 1;
    }
    return out;
}

// `text` cut to at most `most` characters (code points), with "…" when cut.
std::string shortened(const std::string& text, std::size_t most) {
    std::size_t points = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0u) == 0x80u) continue;
        if (++points > most) return text.substr(0, i) + "\xE2\x80\xA6";
    }
    return text;
}

void draw_header(player_app& app, player_view_state& state, const ui::font_set& fonts) {
    const tree& t = app.call().root_tree();
    ImGui::PushFont(fonts.heading);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(t.title.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
    // Beside the title when it fits, else under it: a long title must not hide the version.
    const std::string about = "version " + std::to_string(t.version) + "  \xC2\xB7  agent " + app.call().agent();
    if (ImGui::GetItemRectMax().x + ImGui::CalcTextSize(about.c_str()).x + fonts.size <
        ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
        ImGui::SameLine();
    ImGui::TextColored(colour_muted, "%s", about.c_str());
    // Wrapped: the end of a log warning says what is lost when the player quits.
    ImGui::PushTextWrapPos(0);
    if (!app.notice().empty()) ImGui::TextColored(colour_warning, "%s", app.notice().c_str());
    if (const std::string w = app.log_warning(); !w.empty())
        ImGui::TextColored(colour_warning, "Log: %s", w.c_str());
    ImGui::PopTextWrapPos();

    // Breadcrumb: every step so far, in one row that scrolls sideways and follows the
    // newest step (a long call, or long titles, must not push the current step out of
    // sight); clicking a step goes back there.
    const auto& crumbs = app.call().breadcrumb();
    const ImGuiStyle& style = ImGui::GetStyle();
    ImGui::BeginChild("breadcrumb", ImVec2(0, ImGui::GetFrameHeight() + style.ScrollbarSize + style.ItemSpacing.y),
                      false, ImGuiWindowFlags_HorizontalScrollbar);
    for (std::size_t i = 0; i < crumbs.size(); ++i) {
        const bool last = i + 1 == crumbs.size();
        const std::string shown = shortened(crumbs[i].title, 40);
        const std::string label = shown + "##crumb" + std::to_string(i);
        if (last) {
            ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
            control(state, label);
            ImGui::PopStyleColor();
        } else if (control(state, label)) {
            if (!app.call().finished()) app.back_to(i);
            else state.back_after_end = app.call_number();
        }
        if (shown != crumbs[i].title && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", crumbs[i].title.c_str());
        if (last && state.crumbs_followed != crumbs.size()) {
            ImGui::SetScrollHereX(1.0f);
            state.crumbs_followed = crumbs.size();
        }
        if (!last) {
            ImGui::SameLine(0, 4);
            ImGui::TextColored(colour_muted, "\xE2\x80\xBA");
            ImGui::SameLine(0, 4);
        }
    }
    ImGui::EndChild();
    ImGui::Separator();
}

// A field given the keyboard by the player (not clicked) starts with the caret after its
// text, nothing selected, for the few frames ImGui takes to hand it over.
int put_caret_at_end(ImGuiInputTextCallbackData* data) {
    const auto* state = static_cast<const player_view_state*>(data->UserData);
    if (ImGui::GetFrameCount() - state->caret_end_frame <= 3)
        data->CursorPos = data->SelectionStart = data->SelectionEnd = data->BufTextLen;
    return 0;
}

// What a choice field's typing will be taken as when it is not an option as typed: the
// option its start (in any case) fits, else the options it could be, else that it is none.
std::string choice_reading(const view_field& f, const std::string& typed) {
    const std::size_t first = typed.find_first_not_of(' ');
    if (first == std::string::npos || std::find(f.options.begin(), f.options.end(), typed) != f.options.end()) return {};
    if (const std::string taken = complete_input(f, typed); taken != typed) return "taken as " + taken;
    const std::string want = lower_ascii(std::string_view(typed).substr(first, typed.find_last_not_of(' ') + 1 - first));
    std::string could;
    for (const std::string& option : f.options)
        if (lower_ascii(option).starts_with(want)) could += (could.empty() ? "" : ", ") + option;
    return could.empty() ? "not one of the options" : "could be " + could + ": type more";
}

// What a field's typing will be taken as ("taken as ...", muted), or why it would be
// refused (in the warning colour).
void draw_reading(player_view_state& state, const std::string& variable, const std::string& reading) {
    const bool taken = reading.rfind("taken as", 0) == 0;
    ui::want_glyphs(reading);
    ImGui::PushTextWrapPos(0);
    ImGui::PushStyleColor(ImGuiCol_Text, taken ? colour_muted : colour_warning);
    ImGui::TextUnformatted(reading.c_str());
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
    state.controls.push_back({"reading:" + variable + "=" + reading, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
}

// Called after a field's input: keeps which field has the keyboard.
void note_field(player_view_state& state, const std::string& variable) {
    if (!ImGui::IsItemActive()) return;
    state.last_field = variable;
    if (state.select_field == variable) state.select_field.clear();  // it has the keyboard now
}

void draw_form(player_app& app, player_view_state& state, const ui::font_set& fonts) {
    const view& v = app.call().current();
    bool submit = false;
    // Each form (and each time one is come to, restarted included) has its own inputs: an
    // input still active from before kept its text and cursor, and typing went into the
    // middle of the new value.
    ImGui::PushID(static_cast<int>(app.drafts_generation()));
    for (std::size_t i = 0; i < v.fields.size(); ++i) {
        const view_field& f = v.fields[i];
        std::string& input = app.form_inputs[f.variable];
        // The label wraps (a long one lost its '*' at the window's edge), and its notes go
        // beside it where they fit, else under it.
        ImGui::PushTextWrapPos(0);
        ImGui::PushFont(fonts.bold);
        ImGui::TextUnformatted((f.label + (f.required ? " *" : "")).c_str());
        ImGui::PopFont();
        const auto note_beside = [](const std::string& note) {
            // Not beside a label that wrapped: it would sit beside the label's first line.
            const bool label_wrapped = ImGui::GetItemRectSize().y >= ImGui::GetTextLineHeight() * 1.5f;
            ImGui::SameLine();
            if (label_wrapped || ImGui::CalcTextSize(note.c_str()).x > ImGui::GetContentRegionAvail().x) ImGui::NewLine();
            ImGui::PushStyleColor(ImGuiCol_Text, colour_muted);
            ImGui::TextUnformatted(note.c_str());
            ImGui::PopStyleColor();
        };
        // Said so the agent can tell the person: what they say here is not recorded.
        std::string notes = f.is_private ? "private: not logged" : "";
        // The script's default is no answer the caller gave: not typed in for them, but said.
        const std::string default_shown = shown_as_asked(f.type, f.default_value);
        if (!default_shown.empty()) notes += (notes.empty() ? "" : "  \xC2\xB7  ") + ("left empty: " + default_shown);
        if (!notes.empty()) {
            ui::want_glyphs(notes);
            note_beside(notes);
            if (!default_shown.empty())
                state.controls.push_back({"default:" + f.variable + "=" + default_shown, ImGui::GetItemRectMin(),
                                          ImGui::GetItemRectMax()});
        }
        ImGui::PopTextWrapPos();
        ImGui::PushID(static_cast<int>(i));
        ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, fonts.size * 24));
        // After a refused submit, the first refused field is brought into view and focused:
        // in a long form its error would otherwise sit below the fold, unseen.
        const bool first_refused = state.show_first_error && !app.field_error_for(f.variable).empty();
        if (first_refused) state.show_first_error = false;
        // Focused a frame after the scroll: focusing at once scrolled only as far as the
        // input itself, leaving its error below the fold.
        if (state.focus_field == f.variable) {
            ImGui::SetKeyboardFocusHere();
            state.focus_field.clear();
            state.caret_end_field = f.variable;
            state.caret_end_frame = ImGui::GetFrameCount();
        } else if (state.focus_form && i == 0) {
            ImGui::SetKeyboardFocusHere();
            state.select_field = f.variable;
            state.select_frame = ImGui::GetFrameCount();
            // A value the script asks for again ("ask for the amount again") is selected, so
            // typing replaces it (ImGui selects a field focused from code): typed after it,
            // "-5" then "5" made "-55". What the agent typed here before is not.
            if (app.form_shows_typing()) {
                state.caret_end_field = f.variable;
                state.caret_end_frame = ImGui::GetFrameCount();
            } else {
                state.caret_end_field.clear();
            }
        }
        // What is there (typing kept from before Back, a dialog) is not selected: a key
        // pressed next must not replace it.
        const bool caret_to_end =
            state.caret_end_field == f.variable && ImGui::GetFrameCount() - state.caret_end_frame <= 3;
        const ImGuiInputTextFlags select = caret_to_end ? ImGuiInputTextFlags_CallbackAlways : ImGuiInputTextFlags_None;
        const ImGuiInputTextCallback caret = caret_to_end ? put_caret_at_end : nullptr;
        // Escape leaves the field with what was typed in it (ImGui's Escape puts back the
        // text the field had when it got the keyboard: a caller's details were lost).
        const bool escape = ImGui::IsKeyPressed(ui::key::escape, false);
        const std::string typed_before = input;
        if (f.type == var_type::choice) {
            // Typed (the start of one option is enough: it is completed on submit) or picked
            // from the list beside it: a drop-down alone cannot be used from the keyboard,
            // and took the focus from the typing.
            std::string hint = "type or pick: ";
            for (std::size_t o = 0; o < f.options.size(); ++o) hint += (o ? ", " : "") + f.options[o];
            // Wide enough for the options it lists (as far as the form allows): cut off, the
            // hint read "... unrecognised, service-".
            const float beside = ImGui::GetFrameHeight() + 2;
            ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x - beside,
                                             std::max(fonts.size * 24, ImGui::CalcTextSize(hint.c_str()).x +
                                                                           ImGui::GetStyle().FramePadding.x * 2 + 4)));
            if (ImGui::InputTextWithHint("##in", hint.c_str(), &input, ImGuiInputTextFlags_EnterReturnsTrue | select, caret,
                                         &state))
                submit = true;
            note_field(state, f.variable);
            state.controls.push_back({"field:" + f.variable, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
            ImGui::SameLine(0, 2);
            if (ImGui::BeginCombo("##pick", nullptr, ImGuiComboFlags_NoPreview)) {
                for (const std::string& option : f.options)
                    if (ImGui::Selectable(option.c_str(), option == input)) input = option;
                ImGui::EndCombo();
            }
            // What the typing will be taken as, said as it is typed: "pl" showed nothing until
            // Submit, and a start that fits two options ("b") or none was only refused then.
            if (const std::string reading = choice_reading(f, input); !reading.empty()) {
                ImGui::SameLine();
                if (ImGui::CalcTextSize(reading.c_str()).x > ImGui::GetContentRegionAvail().x) ImGui::NewLine();
                draw_reading(state, f.variable, reading);
            }
        } else if (f.type == var_type::flag) {
            // Typed like a choice ("y" is enough), with a checkbox beside it for the mouse:
            // a checkbox alone cannot be reached from the keyboard, and left unticked it
            // gave no answer at all, so a required "no" took two clicks.
            ImGui::SetNextItemWidth(fonts.size * 8);
            if (ImGui::InputTextWithHint("##in", "yes or no", &input, ImGuiInputTextFlags_EnterReturnsTrue | select, caret,
                                         &state))
                submit = true;
            note_field(state, f.variable);
            state.controls.push_back({"field:" + f.variable, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
            ImGui::SameLine();
            // Ticked as soon as what is typed can only be yes ("y", "tr"), as submitting reads it.
            const std::optional<value> typed = parse_value(var_type::flag, complete_input(f, input));
            bool on = typed && std::get<bool>(*typed);
            if (ImGui::Checkbox("##tick", &on)) input = on ? "yes" : "no";
            state.controls.push_back({"tick:" + f.variable, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
        } else {
            const char* hint = !f.placeholder.empty()     ? f.placeholder.c_str()
                               : f.type == var_type::date ? "e.g. 24 Dec, friday, tomorrow, 2026-12-24"
                                                          : "";
            // Free text gets the width there is: a two-sentence account must be readable back.
            // Others are as wide as their example, where the form allows: cut at the usual
            // width, a phone field's read "...or the switchboard with ext 40".
            const float example = ImGui::CalcTextSize(hint).x + ImGui::GetStyle().FramePadding.x * 2 + 4;
            if (f.type == var_type::text && f.pattern.empty())
                ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
            else if (example > fonts.size * 24)
                ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, example));
            if (ImGui::InputTextWithHint("##in", hint, &input, ImGuiInputTextFlags_EnterReturnsTrue | select, caret, &state))
                submit = true;
            note_field(state, f.variable);
        }
        if (escape && input != typed_before) input = typed_before;
        if (f.type != var_type::choice && f.type != var_type::flag) {
            state.controls.push_back({"field:" + f.variable, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
            // A value longer than its box is shown whole under it, wrapped: the box shows one
            // stretch of it, and an account is read back to the caller before going on.
            const float padding = ImGui::GetStyle().FramePadding.x;
            if (ImGui::CalcTextSize(input.c_str()).x > ImGui::GetItemRectSize().x - padding * 2) {
                ui::want_glyphs(input);
                ImGui::Indent(padding);
                ImGui::PushTextWrapPos(0);
                ImGui::TextUnformatted(input.c_str());
                ImGui::PopTextWrapPos();
                ImGui::Unindent(padding);
                state.controls.push_back({"whole:" + f.variable, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
            }
        }
        // The day "friday" or "4 Dec" will be, said as it is typed, so the agent can read
        // it back to the caller before submitting.
        if (f.type == var_type::date)
            if (const std::string reading = app.date_reading(input); !reading.empty())
                draw_reading(state, f.variable, reading);
        ImGui::PopID();
        if (const std::string err = app.field_error_for(f.variable); !err.empty())
            ImGui::TextColored(colour_error, "%s", err.c_str());
        if (first_refused) {
            ImGui::SetScrollHereY(0.5f);  // the field and its error mid-view
            state.focus_field = f.variable;
        }
        ImGui::Spacing();
    }
    ImGui::PopID();
    state.focus_form = false;
    if (control(state, "Submit  (Enter)", ImVec2(fonts.size * 12, fonts.size * 2.2f))) submit = true;
    if (submit || (enter_pressed() && !ImGui::IsAnyItemActive() && !dialog_open())) {
        app.submit();
        state.show_first_error = !app.field_errors.empty();
    }
}

// The step's agent-only note, in its own coloured box sized to its text (at most `share`
// of the height left).
void draw_agent_note(const std::string& hint, const ui::font_set& fonts, float share) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, colour_hint_bg);
    // Sized to its text: ImGui 1.86 children cannot grow by themselves.
    const ImGuiStyle& style = ImGui::GetStyle();
    const float wrap = ImGui::GetContentRegionAvail().x - 2 * style.WindowPadding.x;
    const float text_h = ImGui::CalcTextSize(plain(hint).c_str(), nullptr, false, wrap).y;
    const float estimate = text_h * 1.15f + ImGui::GetTextLineHeightWithSpacing() + 2 * style.WindowPadding.y +
                           style.ItemSpacing.y * 2;
    // The estimate misses bold words and paragraph gaps: the height the text really took
    // last frame is kept, so the box is not left scrolling beside empty room.
    ImGuiStorage* storage = ImGui::GetStateStorage();
    const ImGuiID measured_key = ImGui::GetID(hint.c_str());  // per note: the next step's is another
    const float h = std::min(std::max(estimate, storage->GetFloat(measured_key, 0.0f)),
                             ImGui::GetContentRegionAvail().y * share);
    ImGui::BeginChild("hint", ImVec2(0, h), true);
    ImGui::PushFont(fonts.bold);
    ImGui::TextColored(colour_warning, "Agent note");
    ImGui::PopFont();
    ui::draw_markdown(hint, fonts);
    storage->SetFloat(measured_key, ImGui::GetCursorPosY() + style.WindowPadding.y);
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

// Sub-script ends the call went through on its way here: what they say is still to be
// said ("Thank the caller: ..."), though the script already went on.
void draw_passed(const view& v, const ui::font_set& fonts) {
    for (std::size_t i = 0; i < v.passed.size(); ++i) {
        const passed_end& p = v.passed[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::PushFont(fonts.bold);
        ImGui::PushTextWrapPos(0);
        ImGui::Text("%s: %s", p.tree_title.c_str(), p.title.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopFont();
        ui::draw_markdown(p.text, fonts);
        if (!p.hint.empty()) draw_agent_note(p.hint, fonts, 0.25f);
        ImGui::Separator();
        ImGui::PopID();
    }
}

void draw_node(player_app& app, player_view_state& state, const ui::font_set& fonts) {
    const view& v = app.call().current();
    if (!v.node_ptr) return;
    draw_passed(v, fonts);
    ImGui::PushFont(fonts.heading);
    ImGui::TextWrapped("%s", v.title.c_str());
    ImGui::PopFont();
    ImGui::Spacing();
    ui::draw_markdown(v.text, fonts);
    ImGui::Spacing();
    if (!v.stuck.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(colour_error, "The script cannot go on: %s", v.stuck.c_str());
        ImGui::TextColored(colour_muted, "Go back (Alt+Left) or end the call (Ctrl+E).");
        ImGui::PopTextWrapPos();
    }
    ImGui::Spacing();
    // Keys typed into a box, or meant for a dialog over the step (Enter confirming a
    // restart), are not the step's.
    const bool typing = ImGui::GetIO().WantTextInput || dialog_open();
    switch (v.node_ptr->kind) {
    case node_kind::question: {
        for (std::size_t i = 0; i < v.choices.size(); ++i) {
            const std::string number = i < 9 ? std::to_string(i + 1) : " ";
            const bool clicked = wrapped_control(state, number + "   " + plain(v.choices[i].label),
                                                 "##choice" + std::to_string(i), fonts.size * 2.4f);
            if (clicked || (i < 9 && !typing && digit_pressed(static_cast<int>(i) + 1))) {
                app.choose(static_cast<int>(i));
                return;
            }
        }
        break;
    }
    case node_kind::step:
        if (control(state, "Continue  (Enter)", ImVec2(fonts.size * 12, fonts.size * 2.2f)) ||
            (!typing && enter_pressed()))
            app.next();
        break;
    case node_kind::form:
        draw_form(app, state, fonts);
        break;
    default:
        break;
    }
    if (!app.action_error.empty()) ImGui::TextColored(colour_error, "%s", app.action_error.c_str());
}

// The call's notes: the box to type one, Add note, and those added so far.
void draw_notes(player_app& app, player_view_state& state, const ui::font_set& fonts, const char* heading,
                float lines) {
    ImGui::PushFont(fonts.bold);
    ImGui::TextUnformatted(heading);
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::TextColored(colour_muted, "(Ctrl+M)");
    if (state.focus_notes) ImGui::SetKeyboardFocusHere();
    state.focus_notes = false;
    // Escape leaves the box with the note kept: it is the key an agent uses to get out.
    state.note_box.escape_keeps = true;
    state.note_box.draw("##note", app.note_draft, ImVec2(-1, fonts.size * lines));
    state.controls.push_back({"##note", ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    // Ctrl+Enter ends the box's edit (ImGui's multi-line box): it adds the note, and the
    // keyboard stays in the box for the next one.
    const bool ctrl_enter = (ImGui::IsItemActive() || ImGui::IsItemDeactivated()) && ImGui::GetIO().KeyCtrl &&
                            (ImGui::IsKeyPressed(ui::key::enter, false) || ImGui::IsKeyPressed(ui::key::keypad_enter, false));
    if ((control(state, "Add note  (Ctrl+Enter)") || ctrl_enter) && !app.note_draft.empty()) {
        app.add_note();
        if (ctrl_enter) state.focus_notes = true;
    }
    // A refused note stays in the box, with the reason under it.
    if (!app.note_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, colour_error);
        ImGui::TextWrapped("%s", app.note_error.c_str());
        ImGui::PopStyleColor();
    }
    for (const auto& [node, text] : app.call().notes()) {  // wrapped: a note is read whole
        ImGui::Bullet();
        ImGui::TextWrapped("%s", text.c_str());
    }
}

void draw_side(player_app& app, player_view_state& state, const ui::font_set& fonts) {
    const view& v = app.call().current();
    if (!v.hint.empty()) draw_agent_note(v.hint, fonts, 0.5f);
    draw_notes(app, state, fonts, "Call notes", 4);
    const std::vector<player::call_data_row> rows = app.call_data();
    if (!rows.empty()) {
        ImGui::Spacing();
        ImGui::PushFont(fonts.bold);
        ImGui::TextUnformatted("Call data");
        ImGui::PopFont();
        for (const auto& [label, shown] : rows) {
            ui::want_glyphs(label);
            ui::want_glyphs(shown);
            ImGui::PushTextWrapPos(0);
            ImGui::TextColored(colour_muted, "%s:", label.c_str());
            // On the same line when both fit, else below: a long label must not hide the value.
            // Not beside a label that wrapped: the value landed beside its first line, in the
            // middle of it ("Account numbers not 0" over "found:").
            const bool one_line = ImGui::GetItemRectSize().y < ImGui::GetTextLineHeight() * 1.5f;
            if (one_line && ImGui::GetItemRectMax().x + ImGui::CalcTextSize(shown.c_str()).x + fonts.size <
                                ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
                ImGui::SameLine();
            ImGui::TextUnformatted(shown.c_str());
            state.controls.push_back({"data:" + label, ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
            ImGui::PopTextWrapPos();
        }
    }
}

// Restart asks first once the call has got anywhere, or anything is typed in the first
// form: one key must not throw away the caller's answers.
void ask_restart(player_app& app, player_view_state& state) {
    if (app.call().breadcrumb().size() <= 1 && app.unsent_typing().empty()) app.restart();
    else state.restart_dialog_open = true;
}

void draw_footer(player_app& app, player_view_state& state, const ui::font_set& fonts) {
    ImGui::Separator();
    const ImVec2 size(0, fonts.size * 1.8f);
    ImGui::BeginDisabled(!app.call().can_go_back());
    if (control(state, "Back  (Alt+Left)", size)) app.back();
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (control(state, "Restart  (Ctrl+R)", size)) ask_restart(app, state);
    if (app.call().root_tree().allow_find) {
        ImGui::SameLine();
        if (control(state, "Find  (Ctrl+F)", size)) state.find_open = true;
    }
    ImGui::SameLine();
    if (control(state, "End call  (Ctrl+E)", size)) state.end_dialog_open = true;
}

void draw_end_screen(player_app& app, player_view_state& state, const ui::font_set& fonts) {
    const session& s = app.call();
    const view& last = s.current();
    ImGui::PushFont(fonts.heading);
    ImGui::PushTextWrapPos(0);
    switch (s.status()) {
    case session_status::completed:
        // The end step's title says what happened; its outcome code is for the statistics.
        // Not green: the end may be a failure ("Caller not verified"); its title says which.
        ImGui::Text("Call finished: %s", last.title.c_str());
        break;
    case session_status::escalated:
        // Priority first: a long team name must not push it out of sight.
        ImGui::TextColored(colour_escalated, "Escalated, priority %s, to %s", s.priority().c_str(), s.team().c_str());
        break;
    default:
        ImGui::TextColored(colour_muted, "Call ended early%s%s", s.abandon_reason().empty() ? "" : ": ",
                           s.abandon_reason().c_str());
        break;
    }
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
    if (s.status() == session_status::completed && !s.outcome().empty())
        ImGui::TextColored(colour_muted, "Outcome: %s", s.outcome().c_str());
    // Back (a key or a step in the breadcrumb) did nothing here, without a word.
    if (state.back_after_end == app.call_number()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(colour_warning, "This call has ended and is recorded: it cannot go back. If an answer was "
                                           "wrong, say so in a note; Ctrl+N starts the next call.");
        ImGui::PopTextWrapPos();
        state.controls.push_back({"ended: no back", ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    }
    // An abandoned call's last step was never done: named, not shown as if it were to do.
    if (s.status() == session_status::abandoned && last.node_ptr)
        ImGui::TextColored(colour_muted, "It was at: %s", last.title.c_str());
    // A sub-script's end passed on the way to this end (an identity check's "Thank the caller").
    if (s.status() != session_status::abandoned) draw_passed(last, fonts);
    // The summary (or the end node's text) scrolls within at most 40% of the screen, so the
    // buttons and the transcript below stay in view however long it is.
    const bool handoff = s.status() == session_status::escalated && !s.handoff().empty();
    const std::string& body = s.status() == session_status::abandoned ? std::string() : handoff ? s.handoff() : last.text;
    if (handoff) {
        ImGui::PushFont(fonts.bold);
        ImGui::TextUnformatted("Hand-off summary");
        ImGui::PopFont();
    }
    if (!body.empty()) {
        const float wrap = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize;
        const float needed = ImGui::CalcTextSize(plain(body).c_str(), nullptr, false, wrap).y + fonts.size;
        ImGui::BeginChild("end-text", ImVec2(0, std::min(needed, ImGui::GetContentRegionAvail().y * 0.4f)));
        ui::draw_markdown(body, fonts);
        ImGui::EndChild();
    }
    // What the end or hand-off step tells the agent ("tell the caller to call the emergency
    // services now") matters most here.
    if (s.status() != session_status::abandoned && !last.hint.empty()) draw_agent_note(last.hint, fonts, 0.3f);
    ImGui::Spacing();
    // After-call work: notes go on after the caller has gone (a hand-off may say "see agent notes").
    draw_notes(app, state, fonts, "Notes (after the call too)", 2.5f);
    ImGui::Spacing();
    if (state.transcript_of != app.call_number() || state.transcript_notes != s.notes().size()) {
        state.transcript = s.transcript();
        state.transcript_of = app.call_number();
        state.transcript_notes = s.notes().size();
        ui::want_glyphs(state.transcript);
    }
    std::string& transcript = state.transcript;
    const ImVec2 size(0, fonts.size * 1.8f);
    // Ctrl+C in the notes box copies what is selected there, not the transcript.
    const bool typing = ImGui::GetIO().WantTextInput && !state.transcript_box_active;
    if (control(state, "Copy transcript  (Ctrl+C)", size) || (!typing && ctrl_pressed(ui::letter('C')))) {
        // A note still in the box goes into the ticket too (as it goes with the call at Next call).
        if (!app.note_draft.empty()) {
            app.add_note();
            transcript = s.transcript();
            state.transcript_notes = s.notes().size();
        }
        ImGui::SetClipboardText(transcript.c_str());
        state.transcript_copied = transcript;
    }
    ImGui::SameLine();
    if (control(state, "Next call  (Ctrl+N)", size) || ctrl_pressed(ui::letter('N'))) {
        app.next_call();
        state.transcript_copied.clear();
        return;
    }
    if (!state.transcript_copied.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(colour_done, "Copied");
    }
    ImGui::PushFont(fonts.mono);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float width = ImGui::GetContentRegionAvail().x - style.FramePadding.x * 2 - style.ScrollbarSize;
    // Again every frame (a few kilobytes): the width changes with the window, and so do
    // the glyphs' widths when the atlas gets a script's characters after their first frame.
    if (std::string shown = wrapped(transcript, fonts.mono, width); shown != state.transcript_shown)
        state.transcript_shown = std::move(shown);
    state.transcript_shown_width = width;
    // Shown wrapped; copied as it is (Copy transcript, above).
    ImGui::InputTextMultiline("##transcript", &state.transcript_shown, ImVec2(-1, -1), ImGuiInputTextFlags_ReadOnly);
    state.transcript_box_active = ImGui::IsItemActive();
    // Ctrl+C in the box copies its (wrapped) text: the transcript as it is replaces it.
    if (ImGui::IsItemActive() && ctrl_pressed(ui::letter('C'))) ImGui::SetClipboardText(transcript.c_str());
    ImGui::PopFont();
}

void draw_restart_dialog(player_app& app, player_view_state& state, const ui::font_set& fonts) {
    if (state.restart_dialog_open) {
        ImGui::OpenPopup(restart_dialog);
        state.restart_dialog_open = false;
    }
    ImGui::SetNextWindowSize(ImVec2(fonts.size * 28, 0));
    if (ImGui::BeginPopupModal(restart_dialog, nullptr, ImGuiWindowFlags_NoResize)) {
        ImGui::TextWrapped("Start this call again from the first step? The answers given so far are undone "
                           "(notes stay).");
        if (control(state, "Restart  (Enter)") || plain_pressed(ui::key::enter) ||
            plain_pressed(ui::key::keypad_enter)) {
            app.restart();
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (control(state, "Cancel  (Esc)") || ImGui::IsKeyPressed(ui::key::escape, false)) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

void draw_end_dialog(player_app& app, player_view_state& state, const ui::font_set& fonts) {
    if (state.end_dialog_open) {
        ImGui::OpenPopup(end_dialog);
        state.end_dialog_open = false;
    }
    ImGui::SetNextWindowSize(ImVec2(fonts.size * 28, 0));
    if (ImGui::BeginPopupModal(end_dialog, nullptr, ImGuiWindowFlags_NoResize)) {
        ImGui::TextWrapped("End this call before the script finished? It is recorded as abandoned.");
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        const bool enter = ImGui::InputTextWithHint("##reason", "Reason (optional)", &app.end_reason,
                                                    ImGuiInputTextFlags_EnterReturnsTrue);
        if (control(state, "End call now  (Enter)") || enter) {
            app.end_call();
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (control(state, "Cancel  (Esc)") || ImGui::IsKeyPressed(ui::key::escape, false)) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

// Goes to a step found by search; a step that ends the call is only gone to when confirmed.
void find_go(player_app& app, player_view_state& state, const node& n, bool confirmed) {
    if (app.ends_call(n) && !confirmed) {
        state.find_confirm = n.id;
        state.find_error.clear();
        return;
    }
    state.find_confirm.clear();
    if (app.go_to(n.id)) {
        state.find_error.clear();
        ImGui::CloseCurrentPopup();
    } else {
        state.find_error = app.action_error;  // said in the dialog, not behind it
        app.action_error.clear();
    }
}

void draw_find_dialog(player_app& app, player_view_state& state, const ui::font_set& fonts) {
    if (state.find_open) {
        ImGui::OpenPopup(find_dialog);
        state.find_open = false;
        state.find_confirm.clear();
        state.find_error.clear();
    }
    const tree* t = app.call().current().tree_ptr;
    // Room for the results; a message alone (find not allowed here, a step that ends the
    // call) is sized to it, not left above a large empty box.
    const bool message = !t->allow_find || !state.find_confirm.empty();
    ImGui::SetNextWindowSize(ImVec2(fonts.size * 32, message ? 0 : fonts.size * 22));
    if (!ImGui::BeginPopupModal(find_dialog, nullptr, ImGuiWindowFlags_NoResize)) return;
    if (!t->allow_find) {
        // Inside a sub-script that does not allow it (an identity check, say).
        ImGui::PushTextWrapPos(0);
        ImGui::TextWrapped("Find is not available in this part of the call: \"%s\" does not allow jumping to a step. "
                           "Finish it first; the call then goes back to \"%s\".",
                           t->title.empty() ? t->id.c_str() : t->title.c_str(), app.script().title.c_str());
        ImGui::PopTextWrapPos();
        if (control(state, "Close  (Esc)") || ImGui::IsKeyPressed(ui::key::escape, false)) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    if (!state.find_confirm.empty()) {
        // A step that ends the call: said plainly, confirmed with Enter or a click.
        const node* n = t->find(state.find_confirm);
        if (!n) {
            state.find_confirm.clear();
        } else {
            ImGui::PushTextWrapPos(0);
            const std::string title = n->title.empty() ? n->id : n->title;
            if (n->kind == node_kind::escalate)
                ImGui::TextColored(colour_escalated, "\"%s\" hands the call off to %s and ends it here.",
                                   title.c_str(), n->team.c_str());
            else
                ImGui::TextColored(colour_warning, "\"%s\" ends the call here.", title.c_str());
            ImGui::TextWrapped("Steps in between are skipped: what they would ask is not in the call data.");
            ImGui::PopTextWrapPos();
            const ImVec2 size(0, fonts.size * 1.8f);
            const bool yes = control(state, n->kind == node_kind::escalate ? "Hand off now  (Enter)" : "End the call  (Enter)",
                                     size) ||
                             plain_pressed(ui::key::enter) || plain_pressed(ui::key::keypad_enter);
            ImGui::SameLine();
            const bool no = control(state, "Back to the search  (Esc)", size) || ImGui::IsKeyPressed(ui::key::escape, false);
            if (yes) find_go(app, state, *n, true);
            else if (no) {
                state.find_confirm.clear();
                state.find_focus = true;  // typing goes on in the search box
            }
            ImGui::EndPopup();
            return;
        }
    }
    if (ImGui::IsWindowAppearing() || state.find_focus) ImGui::SetKeyboardFocusHere();
    state.find_focus = false;
    const bool enter = ImGui::InputTextWithHint("##find", "Search steps by title or text (Up/Down to pick)", &state.find_query,
                                                ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
    // Up and Down move the result Enter takes (shown selected); a new query starts at the top.
    if (state.find_pick_query != state.find_query) {
        state.find_pick = 0;
        state.find_pick_query = state.find_query;
    }
    if (ImGui::IsKeyPressed(ui::key::down)) ++state.find_pick;
    if (ImGui::IsKeyPressed(ui::key::up) && state.find_pick > 0) --state.find_pick;
    const std::vector<const node*> results = app.find_steps(state.find_query);
    if (!results.empty()) state.find_pick = std::min(state.find_pick, results.size() - 1);
    const node* picked = nullptr;
    ImGui::BeginChild("results", ImVec2(0, -fonts.size * (state.find_error.empty() ? 2.2f : 3.6f)));
    for (std::size_t i = 0; i < results.size(); ++i) {
        const node& n = *results[i];
        std::string label = n.title.empty() ? n.id : n.title;
        if (n.kind == node_kind::escalate) label += "  (hands off to " + n.team + ")";
        if (n.kind == node_kind::end) label += app.ends_call(n) ? "  (ends the call)" : "  (returns to the calling script)";
        ui::want_glyphs(label);
        const bool chosen = i == state.find_pick;
        if (ImGui::Selectable((label + "##find" + n.id).c_str(), chosen)) picked = &n;
        if (chosen && (ImGui::IsKeyPressed(ui::key::down) || ImGui::IsKeyPressed(ui::key::up)))
            ImGui::SetScrollHereY();
        state.controls.push_back({"result:" + n.id + (chosen ? " (Enter)" : ""), ImGui::GetItemRectMin(),
                                  ImGui::GetItemRectMax()});
    }
    ImGui::EndChild();
    if (!picked && enter && !results.empty()) picked = results[state.find_pick];
    if (picked) find_go(app, state, *picked, false);
    if (!state.find_error.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(colour_error, "%s", state.find_error.c_str());
        ImGui::PopTextWrapPos();
    }
    if (control(state, "Close  (Esc)") || ImGui::IsKeyPressed(ui::key::escape, false)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

}  // namespace

void draw_player(player_app& app, player_view_state& state, const ui::font_set& fonts) {
    state.controls.clear();
    app.poll_file_change();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin("Signpost player", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);

    const bool popup_open = dialog_open();
    const bool typing = ImGui::GetIO().WantTextInput;
    if (!popup_open) {
        if (ctrl_pressed(ui::letter('R')) && !app.call().finished()) ask_restart(app, state);
        if (ctrl_pressed(ui::letter('F')) && app.call().root_tree().allow_find && !app.call().finished())
            state.find_open = true;
        if (ctrl_pressed(ui::letter('E')) && !app.call().finished()) state.end_dialog_open = true;
        if (ctrl_pressed(ui::letter('M'))) state.focus_notes = true;
        // Backspace mends a field's typing, so it is Back only outside one; Alt+Left (as in a
        // browser) and a mouse's Back button are Back from anywhere, a form field or the notes
        // box included. What was typed in the form is kept for when the call comes back to it.
        if ((!typing && plain_pressed(ui::key::backspace)) || back_pressed()) {
            if (!app.call().finished()) app.back();
            else state.back_after_end = app.call_number();  // said, rather than nothing at all
        }
    }
    // A dialog closed over a form gives the keyboard back to the field it was in (typing
    // after Escape went nowhere, and Backspace went back a step). Only the dialogs: a choice
    // field's list is a popup too, and closing it leaves the keyboard where the pick put it.
    const bool modal_open =
        ImGui::IsPopupOpen(find_dialog) || ImGui::IsPopupOpen(restart_dialog) || ImGui::IsPopupOpen(end_dialog);
    if (state.modal_was_open && !modal_open && !state.last_field.empty()) state.focus_field = state.last_field;
    state.modal_was_open = modal_open;
    const std::uint64_t drafts_at_start = app.drafts_generation();
    ImGuiIO& io = ImGui::GetIO();
    // Typing on a form while none of its fields has the keyboard (after Escape, or a click
    // beside them) goes on in the field the agent was last in, after what is there: it went
    // nowhere, and a name typed while looking at the caller was lost.
    if (const view& v = app.call().current(); !popup_open && !ImGui::IsAnyItemActive() && !io.InputQueueCharacters.empty() &&
        !app.call().finished() && v.node_ptr && v.node_ptr->kind == node_kind::form && !v.fields.empty() &&
        v.stuck.empty() && state.select_field.empty() && state.focus_field.empty() && !state.focus_form &&
        app.drafts_generation() == state.focused_generation) {
        const std::string& field = state.last_field.empty() ? v.fields.front().variable : state.last_field;
        state.focus_field = field;  // with the caret after its text (draw_form)
        state.select_field = field;  // so the characters wait for it (field_taking_keyboard)
        state.select_frame = ImGui::GetFrameCount();
    }
    if (field_taking_keyboard(state) && !popup_open) {
        // ImGui drops what an input is given in the frame it takes the keyboard: kept for the next.
        for (const ImWchar c : io.InputQueueCharacters) state.typed_early.push_back(c);
        io.InputQueueCharacters.resize(0);
    } else if (!state.typed_early.empty()) {
        // Typed before the field had the keyboard: given to it now, ahead of this frame's.
        ImVector<ImWchar> later = io.InputQueueCharacters;
        io.InputQueueCharacters.resize(0);
        for (const ImWchar c : state.typed_early) io.InputQueueCharacters.push_back(c);
        for (const ImWchar c : later) io.InputQueueCharacters.push_back(c);
        state.typed_early.clear();
    }

    // Text this frame draws, for the font atlas (a script in Japanese...): the step, the
    // header and the breadcrumb. Step text and what the agent types are noted where drawn.
    const view& shown = app.call().current();
    ui::want_glyphs_for(shown);
    ui::want_glyphs(app.call().root_tree().title);
    ui::want_glyphs(app.call().agent());
    ui::want_glyphs(app.notice());
    ui::want_glyphs(app.log_warning());
    ui::want_glyphs(app.call().outcome());
    ui::want_glyphs(app.call().team());
    ui::want_glyphs(app.call().abandon_reason());
    for (const crumb& c : app.call().breadcrumb()) ui::want_glyphs(c.title);

    // A newly shown form takes the keyboard, so the agent can type straight away.
    if (app.drafts_generation() != state.focused_generation) {
        state.focused_generation = app.drafts_generation();
        state.focus_form = shown.node_ptr && shown.node_ptr->kind == node_kind::form;
        state.last_field.clear();
        state.select_field.clear();
        state.focus_field.clear();
        state.typed_early.clear();  // typed for a form no longer shown
    }
    draw_header(app, state, fonts);
    if (app.call().finished()) {
        draw_end_screen(app, state, fonts);
    } else {
        const float footer = fonts.size * 1.8f + ImGui::GetStyle().ItemSpacing.y * 3 + 2;
        const float height = ImGui::GetContentRegionAvail().y - footer;
        const float width = ImGui::GetContentRegionAvail().x;
        ImGui::BeginChild("main", ImVec2(width * 0.64f, height), false);
        draw_node(app, state, fonts);
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("side", ImVec2(0, height), true);
        draw_side(app, state, fonts);
        ImGui::EndChild();
        draw_footer(app, state, fonts);
        draw_end_dialog(app, state, fonts);
        draw_find_dialog(app, state, fonts);
        draw_restart_dialog(app, state, fonts);
    }
    // Not the characters of the frame the form came in: they were the key that chose it.
    const bool waiting = field_taking_keyboard(state) && !ImGui::IsAnyItemActive() && !dialog_open();
    if (waiting && drafts_at_start == app.drafts_generation() && !app.call().finished())
        for (const ImWchar c : io.InputQueueCharacters) state.typed_early.push_back(c);
    if (state.typed_early.size() > 256) state.typed_early.clear();
    ImGui::End();
}

}  // namespace signpost::player
