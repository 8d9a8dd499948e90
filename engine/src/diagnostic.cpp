#include "signpost/diagnostic.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace signpost {

const char* to_string(severity s) {
    switch (s) {
    case severity::info: return "info";
    case severity::warning: return "warning";
    case severity::error: return "error";
    }
    return "error";
}

std::string format(const diagnostic& d) {
    std::string out = d.file;
    if (d.pos.line > 0) {
        out += ':';
        out += std::to_string(d.pos.line);
        if (d.pos.column > 0) {
            out += ':';
            out += std::to_string(d.pos.column);
        }
    }
    if (!out.empty()) out += ": ";
    out += to_string(d.level);
    out += ": ";
    out += d.message;
    out += " [";
    out += d.code;
    out += ']';
    return out;
}

bool has_errors(const diagnostics& list) {
    return std::any_of(list.begin(), list.end(),
                       [](const diagnostic& d) { return d.level == severity::error; });
}

source_pos position_at(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    source_pos p{1, 1};
    for (std::size_t i = 0; i < offset; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++p.line;
            p.column = 1;
        } else if ((c & 0xC0u) != 0x80u) {  // continuation bytes do not start a code point
            ++p.column;
        }
    }
    return p;
}

namespace {

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Levenshtein distance with a single rolling row; `fold` compares case-insensitively.
std::size_t edit_distance(std::string_view a, std::string_view b, bool fold) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const char x = fold ? lower(a[i - 1]) : a[i - 1];
            const char y = fold ? lower(b[j - 1]) : b[j - 1];
            const std::size_t replaced = diagonal + (x == y ? 0 : 1);
            diagonal = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, replaced});
        }
    }
    return row[b.size()];
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
    const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
    const std::string* best = nullptr;
    std::size_t best_folded = 0;
    std::size_t best_exact = 0;
    for (const auto& candidate : candidates) {
        if (candidate.empty()) continue;
        // Cheap bound first: the distance is at least the length difference. Keeps huge
        // words (a 10 MB attribute) from costing anything.
        const std::size_t longer = std::max(candidate.size(), word.size());
        const std::size_t shorter = std::min(candidate.size(), word.size());
        if (longer - shorter > limit) continue;
        const std::size_t folded = edit_distance(word, candidate, true);
        if (folded > limit) continue;
        const std::size_t exact = edit_distance(word, candidate, false);
        // Case-only differences win; among equals the first candidate stays.
        if (!best || folded < best_folded || (folded == best_folded && exact < best_exact)) {
            best = &candidate;
            best_folded = folded;
            best_exact = exact;
        }
    }
    return best ? *best : std::string{};
}

}  // namespace signpost
