#pragma once
// How `signpost report` shows its figures: terminal tables and a self-contained HTML page.
// (JSON and CSV come from the engine: signpost/report_format.hpp.)

#include <memory>
#include <string>
#include <vector>

#include "signpost/library.hpp"
#include "signpost/report_format.hpp"
#include "signpost/statistics.hpp"
#include "signpost/tree.hpp"

namespace signpost::cli {

// What the renderers need besides the figures.
struct report_context {
    report_scope scope;
    std::shared_ptr<const tree> current;    // the --tree file, may be null
    const tree_library* library = nullptr;  // trees of jumps and of other root trees, may be null
    std::string generated_by;               // "signpost 0.1.0"

    // The tree file of a report's tree, when one is known.
    [[nodiscard]] const tree* tree_for(const std::string& id) const;
};

// Readable tables for a terminal (plain text, no colour; tree text is defused).
[[nodiscard]] std::string report_text(const std::vector<tree_report>& reports, const report_context& context);

// One HTML file with inline CSS and SVG charts, no scripts and nothing fetched from the
// network; every text from trees and the log is escaped.
[[nodiscard]] std::string report_html(const std::vector<tree_report>& reports, const report_context& context);

// "4.5s", "3m 07s", "1h 02m": a duration in ms as supervisors read it.
[[nodiscard]] std::string human_duration(double ms);

// "12.5%".
[[nodiscard]] std::string percent(double share);

// "urgent 3, normal 12, unknown priority 2": the priorities with escalations, most pressing
// first; "" when there are none.
[[nodiscard]] std::string priority_mix(const priority_counts& counts);

// A node's kind for the tables: the tree file's, else "automatic" for a node that only ever
// moved on by itself (so a "-" dwell does not read as a step nobody timed), else "".
[[nodiscard]] std::string kind_shown(const node_figures& n);

}  // namespace signpost::cli
