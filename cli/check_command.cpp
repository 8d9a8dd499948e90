// `signpost check`: load and validate trees, print findings, exit 1 when they fail.

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <string>

#include <fmt/core.h>

#include "commands.hpp"
#include "signpost/library.hpp"
#include "signpost/load.hpp"
#include "signpost/text.hpp"
#include "signpost/validate.hpp"
#include "output_file.hpp"
#include "tree_files.hpp"

namespace signpost::cli {

namespace {

struct file_report {
    std::string file;
    diagnostics found;  // what is shown, in source order
};

struct tally {
    std::size_t errors = 0;
    std::size_t warnings = 0;
};

// Jump targets resolve against the file's own folder first, then --library folders. One
// library per folder so a tree many files jump into is loaded once.
class library_set {
public:
    explicit library_set(const std::vector<std::string>& extra) : m_extra(extra) {}

    const tree_library& for_file(const std::string& file) {
        const std::string folder = folder_of(file);
        auto& slot = m_by_folder[folder];
        if (!slot) {
            std::vector<std::string> folders{folder};
            folders.insert(folders.end(), m_extra.begin(), m_extra.end());
            slot = std::make_unique<tree_library>(std::move(folders));
        }
        return *slot;
    }

private:
    std::vector<std::string> m_extra;
    std::map<std::string, std::unique_ptr<tree_library>> m_by_folder;
};

file_report check_file(const std::string& file, library_set& libraries, bool verbose) {
    file_report report{file, {}};
    load_result loaded = load_tree_file(file);
    diagnostics all = std::move(loaded.problems);
    if (loaded.loaded) {
        diagnostics more = validate_tree(*loaded.loaded, &libraries.for_file(file));
        all.insert(all.end(), std::make_move_iterator(more.begin()),
                   std::make_move_iterator(more.end()));
    }
    for (diagnostic& d : all) {
        if (d.level == severity::info && !verbose) continue;
        if (d.file.empty()) d.file = file;
        report.found.push_back(std::move(d));
    }
    std::stable_sort(report.found.begin(), report.found.end(),
                     [](const diagnostic& a, const diagnostic& b) {
                         if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
                         return a.pos.column < b.pos.column;
                     });
    return report;
}

void count(const diagnostics& list, tally& t) {
    for (const diagnostic& d : list) {
        if (d.level == severity::error) ++t.errors;
        if (d.level == severity::warning) ++t.warnings;
    }
}

// A JSON string literal. Invalid UTF-8 (a message quoting a broken file) is replaced first,
// since JSON text must be UTF-8.
std::string json_string(std::string_view raw) {
    std::string valid;
    if (find_invalid_utf8(raw)) {
        valid = neutralise_controls(raw);
        raw = valid;
    }
    std::string out = "\"";
    for (const char c : raw) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
                if (u < 0x20 || u == 0x7f)
                    out += fmt::format("\\u{:04x}", u);
                else
                    out += c;
        }
    }
    out += '"';
    return out;
}

void print_json(const std::vector<file_report>& reports, const tally& t) {
    fmt::print("{{\n  \"files\": [");
    for (std::size_t i = 0; i < reports.size(); ++i) {
        const file_report& r = reports[i];
        fmt::print("{}\n    {{\n      \"file\": {},\n      \"diagnostics\": [", i ? "," : "",
                   json_string(r.file));
        for (std::size_t j = 0; j < r.found.size(); ++j) {
            const diagnostic& d = r.found[j];
            fmt::print(
                "{}\n        {{\"severity\": {}, \"code\": {}, \"message\": {}, \"line\": {}, "
                "\"column\": {}, \"node\": {}, \"field\": {}}}",
                j ? "," : "", json_string(to_string(d.level)), json_string(d.code),
                json_string(d.message), d.pos.line, d.pos.column, json_string(d.node_id),
                json_string(d.field));
        }
        fmt::print("{}]\n    }}", r.found.empty() ? "" : "\n      ");
    }
    fmt::print("{}],\n  \"errors\": {},\n  \"warnings\": {}\n}}\n", reports.empty() ? "" : "\n  ",
               t.errors, t.warnings);
}

void print_text(const std::vector<file_report>& reports, std::size_t files_checked,
                const tally& t) {
    for (const file_report& r : reports)
        for (const diagnostic& d : r.found) print_diagnostic(stdout, d);
    std::string summary = "no problems";
    if (t.errors || t.warnings) {
        summary.clear();
        if (t.errors) summary = count_of(t.errors, "error");
        if (t.errors && t.warnings) summary += ", ";
        if (t.warnings) summary += count_of(t.warnings, "warning");
    }
    fmt::print("checked {}: {}\n", count_of(files_checked, "file"), summary);
}

}  // namespace

int run_check(const check_options& o) {
    tree_file_list list = expand_tree_paths(o.paths);
    std::vector<file_report> reports;
    // Folders that could not be walked are reported under the folder's own name.
    for (diagnostic& d : list.problems) reports.push_back(file_report{d.file, {std::move(d)}});

    library_set libraries(o.libraries);
    for (const std::string& file : list.files)
        reports.push_back(check_file(file, libraries, o.verbose));

    tally t;
    for (const file_report& r : reports) count(r.found, t);

    if (o.json)
        print_json(reports, t);
    else
        print_text(reports, list.files.size(), t);

    if (!stdout_written("signpost check")) return exit_problems;
    if (t.errors > 0 || (o.strict && t.warnings > 0)) return exit_problems;
    // A mistyped folder in CI must not pass by checking nothing.
    if (list.files.empty()) {
        fmt::print(stderr, "signpost check: no tree files (*.xml) found; check the paths given\n");
        return exit_problems;
    }
    return exit_ok;
}

}  // namespace signpost::cli
