#include "model/node_box.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "signpost/text.hpp"
#include "ui/soft_wrap.hpp"

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
        x += widths(ui::code_point_at(text, i, length));
        i += length;
    }
    return x;
}

wrapped_lines wrap_lines(std::string_view text, double width, const char_width& widths, int max_lines) {
    wrapped_lines out;
    if (text.empty() || max_lines <= 0) return out;
    // Where lines break is the text boxes' rule (ui/soft_wrap): between words, after a
    // Chinese or Japanese character, inside a word that fills a line alone.
    const ui::wrapped_text wrapped = ui::wrap_text(drawable(text), static_cast<float>(width), [&widths](char32_t c) {
        return static_cast<float>(widths(c));
    });
    std::string_view rest = wrapped.shown;
    const std::size_t limit = static_cast<std::size_t>(max_lines) + 1;  // one more tells it was cut
    while (!rest.empty() && out.lines.size() < limit) {
        const std::size_t nl = rest.find('\n');
        std::string line(rest.substr(0, nl));
        trim_trailing_spaces(line);
        out.lines.push_back(std::move(line));
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
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
