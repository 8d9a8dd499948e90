#pragma once
// Path statistics as JSON and CSV, for other tools (spreadsheets, dashboards, scripts).
// Layout of both: docs/report.md.

#include <string>
#include <string_view>
#include <vector>

#include "signpost/session_log.hpp"
#include "signpost/statistics.hpp"

namespace signpost {

// What a report covers, printed with the figures so a saved file explains itself.
struct report_scope {
    std::string log_path;
    log_filter filter;      // tree id, agent, since/until (until exclusive)
    int tree_version = 0;   // 0: every version
    bool by_agent = false;  // per-agent figures were asked for (JSON lists "agents" only then)
};

// A node as reports name it: its id in the root tree, "tree:id" inside a jumped tree
// (ids never contain ':').
std::string qualified_node(std::string_view root_tree, std::string_view tree, std::string_view node);
// Step `i` of a path as reports name it: qualified_node, after found_step_mark when the
// agent went there with find.
std::string path_step_name(const tree_report& r, const path_figures& p, std::size_t i);

// A stable, indented JSON document: {"report", "format_version", "log", "filters", "trees"}.
std::string report_json(const std::vector<tree_report>& reports, const report_scope& scope);

// Long ("tidy") CSV, one figure per row: tree_id,section,subject,metric,value. Text that
// a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with a quote.
std::string report_csv(const std::vector<tree_report>& reports, const report_scope& scope);

}  // namespace signpost
