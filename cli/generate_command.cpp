// `signpost generate-log`: a synthetic session log from agents walking a tree.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "signpost/library.hpp"
#include "signpost/load.hpp"
#include "signpost/log_generator.hpp"
#include "signpost/session_log.hpp"
#include "signpost/text.hpp"
#include "signpost/utc_time.hpp"
#include "signpost/validate.hpp"
#include "tree_files.hpp"

namespace fs = std::filesystem;

namespace signpost::cli {

namespace {

void error(const std::string& message) {
    fmt::print(stderr, "signpost generate-log: error: {}\n", neutralise_controls(message));
}

}  // namespace

int run_generate(const generate_options& o) {
    generator_options options;
    options.sessions = o.sessions;
    options.seed = o.seed;
    options.agents = o.agents;
    options.back_rate = o.back_rate;
    options.abandon_rate = o.abandon_rate;
    if (!o.start.empty()) {
        auto start = parse_utc_time(o.start);
        if (!start) {
            error(fmt::format("--start '{}' is not a date: use YYYY-MM-DD (UTC) or an ISO 8601 time", o.start));
            return exit_usage;
        }
        options.start_ms = *start;
    }

    std::string bytes;
    load_result loaded = load_tree_file(o.tree, &bytes);
    std::vector<std::string> folders{folder_of(o.tree)};
    folders.insert(folders.end(), o.libraries.begin(), o.libraries.end());
    tree_library library(folders);
    // As the player: a tree with errors (load or validation, across its jumps) does not run,
    // so calls through it could never be logged.
    diagnostics problems = loaded.problems;
    if (loaded.loaded) {
        library.add(loaded.loaded);
        for (diagnostic& d : validate_tree(*loaded.loaded, &library)) problems.push_back(std::move(d));
    }
    if (!loaded.loaded || has_errors(problems)) {
        for (const diagnostic& d : problems)
            if (d.level == severity::error) print_diagnostic(stderr, d);
        if (!has_errors(problems)) error(fmt::format("'{}' cannot be loaded as a tree", o.tree));
        return exit_problems;
    }
    std::shared_ptr<const tree> root = loaded.loaded;
    options.tree_hash = content_hash(bytes);

    // A generator must never mix made-up calls into a real log by accident.
    std::error_code ec;
    if (fs::exists(o.out, ec) && !o.append) {
        error(fmt::format("'{}' already exists: choose a new file, or give --append to add generated "
                          "sessions to it",
                          o.out));
        return exit_problems;
    }
    // Appended sessions whose ids the log has already (the same --seed again) are not
    // stored: counted before and after, so the summary never claims them.
    const auto sessions_in_log = [&o]() -> std::uint64_t {
        log_reader reader;
        std::uint64_t n = 0;
        if (!reader.open(o.out) || !reader.count_sessions({}, n)) return 0;
        return n;
    };
    const std::uint64_t before = o.append && fs::exists(o.out, ec) ? sessions_in_log() : 0;
    log_bulk_writer writer;
    if (auto opened = writer.open(o.out); !opened) {
        error(opened.error);
        return exit_problems;
    }
    progress_bar bar("Generating sessions", o.sessions, stderr_is_terminal() && o.sessions > 10'000);
    generator_summary summary;
    log_result written = generate_log(root, &library, options, writer, summary,
                                      [&bar](std::uint64_t done) { bar.update(done); });
    bar.finish();
    if (!written) {
        error(written.error);
        return exit_problems;
    }
    if (o.append) {
        const std::uint64_t after = sessions_in_log();
        const std::uint64_t added = after - std::min(before, after);
        if (added < summary.sessions) {
            error(fmt::format("{} of the {} generated sessions were already in '{}' (same --seed and tree), so only {} "
                              "were added; give another --seed to add new calls",
                              with_thousands(summary.sessions - added), with_thousands(summary.sessions),
                              neutralise_controls(o.out), with_thousands(added)));
            return exit_problems;
        }
    }
    fmt::print("Wrote {} sessions ({} events) of '{}' to {}\n", with_thousands(summary.sessions),
               with_thousands(summary.events), neutralise_controls(root->id), neutralise_controls(o.out));
    fmt::print("  completed {}, escalated {}, abandoned {}, player lost (no end recorded) {}\n", with_thousands(summary.completed),
               with_thousands(summary.escalated), with_thousands(summary.abandoned), with_thousands(summary.crashed));
    if (summary.finds > 0) fmt::print("  moves made with find: {}\n", with_thousands(summary.finds));
    if (summary.sessions > 0) {
        fmt::print("  calls from {} to {} UTC\n", format_utc_time(summary.first_started_ms),
                   format_utc_time(summary.last_started_ms));
    }
    if (summary.unfillable_forms > 0) {
        fmt::print("  {} calls were abandoned on a form no generated value could fill\n",
                   with_thousands(summary.unfillable_forms));
    }
    return exit_ok;
}

}  // namespace signpost::cli
