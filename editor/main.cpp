// signpost-editor: the tree editor window. Everything but the window loop is in editor/ui
// (editor_app) and editor/model, where tests reach it without a display.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "model/commands.hpp"
#include "ui/editor_app.hpp"
#include "ui/stop_signal.hpp"
#include "ui/window.hpp"

int main(int argc, char** argv) {
    using namespace signpost;
    // First thing: a stop signal during start-up is noticed by the first frame, after the
    // start-up edits (--auto-layout, --template) it would otherwise lose.
    ui::catch_stop_signals();
    CLI::App cli{"Signpost editor: draw, check and try out call-center decision trees."};
    editor::editor_options options;
    std::string screenshot, select, stats, after, starter;
    bool preview = false;
    bool auto_layout = false;
    cli.add_option("tree", options.tree_path, "The tree to open (a tree XML file); none = a new tree; a file not there yet = a new tree that Ctrl+S writes to it (under an id-like name if its own is no tree id, e.g. my-printer-jam.xml for \"My Printer Jam.xml\")");
    cli.add_option("--library", options.library_dirs, "Folder of trees that jumps may run (repeatable)")
        ->type_name("DIR")
        ->allow_extra_args(false);
    cli.add_option("--screenshot", screenshot, "Render the window once, write this PNG and exit");
    cli.add_option("--select", select, "Select this node at start");
    cli.add_flag("--preview", preview, "Start playing the tree in the Preview tab");
    cli.add_option("--stats", stats, "Open this session log's statistics at start");
    cli.add_option("--after", after, "Keys to play before --screenshot, e.g. \"Ctrl+O\" or \"Ctrl+A,Delete\"");
    std::string template_names;
    for (const auto& t : editor::starter_templates())
        template_names += (template_names.empty() ? "" : ", ") + std::string(t.name);
    cli.add_option("--template", starter, "Start a new tree from this starter template: " + template_names)
        ->type_name("NAME")
        ->excludes("tree");
    cli.add_flag("--auto-layout", auto_layout, "Lay the tree out automatically at start (an undoable edit)");
    cli.footer("Exit status: 0 the window was closed, 1 the --screenshot could not be written, 2 usage error or no "
               "window could be opened, 128+N stopped by signal N (SIGTERM, SIGHUP, SIGINT: unsaved edits are kept "
               "in the autosave and offered back at the next start)");
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help arrives here too, with exit code 0; every usage error exits 2.
        return cli.exit(e) == 0 ? 0 : 2;
    }
    std::vector<ui::scripted_input> keys;
    if (std::string error; !after.empty() && !ui::parse_scripted_inputs(after, keys, error)) {
        std::fprintf(stderr, "signpost-editor: --after: %s\n", error.c_str());
        return 2;
    }
    if (!screenshot.empty()) {
        options.autosave = false;         // a picture must not leave files behind
        options.remember_recent = false;
    }

    std::size_t starter_index = 0;
    if (!starter.empty()) {
        const auto starters = editor::starter_templates();
        while (starter_index < starters.size() && starters[starter_index].name != starter) ++starter_index;
        if (starter_index == starters.size()) {
            std::fprintf(stderr, "signpost-editor: --template: no template '%s'; the templates are: %s\n",
                         starter.c_str(), template_names.c_str());
            return 2;
        }
    }

    editor::editor_app app(options);
    app.start();
    if (starter_index > 0) app.new_document(starter_index);
    if (auto_layout) {
        app.run(editor::apply_auto_layout());
        app.canvas().request_fit();
    }
    if (!select.empty()) {
        if (!app.doc().current().find(select)) {
            std::fprintf(stderr, "signpost-editor: --select: no node '%s' in %s\n", select.c_str(),
                         app.doc().display_name().c_str());
            return 2;
        }
        app.select_and_show(select);
    }
    if (preview) {
        if (!app.preview().start(app)) std::fprintf(stderr, "signpost-editor: --preview: %s\n", app.preview().error().c_str());
        app.show_preview_tab();
    }
    if (!stats.empty()) app.open_statistics(stats);

    ui::window_options window;
    window.title = app.window_title();
    window.screenshot = screenshot;
    window.after = keys;
    window.font_size = 16.0f;
    window.on_stop = [&](int signal) {
        const std::string said = app.keep_edits_for_stop();
        if (!said.empty()) std::fprintf(stderr, "signpost-editor: %s: %s\n", ui::stop_signal_name(signal), said.c_str());
    };
    return ui::run_window(
        window,
        [&](ui::frame_context& frame) {
            app.draw(frame.fonts);
            frame.title = app.window_title();
            if (app.quit_requested()) frame.quit_requested = true;
        },
        [&] { return app.request_close(); }, "the editor needs a display (for pictures, run it under Xvfb)");
}
