#include "tree_files.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include <fmt/core.h>

#include "signpost/text.hpp"

namespace fs = std::filesystem;

namespace signpost::cli {

namespace {

bool is_hidden(const fs::path& p) {
    const std::string name = p.filename().string();
    return !name.empty() && name.front() == '.' && name != "." && name != "..";
}

diagnostic walk_error(const fs::path& folder, const std::error_code& ec) {
    diagnostic d;
    d.level = severity::error;
    d.code = "read-error";
    d.file = folder.string();
    d.message = fmt::format("cannot read folder: {}", ec.message());
    return d;
}

// The *.xml files below `folder`, sorted so output is the same on every machine.
void collect_folder(const fs::path& folder, std::vector<fs::path>& found, diagnostics& problems) {
    std::error_code ec;
    fs::recursive_directory_iterator it(folder, ec);
    const fs::recursive_directory_iterator end;
    std::vector<fs::path> here;
    for (; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        if (is_hidden(p)) {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            ec.clear();
            continue;
        }
        // A link whose target is gone is listed too: the loader then says it cannot be read.
        // (Links to folders, FIFOs or devices are no tree files: a FIFO would block a read.)
        if (p.extension() == ".xml") {
            std::error_code type_ec;
            const bool regular = it->is_regular_file(type_ec);
            const bool dangling = !regular && it->is_symlink(type_ec) && !fs::exists(p, type_ec);
            if (regular || dangling) here.push_back(p);
        }
    }
    if (ec) problems.push_back(walk_error(folder, ec));
    // A mistyped folder (or a hook pointed at the wrong one) must not pass by checking nothing.
    if (!ec && here.empty()) {
        diagnostic d = walk_error(folder, ec);
        d.code = "no-trees";
        d.message = "no tree files (*.xml) in this folder; check the path";
        problems.push_back(std::move(d));
    }
    std::sort(here.begin(), here.end());
    found.insert(found.end(), here.begin(), here.end());
}

}  // namespace

tree_file_list expand_tree_paths(const std::vector<std::string>& paths) {
    tree_file_list result;
    std::vector<fs::path> found;
    for (const std::string& typed : paths) {
        std::error_code ec;
        if (fs::is_directory(typed, ec))
            collect_folder(typed, found, result.problems);
        else
            found.emplace_back(typed);
    }
    std::set<fs::path> seen;
    for (const fs::path& p : found) {
        std::error_code ec;
        fs::path key = fs::weakly_canonical(p, ec);
        if (ec) key = p.lexically_normal();
        if (seen.insert(key).second) result.files.push_back(p.string());
    }
    return result;
}

std::string folder_of(const std::string& file) {
    fs::path parent = fs::path(file).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

void print_diagnostic(std::FILE* out, const diagnostic& d) {
    // One problem per line for tools that read them: a line break in a file name or a
    // quoted value (which neutralise_controls keeps, as text may have them) is U+FFFD.
    std::string line = neutralise_controls(format(d));
    for (std::size_t at = line.find_first_of("\n\r"); at != std::string::npos; at = line.find_first_of("\n\r", at))
        line.replace(at, 1, "\xEF\xBF\xBD");
    fmt::print(out, "{}\n", line);
}

std::string count_of(std::size_t n, std::string_view singular) {
    return fmt::format("{} {}{}", n, singular, n == 1 ? "" : "s");
}

}  // namespace signpost::cli
