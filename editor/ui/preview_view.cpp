#include "preview_view.hpp"

#include <algorithm>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "editor_app.hpp"
#include "palette.hpp"
#include "signpost/calendar_date.hpp"
#include "signpost/text.hpp"
#include "ui/keys.hpp"
#include "ui/markdown_view.hpp"
#include "ui/text_glyphs.hpp"
#include "ui/wrapped_button.hpp"

namespace signpost::editor {

namespace {

// Errors the validator reports on trees the runtime still walks safely; anything else
// (unknown targets, a missing start...) keeps the preview from starting.
bool playable_despite(const diagnostic& d) {
    return d.level != severity::error || d.code == "dead-end" || d.code == "inescapable-loop" ||
           d.code == "missing-tree" || d.code == "jump-cycle" || d.code == "jump-variable-type" ||
           d.code == "read-before-set";
}

// The player's keys (player_view.cpp): digits take a choice, Enter continues or submits,
// Backspace goes back outside a field and Alt+Left (or a mouse's Back button) from
// anywhere, Ctrl+R restarts; the number pad's digits and Enter too.
bool plain_pressed(int k) { return !ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(k, false); }
bool back_pressed() {
    const ImGuiIO& io = ImGui::GetIO();
    return (io.KeyAlt && !io.KeyCtrl && ImGui::IsKeyPressed(ui::key::left, false)) || ImGui::IsMouseClicked(3);
}
bool ctrl_pressed(int k) { return ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(k, false); }
bool enter_pressed() { return plain_pressed(ui::key::enter) || plain_pressed(ui::key::keypad_enter); }
bool digit_pressed(int d) { return plain_pressed(ui::key::digit_0 + d) || plain_pressed(ui::key::keypad_0 + d); }

}  // namespace

preview_view::preview_view() = default;
preview_view::~preview_view() {
    // The call must go before the tree and library it points into.
    m_call.reset();
}

bool preview_view::keys_free() const {
    return m_focused && !ImGui::GetIO().WantTextInput && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
}

void preview_view::go_back() {
    const action_result r = m_call->back();
    if (!r.ok) {
        m_action_error = r.error;
        return;
    }
    m_action_error.clear();
    m_field_errors.clear();
    // A form gone back to shows what was submitted from it, as in the player.
    if (const auto* typed = m_call->undone_inputs()) {
        sync_inputs();
        for (const auto& [name, text] : *typed) inputs[name] = text;
    }
}

bool preview_view::start(editor_app& app) {
    document& doc = app.doc();
    if (doc.problems_stale()) doc.revalidate();
    for (const diagnostic& d : doc.problems()) {
        if (!playable_despite(d)) {
            m_error = "Fix this first: " + d.message;
            stop();
            return false;
        }
    }
    m_error.clear();
    m_call.reset();
    auto snapshot = std::make_shared<tree>(doc.current());
    snapshot->reindex();
    m_tree = snapshot;
    m_library = std::make_unique<tree_library>(app.library_folders());
    m_library->add(m_tree);
    m_call = std::make_unique<preview_call>(m_tree, m_library.get(), m_clock);
    m_generation = doc.generation();
    m_doc = &doc;
    inputs.clear();
    m_field_errors.clear();
    m_action_error.clear();
    m_inputs_for = nullptr;
    return true;
}

void preview_view::stop() {
    m_call.reset();
    m_library.reset();
    m_tree.reset();
    m_doc = nullptr;
}

std::string preview_view::current_node() const {
    if (!m_call) return {};
    const view& v = m_call->call().current();
    if (!v.node_ptr || v.tree_ptr != m_tree.get()) return {};
    return v.node_ptr->id;
}

void preview_view::sync_inputs() {
    // A form shown anew starts from the variables' current values, as in the player.
    const view& v = m_call->call().current();
    if (v.node_ptr == m_inputs_for && m_call->call().breadcrumb().size() == m_inputs_depth) return;
    m_inputs_for = v.node_ptr;
    m_inputs_depth = m_call->call().breadcrumb().size();
    inputs.clear();
    m_field_errors.clear();
    m_action_error.clear();
    for (const view_field& f : v.fields) inputs[f.variable] = f.value;
}

void preview_view::draw_current(editor_app& app) {
    const ui::font_set& fonts = app.fonts();
    const view& v = m_call->call().current();
    if (!v.node_ptr) return;
    const bool keys = keys_free();
    ui::want_glyphs_for(v);
    if (v.jump_depth > 0) ImGui::TextColored(colours::muted, "inside %s (jump depth %d)", v.tree_ptr->id.c_str(), v.jump_depth);
    ImGui::PushFont(fonts.heading);
    ImGui::TextWrapped("%s", v.title.c_str());
    ImGui::PopFont();
    ui::draw_markdown(v.text, fonts);
    if (!v.hint.empty()) {
        ImGui::Spacing();
        ImGui::PushStyleColor(ImGuiCol_Text, colours::warning);
        ImGui::TextUnformatted("Agent note");
        ImGui::PopStyleColor();
        ui::draw_markdown(v.hint, fonts);
    }
    if (!v.stuck.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(colours::error, "The script cannot go on: %s", v.stuck.c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::Spacing();
    const auto report = [this](const action_result& r) {
        m_action_error = r.ok ? std::string() : r.error;
        m_field_errors = r.field_errors;
    };
    switch (v.node_ptr->kind) {
    case node_kind::question:
        for (std::size_t i = 0; i < v.choices.size(); ++i) {
            // Wrapped as the player shows it: a long answer is read whole, not clipped.
            const std::string label = std::to_string(i + 1) + "   " + markdown_to_plain(v.choices[i].label);
            ui::want_glyphs(label);
            const bool clicked = ui::wrapped_button(label, "##pc" + std::to_string(i), fonts.size * 1.9f);
            app.record("preview:choice:" + std::to_string(i + 1));
            if (clicked || (i < 9 && keys && digit_pressed(static_cast<int>(i) + 1))) {
                report(m_call->choose(static_cast<int>(i)));
                return;
            }
        }
        break;
    case node_kind::step:
        if (ImGui::Button("Continue  (Enter)", ImVec2(fonts.size * 10, fonts.size * 1.8f)) || (keys && enter_pressed()))
            report(m_call->next());
        app.record("preview:continue");
        break;
    case node_kind::form: {
        sync_inputs();
        bool enter_in_field = false;
        for (const view_field& f : v.fields) {
            ImGui::PushID(f.variable.c_str());
            ImGui::TextUnformatted((f.label + (f.required ? " *" : "")).c_str());
            if (!f.default_value.empty()) {  // as the player says it: the default is not typed in
                ImGui::SameLine();
                ImGui::TextColored(colours::muted, "left empty: %s", f.default_value.c_str());
            }
            std::string& in = inputs[f.variable];
            ImGui::SetNextItemWidth(-1);
            if (f.type == var_type::choice) {
                if (ImGui::BeginCombo("##in", in.empty() ? "(choose)" : in.c_str())) {
                    for (const std::string& o : f.options)
                        if (ImGui::Selectable(o.c_str(), o == in)) in = o;
                    ImGui::EndCombo();
                }
            } else if (f.type == var_type::flag) {
                bool on = in == "true";
                if (ImGui::Checkbox("##in", &on)) in = on ? "true" : "false";
            } else {
                // Enter in a field submits the form, as in the player.
                const char* hint = !f.placeholder.empty() || f.type != var_type::date
                                       ? f.placeholder.c_str()
                                       : "e.g. 24 Dec, friday, tomorrow, 2026-12-24";
                enter_in_field |= ImGui::InputTextWithHint("##in", hint, &in, ImGuiInputTextFlags_EnterReturnsTrue);
                // The day the typing will be, as the player says it.
                if (f.type == var_type::date && in.find_first_not_of(' ') != std::string::npos) {
                    const typed_date d = read_typed_date(in, local_day(m_clock.now_ms()));
                    ImGui::PushTextWrapPos(0);
                    if (d.days) ImGui::TextColored(colours::muted, "taken as %s", format_long_day(*d.days).c_str());
                    else ImGui::TextColored(colours::warning, "%s", d.error.c_str());
                    ImGui::PopTextWrapPos();
                }
            }
            app.record("preview:field:" + f.variable);
            for (const field_error& e : m_field_errors)
                if (e.variable == f.variable) ImGui::TextColored(colours::error, "%s", e.message.c_str());
            ImGui::PopID();
        }
        if (ImGui::Button("Submit  (Enter)", ImVec2(fonts.size * 10, fonts.size * 1.8f)) || enter_in_field ||
            (keys && enter_pressed()))
            report(m_call->submit(inputs));
        app.record("preview:submit");
        break;
    }
    default:
        break;
    }
    if (!m_action_error.empty()) ImGui::TextColored(colours::error, "%s", m_action_error.c_str());
}

void preview_view::draw_finished(editor_app& app) {
    const ui::font_set& fonts = app.fonts();
    const session& call = m_call->call();
    ImGui::PushFont(fonts.heading);
    switch (call.status()) {
    case session_status::completed:
        ImGui::TextColored(colours::ok, "Call finished: %s", call.outcome().c_str());
        break;
    case session_status::escalated:
        ImGui::TextColored(colours::warning, "Escalated to %s (%s)", call.team().c_str(), call.priority().c_str());
        break;
    default:
        ImGui::TextColored(colours::muted, "Call ended early");
        break;
    }
    ImGui::PopFont();
    if (!call.handoff().empty()) ui::draw_markdown(call.handoff(), fonts);
    else if (const view& v = call.current(); v.node_ptr && !v.text.empty()) ui::draw_markdown(v.text, fonts);
    if (!m_action_error.empty()) ImGui::TextColored(colours::error, "%s", m_action_error.c_str());
}

void preview_view::draw_variables(editor_app& app) {
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted("Variables");
    ImGui::PopFont();
    const auto values = m_call->call().variables();
    if (ImGui::BeginTable("##preview_vars", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
        // Every declared variable, set or not, then any set by trees the call jumped into.
        std::vector<std::string> names;
        for (const variable& v : m_tree->variables) names.push_back(v.name);
        for (const auto& [name, value] : values)
            if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        for (const std::string& name : names) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(name.c_str());
            ImGui::TableNextColumn();
            const auto it = values.find(name);
            const std::string shown = it == values.end() ? std::string() : to_display(it->second);
            // An empty text and an unset variable both look like nothing: say which.
            if (it == values.end()) ImGui::TextColored(colours::muted, "(unset)");
            else if (shown.empty()) ImGui::TextColored(colours::muted, "(empty)");
            else ImGui::TextUnformatted(shown.c_str());
        }
        ImGui::EndTable();
    }
}

void preview_view::draw(editor_app& app) {
    const ui::font_set& fonts = app.fonts();
    document& doc = app.doc();
    if (m_call && m_doc != &doc) stop();  // another document was opened
    if (!m_call) {
        ImGui::TextWrapped("Play the tree as an agent would, without saving it first.");
        if (ImGui::Button("Play", ImVec2(fonts.size * 8, fonts.size * 1.8f))) start(app);
        app.record("preview:play");
        if (!m_error.empty()) {
            ImGui::PushTextWrapPos(0);
            ImGui::TextColored(colours::error, "%s", m_error.c_str());
            ImGui::PopTextWrapPos();
        }
        return;
    }
    const bool keys = keys_free();
    if (ImGui::Button("Restart  (Ctrl+R)") || (keys && ctrl_pressed(ui::letter('R')))) {
        app.record("preview:restart");
        if (!start(app)) return;
    } else {
        app.record("preview:restart");
    }
    ImGui::SameLine();
    // Back works on the end screen too (preview_call replays the call one step short).
    ImGui::BeginDisabled(!m_call->can_go_back());
    const bool back_clicked = ImGui::Button("Back  (Alt+Left)");
    app.record("preview:back");
    ImGui::EndDisabled();
    // Alt+Left is Back in a form field too, as in the player; Backspace there mends the typing.
    const bool back_key = (keys && plain_pressed(ui::key::backspace)) ||
                          (m_focused && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId) && back_pressed());
    if (back_clicked || (back_key && m_call->can_go_back())) go_back();
    ImGui::SameLine();
    if (ImGui::Button("Stop")) {
        stop();
        app.record("preview:stop");
        return;
    }
    app.record("preview:stop");
    if (doc.generation() != m_generation) {
        ImGui::TextColored(colours::warning, "The tree changed since this call started.");
        ImGui::SameLine();
        if (ImGui::SmallButton("Restart with changes")) {
            start(app);
            if (!m_call) return;
        }
    }
    // Breadcrumb.
    const session& call = m_call->call();
    std::string trail;
    for (const crumb& c : call.breadcrumb()) trail += (trail.empty() ? "" : "  \xE2\x80\xBA  ") + c.title;
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(colours::muted, "%s", trail.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Separator();
    if (call.finished()) draw_finished(app);
    else draw_current(app);
    if (m_call) draw_variables(app);
}

}  // namespace signpost::editor
