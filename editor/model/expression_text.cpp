#include "model/expression_text.hpp"

#include "signpost/expr.hpp"
#include "signpost/text.hpp"

namespace signpost::editor {

namespace {

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

text_error make_error(std::string_view text, const expr_error& e) {
    text_error out;
    out.offset = std::min(e.offset, text.size());
    out.column = position_at(text, out.offset).column;
    if (out.column < 1) out.column = 1;
    out.code = e.code;
    out.message = e.message;
    return out;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace

std::optional<text_error> check_expression_text(const tree& t, std::string_view text, expression_kind kind) {
    if (blank(text)) return std::nullopt;
    const tree_type_scope scope(t);
    if (kind == expression_kind::condition) {
        const auto parsed = parse_expression(text);
        if (!parsed) return make_error(text, parsed.error.value_or(expr_error{0, "expr-syntax", "invalid expression"}));
        if (auto e = check_condition(*parsed.result, scope)) {
            // Offsets are inside the parsed source; it is `text` (the parser does not trim).
            return make_error(text, *e);
        }
        return std::nullopt;
    }
    const auto parsed = parse_assignments(text);
    if (!parsed) return make_error(text, parsed.error.value_or(expr_error{0, "expr-syntax", "invalid assignments"}));
    if (auto e = check_assignments(*parsed.result, scope)) return make_error(text, *e);
    return std::nullopt;
}

std::string rename_in_expression(std::string_view text, std::string_view old_name, std::string_view new_name) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '\'' || c == '"') {
            // A string literal is copied untouched, escapes included.
            std::size_t j = i + 1;
            while (j < text.size() && text[j] != c) j += text[j] == '\\' ? 2 : 1;
            j = std::min(j + 1, text.size());
            out.append(text.substr(i, j - i));
            i = j;
        } else if (c >= '0' && c <= '9') {
            // A number, with any malformed tail ("12abc") the lexer would keep in it.
            std::size_t j = i;
            while (j < text.size() && (ident_char(text[j]) || text[j] == '.')) ++j;
            out.append(text.substr(i, j - i));
            i = j;
        } else if (ident_start(c)) {
            std::size_t j = i;
            while (j < text.size() && ident_char(text[j])) ++j;
            const auto word = text.substr(i, j - i);
            out.append(word == old_name ? new_name : word);
            i = j;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

std::string rename_in_text(std::string_view text, std::string_view old_name, std::string_view new_name) {
    std::string out;
    std::size_t copied = 0;
    for (const auto& ref : find_references(text)) {
        if (ref.name != old_name) continue;
        out.append(text.substr(copied, ref.offset - copied));
        out += '{';
        out.append(new_name);
        out += '}';
        copied = ref.offset + ref.name.size() + 2;
    }
    if (copied == 0) return std::string(text);
    out.append(text.substr(copied));
    return out;
}

}  // namespace signpost::editor
