#pragma once
// Problems found in a tree: every loader and validator finding is one of these.

#include <string>
#include <vector>

namespace signpost {

enum class severity { info, warning, error };

// A 1-based line and column in a source file; 0 means unknown.
struct source_pos {
    int line = 0;
    int column = 0;
    friend bool operator==(const source_pos&, const source_pos&) = default;
};

// One finding, with a stable code (e.g. "unknown-target") that tests and tools match on.
struct diagnostic {
    severity level = severity::error;
    std::string code;
    std::string message;
    std::string file;
    source_pos pos;
    std::string node_id;  // the node it concerns, empty for tree-level findings
    std::string field;    // the attribute or element it concerns ("to", "if", "text"...), may be empty
};

using diagnostics = std::vector<diagnostic>;

// "error", "warning" or "info".
const char* to_string(severity s);

// GCC-style one-liner: "file:line:col: error: message [code]".
std::string format(const diagnostic& d);

// True when any diagnostic in the list is an error.
bool has_errors(const diagnostics& list);

// True when the byte at `i` ends a line: \n, or a \r not followed by \n (XML's rule, so
// \r\n counts once and old-Mac files with lone \r have lines too).
inline bool ends_line(std::string_view text, std::size_t i) {
    return text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'));
}

// Byte offset -> 1-based line/column (column counts UTF-8 code points, tabs as one; a
// UTF-8 byte order mark at the start of the text is not counted; lines end as ends_line says).
source_pos position_at(std::string_view text, std::size_t offset);

// The closest candidate to `word` by edit distance (insertions, deletions, substitutions
// and swaps of two adjacent characters count one each), or "" when nothing is close
// enough to suggest ("did you mean 'lights'?").
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// closest_match with a bound on the work over a whole file (thousands of broken references
// among 100k nodes would take minutes): once spent, no match is looked for and messages
// simply carry no suggestion. The loader and the validator each use one per file, so they
// suggest the same names.
class suggestion_budget {
public:
    std::string closest(std::string_view word, const std::vector<std::string>& candidates);

private:
    std::size_t m_spent = 0;
};

}  // namespace signpost
