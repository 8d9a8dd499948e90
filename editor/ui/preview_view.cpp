#include "preview_view.hpp"

#include <algorithm>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "editor_app.hpp"
#include "palette.hpp"
#include "signpost/text.hpp"
#include "ui/markdown_view.hpp"
#include "ui/text_glyphs.hpp"

namespace signpost::editor {

namespace {

// Errors the validator reports on trees the runtime still walks safely; anything else
// (unknown targets, a missing start...) keeps the preview from starting.
bool playable_despite(const diagnostic& d) {
    return d.level != severity::error || d.code == "dead-end" || d.code == "inescapable-loop" ||
           d.code == "missing-tree" || d.code == "jump-cycle" || d.code == "jump-variable-type" ||
           d.code == "read-before-set";
}

}  // namespace

preview_view::preview_view() = default;
preview_view::~preview_view() {
    // The session must go before the tree and library it points into.
    m_session.reset();
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
    m_session.reset();
    auto snapshot = std::make_shared<tree>(doc.current());
    snapshot->reindex();
    m_tree = snapshot;
    m_library = std::make_unique<tree_library>(app.library_folders());
    m_library->add(m_tree);
    m_session = std::make_unique<session>(m_tree, m_library.get(), m_clock, nullptr, "preview");
    m_generation = doc.generation();
    m_doc = &doc;
    inputs.clear();
    m_field_errors.clear();
    m_action_error.clear();
    m_inputs_for = nullptr;
    return true;
}

void preview_view::stop() {
    m_session.reset();
    m_library.reset();
    m_tree.reset();
    m_doc = nullptr;
}

std::string preview_view::current_node() const {
    if (!m_session) return {};
    const view& v = m_session->current();
    if (!v.node_ptr || v.tree_ptr != m_tree.get()) return {};
    return v.node_ptr->id;
}

void preview_view::sync_inputs() {
    // A form shown anew starts from the variables' current values, as in the player.
    const view& v = m_session->current();
    if (v.node_ptr == m_inputs_for && m_session->breadcrumb().size() == m_inputs_depth) return;
    m_inputs_for = v.node_ptr;
    m_inputs_depth = m_session->breadcrumb().size();
    inputs.clear();
    m_field_errors.clear();
    m_action_error.clear();
    for (const view_field& f : v.fields) inputs[f.variable] = f.value;
}

void preview_view::draw_current(editor_app& app) {
    const ui::font_set& fonts = app.fonts();
    const view& v = m_session->current();
    if (!v.node_ptr) return;
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
            const std::string label =
                std::to_string(i + 1) + "   " + markdown_to_plain(v.choices[i].label) + "##pc" + std::to_string(i);
            ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
            const bool clicked = ImGui::Button(label.c_str(), ImVec2(-1, fonts.size * 1.9f));
            ImGui::PopStyleVar();
            app.record("preview:choice:" + std::to_string(i + 1));
            if (clicked) {
                report(m_session->choose(static_cast<int>(i)));
                return;
            }
        }
        break;
    case node_kind::step:
        if (ImGui::Button("Continue", ImVec2(fonts.size * 8, fonts.size * 1.8f))) report(m_session->next());
        app.record("preview:continue");
        break;
    case node_kind::form: {
        sync_inputs();
        for (const view_field& f : v.fields) {
            ImGui::PushID(f.variable.c_str());
            ImGui::TextUnformatted((f.label + (f.required ? " *" : "")).c_str());
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
                ImGui::InputTextWithHint("##in", f.placeholder.c_str(), &in);
            }
            app.record("preview:field:" + f.variable);
            for (const field_error& e : m_field_errors)
                if (e.variable == f.variable) ImGui::TextColored(colours::error, "%s", e.message.c_str());
            ImGui::PopID();
        }
        if (ImGui::Button("Submit", ImVec2(fonts.size * 8, fonts.size * 1.8f))) report(m_session->submit(inputs));
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
    ImGui::PushFont(fonts.heading);
    switch (m_session->status()) {
    case session_status::completed:
        ImGui::TextColored(colours::ok, "Call finished: %s", m_session->outcome().c_str());
        break;
    case session_status::escalated:
        ImGui::TextColored(colours::warning, "Escalated to %s (%s)", m_session->team().c_str(), m_session->priority().c_str());
        break;
    default:
        ImGui::TextColored(colours::muted, "Call ended early");
        break;
    }
    ImGui::PopFont();
    if (!m_session->handoff().empty()) ui::draw_markdown(m_session->handoff(), fonts);
    else if (const view& v = m_session->current(); v.node_ptr && !v.text.empty()) ui::draw_markdown(v.text, fonts);
}

void preview_view::draw_variables(editor_app& app) {
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted("Variables");
    ImGui::PopFont();
    const auto values = m_session->variables();
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
            if (const auto it = values.find(name); it != values.end()) ImGui::TextUnformatted(to_display(it->second).c_str());
            else ImGui::TextColored(colours::muted, "(unset)");
        }
        ImGui::EndTable();
    }
}

void preview_view::draw(editor_app& app) {
    const ui::font_set& fonts = app.fonts();
    document& doc = app.doc();
    if (m_session && m_doc != &doc) stop();  // another document was opened
    if (!m_session) {
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
    if (ImGui::Button("Restart")) start(app);
    app.record("preview:restart");
    ImGui::SameLine();
    ImGui::BeginDisabled(!m_session->can_go_back() || m_session->finished());
    if (ImGui::Button("Back")) m_session->back();
    app.record("preview:back");
    ImGui::EndDisabled();
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
            if (!m_session) return;
        }
    }
    // Breadcrumb.
    std::string trail;
    for (const crumb& c : m_session->breadcrumb()) trail += (trail.empty() ? "" : "  \xE2\x80\xBA  ") + c.title;
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(colours::muted, "%s", trail.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Separator();
    if (m_session->finished()) draw_finished(app);
    else draw_current(app);
    if (m_session) draw_variables(app);
}

}  // namespace signpost::editor
