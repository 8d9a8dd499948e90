#pragma once
// Writing trees in the canonical form: load -> save -> load gives an identical tree,
// and saving an unchanged canonical file reproduces it byte for byte.

#include <string>

#include "signpost/diagnostic.hpp"
#include "signpost/tree.hpp"

namespace signpost {

// The canonical XML text of a tree (UTF-8, 2-space indent, fixed attribute order,
// trailing newline).
[[nodiscard]] std::string save_tree_string(const tree& t);

// Writes `content` to `path` atomically: a temp file in the same folder, fsync, rename,
// fsync of the folder. On failure the old file is untouched and the error is returned.
[[nodiscard]] std::optional<std::string> write_file_atomic(const std::string& path, std::string_view content);

// save_tree_string + write_file_atomic. Returns an error message on failure.
[[nodiscard]] std::optional<std::string> save_tree_file(const tree& t, const std::string& path);

}  // namespace signpost
