#pragma once
// Synthetic session logs for demos, tests and benchmarks: agents walk a tree through real
// `session`s on a manual clock, with realistic dwell times, back presses, abandoned and
// crashed calls. The same seed gives the same sessions, event for event.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "signpost/library.hpp"
#include "signpost/session_log.hpp"
#include "signpost/tree.hpp"

namespace signpost {

struct generator_options {
    std::uint64_t sessions = 1000;
    std::uint64_t seed = 1;
    int agents = 12;
    // Start of the first working day (UTC). Calls come Monday to Friday, 08:00-18:00 UTC.
    std::int64_t start_ms = 1'736'121'600'000;  // 2025-01-06 00:00 UTC, a Monday
    // Calls per agent per working day, which sets how many days the log spans.
    int calls_per_agent_day = 40;
    double back_rate = 0.05;      // chance of a back press at each step
    double abandon_rate = 0.03;   // share of calls the agent ends early ("End call")
    double crash_rate = 0.005;    // share left open, as a crashed player leaves them
    double note_rate = 0.02;      // chance of an agent note at each step
    double restart_rate = 0.003;  // chance of "start over" at each step
    // Chance of a find (the player's Ctrl+F) at each step of a tree with allow-find: the
    // agent goes straight to another question, step or form of that tree.
    double find_rate = 0.01;
    // A call taking more steps than this is ended as abandoned (loops in the tree).
    int max_steps = 200;
    // The root tree's file hash and tree version written with each session.
    std::string tree_hash;
};

struct generator_summary {
    std::uint64_t sessions = 0;
    std::uint64_t events = 0;
    std::uint64_t completed = 0;
    std::uint64_t escalated = 0;
    std::uint64_t abandoned = 0;
    std::uint64_t crashed = 0;
    std::uint64_t finds = 0;  // moves made with find
    // Forms no generated value could satisfy (those calls were abandoned).
    std::uint64_t unfillable_forms = 0;
    std::int64_t first_started_ms = 0;
    std::int64_t last_started_ms = 0;
};

// Called now and then with the number of sessions written so far.
using generator_progress = std::function<void(std::uint64_t sessions_done)>;

// Writes `options.sessions` calls over `root` (jumps resolved through `library`, which may
// be null) to `out`, then finishes it. Fails only when the log cannot be written.
[[nodiscard]] log_result generate_log(std::shared_ptr<const tree> root, const tree_library* library,
                                      const generator_options& options, log_bulk_writer& out,
                                      generator_summary& summary, const generator_progress& progress = {});

// A text that matches the ECMAScript `pattern` as a whole (simple patterns: literals,
// classes, groups with |, quantifiers), chosen with `random` (returns values in [0, 1)).
// nullopt when the pattern uses something this does not handle.
std::optional<std::string> sample_for_pattern(std::string_view pattern, const std::function<double()>& random);

}  // namespace signpost
