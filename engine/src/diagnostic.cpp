#include "signpost/diagnostic.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>
#include <vector>

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
    // A UTF-8 byte order mark is no character an author sees: line-1 columns skip it.
    const std::size_t from = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    source_pos p{1, 1};
    for (std::size_t i = from; i < offset; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (ends_line(text, i)) {
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

// Optimal string alignment distance (Levenshtein plus transposition of two adjacent
// characters, the commonest typo: "lgihts" is one edit from "lights"). Three rolling rows;
// `fold` compares case-insensitively.
std::size_t edit_distance(std::string_view a, std::string_view b, bool fold) {
    const std::size_t width = b.size() + 1;
    std::vector<std::size_t> rows(3 * width);
    std::size_t* before = rows.data();        // row i - 2
    std::size_t* previous = before + width;   // row i - 1
    std::size_t* current = previous + width;  // row i
    for (std::size_t j = 0; j < width; ++j) previous[j] = j;
    const auto at = [fold](std::string_view s, std::size_t k) { return fold ? lower(s[k]) : s[k]; };
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        const char x = at(a, i - 1);
        for (std::size_t j = 1; j < width; ++j) {
            const char y = at(b, j - 1);
            std::size_t d = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x == y ? 0 : 1)});
            if (i > 1 && j > 1 && x == at(b, j - 2) && at(a, i - 2) == y) d = std::min(d, before[j - 2] + 1);
            current[j] = d;
        }
        std::swap(before, previous);  // rotate: previous becomes before, current previous
        std::swap(previous, current);
    }
    return previous[b.size()];
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

std::string suggestion_budget::closest(std::string_view word, const std::vector<std::string>& candidates) {
    constexpr std::size_t limit = 20'000'000;  // character comparisons, about a second
    if (m_spent > limit) return {};
    m_spent += candidates.size() * std::max<std::size_t>(1, std::min<std::size_t>(word.size(), 64));
    return closest_match(word, candidates);
}

}  // namespace signpost
