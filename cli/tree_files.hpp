#pragma once
// Turning the paths a user typed into the tree files to work on, and printing findings.

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/diagnostic.hpp"

namespace signpost::cli {

struct tree_file_list {
    std::vector<std::string> files;
    diagnostics problems;  // folders that could not be walked (read-error) or hold no tree (no-trees)
};

// Folders become the *.xml files below them, sorted, skipping hidden entries (editor
// backups, .git); a folder with none is a "no-trees" problem. Other paths are kept as
// typed, so a missing one reaches the loader and is reported as read-error. A file named
// twice is kept once.
[[nodiscard]] tree_file_list expand_tree_paths(const std::vector<std::string>& paths);

// The folder a tree file's jump targets are looked up in first ("." for a bare name).
[[nodiscard]] std::string folder_of(const std::string& file);

// Prints format(d) on one line, with terminal control characters from the file defused.
void print_diagnostic(std::FILE* out, const diagnostic& d);

// "1 file", "2 files".
[[nodiscard]] std::string count_of(std::size_t n, std::string_view singular);

}  // namespace signpost::cli
