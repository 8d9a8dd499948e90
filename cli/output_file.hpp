#pragma once
// Where a command's result goes: a file, written atomically, or standard output.

#include <string>
#include <string_view>

namespace signpost::cli {

// Writes `text` to `path`, or to standard output when `path` is "" or "-". On failure
// prints "<who>: error: <why>" to standard error and returns false.
[[nodiscard]] bool write_output(const std::string& path, std::string_view text, std::string_view who);

// Flushes standard output; when that or an earlier write failed (a full disk, a closed
// pipe), prints "<who>: error: cannot write to standard output" and returns false, so a
// truncated listing never passes for a complete one.
[[nodiscard]] bool stdout_written(std::string_view who);

// True when `a` and `b` name one file: the same existing file (through links too), or the
// same path once made absolute when one does not exist yet. "" and "-" name no file.
[[nodiscard]] bool same_file(const std::string& a, const std::string& b);

}  // namespace signpost::cli
