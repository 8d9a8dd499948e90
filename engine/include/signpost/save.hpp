#pragma once
// Writing trees in the canonical form: load -> save -> load gives an identical tree,
// and saving an unchanged canonical file reproduces it byte for byte.

#include <optional>
#include <string>
#include <string_view>

#include "signpost/diagnostic.hpp"
#include "signpost/tree.hpp"

namespace signpost {

// The canonical XML text of a tree (UTF-8, 2-space indent, fixed attribute order,
// trailing newline).
[[nodiscard]] std::string save_tree_string(const tree& t);

// Writes `content` to `path` atomically: a temp file in the same folder, fsync, rename,
// fsync of the folder. On failure the old file is untouched and the error is returned.
[[nodiscard]] std::optional<std::string> write_file_atomic(const std::string& path, std::string_view content);

// Why `text` cannot be written into a tree file and read back, or nullopt when it can:
// invalid UTF-8, a control character other than tab, newline and carriage return, or the
// noncharacters U+FFFE/U+FFFF. XML 1.0 has no way to write those, not even as character
// references, so a file holding them would not load again.
[[nodiscard]] std::optional<std::string> unstorable_text(std::string_view text);
// The first text of a node (every field, choice, branch and form field), a variable, or a
// whole tree (its attributes, description, variables, nodes and layout) that
// unstorable_text refuses, as "node 'x', title: holds ...", or nullopt.
[[nodiscard]] std::optional<std::string> find_unstorable_text(const node& n);
[[nodiscard]] std::optional<std::string> find_unstorable_text(const variable& v);
[[nodiscard]] std::optional<std::string> find_unstorable_text(const tree& t);
// save_tree_string + write_file_atomic. Returns an error message on failure; a tree with
// text find_unstorable_text refuses is not written (the file is left as it was). When
// `written` is given it receives the bytes written (so a caller can know them without
// saving twice).
[[nodiscard]] std::optional<std::string> save_tree_file(const tree& t, const std::string& path,
                                                        std::string* written = nullptr);

}  // namespace signpost
