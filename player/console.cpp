#include "console.hpp"

#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include "signpost/text.hpp"
#include "ui/stop_signal.hpp"

namespace signpost::player {

std::string terminal_text(std::string_view markdown) { return neutralise_controls(markdown_to_plain(markdown)); }

namespace {

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

// One line of input, or false when input ended or a stop signal came (looked at before
// blocking too: a signal that arrived while the player was busy has no read to interrupt).
bool read_line(std::istream& in, std::string& line) {
    if (ui::stop_signal()) return false;
    return static_cast<bool>(std::getline(in, line));
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
    // Sub-script ends passed on the way here: their text is still to be said.
    for (const passed_end& p : v.passed) {
        out << "\n-- " << terminal_text(p.tree_title) << ": " << terminal_text(p.title) << " --\n";
        if (!p.text.empty()) indent(out, terminal_text(p.text), "");
        if (!p.hint.empty()) indent(out, terminal_text(p.hint), "  (agent note) ");
    }
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
    "g NODE go to (if allowed), q [REASON] end the call, ? help\n"
    "in a form: type each value; Enter keeps the value shown in [ ], - clears it; "
    ":b :r :n :g :q :? are the commands above\n";

// The choice number typed: digits only (no sign, no trailing text), or nullopt.
std::optional<int> choice_number(const std::string& line) {
    if (line.empty() || line.size() > 9) return std::nullopt;
    int n = 0;
    const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), n);
    if (ec != std::errc{} || end != line.data() + line.size() || line[0] == '+' || line[0] == '-') return std::nullopt;
    return n;
}

// The command letter of `line` ("b", "n text", "q reason"...) when it is one, else 0.
char command_of(const std::string& line) {
    if (line.empty() || std::string_view("?hbrngq").find(line[0]) == std::string_view::npos) return 0;
    if (line.size() > 1 && line[1] != ' ') return 0;
    return line[0];
}

enum class command_result { done, input_ended };

// Runs one of the letter commands (command_of(line) != 0).
command_result run_command(player_app& app, const std::string& line, std::istream& in, std::ostream& out) {
    const std::string rest = trim(line.substr(1));
    switch (command_of(line)) {
        case '?':
        case 'h': out << help_text; break;
        case 'b': app.back(); break;
        case 'r': app.restart(); break;
        case 'n': {
            std::string text = rest;
            if (text.empty()) {
                out << "note: " << std::flush;
                if (!read_line(in, text)) return command_result::input_ended;
            }
            app.note_draft = trim(text);
            app.add_note();
            break;
        }
        case 'g':
            if (rest.empty()) app.action_error = "g needs the id of the step to go to";
            else app.go_to(rest);
            break;
        case 'q':
            app.end_reason = rest;
            app.end_call();
            break;
        default: break;
    }
    return command_result::done;
}

enum class form_result { submitted, left, input_ended };

// Asks for each field of the form in turn. A line ":CMD" runs a command instead; one that
// moves the call (back, restart, go to, end) leaves the form.
form_result fill_form(player_app& app, std::istream& in, std::ostream& out) {
    bool retry = false;
    for (;;) {
        // By index, with a copy: a note or help in between may rebuild the view.
        for (std::size_t i = 0; i < app.call().current().fields.size(); ++i) {
            const view_field f = app.call().current().fields[i];
            // On a retry only the fields that were refused are asked again.
            if (retry && app.field_error_for(f.variable).empty()) continue;
            for (;;) {
                out << terminal_text(f.label) << (f.required ? " *" : "");
                if (f.type == var_type::choice) {
                    out << " (";
                    for (std::size_t i = 0; i < f.options.size(); ++i)
                        out << (i ? "/" : "") << neutralise_controls(f.options[i]);
                    out << ")";
                } else if (f.type == var_type::flag) {
                    out << " (yes/no)";
                }
                const std::string current = app.form_inputs[f.variable];
                if (!current.empty()) out << " [" << neutralise_controls(current) << "]";
                out << ": " << std::flush;
                std::string line;
                if (!read_line(in, line)) return form_result::input_ended;
                line = trim(line);
                if (const char command = line.size() > 1 && line[0] == ':' ? command_of(line.substr(1)) : 0) {
                    app.action_error.clear();
                    if (run_command(app, line.substr(1), in, out) == command_result::input_ended)
                        return form_result::input_ended;
                    if (!app.action_error.empty()) out << "! " << neutralise_controls(app.action_error) << '\n';
                    // Help and notes ask this field again. Anything else may have moved the
                    // call (restart or find can land on this same form): start over from it.
                    if (command == '?' || command == 'h' || command == 'n') continue;
                    return form_result::left;
                }
                if (line == "-") app.form_inputs[f.variable].clear();
                else if (!line.empty()) app.form_inputs[f.variable] = line;
                break;
            }
        }
        app.submit();
        if (app.field_errors.empty() && app.action_error.empty()) return form_result::submitted;
        for (const field_error& e : app.field_errors) out << "  ! " << neutralise_controls(e.variable) << ": " << neutralise_controls(e.message) << '\n';
        if (!app.action_error.empty()) out << "  ! " << neutralise_controls(app.action_error) << '\n';
        retry = !app.field_errors.empty();
    }
}

// After-call work: notes until an empty line (or the end of the input).
void after_call_notes(player_app& app, std::istream& in, std::ostream& out) {
    out << "\nThe call is over. n NOTE adds an after-call note; an empty line finishes.\n";
    for (;;) {
        out << "> " << std::flush;
        std::string line;
        if (!read_line(in, line)) return;
        line = trim(line);
        if (line.empty()) return;
        if (line.size() > 1 && line[0] == ':') line.erase(0, 1);
        if (command_of(line) == 'n' && !trim(line.substr(1)).empty()) {
            app.note_draft = trim(line.substr(1));
            app.add_note();
        } else {
            out << "! the call is over: n NOTE adds a note, an empty line finishes\n";
        }
    }
}

}  // namespace

int run_console(player_app& app, std::istream& in, std::ostream& out) {
    out << neutralise_controls(app.script().title) << " (version " << app.script().version << ")\n" << help_text;
    bool input_ended = false;
    while (!app.call().finished() && !input_ended) {
        show(app, out);
        const view& v = app.call().current();
        if (v.node_ptr && v.node_ptr->kind == node_kind::form && v.stuck.empty()) {
            input_ended = fill_form(app, in, out) == form_result::input_ended;
            continue;
        }
        out << "> " << std::flush;
        std::string line;
        if (!read_line(in, line)) {
            input_ended = true;
            break;
        }
        line = trim(line);
        // The form's ":b" spelling works here too.
        if (line.size() > 1 && line[0] == ':' && command_of(line.substr(1))) line.erase(0, 1);
        app.action_error.clear();
        if (line.empty() || line == "c") {
            if (v.node_ptr && v.node_ptr->kind == node_kind::step) app.next();
        } else if (command_of(line)) {
            input_ended = run_command(app, line, in, out) == command_result::input_ended;
        } else if (const auto n = choice_number(line)) {
            app.choose(*n - 1);
        } else if (std::isdigit(static_cast<unsigned char>(line[0]))) {
            app.action_error = "there is no choice " + line + ": type the number of one of the choices listed";
        } else {
            app.action_error = "unknown command '" + line + "'";
        }
        if (!app.action_error.empty()) out << "! " << neutralise_controls(app.action_error) << '\n';
    }
    // A stop signal interrupts the read waiting for input; the call ends for that reason.
    const int signal = ui::stop_signal();
    if (input_ended && !app.call().finished()) {
        app.end_reason = signal ? std::string("the player was stopped (") + ui::stop_signal_name(signal) + ")"
                                : std::string("input ended before the call finished");
        app.end_call();
    }
    // The end or hand-off step says what to tell the caller: it is shown before the transcript
    // (an abandoned call's last step is not: it was never done).
    if (app.call().finished() && app.call().status() != session_status::abandoned) show(app, out);
    if (!input_ended) after_call_notes(app, in, out);
    out << "\n--- transcript ---\n" << neutralise_controls(app.call().transcript()) << '\n';
    if (input_ended && signal) return 128 + signal;
    return input_ended ? 3 : 0;
}

}  // namespace signpost::player
