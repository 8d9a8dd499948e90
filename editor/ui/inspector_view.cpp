// The inspector.
//
// Index
//   [SECTION] helpers
//   [SECTION] field widgets
//   [SECTION] tree
//   [SECTION] variables
//   [SECTION] node
//   [SECTION] choices, branches, form fields

#include "inspector_view.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "editor_app.hpp"
#include "model/commands.hpp"
#include "palette.hpp"
#include "signpost/calendar_date.hpp"
#include "signpost/markdown.hpp"
#include "ui/markdown_view.hpp"

namespace signpost::editor {

// [SECTION] helpers

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

bool node_matches(const node& n, const std::string& lowered_query) {
    if (lowered_query.empty()) return true;
    return lower(n.id).find(lowered_query) != std::string::npos ||
           lower(n.title).find(lowered_query) != std::string::npos ||
           lower(n.text).find(lowered_query) != std::string::npos;
}

std::vector<std::string> split_words(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

std::string join_words(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

const char* const priorities[] = {"low", "normal", "high", "urgent"};
const char* const var_types[] = {"number", "text", "flag", "choice", "date"};

// Light Markdown drawn on a darker panel, so the author sees what agents will see.
void markdown_preview(const std::string& text, const ui::font_set& fonts) {
    if (text.empty()) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    ImGui::Indent(6);
    ImGui::BeginGroup();
    ImGui::Dummy(ImVec2(0, 2));
    ui::draw_markdown(text, fonts);
    ImGui::Dummy(ImVec2(0, 2));
    ImGui::EndGroup();
    ImGui::Unindent(6);
    dl->ChannelsSetCurrent(0);
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    dl->AddRectFilled(ImVec2(a.x - 6, a.y), ImVec2(std::max(b.x, right), b.y), IM_COL32(30, 36, 48, 255), 4.0f);
    dl->ChannelsMerge();
}

bool small_button(editor_app& app, const std::string& label) {
    const bool clicked = ImGui::SmallButton(label.c_str());
    app.record(label);
    return clicked;
}

}  // namespace

namespace {
// How many items each indexed list of a scope holds: once an item is added or removed an
// index may name another item. (Renaming or relabelling an item moves no index; the
// inspector's own Up/Down buttons clear drafts, and a value changed underneath drops its
// draft through the base check.)
std::string items_of(const tree& t, const std::string& node_id) {
    if (node_id.empty()) return std::to_string(t.variables.size());
    const node* n = t.find(node_id);
    if (!n) return {};
    return std::to_string(n->choices.size()) + "/" + std::to_string(n->branches.size()) + "/" +
           std::to_string(n->fields.size());
}
}  // namespace

void inspector_view::reset() {
    m_scope.clear();
    m_edit_key.clear();
    m_edit_buf.clear();
    m_text_box.reset();
    m_drafts.clear();
    m_flash_field.clear();
}

std::string inspector_view::field_error(const std::string& field) const {
    const auto it = m_drafts.find(key(field));
    return it == m_drafts.end() ? std::string() : it->second.error;
}

// [SECTION] field widgets

void inspector_view::label(editor_app& app, const char* text, const std::string& field, int index) {
    (void)app;
    ImGui::TextColored(colours::muted, "%s", text);
    if (m_scroll_to_flash && field == m_flash_field && (m_flash_index < 0 || m_flash_index == index)) {
        ImGui::SetScrollHereY(0.3f);
        m_scroll_to_flash = false;
    }
}

inspector_view::edit_result inspector_view::text_input(editor_app& app, const std::string& field,
                                                       const std::string& stored, bool multiline, float height,
                                                       const char* hint) {
    // A box wraps at its own width: a paragraph the file's author wrapped by hand is shown
    // as one, not broken at the old places. It reads the same; the file changes only when
    // the text is edited.
    const std::string value = multiline ? unwrap_paragraph_lines(stored) : stored;
    const std::string k = key(field);
    const bool mine = m_edit_key == k;
    std::string shown = value;
    if (mine) {
        shown = m_edit_buf;
    } else if (const auto it = m_drafts.find(k); it != m_drafts.end()) {
        if (!it->second.base) it->second.base = value;
        const bool indexed = field.find('.') != std::string::npos;  // "var.2.name", "choice.0.if"
        if (*it->second.base == value && (!indexed || it->second.items == m_items)) shown = it->second.text;
        else m_drafts.erase(it);  // the field changed underneath: show what the tree holds
    }

    // A problem clicked in the Problems list flashes the field it is about.
    const std::string base = field.substr(field.rfind('.') == std::string::npos ? 0 : field.rfind('.') + 1);
    int index = -1;
    if (const auto dot = field.find('.'); dot != std::string::npos) index = std::atoi(field.c_str() + dot + 1);
    const bool flash = ImGui::GetTime() < m_flash_until && base == m_flash_field &&
                       (m_flash_index < 0 || index < 0 || m_flash_index == index);
    if (flash) ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(0.55f, 0.38f, 0.08f, 1.0f));

    edit_result r;
    const std::string id = "##" + field;
    ImGui::SetNextItemWidth(-1);
    if (multiline) r.changed = m_text_box.draw(id.c_str(), shown, ImVec2(-1, height));
    else if (hint) r.changed = ImGui::InputTextWithHint(id.c_str(), hint, &shown);
    else r.changed = ImGui::InputText(id.c_str(), &shown);
    if (flash) ImGui::PopStyleColor();
    app.record("field:" + field);
    r.text = shown;
    if (ImGui::IsItemActive()) {
        if (!mine) m_edit_began = {stored, value};
        m_edit_key = k;
        m_edit_buf = shown;
    }
    // Typed back to what it was (Escape, or undone by hand): the text as the file had it,
    // line breaks and all, so nothing changes that was not edited.
    if (r.changed && m_edit_key == k && r.text == m_edit_began.second) r.text = m_edit_began.first;
    if (ImGui::IsItemDeactivated()) {
        r.left = true;
        if (m_edit_key == k) m_edit_key.clear();
        app.doc().edits().seal();  // the typing burst ends with the field
    }
    return r;
}

bool inspector_view::apply(editor_app& app, const std::string& field, const std::string& text,
                           std::unique_ptr<command> c) {
    const std::optional<std::string> error = app.doc().execute(std::move(c));
    m_seen_generation = app.doc().generation();
    if (error) {
        m_drafts[key(field)] = {text, *error, std::nullopt, m_items};
        return false;
    }
    m_drafts.erase(key(field));
    return true;
}

void inspector_view::show_error(const std::string& field, const std::string& still, editor_app* app) {
    if (const auto it = m_drafts.find(key(field)); it != m_drafts.end() && !it->second.error.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(colours::error, "%s", it->second.error.c_str());
        // A refused rename leaves the new name in the box: it must not look applied.
        if (!still.empty()) {
            ImGui::TextColored(colours::error, "Not renamed: it is still '%s'.", still.c_str());
            if (app) app->record("not-renamed:" + field);
        }
        ImGui::PopTextWrapPos();
    }
}

void inspector_view::live_text(editor_app& app, const std::string& field, const std::string& value,
                               const std::function<std::unique_ptr<command>(const std::string&)>& make,
                               bool multiline, float height, const char* hint) {
    const edit_result r = text_input(app, field, value, multiline, height, hint);
    if (r.changed) apply(app, field, r.text, make(r.text));
    show_error(field);
}

void inspector_view::expression_text(editor_app& app, const std::string& field, const std::string& value,
                                     expression_kind kind,
                                     const std::function<std::unique_ptr<command>(const std::string&)>& make) {
    const edit_result r = text_input(app, field, value, false, 0,
                                     kind == expression_kind::condition ? "always" : "nothing");
    // Text that does not parse is refused by the command and stays in the box as a draft.
    if (r.changed) apply(app, field, r.text, make(r.text));
    // What the checker says about the text in the box, as the author types.
    if (const auto err = check_expression_text(app.doc().current(), r.text, kind)) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(colours::error, "col %d: %s", err->column, err->message.c_str());
        ImGui::PopTextWrapPos();
        app.record("error:" + field);
    } else {
        show_error(field);
    }
}

bool inspector_view::target_picker(editor_app& app, const std::string& field, const std::string& current,
                                   std::string& out, bool allow_none) {
    const tree& t = app.doc().current();
    const node* target = current.empty() ? nullptr : t.find(current);
    std::string preview = current.empty() ? "(not linked)" : current;
    if (target && !target->title.empty()) preview += "  \xC2\xB7  " + target->title;
    if (!current.empty() && !target) preview += "  (no such node)";
    bool picked = false;
    const std::string id = "##pick." + field;
    ImGui::SetNextItemWidth(-1);
    if (!current.empty() && !target) ImGui::PushStyleColor(ImGuiCol_Text, colours::error);
    const bool open = ImGui::BeginCombo(id.c_str(), preview.c_str(), ImGuiComboFlags_HeightLarge);
    if (!current.empty() && !target) ImGui::PopStyleColor();
    app.record("pick:" + field);
    if (open) {
        if (ImGui::IsWindowAppearing()) {
            m_picker_filter.clear();
            ImGui::SetKeyboardFocusHere();
        }
        ImGui::SetNextItemWidth(-1);
        ImGui::InputTextWithHint("##filter", "Search id, title or text", &m_picker_filter);
        app.record("pick-filter");
        if (allow_none && ImGui::Selectable("(none)", current.empty())) {
            out.clear();
            picked = true;
        }
        const std::string q = lower(m_picker_filter);
        int shown = 0;
        for (const node& n : t.nodes) {
            if (!node_matches(n, q)) continue;
            if (++shown > 300) {
                ImGui::TextDisabled("... refine the search");
                break;
            }
            ImGui::PushID(n.id.c_str());
            kind_badge(n.kind, ImGui::GetTextLineHeight() * 0.9f);
            ImGui::SameLine();
            const std::string text = n.title.empty() ? n.id : n.id + "  \xC2\xB7  " + n.title;
            if (ImGui::Selectable(text.c_str(), n.id == current)) {
                out = n.id;
                picked = true;
            }
            app.record("pick-item:" + n.id);
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    return picked;
}

// [SECTION] tree

void inspector_view::draw_tree(editor_app& app) {
    const tree& t = app.doc().current();
    const ui::font_set& fonts = app.fonts();
    ImGui::PushFont(fonts.heading);
    ImGui::TextUnformatted("Tree");
    ImGui::PopFont();
    ImGui::PushStyleColor(ImGuiCol_Text, colours::muted);
    ImGui::TextWrapped("Nothing selected: these are the tree's own settings.");
    ImGui::PopStyleColor();
    ImGui::Spacing();

    const tree_header h = header_of(t);
    label(app, "Id (the file name)", "id");
    const edit_result id = text_input(app, "id", t.id);
    if (id.left && id.text != t.id) {
        tree_header changed = h;
        changed.id = id.text;
        apply(app, "id", id.text, set_tree_header(changed));
    }
    show_error("id", t.id, &app);

    label(app, "Title", "title");
    live_text(app, "title", t.title, [h](const std::string& v) {
        tree_header changed = h;
        changed.title = v;
        return set_tree_header(changed);
    });

    label(app, "Version", "version");
    int version = t.version;
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputInt("##version", &version) && version >= 1) {
        tree_header changed = h;
        changed.version = version;
        apply(app, "version", std::to_string(version), set_tree_header(changed));
    }
    if (ImGui::IsItemDeactivated()) app.doc().edits().seal();

    label(app, "Start node", "start");
    std::string start;
    if (target_picker(app, "start", t.start, start, false)) {
        tree_header changed = h;
        changed.start = start;
        apply(app, "start", start, set_tree_header(changed));
        app.doc().edits().seal();
    }

    bool allow_find = t.allow_find;
    if (ImGui::Checkbox("Allow find (Ctrl+F in the player)", &allow_find)) {
        tree_header changed = h;
        changed.allow_find = allow_find;
        apply(app, "allow-find", "", set_tree_header(changed));
        app.doc().edits().seal();
    }

    label(app, "Description", "description");
    live_text(
        app, "description", t.description,
        [h](const std::string& v) {
            tree_header changed = h;
            changed.description = v;
            return set_tree_header(changed);
        },
        true, fonts.size * 5);
    markdown_preview(t.description, fonts);

    ImGui::Spacing();
    ImGui::Separator();
    draw_variables(app);
    draw_node_problems(app, "");
}

// [SECTION] variables

void inspector_view::draw_variables(editor_app& app) {
    const tree& t = app.doc().current();
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted("Variables");
    ImGui::PopFont();
    if (t.variables.empty()) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(colours::muted, "None yet. Variables hold what the agent captures.");
        ImGui::PopTextWrapPos();
    }
    for (std::size_t i = 0; i < t.variables.size(); ++i) {
        const variable v = t.variables[i];  // a copy: commands below replace the list
        const std::string f = "var." + std::to_string(i);
        ImGui::PushID(static_cast<int>(i));
        ImGui::Separator();
        label(app, "Name (renames every use)", "name", static_cast<int>(i));
        const edit_result name = text_input(app, f + ".name", v.name);
        if (name.left && name.text != v.name && !name.text.empty()) apply(app, f + ".name", name.text, rename_variable(v.name, name.text));
        show_error(f + ".name", v.name, &app);

        label(app, "Type", "type", static_cast<int>(i));
        int type = static_cast<int>(v.type);
        ImGui::SetNextItemWidth(-1);
        if (ImGui::Combo("##type", &type, var_types, static_cast<int>(std::size(var_types))) && type != static_cast<int>(v.type)) {
            variable changed = v;
            changed.type = static_cast<var_type>(type);
            changed.default_text.reset();
            changed.default_value.reset();
            if (changed.type == var_type::choice && changed.options.empty()) changed.options = {"yes", "no"};
            if (changed.type != var_type::choice) changed.options.clear();
            apply(app, f + ".type", "", set_variable(v.name, changed));
            app.doc().edits().seal();
        }
        app.record("field:" + f + ".type");
        show_error(f + ".type");

        if (v.type == var_type::choice) {
            label(app, "Options (space separated)", "options", static_cast<int>(i));
            live_text(app, f + ".options", join_words(v.options), [v](const std::string& text) {
                variable changed = v;
                changed.options = split_words(text);
                return set_variable(v.name, changed);
            });
        }
        label(app, "Default", "default", static_cast<int>(i));
        live_text(app, f + ".default", v.default_text.value_or(""), [v](const std::string& text) {
            variable changed = v;
            if (text.empty()) {
                changed.default_text.reset();
                changed.default_value.reset();
            } else {
                changed.default_text = text;
                changed.default_value = v.type == var_type::date && !parse_iso_day(text)
                                            ? std::nullopt
                                            : parse_value(v.type, text);
            }
            return set_variable(v.name, changed);
        }, false, 0, "(no default)");
        label(app, "Label (shown to agents)", "label", static_cast<int>(i));
        live_text(app, f + ".label", v.label, [v](const std::string& text) {
            variable changed = v;
            changed.label = text;
            return set_variable(v.name, changed);
        }, false, 0, v.name.c_str());
        bool is_private = v.is_private;
        if (ImGui::Checkbox("Private (the log never records its value)", &is_private)) {
            variable changed = v;
            changed.is_private = is_private;
            apply(app, f + ".private", "", set_variable(v.name, changed));
            app.doc().edits().seal();
        }
        app.record("field:" + f + ".private");
        ImGui::Spacing();  // the button is not read as part of the checkbox's line
        if (small_button(app, "Remove variable##" + f)) {
            app.run(remove_variable(v.name));
            ImGui::PopID();
            return;  // the list changed under us
        }
        ImGui::PopID();
    }
    ImGui::Separator();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.45f);
    ImGui::InputTextWithHint("##newvar", "new variable name", &m_new_var);
    app.record("field:new-variable");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
    ImGui::Combo("##newvartype", &m_new_var_type, var_types, static_cast<int>(std::size(var_types)));
    ImGui::SameLine();
    if (ImGui::Button("Add")) {
        variable v;
        v.name = m_new_var;
        v.type = static_cast<var_type>(m_new_var_type);
        if (v.type == var_type::choice) v.options = {"yes", "no"};
        if (app.run(add_variable(v))) m_new_var.clear();
    }
    app.record("Add variable");
}

// [SECTION] node

void inspector_view::draw_node_problems(editor_app& app, const std::string& node_id) {
    bool header = false;
    for (const diagnostic& d : app.doc().problems()) {
        if (d.node_id != node_id || d.level == severity::info) continue;
        if (!header) {
            ImGui::Spacing();
            ImGui::Separator();
            ImGui::PushFont(app.fonts().bold);
            ImGui::TextUnformatted("Problems here");
            ImGui::PopFont();
            header = true;
        }
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(severity_colour(d.level), "%s", d.message.c_str());
        ImGui::PopTextWrapPos();
    }
}

void inspector_view::draw_node(editor_app& app, const node& n) {
    const ui::font_set& fonts = app.fonts();
    const std::string id = n.id;  // commands below may invalidate `n`

    kind_badge(n.kind, fonts.size * 1.2f);
    ImGui::SameLine();
    ImGui::PushFont(fonts.heading);
    ImGui::TextUnformatted(n.title.empty() ? n.id.c_str() : n.title.c_str());
    ImGui::PopFont();
    if (app.doc().current().start == id) {
        ImGui::TextColored(colours::ok, "The call starts here.");
    } else {
        if (ImGui::SmallButton("Make this the start")) {
            tree_header h = header_of(app.doc().current());
            h.start = id;
            app.run(set_tree_header(h));
            app.doc().edits().seal();
        }
        app.record("Make start");
    }
    ImGui::Spacing();

    label(app, "Id (renames every link to it)", "id");
    const edit_result renamed = text_input(app, "id", id);
    if (renamed.left && renamed.text != id) {
        if (apply(app, "id", renamed.text, rename_node(id, renamed.text))) {
            app.doc().edits().seal();
            app.doc().selection().select_only(renamed.text);  // the selection follows the node
            return;  // the node has a new id; draw it next frame
        }
    }
    show_error("id", id, &app);

    label(app, "Kind", "kind");
    int kind = static_cast<int>(n.kind);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##kind", kind_label(n.kind))) {
        for (const node_kind k : all_kinds) {
            const bool picked = ImGui::Selectable(kind_label(k), static_cast<int>(k) == kind);
            app.record(std::string("kind:") + kind_label(k));
            if (picked && k != n.kind) {
                // Only the first link survives a change of kind (none on an end or hand-off):
                // the answers and branches dropped are the author's work, so it is said.
                const std::size_t links = n.choices.size() + n.branches.size() + (n.otherwise.empty() ? 0 : 1) +
                                          (n.to.empty() ? 0 : 1);
                const std::size_t kept = k == node_kind::end || k == node_kind::escalate ? 0 : std::min<std::size_t>(links, 1);
                app.run(change_kind(id, k));
                app.doc().edits().seal();
                if (links > kept)
                    app.set_status(std::string("Kind changed to ") + kind_label(k) + ": " + std::to_string(links - kept) + " of its " +
                                   std::to_string(links) + " links " + (links - kept == 1 ? "was" : "were") +
                                   " dropped with their labels and conditions (Ctrl+Z brings them back)");
            }
        }
        ImGui::EndCombo();
    }
    app.record("field:kind");
    const node* current = app.doc().current().find(id);
    if (!current) return;
    const node& nd = *current;

    label(app, "Title", "title");
    live_text(app, "title", nd.title, [id](const std::string& v) { return set_node_property(id, node_property::title, v); },
              false, 0, id.c_str());

    if (nd.kind != node_kind::logic && nd.kind != node_kind::jump) {
        label(app, nd.kind == node_kind::escalate ? "Hand-off summary (Markdown, {variables})" : "Text (Markdown, {variables})",
              "text");
        live_text(app, "text", nd.text,
                  [id](const std::string& v) { return set_node_property(id, node_property::text, v); }, true,
                  fonts.size * 5.5f);
        markdown_preview(nd.text, fonts);
        label(app, "Hint (agent-only note)", "hint");
        live_text(app, "hint", nd.hint,
                  [id](const std::string& v) { return set_node_property(id, node_property::hint, v); }, true,
                  fonts.size * 2.8f);
    }
    ImGui::Spacing();

    std::string picked;
    switch (nd.kind) {
    case node_kind::question: draw_choices(app, nd); break;
    case node_kind::logic: draw_branches(app, nd); break;
    case node_kind::form:
        draw_fields(app, nd);
        [[fallthrough]];
    case node_kind::step:
        if (const node* again = app.doc().current().find(id)) {
            label(app, "Next", "to");
            if (target_picker(app, "to", again->to, picked, false)) {
                app.run(set_node_property(id, node_property::to, picked));
                app.doc().edits().seal();
            }
        }
        break;
    case node_kind::jump:
        label(app, "Tree to run (its id)", "tree");
        live_text(app, "tree", nd.tree_ref,
                  [id](const std::string& v) { return set_node_property(id, node_property::tree_ref, v); });
        label(app, "Then (after that tree ends; none = the call ends there)", "to");
        if (target_picker(app, "to", nd.to, picked, true)) {
            app.run(set_node_property(id, node_property::to, picked));
            app.doc().edits().seal();
        }
        break;
    case node_kind::escalate: {
        label(app, "Team", "team");
        live_text(app, "team", nd.team,
                  [id](const std::string& v) { return set_node_property(id, node_property::team, v); });
        label(app, "Priority", "priority");
        const std::string prio = nd.priority.empty() ? "normal" : nd.priority;
        ImGui::SetNextItemWidth(-1);
        if (ImGui::BeginCombo("##priority", prio.c_str())) {
            for (const char* p : priorities)
                if (ImGui::Selectable(p, prio == p) && prio != p) {
                    app.run(set_node_property(id, node_property::priority, p));
                    app.doc().edits().seal();
                }
            ImGui::EndCombo();
        }
        app.record("field:priority");
        break;
    }
    case node_kind::end:
        label(app, "Outcome (resolved, unresolved, callback, transferred...)", "outcome");
        live_text(app, "outcome", nd.outcome,
                  [id](const std::string& v) { return set_node_property(id, node_property::outcome, v); });
        break;
    }
    draw_node_problems(app, id);
}

// [SECTION] choices, branches, form fields

void inspector_view::draw_choices(editor_app& app, const node& n) {
    const std::string id = n.id;
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted("Answers");
    ImGui::PopFont();
    const std::size_t count = n.choices.size();
    for (std::size_t i = 0; i < count; ++i) {
        const node* now = app.doc().current().find(id);
        if (!now || i >= now->choices.size()) return;
        const choice c = now->choices[i];
        const int ci = static_cast<int>(i);
        const std::string f = "choice." + std::to_string(i);
        ImGui::PushID(ci);
        ImGui::Separator();
        ImGui::TextColored(colours::muted, "%zu.", i + 1);
        ImGui::SameLine();
        live_text(app, f + ".label", c.label,
                  [id, ci](const std::string& v) { return set_choice_label(id, ci, v); }, false, 0, "Answer label");
        label(app, "Goes to", "to", ci);
        std::string picked;
        if (target_picker(app, f + ".to", c.to, picked, true)) {
            app.run(set_choice_target(id, ci, picked));
            app.doc().edits().seal();
        }
        label(app, "Shown only if", "if", ci);
        expression_text(app, f + ".if", c.condition ? c.condition->source() : "", expression_kind::condition,
                        [id, ci](const std::string& v) { return set_choice_condition(id, ci, v); });
        label(app, "Then set", "set", ci);
        expression_text(app, f + ".set", c.set_source, expression_kind::assignments,
                        [id, ci](const std::string& v) { return set_choice_assignments(id, ci, v); });
        bool changed = false;
        if (small_button(app, "Remove##" + f)) changed = app.run(remove_choice(id, ci));
        if (i > 0) {
            ImGui::SameLine();
            if (small_button(app, "Up##" + f)) changed = app.run(move_choice(id, ci, ci - 1));
        }
        if (i + 1 < count) {
            ImGui::SameLine();
            if (small_button(app, "Down##" + f)) changed = app.run(move_choice(id, ci, ci + 1));
        }
        ImGui::PopID();
        if (changed) {
            m_drafts.clear();
            return;
        }
    }
    ImGui::Separator();
    if (ImGui::Button("+ Add answer")) app.run(add_choice(id, "New answer"));
    app.record("Add answer");
}

void inspector_view::draw_branches(editor_app& app, const node& n) {
    const std::string id = n.id;
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted("Branches (first that holds wins)");
    ImGui::PopFont();
    const std::size_t count = n.branches.size();
    for (std::size_t i = 0; i < count; ++i) {
        const node* now = app.doc().current().find(id);
        if (!now || i >= now->branches.size()) return;
        const branch b = now->branches[i];
        const int bi = static_cast<int>(i);
        const std::string f = "branch." + std::to_string(i);
        ImGui::PushID(bi);
        ImGui::Separator();
        label(app, "If", "if", bi);
        expression_text(app, f + ".if", b.condition.source(), expression_kind::condition,
                        [id, bi](const std::string& v) { return set_branch_condition(id, bi, v); });
        label(app, "Goes to", "to", bi);
        std::string picked;
        if (target_picker(app, f + ".to", b.to, picked, false)) {
            app.run(set_branch_target(id, bi, picked));
            app.doc().edits().seal();
        }
        bool changed = false;
        if (small_button(app, "Remove##" + f)) changed = app.run(remove_branch(id, bi));
        if (i > 0) {
            ImGui::SameLine();
            if (small_button(app, "Up##" + f)) changed = app.run(move_branch(id, bi, bi - 1));
        }
        if (i + 1 < count) {
            ImGui::SameLine();
            if (small_button(app, "Down##" + f)) changed = app.run(move_branch(id, bi, bi + 1));
        }
        ImGui::PopID();
        if (changed) {
            m_drafts.clear();
            return;
        }
    }
    ImGui::Separator();
    if (ImGui::Button("+ Add branch")) app.run(add_branch(id, "true"));
    app.record("Add branch");
    const node* now = app.doc().current().find(id);
    if (!now) return;
    label(app, "Otherwise", "otherwise");
    std::string picked;
    if (target_picker(app, "otherwise", now->otherwise, picked, true)) {
        app.run(set_otherwise(id, picked));
        app.doc().edits().seal();
    }
}

void inspector_view::draw_fields(editor_app& app, const node& n) {
    const std::string id = n.id;
    const tree& t = app.doc().current();
    ImGui::PushFont(app.fonts().bold);
    ImGui::TextUnformatted("Fields");
    ImGui::PopFont();
    const std::size_t count = n.fields.size();
    for (std::size_t i = 0; i < count; ++i) {
        const node* now = app.doc().current().find(id);
        if (!now || i >= now->fields.size()) return;
        const field fd = now->fields[i];
        const int fi = static_cast<int>(i);
        const std::string f = "field." + std::to_string(i);
        ImGui::PushID(fi);
        ImGui::Separator();
        ImGui::TextColored(colours::muted, "Field %zu", i + 1);
        label(app, "Variable", "var", fi);
        ImGui::SetNextItemWidth(-1);
        if (ImGui::BeginCombo("##var", fd.variable.empty() ? "(choose)" : fd.variable.c_str())) {
            for (const variable& v : t.variables) {
                if (ImGui::Selectable(v.name.c_str(), v.name == fd.variable) && v.name != fd.variable) {
                    field changed = fd;
                    changed.variable = v.name;
                    app.run(set_field(id, fi, changed));
                    app.doc().edits().seal();
                }
            }
            ImGui::EndCombo();
        }
        app.record("field:" + f + ".var");
        label(app, "Label", "label", fi);
        live_text(app, f + ".label", fd.label, [id, fi, fd](const std::string& v) {
            field changed = fd;
            changed.label = v;
            return set_field(id, fi, changed);
        });
        bool required = fd.required;
        if (ImGui::Checkbox("Required", &required)) {
            field changed = fd;
            changed.required = required;
            app.run(set_field(id, fi, changed));
            app.doc().edits().seal();
        }
        label(app, "Pattern (regex the whole input must match)", "pattern", fi);
        live_text(app, f + ".pattern", fd.pattern, [id, fi, fd](const std::string& v) {
            field changed = fd;
            changed.pattern = v;
            return set_field(id, fi, changed);
        }, false, 0, "(any text)");
        label(app, "Placeholder", "placeholder", fi);
        live_text(app, f + ".placeholder", fd.placeholder, [id, fi, fd](const std::string& v) {
            field changed = fd;
            changed.placeholder = v;
            return set_field(id, fi, changed);
        });
        bool changed = false;
        if (small_button(app, "Remove##" + f)) changed = app.run(remove_field(id, fi));
        if (i > 0) {
            ImGui::SameLine();
            if (small_button(app, "Up##" + f)) changed = app.run(move_field(id, fi, fi - 1));
        }
        if (i + 1 < count) {
            ImGui::SameLine();
            if (small_button(app, "Down##" + f)) changed = app.run(move_field(id, fi, fi + 1));
        }
        ImGui::PopID();
        if (changed) {
            m_drafts.clear();
            return;
        }
    }
    ImGui::Separator();
    if (ImGui::Button("+ Add field")) {
        field f;
        if (!t.variables.empty()) f.variable = t.variables.front().name;
        app.run(add_field(id, f));
    }
    app.record("Add field");
    ImGui::Spacing();
}

void inspector_view::draw(editor_app& app) {
    document& doc = app.doc();
    if (const auto& focus = doc.selection().focused()) {
        m_flash_field = focus->field;
        m_flash_index = focus->index;
        m_flash_until = ImGui::GetTime() + 1.6;
        m_scroll_to_flash = true;
        doc.selection().clear_focus();
    }
    const std::string primary = doc.selection().primary();
    const std::string scope = primary.empty() ? "#tree" : primary;
    if (scope != m_scope) {
        m_scope = scope;
        m_edit_key.clear();
    }
    m_items = items_of(doc.current(), primary);
    // Undo or an edit elsewhere: an error with no text of its own (a refused type or
    // switch) no longer describes the tree. Drafts of text are checked by their box.
    if (doc.generation() != m_seen_generation) {
        std::erase_if(m_drafts, [](const auto& d) { return !d.second.base; });
        m_seen_generation = doc.generation();
    }
    if (doc.selection().size() > 1) {
        ImGui::TextColored(colours::muted, "%zu nodes selected; showing the last one.", doc.selection().size());
        ImGui::Spacing();
    }
    ImGui::PushID(scope.c_str());
    if (primary.empty()) {
        draw_tree(app);
    } else if (const node* n = doc.current().find(primary)) {
        draw_node(app, *n);
    }
    ImGui::PopID();
}

}  // namespace signpost::editor
