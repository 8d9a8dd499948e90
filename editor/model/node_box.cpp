#include "model/node_box.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "signpost/text.hpp"

namespace signpost::editor {

// [SECTION] box text

namespace {

// The estimate: a line holds node_chars_per_line narrow characters.
double estimated_width(char32_t c) {
    return display_width(c) * (node_text_width / node_chars_per_line);
}

char_width& installed_widths() {
    static char_width widths = estimated_width;
    return widths;
}

std::uint64_t& widths_generation() {
    static std::uint64_t generation = 1;
    return generation;
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// The text as ImGui draws it, one character for one: what it cannot hold (past U+FFFF,
// invalid bytes, control characters) as U+FFFD, a tab as a space, no '\r'. Measuring this
// text is measuring what is drawn.
std::string drawable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        char32_t c = 0;
        std::size_t length = decode_utf8(text, i, c);
        if (length == 0) {
            length = 1;
            c = 0xFFFD;
        }
        i += length;
        if (c == '\r') continue;
        if (c == '\t') c = ' ';
        if (c > 0xFFFF || (c < 0x20 && c != '\n') || (c >= 0x7F && c < 0xA0)) c = 0xFFFD;
        append_utf8(out, c);
    }
    return out;
}

// The next character of drawable text (always valid UTF-8).
char32_t next_char(std::string_view s, std::size_t i, std::size_t& length) {
    char32_t c = 0;
    length = decode_utf8(s, i, c);
    if (length == 0) {
        length = 1;
        return 0xFFFD;
    }
    return c;
}

void trim_trailing_spaces(std::string& s) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
}

// `line` with '…' at its end, shortened (between characters) until both fit in `width`.
std::string with_ellipsis(std::string line, double width, const char_width& widths) {
    static const std::string ellipsis = "\xE2\x80\xA6";
    trim_trailing_spaces(line);
    const double mark = widths(0x2026);
    while (!line.empty() && text_width(line, widths) + mark > width) {
        std::size_t cut = line.size() - 1;
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
        line.resize(cut);
        trim_trailing_spaces(line);
    }
    return line + ellipsis;
}

// Japanese line rules: a line does not start with closing punctuation, the prolonged-sound
// mark or a small kana, nor end with an opening bracket (as ui/soft_wrap.cpp wraps).
bool may_start_line(char32_t c) {
    static const std::u32string_view marks =
        U"\u3001\u3002\uFF0C\uFF0E\uFF1A\uFF1B\uFF01\uFF1F\uFF09\u300D\u300F\u3011\u3015\u3009\u300B"
        U"\u3017\u3019\u301F\u30FC\u3005\u309D\u309E\u30FD\u30FE\u30FB"
        U"\u3041\u3043\u3045\u3047\u3049\u3063\u3083\u3085\u3087\u308E"
        U"\u30A1\u30A3\u30A5\u30A7\u30A9\u30C3\u30E3\u30E5\u30E7\u30EE\u30F5\u30F6"
        U")]}.,;:!?";
    return marks.find(c) == std::u32string_view::npos;
}
bool may_end_line(char32_t c) {
    static const std::u32string_view opening = U"\u3008\u300A\u300C\u300E\u3010\u3014\u3016\u3018\u301A\u301D"
                                               U"\uFF08\uFF3B\uFF5B\uFF5F([{";
    return opening.find(c) == std::u32string_view::npos;
}

// Appends the lines of one paragraph (no '\n' in it), stopping once `limit` lines are there.
void wrap_paragraph(std::string_view para, double width, const char_width& widths, std::size_t limit,
                    std::vector<std::string>& lines) {
    constexpr std::size_t none = std::string_view::npos;
    std::size_t start = 0;
    while (lines.size() < limit) {
        // One line from `start`: the latest break that keeps it within `width`.
        std::size_t brk = none, resume = none;
        std::size_t end = para.size();
        double x = 0;
        bool previous_wide = false;
        char32_t previous = 0;
        for (std::size_t i = start; i < para.size();) {
            std::size_t length = 0;
            const char32_t c = next_char(para, i, length);
            const double w = widths(c);
            if (c == ' ') {
                // A line may end before a run of spaces; the next begins after it.
                if (i > start && previous != ' ') brk = i;
                resume = i + length;
                x += w;
                previous = c;
                previous_wide = false;
                i += length;
                continue;
            }
            const int columns = display_width(c);
            // Chinese and Japanese have no spaces: a line may break next to a wide character.
            if (i > start && previous != ' ' && columns != 0 && (columns == 2 || previous_wide) &&
                may_start_line(c) && may_end_line(previous)) {
                brk = i;
                resume = i;
            }
            if (x + w > width && i > start && columns != 0) {
                if (brk != none) {
                    end = brk;
                } else {
                    end = i;  // a word that fills the line alone breaks inside it
                    resume = i;
                }
                break;
            }
            x += w;
            previous = c;
            previous_wide = columns == 2;
            i += length;
        }
        std::string line(para.substr(start, end - start));
        trim_trailing_spaces(line);
        lines.push_back(std::move(line));
        if (end == para.size()) return;
        start = resume;
        // Spaces the line broke at are not carried to the next one.
        while (start < para.size() && para[start] == ' ') ++start;
        if (start >= para.size()) return;
    }
}

// Lines of a node's preview. A scene is rebuilt after every edit, and wrapping costs some
// microseconds a node (typing lagged in a 5,000-node tree): each text's count is kept until
// the widths change.
std::size_t preview_line_count(const node& n) {
    static std::mutex mutex;  // layouts may be computed off the UI thread
    static std::unordered_map<std::string, std::size_t> counts;
    static std::uint64_t counted_with = 0;
    std::string key = n.text;
    key += '\0';
    if (n.kind == node_kind::end) key += n.outcome;  // shown when there is no text
    {
        const std::lock_guard<std::mutex> lock(mutex);
        if (counted_with != widths_generation() || counts.size() > 100000) {
            counts.clear();
            counted_with = widths_generation();
        }
        if (const auto hit = counts.find(key); hit != counts.end()) return hit->second;
    }
    const std::size_t lines = preview_of(n).lines.size();
    const std::lock_guard<std::mutex> lock(mutex);
    if (counted_with == widths_generation()) counts.emplace(std::move(key), lines);
    return lines;
}

double text_block_height(const node& n) {
    const std::size_t lines = preview_line_count(n);
    return lines == 0 ? 0.0 : static_cast<double>(lines) * node_line_height + node_padding;
}

}  // namespace

const char_width& preview_widths() { return installed_widths(); }

void set_preview_widths(char_width widths) {
    installed_widths() = widths ? std::move(widths) : char_width(estimated_width);
    ++widths_generation();
}

std::uint64_t preview_widths_generation() { return widths_generation(); }

double text_width(std::string_view text, const char_width& widths) {
    double x = 0;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t length = 0;
        x += widths(next_char(text, i, length));
        i += length;
    }
    return x;
}

wrapped_lines wrap_lines(std::string_view text, double width, const char_width& widths, int max_lines) {
    wrapped_lines out;
    if (text.empty() || max_lines <= 0) return out;
    const std::string clean = drawable(text);
    const std::size_t limit = static_cast<std::size_t>(max_lines) + 1;  // one more tells it was cut
    std::string_view rest = clean;
    while (out.lines.size() < limit) {
        const std::size_t nl = rest.find('\n');
        wrap_paragraph(rest.substr(0, nl), width, widths, limit, out.lines);
        if (nl == std::string_view::npos) break;
        rest = rest.substr(nl + 1);
        if (rest.empty()) break;  // a final line break starts no line
    }
    if (out.lines.size() > static_cast<std::size_t>(max_lines)) {
        out.lines.resize(static_cast<std::size_t>(max_lines));
        out.cut = true;
        out.lines.back() = with_ellipsis(std::move(out.lines.back()), width, widths);
    }
    return out;
}

std::string fit_line(std::string_view text, double width, const char_width& widths) {
    const std::string clean = drawable(text);
    const std::size_t nl = clean.find('\n');
    std::string line = clean.substr(0, nl);
    if (nl == std::string::npos && text_width(line, widths) <= width) return line;
    return with_ellipsis(std::move(line), width, widths);
}

std::string preview_text(const node& n) {
    const std::string plain = markdown_to_plain(n.text);
    // Blank lines waste the few lines a box has.
    std::string body;
    std::string_view rest = plain;
    while (!rest.empty()) {
        const std::size_t nl = rest.find('\n');
        const std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        if (!body.empty()) body += '\n';
        body += line;
    }
    if (body.empty() && n.kind == node_kind::end && !n.outcome.empty()) body = "outcome: " + n.outcome;
    return body;
}

wrapped_lines preview_of(const node& n) {
    return wrap_lines(preview_text(n), node_text_width, preview_widths(), node_max_text_lines);
}

int preview_lines(std::string_view text) {
    return static_cast<int>(wrap_lines(text, node_text_width, preview_widths(), node_max_text_lines).lines.size());
}

std::vector<pin> output_pins(const node& n) {
    std::vector<pin> pins;
    switch (n.kind) {
        case node_kind::question:
            for (std::size_t i = 0; i <= n.choices.size(); ++i)
                pins.push_back({n.id, pin_slot::choice, static_cast<int>(i)});
            break;
        case node_kind::logic:
            for (std::size_t i = 0; i <= n.branches.size(); ++i)
                pins.push_back({n.id, pin_slot::branch, static_cast<int>(i)});
            pins.push_back({n.id, pin_slot::otherwise, 0});
            break;
        case node_kind::step:
        case node_kind::form:
        case node_kind::jump:
            pins.push_back({n.id, pin_slot::next, 0});
            break;
        case node_kind::escalate:
        case node_kind::end:
            break;
    }
    return pins;
}

namespace {
std::size_t output_count(const node& n) {
    switch (n.kind) {
        case node_kind::question: return n.choices.size() + 1;
        case node_kind::logic: return n.branches.size() + 2;
        case node_kind::step:
        case node_kind::form:
        case node_kind::jump: return 1;
        case node_kind::escalate:
        case node_kind::end: return 0;
    }
    return 0;
}
}  // namespace

vec2 node_size(const node& n) {
    const double outputs = static_cast<double>(output_count(n)) * node_slot_height;
    return {node_width, node_header_height + text_block_height(n) + outputs + node_padding};
}

node_geometry geometry_of(const node& n, vec2 pos) {
    node_geometry g;
    g.box = rect_at(pos, node_size(n));
    g.input = {pos.x, pos.y + node_header_height * 0.5};
    g.text_top = pos.y + node_header_height;
    g.outputs = output_pins(n);
    const double rows_top = g.text_top + text_block_height(n);
    g.output_positions.reserve(g.outputs.size());
    for (std::size_t i = 0; i < g.outputs.size(); ++i)
        g.output_positions.push_back({g.box.max.x, rows_top + (static_cast<double>(i) + 0.5) * node_slot_height});
    return g;
}

int hit_output_pin(const node_geometry& g, vec2 p, double radius) {
    int best = -1;
    double best_d = radius;
    for (std::size_t i = 0; i < g.output_positions.size(); ++i) {
        const double d = length(g.output_positions[i] - p);
        if (d <= best_d) {
            best_d = d;
            best = static_cast<int>(i);
        }
    }
    return best;
}

bool hit_input_pin(const node_geometry& g, vec2 p, double radius) { return length(g.input - p) <= radius; }

std::string pin_target(const tree& t, const pin& p) {
    const node* n = t.find(p.node);
    if (!n || p.index < 0) return {};
    const auto i = static_cast<std::size_t>(p.index);
    switch (p.slot) {
        case pin_slot::choice: return i < n->choices.size() ? n->choices[i].to : std::string();
        case pin_slot::branch: return i < n->branches.size() ? n->branches[i].to : std::string();
        case pin_slot::otherwise: return n->otherwise;
        case pin_slot::next: return n->to;
    }
    return {};
}

}  // namespace signpost::editor
