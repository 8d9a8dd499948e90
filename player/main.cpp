// signpost-player: the agent's window (or, with --console, the terminal walk).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <pwd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "console.hpp"
#include "player_app.hpp"
#include "player_view.hpp"
#include "ui/stop_signal.hpp"
#include "ui/window.hpp"

namespace {

std::string login_name() {
    if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_name) return pw->pw_name;
    if (const char* user = std::getenv("USER"); user && *user) return user;
    return "agent";
}

}  // namespace

int main(int argc, char** argv) {
    using namespace signpost;
    CLI::App cli{"Signpost player: walks an agent through a service script during a call."};
    player::player_options options;
    bool console = false;
    std::string answers, screenshot, after;
    cli.add_option("tree", options.tree_path, "The script to play (a tree XML file)")->required();
    auto* console_flag = cli.add_flag("--console", console, "Play in the terminal instead of a window");
    auto* answers_option =
        cli.add_option("--answers", answers,
                       "Console: answer with these inputs (comma-separated, e.g. 1,2,1; \\, is a comma inside an answer), print the transcript and exit");
    cli.add_option("--agent", options.agent, "Agent name recorded with each call (default: your login name)");
    cli.add_option("--library", options.library_dirs, "Folder of trees that jumps may run (repeat for more)")
        ->allow_extra_args(false)
        ->check(CLI::ExistingDirectory);
    cli.add_option("--log", options.log_path,
                   "Session log database (default: ~/.local/share/signpost/sessions.db; '-' records nothing)");
    // The window's options mean nothing in the console: refused rather than ignored.
    cli.add_option("--screenshot", screenshot, "Window: play --after, render, write this PNG and exit")
        ->excludes(console_flag)
        ->excludes(answers_option);
    cli.add_option("--after", after, "Keys to play before --screenshot, e.g. \"1,text:12345678,Enter,Alt+Left,Ctrl+R\" (Ctrl+, Shift+ and Alt+ "
                   "hold a key down; text:WORDS types, up to the next comma; \\, types a comma)")
        ->excludes(console_flag)
        ->excludes(answers_option);
    cli.footer("Exit status: 0 the call ended or the window was closed, 1 the tree cannot be played, 2 usage error "
               "or no window could be opened, 3 (console) the input ended before the call did (the call is "
               "recorded as abandoned), 4 the call ended but records of it could not be saved (neither the log nor "
               "its spill file could be written), 5 (--answers) an answer was refused or left over: the run stopped "
               "there and a call not over yet is recorded as abandoned, 128+N stopped by signal N (SIGTERM, SIGHUP, SIGINT: the open call "
               "is recorded as abandoned)");
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help arrives here too, with exit code 0; every usage error exits 2.
        return cli.exit(e) == 0 ? 0 : 2;
    }
    if (options.agent.empty()) options.agent = login_name();
    // A folder or a device (/dev/null to mean "record nothing") would be tried as a
    // database on every event, and a spill file put beside it.
    if (options.log_path != "-") {
        std::error_code ec;
        const auto status = std::filesystem::status(options.log_path, ec);
        if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
            std::fprintf(stderr, "signpost-player: --log: '%s' is %s, not a log file; give a file path, or '-' to record nothing\n",
                         options.log_path.c_str(), std::filesystem::is_directory(status) ? "a folder" : "a device or pipe");
            return 2;
        }
    }

    std::vector<ui::scripted_input> keys;
    if (!after.empty()) {
        std::string error;
        if (!ui::parse_scripted_inputs(after, keys, error)) {
            std::fprintf(stderr, "signpost-player: --after: %s\n", error.c_str());
            return 2;
        }
    }

    // Before the call starts: a SIGTERM (`kill`, a session manager) or Ctrl+C from then on
    // ends the open call as stopped instead of leaving it dangling.
    ui::catch_stop_signals(/*stop_ends_input=*/console);
    system_clock clk;
    player::player_app app(options, clk);
    if (auto error = app.start()) {
        std::fprintf(stderr, "%s", error->c_str());
        std::fprintf(stderr, "signpost-player: '%s' cannot be played; fix the errors above (signpost check shows them all)\n",
                     options.tree_path.c_str());
        return 1;
    }

    // --answers "" is an empty list of answers, still the console: never a window.
    const bool scripted = answers_option->count() > 0;
    // Records the log and its spill file both refused are lost at exit: said last, and the
    // exit status says so, so a script driving the player cannot take the run as recorded.
    const auto records_kept = [&app](int code) {
        if (const std::size_t lost = app.unsaved_log_records(); lost > 0) {
            std::fprintf(stderr,
                         "signpost-player: %zu record%s of this run could not be saved (%s); they are lost\n", lost,
                         lost == 1 ? "" : "s", app.log_warning().c_str());
            if (code == 0) return 4;
        }
        return code;
    };
    if (console || scripted) {
        if (scripted) {
            // Commas split the answers; "\," is a comma inside one (an address, say).
            std::string lines;
            for (std::size_t i = 0; i < answers.size(); ++i) {
                if (answers[i] == '\\' && i + 1 < answers.size() && answers[i + 1] == ',') lines += answers[++i];
                else lines += answers[i] == ',' ? '\n' : answers[i];
            }
            std::istringstream in(lines + "\n");
            return records_kept(player::run_console(app, in, std::cout, 0, /*scripted=*/true));
        }
        // Wrapped to the terminal's width; not when the output goes to a file or a pipe.
        winsize size{};
        const bool terminal = ::isatty(STDOUT_FILENO) == 1 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0;
        return records_kept(player::run_console(app, std::cin, std::cout, terminal ? size.ws_col : 0));
    }

    ui::window_options window;
    window.title = "Signpost \xE2\x80\x94 " + app.script().title;
    window.screenshot = screenshot;
    window.after = keys;
    window.on_stop = [&](int signal) {
        if (app.call().finished()) return;
        app.end_reason = std::string("the player was stopped (") + ui::stop_signal_name(signal) + ")";
        app.end_call();
    };
    player::player_view_state state;
    return records_kept(ui::run_window(
        window, [&](ui::frame_context& frame) { player::draw_player(app, state, frame.fonts); },
        [] { return true; }, "use --console to play in the terminal"));
}
