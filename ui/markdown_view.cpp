#include "markdown_view.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include <imgui.h>

#include "signpost/markdown.hpp"
#include "soft_wrap.hpp"

namespace signpost::ui {

namespace {

const ImVec4 link_colour(0.35f, 0.65f, 1.0f, 1.0f);

ImFont* face_for(const md_span& s, const font_set& fonts) {
    if (s.code) return fonts.mono;
    if (s.bold && s.italic) return fonts.bold_italic;
    if (s.bold) return fonts.bold;
    if (s.italic) return fonts.italic;
    return fonts.regular;
}

// Lays words out one by one so bold/italic runs wrap together with the text around them.
class word_flow {
public:
    word_flow(float right_edge, bool line_has_content)
        : m_right(right_edge), m_left(ImGui::GetCursorScreenPos().x), m_started(line_has_content) {}

    void line_break() { m_started = false; }

    void word(std::string_view w, ImFont* font, const std::string& link) {
        if (w.empty()) return;
        ImGui::PushFont(font);
        const float line = std::max(1.0f, m_right - m_left);
        if (ImGui::CalcTextSize(w.data(), w.data() + w.size()).x > line) {
            // Longer than a whole line (a URL, a long reference number): broken where each
            // line ends instead of running off the edge.
            ImGui::PopFont();
            // Each piece fills a line; the first goes on the current line if it fits there,
            // and what follows the last piece may share its line.
            bool first = true;
            while (!w.empty()) {
                const char* end = font->CalcWordWrapPositionA(1.0f, w.data(), w.data() + w.size(), line);
                std::size_t n = static_cast<std::size_t>(end - w.data());
                if (n == 0) n = 1;
                while (n < w.size() && (static_cast<unsigned char>(w[n]) & 0xC0u) == 0x80u) ++n;  // whole characters
                if (!first) line_break();
                piece(w.substr(0, n), font, link);
                first = false;
                w.remove_prefix(n);
            }
            return;
        }
        ImGui::PopFont();
        piece(w, font, link);
    }

private:
    void piece(std::string_view w, ImFont* font, const std::string& link) {
        ImGui::PushFont(font);
        const ImVec2 size = ImGui::CalcTextSize(w.data(), w.data() + w.size());
        if (m_started && ImGui::GetItemRectMax().x + size.x <= m_right) ImGui::SameLine(0, 0);
        if (!link.empty()) ImGui::PushStyleColor(ImGuiCol_Text, link_colour);
        ImGui::TextUnformatted(w.data(), w.data() + w.size());
        if (!link.empty()) {
            ImGui::PopStyleColor();
            const ImVec2 a = ImGui::GetItemRectMin();
            const ImVec2 b = ImGui::GetItemRectMax();
            ImGui::GetWindowDrawList()->AddLine(ImVec2(a.x, b.y), b, ImGui::GetColorU32(link_colour));
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", link.c_str());
        }
        ImGui::PopFont();
        m_started = true;
    }

    float m_right;
    float m_left;  // where lines start (after a list item's indent)
    bool m_started;
};

// The length of the first word of `text`: up to and with the spaces after it, or to the
// first place a CJK line may break, whichever comes first.
std::size_t first_word(std::string_view text) {
    const std::size_t space = std::min(text.find_first_of(" \n"), text.size());
    std::size_t end = space < text.size() && text[space] == ' ' ? text.find_first_not_of(' ', space) : space;
    if (end == std::string_view::npos) end = text.size();
    for (std::size_t i = 0, length = 0; i < space;) {
        const char32_t c = code_point_at(text, i, length);
        i += length;
        if (i >= space || !may_break_after(c)) continue;  // before a space: the spaces go with it
        if (may_start_line(code_point_at(text, i, length))) return i;
    }
    return end;
}

}  // namespace

void draw_markdown(std::string_view markdown, const font_set& fonts) {
    want_glyphs(markdown);
    const auto blocks = parse_markdown(markdown);
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    bool first = true;
    for (const md_block& block : blocks) {
        if (!first && (block.kind == md_block_kind::paragraph || block.kind == md_block_kind::heading))
            ImGui::Spacing();
        first = false;
        const bool item = block.kind == md_block_kind::bullet_item || block.kind == md_block_kind::numbered_item;
        const float indent = item ? (block.depth + 1) * fonts.size * 1.3f : 0.0f;
        if (item) {
            ImGui::Indent(indent);
            const std::string marker =
                block.kind == md_block_kind::numbered_item ? std::to_string(block.number) + "." : "\xE2\x80\xA2";
            const float gap = fonts.size * 0.4f;
            ImGui::SetCursorPosX(ImGui::GetCursorPosX() - ImGui::CalcTextSize(marker.c_str()).x - gap);
            ImGui::TextUnformatted(marker.c_str());
            // The gap as an item of its own: the first word goes right after the last item.
            ImGui::SameLine(0, 0);
            ImGui::Dummy(ImVec2(gap, 0));
        }
        word_flow flow(right, item);
        for (const md_span& span : block.spans) {
            // Two sizes of heading: # and ## large, ### to ###### bold at the text's size.
            ImFont* font = block.kind != md_block_kind::heading ? face_for(span, fonts)
                           : block.number <= 2                  ? fonts.heading
                           : span.italic                        ? fonts.bold_italic
                                                                : fonts.bold;
            std::string_view rest = span.text;
            while (!rest.empty()) {
                if (rest.front() == '\n') {
                    flow.line_break();
                    rest.remove_prefix(1);
                    continue;
                }
                // A word with its trailing spaces, so spacing follows the text exactly.
                const std::size_t end = first_word(rest);
                flow.word(rest.substr(0, end), font, span.link);
                rest.remove_prefix(end);
            }
        }
        if (item) ImGui::Unindent(indent);
    }
}

}  // namespace signpost::ui
