#include "output_file.hpp"

#include <cstdio>
#include <filesystem>

#include <fmt/core.h>

#include "signpost/save.hpp"
#include "signpost/text.hpp"

namespace fs = std::filesystem;

namespace signpost::cli {

bool write_output(const std::string& path, std::string_view text, std::string_view who) {
    if (!path.empty() && path != "-") {
        if (auto problem = write_file_atomic(path, text)) {
            // The message already names the file.
            fmt::print(stderr, "{}: error: {}\n", who, neutralise_controls(*problem));
            return false;
        }
        return true;
    }
    const bool written = std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
    return stdout_written(who) && written;
}

bool stdout_written(std::string_view who) {
    if (std::fflush(stdout) == 0 && std::ferror(stdout) == 0) return true;
    fmt::print(stderr, "{}: error: cannot write to standard output\n", who);
    return false;
}

bool same_file(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty() || a == "-" || b == "-") return false;
    std::error_code ec;
    if (fs::equivalent(a, b, ec) && !ec) return true;
    const fs::path x = fs::weakly_canonical(fs::absolute(a, ec), ec);
    const fs::path y = fs::weakly_canonical(fs::absolute(b, ec), ec);
    return !ec && x == y;
}

}  // namespace signpost::cli
