#include "console.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/text.hpp"
#include "ui/soft_wrap.hpp"
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

// The lines the agent types, or the answers a script gave (--answers). Scripted answers
// stop at the first one refused: the answers after it were meant for other steps.
struct console_input {
    std::istream& in;
    bool scripted = false;
    std::vector<std::string> read;  // the lines read so far
    std::string refused;            // why a scripted answer was refused ("" while none was)
    std::size_t refused_line = 0;   // which (1-based)
};

// One line of input, or false when input ended or a stop signal came (looked at before
// blocking too: a signal that arrived while the player was busy has no read to interrupt),
// or a scripted answer was refused.
bool read_line(console_input& in, std::string& line) {
    if (ui::stop_signal() || !in.refused.empty()) return false;
    if (!std::getline(in.in, line)) return false;
    in.read.push_back(line);
    return true;
}

// Says why an input did nothing: the last line read, or `line` (1-based) when it was read
// earlier (a form's field, refused when the whole form is submitted). Scripted answers stop.
void refuse(console_input& in, std::ostream& out, const std::string& why, std::string_view mark = "! ",
            std::size_t line = 0) {
    out << mark << neutralise_controls(why) << '\n';
    if (!in.scripted || !in.refused.empty()) return;
    in.refused = why;
    in.refused_line = line != 0 ? line : in.read.size();
}

// Prints `text` line by line, the first line after `first`, the others after as many
// spaces (so a multi-line agent note is marked once), blank lines bare. With `columns`
// (a terminal's width) the lines are wrapped to it between words, so the terminal does
// not cut them mid-word at its edge; Chinese and Japanese between characters.
void indent(std::ostream& out, const std::string& text, std::size_t columns, std::string_view first = "") {
    const std::string rest(first.size(), ' ');
    std::string shown = text;
    if (columns > 0) {
        const std::size_t room = std::max<std::size_t>(columns > first.size() + 1 ? columns - first.size() - 1 : 0, 20);
        shown = ui::wrap_text(text, static_cast<float>(room), [](char32_t c) {
                    return static_cast<float>(display_width(c));
                }).shown;
    }
    std::size_t start = 0;
    while (start <= shown.size()) {
        std::size_t nl = shown.find('\n', start);
        if (nl == std::string::npos) nl = shown.size();
        const std::string_view line = std::string_view(shown).substr(start, nl - start);
        if (!line.empty()) out << (start == 0 ? std::string(first) : rest) << line;
        out << '\n';
        start = nl + 1;
    }
}

// Shows the step the call is on. `arrived`: the first time since the call came to it, so the
// sub-script ends passed on the way are said once, not again after each refused command.
void show(const player_app& app, std::ostream& out, std::size_t columns, bool arrived = true) {
    const view& v = app.call().current();
    if (!v.node_ptr) return;
    // Sub-script ends passed on the way here: their text is still to be said.
    if (arrived) for (const passed_end& p : v.passed) {
        out << "\n-- " << terminal_text(p.tree_title) << ": " << terminal_text(p.title) << " --\n";
        if (!p.text.empty()) indent(out, terminal_text(p.text), columns);
        if (!p.hint.empty()) indent(out, terminal_text(p.hint), columns, "  (agent note) ");
    }
    out << "\n== " << terminal_text(v.title) << " ==\n";
    if (!v.text.empty()) indent(out, terminal_text(v.text), columns);
    if (!v.hint.empty()) indent(out, terminal_text(v.hint), columns, "  (agent note) ");
    if (!v.stuck.empty()) out << "! The script cannot go on: " << neutralise_controls(v.stuck) << "\n  b = back, q = end call\n";
    switch (v.node_ptr->kind) {
    case node_kind::question:
        for (std::size_t i = 0; i < v.choices.size(); ++i)
            indent(out, terminal_text(v.choices[i].label), columns, "  " + std::to_string(i + 1) + ") ");
        break;
    case node_kind::step:
        out << "  [Enter] continue\n";
        break;
    case node_kind::escalate:
        // What the window's end screen says first: who takes the call over, how urgently.
        out << "  Hand off to " << neutralise_controls(v.node_ptr->team) << ", priority "
            << neutralise_controls(v.node_ptr->priority) << '\n';
        break;
    default:
        break;
    }
    if (!app.notice().empty()) out << "note: " << neutralise_controls(app.notice()) << '\n';
    if (const std::string w = app.log_warning(); !w.empty()) out << "warning: log: " << neutralise_controls(w) << '\n';
}

const char* help_text =
    "commands: NUMBER choose, Enter continue, b back, r restart, n NOTE add a note, "
    "g STEP go to a step by id or title words (if allowed), q [REASON] end the call, ? help\n"
    "in a form: type each value; Enter keeps the value shown in [ ], - clears it; "
    ":b :r :n :g :q :? are the commands above\n"
    "Alt+Left then Enter goes back anywhere, in a form too (what was typed on that line is kept "
    "for when the call comes back to the form)\n";

// The line ends with Alt+Left, the window's Back key, as terminals send it (xterm, VTE,
// tmux: ESC [1;3D; rxvt: ESC ESC [D): the text typed before it, else nullopt.
std::optional<std::string> before_alt_left(const std::string& line) {
    for (const std::string_view key : {"\x1b[1;3D", "\x1b\x1b[D", "\x1b\x1bOD"})
        if (line.ends_with(key)) return trim(line.substr(0, line.size() - key.size()));
    return std::nullopt;
}

// A line typed with the arrow keys (or Home, Delete...) in it: the terminal does not move
// the cursor for a line read whole, it adds the keys' escape codes to the line.
bool has_key_codes(const std::string& line) { return line.find('\x1b') != std::string::npos; }
const char* key_codes_refused =
    "the line has arrow or other special keys in it: they do not move the cursor here (the line is "
    "read whole at Enter) and were not kept; type it again (Ctrl+U clears a line)";

// `line` with full-width digits (U+FF10-FF19, what a Japanese input method types) as ASCII.
std::string ascii_digits(std::string line) {
    for (std::size_t at = line.find("\xEF\xBC"); at != std::string::npos; at = line.find("\xEF\xBC", at + 1)) {
        const auto last = static_cast<unsigned char>(at + 2 < line.size() ? line[at + 2] : 0);
        if (last >= 0x90 && last <= 0x99) line.replace(at, 3, 1, static_cast<char>('0' + (last - 0x90)));
    }
    return line;
}

// The choice number typed: digits only (no sign, no trailing text), or nullopt.
std::optional<int> choice_number(std::string line) {
    line = ascii_digits(std::move(line));
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

// Adds a typed note, saying so, or why not. A refused note is not kept for later: it is
// still on the terminal to shorten.
void add_note(player_app& app, const std::string& text, console_input& in, std::ostream& out) {
    app.note_draft = text;
    if (!app.add_note()) {
        app.note_draft.clear();
        refuse(in, out, app.note_error);
    } else if (!text.empty()) {
        out << "  (note added)\n";
    }
}

// Asks a yes/no question; true only for an answer starting with y (the default is no).
// `ended` is set when the input ended instead.
bool confirm(console_input& in, std::ostream& out, const std::string& question, bool& ended) {
    out << question << " (y/N): " << std::flush;
    std::string line;
    ended = !read_line(in, line);
    line = trim(line);
    return !ended && !line.empty() && (line[0] == 'y' || line[0] == 'Y');
}

// `g QUERY`: the step named by id, else the steps whose title holds the query, else those
// whose text does (player_app::find_steps). One goes (a step that ends the call after
// asking); several are listed with the ids that pick one.
command_result go_to_step(player_app& app, const std::string& query, console_input& in, std::ostream& out) {
    const tree* t = app.call().current().tree_ptr;
    if (query.empty()) {
        app.action_error = "g needs a step: its id, or words of its title";
        return command_result::done;
    }
    if (t != nullptr && !t->allow_find && app.call().current().jump_depth > 0) {
        // As the window says it: the sub-script on screen forbids it, not the script.
        app.action_error = "find is not available in this part of the call: '" + terminal_text(t->title.empty() ? t->id : t->title) +
                           "' does not allow jumping to a step. Finish it first; the call then goes back to '" +
                           terminal_text(app.script().title) + "'";
        return command_result::done;
    }
    if (t == nullptr || !t->allow_find) {
        app.go_to(query);  // the session says why it cannot
        return command_result::done;
    }
    std::vector<const node*> found;
    if (const node* exact = t->find(query)) {
        found.push_back(exact);
    } else {
        found = app.find_steps(query);
        const std::string q = lower_ascii(query);
        std::vector<const node*> by_title;
        for (const node* n : found)
            if (lower_ascii(n->title).find(q) != std::string::npos) by_title.push_back(n);
        if (!by_title.empty()) found = std::move(by_title);
    }
    if (found.empty()) {
        app.action_error = "no step's id, title or text holds '" + query + "'";
        return command_result::done;
    }
    const auto described = [&](const node& n) {
        std::string s = terminal_text(n.title.empty() ? n.id : n.title);
        if (n.kind == node_kind::escalate) s += " (hands off to " + neutralise_controls(n.team) + ")";
        else if (n.kind == node_kind::end) s += app.ends_call(n) ? " (ends the call)" : " (returns to the calling script)";
        return s;
    };
    if (found.size() > 1) {
        out << found.size() << " steps match; go to one with g and its id:\n";
        constexpr std::size_t shown = 12;
        for (std::size_t i = 0; i < found.size() && i < shown; ++i)
            out << "  g " << found[i]->id << "   " << described(*found[i]) << '\n';
        if (found.size() > shown) out << "  ... and " << (found.size() - shown) << " more: add words to narrow it\n";
        // Nothing moved: a script's next answers were meant for the step it named.
        if (in.scripted) refuse(in, out, "'g " + query + "' matches " + std::to_string(found.size()) + " steps, not one");
        return command_result::done;
    }
    const node& n = *found.front();
    if (app.ends_call(n)) {
        bool ended = false;
        if (!confirm(in, out, "Go to " + described(n) + "?", ended))
            return ended ? command_result::input_ended : command_result::done;
    }
    app.go_to(n.id);
    return command_result::done;
}

// Runs one of the letter commands (command_of(line) != 0).
command_result run_command(player_app& app, const std::string& line, console_input& in, std::ostream& out) {
    const std::string rest = trim(line.substr(1));
    switch (command_of(line)) {
        case '?':
        case 'h': out << help_text; break;
        case 'b': app.back(); break;
        case 'r': {
            // As in the window: a slip of one key must not throw the call's answers away.
            bool ended = false;
            if (confirm(in, out, "Start over from the first step? The answers so far are cleared; notes stay", ended))
                app.restart();
            if (ended) return command_result::input_ended;
            break;
        }
        case 'n': {
            std::string text = rest;
            if (text.empty()) {
                out << "note: " << std::flush;
                if (!read_line(in, text)) return command_result::input_ended;
            }
            add_note(app, trim(text), in, out);
            break;
        }
        case 'g': return go_to_step(app, rest, in, out);
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
form_result fill_form(player_app& app, console_input& in, std::ostream& out) {
    bool retry = false;
    std::map<std::string, std::size_t> answered_on;  // the input line each field's value came from
    for (;;) {
        // By index, with a copy: a note or help in between may rebuild the view.
        for (std::size_t i = 0; i < app.call().current().fields.size(); ++i) {
            const view_field f = app.call().current().fields[i];
            // On a retry only the fields that were refused are asked again.
            if (retry && app.field_error_for(f.variable).empty()) continue;
            for (;;) {
                out << terminal_text(f.label) << (f.required ? " *" : "") << (f.is_private ? " (private: not logged)" : "");
                if (f.type == var_type::choice) {
                    out << " (";
                    for (std::size_t i = 0; i < f.options.size(); ++i)
                        out << (i ? "/" : "") << neutralise_controls(f.options[i]);
                    out << ")";
                } else if (f.type == var_type::flag) {
                    out << " (yes/no)";
                } else if (f.type == var_type::date && f.placeholder.empty()) {
                    out << " (e.g. 24 Dec, friday, tomorrow, 2026-12-24)";
                }
                const std::string current = app.form_inputs[f.variable];
                if (!current.empty()) {
                    out << " [" << neutralise_controls(current) << "]";
                } else {
                    if (!f.placeholder.empty()) out << " (" << neutralise_controls(f.placeholder) << ")";
                    if (!f.default_value.empty()) out << " (left empty: " << neutralise_controls(shown_as_asked(f.type, f.default_value)) << ")";
                }
                out << ": " << std::flush;
                std::string line;
                if (!read_line(in, line)) return form_result::input_ended;
                line = trim(line);
                // Alt+Left: Back, with what was typed before it on the line kept as the
                // field's typing (shown again when the call comes back to the form).
                if (const auto typed = before_alt_left(line)) {
                    if (*typed == "-") app.form_inputs[f.variable].clear();
                    else if (has_key_codes(*typed)) out << "! " << key_codes_refused << '\n';
                    else if (!typed->empty()) app.form_inputs[f.variable] = *typed;
                    line = ":b";
                } else if (has_key_codes(line)) {
                    refuse(in, out, key_codes_refused);
                    if (!in.refused.empty()) return form_result::input_ended;
                    continue;
                }
                std::string command_line = line.size() > 1 && line[0] == ':' && command_of(line.substr(1)) ? line.substr(1) : "";
                // "b" or "q caller hung up" typed out of habit: asked, not kept as the value
                // unsaid. Yes/no fields and a choice's own options are values.
                const bool is_option = std::any_of(f.options.begin(), f.options.end(),
                                                   [&](const std::string& o) { return lower_ascii(o) == lower_ascii(line); });
                if (command_line.empty() && command_of(line) && f.type != var_type::flag && !is_option) {
                    bool ended = false;
                    const bool value = confirm(in, out, "'" + neutralise_controls(line) + "' is the command :" + line.substr(0, 1) +
                                                            " outside a form. Keep it as the value instead", ended);
                    if (ended) return form_result::input_ended;
                    if (!value) command_line = line;
                }
                if (const char command = command_line.empty() ? 0 : command_of(command_line)) {
                    app.action_error.clear();
                    if (run_command(app, command_line, in, out) == command_result::input_ended)
                        return form_result::input_ended;
                    if (!app.action_error.empty()) refuse(in, out, app.action_error);
                    if (!in.refused.empty()) return form_result::input_ended;
                    // Help and notes ask this field again. Anything else may have moved the
                    // call (restart or find can land on this same form): start over from it.
                    if (command == '?' || command == 'h' || command == 'n') continue;
                    return form_result::left;
                }
                if (line == "-") app.form_inputs[f.variable].clear();
                else if (!line.empty()) app.form_inputs[f.variable] = line;
                answered_on[f.variable] = in.read.size();
                // "friday" is read back as the day it is, "pl" as the option it completes
                // to, as the window shows them.
                if (f.type == var_type::date && !line.empty() && line != "-")
                    if (const std::string reading = app.date_reading(line); reading.rfind("taken as", 0) == 0)
                        out << "  " << reading << '\n';
                if ((f.type == var_type::choice || f.type == var_type::flag) && !line.empty() && line != "-")
                    if (const std::string taken = complete_input(f, line); taken != line)
                        out << "  taken as " << neutralise_controls(taken) << '\n';
                break;
            }
        }
        app.submit();
        if (app.field_errors.empty() && app.action_error.empty()) return form_result::submitted;
        for (const field_error& e : app.field_errors) {
            // Named as the form shows the field, not by its variable.
            std::string name = e.variable;
            for (const view_field& f : app.call().current().fields)
                if (f.variable == e.variable) name = terminal_text(f.label);
            refuse(in, out, name + ": " + e.message, "  ! ", answered_on[e.variable]);
        }
        if (!app.action_error.empty()) refuse(in, out, app.action_error, "  ! ");
        if (!in.refused.empty()) return form_result::input_ended;
        retry = !app.field_errors.empty();
    }
}

// After-call work: notes until an empty line (or the end of the input).
void after_call_notes(player_app& app, console_input& in, std::ostream& out) {
    out << "\nThe call is over. n NOTE adds an after-call note; an empty line finishes.\n";
    for (;;) {
        out << "> " << std::flush;
        std::string line;
        if (!read_line(in, line)) return;
        line = trim(line);
        if (line.empty()) return;
        if (line.size() > 1 && line[0] == ':') line.erase(0, 1);
        if (command_of(line) == 'n' && !trim(line.substr(1)).empty()) {
            add_note(app, trim(line.substr(1)), in, out);
        } else {
            refuse(in, out, "the call is over: n NOTE adds a note, an empty line finishes");
            if (!in.refused.empty()) return;
        }
    }
}

}  // namespace

int run_console(player_app& app, std::istream& lines, std::ostream& out, std::size_t columns, bool scripted) {
    console_input in{lines, scripted, {}, {}, 0};
    out << neutralise_controls(app.script().title) << " (version " << app.script().version << ")\n" << help_text;
    bool input_ended = false;
    std::uint64_t shown_generation = 0;  // drafts_generation when the step was last shown
    bool reminded = false;               // an empty line at a question was answered in one line
    while (!app.call().finished() && !input_ended) {
        if (!reminded) show(app, out, columns, app.drafts_generation() != shown_generation);
        reminded = false;
        shown_generation = app.drafts_generation();
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
        // The form's ":b" spelling works here too, and so does Alt+Left.
        if (line.size() > 1 && line[0] == ':' && command_of(line.substr(1))) line.erase(0, 1);
        if (before_alt_left(line)) line = "b";
        app.action_error.clear();
        if (has_key_codes(line)) {
            app.action_error = key_codes_refused;
        } else if (line.empty() && v.node_ptr && v.node_ptr->kind == node_kind::question && !v.choices.empty()) {
            // Enter alone (a habit from steps) does not scroll the whole question past again.
            out << "  type a choice's number, 1" << (v.choices.size() > 1 ? "-" + std::to_string(v.choices.size()) : "")
                << " (b back, ? help)\n";
            reminded = true;
        } else if (line.empty() || line == "c") {
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
        if (!app.action_error.empty()) refuse(in, out, app.action_error);
        if (!in.refused.empty()) input_ended = true;
    }
    // A stop signal interrupts the read waiting for input; the call ends for that reason.
    const int signal = ui::stop_signal();
    // The log keeps why, never what was typed (a private field's value, a note refused for its
    // size); the terminal shows the answer too.
    const auto refusal = [&in] {
        return in.refused.empty() ? std::string{}
                                  : "scripted answer " + std::to_string(in.refused_line) + " was refused: " + in.refused;
    };
    std::string refused = refusal();
    if (input_ended && !app.call().finished()) {
        app.end_reason = signal    ? std::string("the player was stopped (") + ui::stop_signal_name(signal) + ")"
                         : !refused.empty() ? refused
                                            : std::string("input ended before the call finished");
        app.end_call();
    }
    // The end or hand-off step says what to tell the caller: it is shown before the transcript
    // (an abandoned call's last step is not: it was never done).
    if (app.call().finished() && app.call().status() != session_status::abandoned) show(app, out, columns);
    if (!input_ended) after_call_notes(app, in, out);
    if (refused.empty()) refused = refusal();  // an after-call line that was not a note
    if (!refused.empty()) {
        const std::string typed = trim(in.read[in.refused_line - 1]);
        out << "! stopped: answer " << in.refused_line << " ('"
            << neutralise_controls(typed.size() > 60 ? typed.substr(0, 57) + "..." : typed)
            << "') was refused: " << neutralise_controls(in.refused) << '\n';
    } else if (in.scripted && !input_ended) {
        // Answers past the end of the call were meant for steps it never reached.
        std::size_t left = 0;
        for (std::string line; std::getline(in.in, line);)
            if (!trim(line).empty()) ++left;
        if (left > 0) {
            out << "! stopped: " << left << " answer" << (left == 1 ? " was" : "s were")
                << " left over after the call ended\n";
            refused = "answers left over";
        }
    }
    out << "\n--- transcript ---\n" << neutralise_controls(app.call().transcript()) << '\n';
    if (input_ended && signal) return 128 + signal;
    if (!refused.empty()) return 5;
    return input_ended ? 3 : 0;
}

}  // namespace signpost::player
