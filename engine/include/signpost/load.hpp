#pragma once
// Reading trees from XML. Never throws, never crashes, never accepts garbage silently.

#include <memory>
#include <string>
#include <string_view>

#include "signpost/diagnostic.hpp"
#include "signpost/tree.hpp"

namespace signpost {

// Files larger than this are refused with "too-large" before parsing.
inline constexpr std::size_t max_tree_bytes = 64u * 1024u * 1024u;

struct load_result {
    // Set when the file could be read as a tree at all, even with errors in it (so the
    // editor can show a broken file). Use `ok()` to know whether it is safe to run.
    std::shared_ptr<tree> loaded;
    diagnostics problems;
    // XML comments and processing instructions (<?todo ...?>, not the XML declaration) in
    // the file. The model does not keep them, so saving (editor, fmt) would drop them:
    // callers that rewrite files ask first (unkept_markup says what).
    std::size_t comments = 0;
    std::size_t instructions = 0;
    bool ok() const { return loaded && !has_errors(problems); }
};

// What saving would drop, for messages: "2 XML comments", "1 XML comment and 1 processing
// instruction (<?...?>)". Empty when there is none.
std::string unkept_markup(std::size_t comments, std::size_t instructions);

// Parses `xml` (named `file` in diagnostics). Checks well-formedness, structure,
// attribute values, ids, references inside the tree, expressions and their types,
// regex patterns, {variable} references in text, and UTF-8.
[[nodiscard]] load_result load_tree_string(std::string_view xml, std::string file = "<string>");

// Reads and parses a file. A missing or unreadable file is a "read-error" diagnostic. A file
// named <name>.xml whose tree id is not <name> gets an "id-file-mismatch" warning: jumps
// find trees by file name. (load_tree_string does not check: its name may be no path.)
// When `bytes` is given, it receives the bytes read (empty when none were), so a caller
// can hash exactly what was loaded without reading the file again.
[[nodiscard]] load_result load_tree_file(const std::string& path, std::string* bytes = nullptr);

// Parses text that is, or is about to be saved as, the file at `path` (an editor's unsaved
// state): like load_tree_file, file name checks included, without reading the file.
[[nodiscard]] load_result load_tree_string_as_file(std::string_view xml, std::string path);

}  // namespace signpost
