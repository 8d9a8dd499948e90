#include "console.hpp"

#include <cctype>
#include <cstdlib>
#include <string>

#include "signpost/text.hpp"

namespace signpost::player {

std::string terminal_text(std::string_view markdown) { return neutralise_controls(markdown_to_plain(markdown)); }

namespace {

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

void indent(std::ostream& out, const std::string& text, const char* prefix) {
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        out << prefix << text.substr(start, nl - start) << '\n';
        start = nl + 1;
    }
}

void show(const player_app& app, std::ostream& out) {
    const view& v = app.call().current();
    if (!v.node_ptr) return;
    out << "\n== " << terminal_text(v.title) << " ==\n";
    if (!v.text.empty()) indent(out, terminal_text(v.text), "");
    if (!v.hint.empty()) indent(out, terminal_text(v.hint), "  (agent note) ");
    if (!v.stuck.empty()) out << "! The script cannot go on: " << neutralise_controls(v.stuck) << "\n  b = back, q = end call\n";
    switch (v.node_ptr->kind) {
    case node_kind::question:
        for (std::size_t i = 0; i < v.choices.size(); ++i)
            out << "  " << (i + 1) << ") " << terminal_text(v.choices[i].label) << '\n';
        break;
    case node_kind::step:
        out << "  [Enter] continue\n";
        break;
    default:
        break;
    }
    if (!app.notice().empty()) out << "note: " << neutralise_controls(app.notice()) << '\n';
    if (const std::string w = app.log_warning(); !w.empty()) out << "warning: log: " << neutralise_controls(w) << '\n';
}

const char* help_text =
    "commands: NUMBER choose, Enter continue, b back, r restart, n NOTE add a note, "
    "g NODE go to (if allowed), q [REASON] end the call, ? help\n";

// Asks for each field of the form in turn; returns false when input ended.
bool fill_form(player_app& app, std::istream& in, std::ostream& out) {
    bool retry = false;
    for (;;) {
        const view& v = app.call().current();
        for (const view_field& f : v.fields) {
            // On a retry only the fields that were refused are asked again.
            if (retry && app.field_error_for(f.variable).empty()) continue;
            out << terminal_text(f.label) << (f.required ? " *" : "");
            if (f.type == var_type::choice) {
                out << " (";
                for (std::size_t i = 0; i < f.options.size(); ++i) out << (i ? "/" : "") << neutralise_controls(f.options[i]);
                out << ")";
            } else if (f.type == var_type::flag) {
                out << " (yes/no)";
            }
            const std::string current = app.form_inputs[f.variable];
            if (!current.empty()) out << " [" << neutralise_controls(current) << "]";
            out << ": " << std::flush;
            std::string line;
            if (!std::getline(in, line)) return false;
            line = trim(line);
            if (!line.empty()) app.form_inputs[f.variable] = line;
        }
        app.submit();
        if (app.field_errors.empty() && app.action_error.empty()) return true;
        for (const field_error& e : app.field_errors) out << "  ! " << neutralise_controls(e.variable) << ": " << neutralise_controls(e.message) << '\n';
        if (!app.action_error.empty()) out << "  ! " << neutralise_controls(app.action_error) << '\n';
        retry = !app.field_errors.empty();
    }
}

}  // namespace

int run_console(player_app& app, std::istream& in, std::ostream& out) {
    out << neutralise_controls(app.script().title) << " (version " << app.script().version << ")\n" << help_text;
    bool input_ended = false;
    while (!app.call().finished()) {
        show(app, out);
        const view& v = app.call().current();
        if (v.node_ptr && v.node_ptr->kind == node_kind::form && v.stuck.empty()) {
            if (!fill_form(app, in, out)) {
                input_ended = true;
                break;
            }
            continue;
        }
        out << "> " << std::flush;
        std::string line;
        if (!std::getline(in, line)) {
            input_ended = true;
            break;
        }
        line = trim(line);
        app.action_error.clear();
        if (line.empty() || line == "c") {
            if (v.node_ptr && v.node_ptr->kind == node_kind::step) app.next();
        } else if (line == "?" || line == "h") {
            out << help_text;
        } else if (line == "b") {
            app.back();
        } else if (line == "r") {
            app.restart();
        } else if (line[0] == 'n' && (line.size() == 1 || line[1] == ' ')) {
            std::string text = trim(line.substr(1));
            if (text.empty()) {
                out << "note: " << std::flush;
                if (!std::getline(in, text)) {
                    input_ended = true;
                    break;
                }
            }
            app.note_draft = trim(text);
            app.add_note();
        } else if (line[0] == 'g' && line.size() > 2 && line[1] == ' ') {
            app.go_to(trim(line.substr(2)));
        } else if (line[0] == 'q' && (line.size() == 1 || line[1] == ' ')) {
            app.end_reason = trim(line.substr(1));
            app.end_call();
        } else if (std::isdigit(static_cast<unsigned char>(line[0]))) {
            const int n = std::atoi(line.c_str());
            app.choose(n - 1);
        } else {
            app.action_error = "unknown command '" + line + "'";
        }
        if (!app.action_error.empty()) out << "! " << neutralise_controls(app.action_error) << '\n';
    }
    if (input_ended && !app.call().finished()) {
        app.end_reason = "input ended before the call finished";
        app.end_call();
    }
    out << "\n--- transcript ---\n" << neutralise_controls(app.call().transcript()) << '\n';
    return input_ended ? 3 : 0;
}

}  // namespace signpost::player
