// The expression language: lexer, recursive-descent parser, type checker, evaluator.
//
// [SECTION] Syntax tree
// [SECTION] Lexer
// [SECTION] Parser
// [SECTION] Type checking
// [SECTION] Evaluation

#include "signpost/expr.hpp"
#include "signpost/calendar_date.hpp"
#include "signpost/text.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <cmath>
#include <memory>
#include <span>
#include <string>
#include <system_error>
#include <unordered_set>
#include <utility>

#include "signpost/diagnostic.hpp"

namespace signpost {

//-----------------------------------------------------------------------------
// [SECTION] Syntax tree
//-----------------------------------------------------------------------------

enum class expr_kind : unsigned char {
    literal,
    variable,
    negate,       // - x
    logical_not,  // not x
    sum,          // x + y - z ...
    product,      // x * y / z ...
    all_of,       // x and y and ...
    any_of,       // x or y or ...
    compare,      // x == y (exactly two terms)
};

enum class expr_op : unsigned char { none, add, sub, mul, div, logical_and, logical_or, eq, ne, lt, le, gt, ge };

struct expr_term;

// Chains such as a + b + c are one node with many terms rather than a left-deep tree, so
// a long chain never makes checking or evaluation recurse deeply. Depth only grows with
// parentheses, `not` and unary `-`, which the parser bounds.
struct expr_node {
    expr_kind kind = expr_kind::literal;
    std::size_t offset = 0;               // where the node's text starts (name, literal, operator)
    value literal;                        // literal
    std::string name;                     // variable
    std::span<const expr_term> terms;     // operands, left to right (in the expression's arena)
};

// One operand of an operator node with the operator written before it (none for the first).
struct expr_term {
    expr_op op = expr_op::none;
    std::size_t op_offset = 0;
    const expr_node* operand = nullptr;  // in the same arena
};

// Every node and term of one parsed expression, in two blocks made and freed together
// (a heap block per node and per operand list cost more than parsing them). The
// expression's root pointer shares ownership of its arena.
struct expr_arena {
    std::vector<expr_node> nodes;
    std::vector<expr_term> terms;
};

namespace {

// `word` as the keyword it is in another case ("NOT" -> "not"), or "" when it is none.
std::string keyword_spelling(std::string_view word) {
    std::string lower(word);
    for (auto& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    for (const char* kw : {"and", "or", "not", "true", "false"})
        if (lower == kw) return lower;
    return {};
}

bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// A source longer than this many values and operators is refused: no script needs it,
// and it bounds the work of every evaluation.
constexpr int max_expression_nodes = 10000;

const char* op_text(expr_op op) {
    switch (op) {
        case expr_op::none: return "";
        case expr_op::add: return "+";
        case expr_op::sub: return "-";
        case expr_op::mul: return "*";
        case expr_op::div: return "/";
        case expr_op::logical_and: return "and";
        case expr_op::logical_or: return "or";
        case expr_op::eq: return "==";
        case expr_op::ne: return "!=";
        case expr_op::lt: return "<";
        case expr_op::le: return "<=";
        case expr_op::gt: return ">";
        case expr_op::ge: return ">=";
    }
    return "";
}

// How a type reads in a message: "but this is a number".
const char* describe(var_type t) {
    switch (t) {
        case var_type::number: return "a number";
        case var_type::flag: return "true or false";
        case var_type::text:
        case var_type::choice: return "text";
        case var_type::date: return "a date";
    }
    return "text";
}

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

// The character at `pos` quoted for a message: the whole UTF-8 sequence, or the byte in hex
// when it is a control character or not valid UTF-8 (messages must stay printable).
std::string quote_char(std::string_view src, std::size_t pos, std::size_t& length) {
    static const char hex[] = "0123456789ABCDEF";
    const auto c = static_cast<unsigned char>(src[pos]);
    std::size_t want = 1;
    if (c >= 0xC2 && c <= 0xDF) want = 2;
    else if (c >= 0xE0 && c <= 0xEF) want = 3;
    else if (c >= 0xF0 && c <= 0xF4) want = 4;
    length = 1;
    while (length < want && pos + length < src.size() &&
           (static_cast<unsigned char>(src[pos + length]) & 0xC0) == 0x80)
        ++length;
    const bool printable = c >= 0x20 && c != 0x7F && (c < 0x80 || (want > 1 && length == want));
    if (printable) return "'" + std::string(src.substr(pos, length)) + "'";
    length = 1;
    return std::string("byte 0x") + hex[c >> 4] + hex[c & 15];
}

// Source text quoted for a message, cut short (at a character boundary) when long.
std::string quote_source(std::string_view text) {
    constexpr std::size_t max_shown = 40;
    if (text.size() <= max_shown) return "'" + std::string(text) + "'";
    std::size_t cut = max_shown;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return "'" + std::string(text.substr(0, cut)) + "...'";
}

// `text` without trailing blanks (a quoted group ends where its last token does).
std::string_view trim_end(std::string_view text) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

//-----------------------------------------------------------------------------
// [SECTION] Lexer
//-----------------------------------------------------------------------------

enum class tok {
    end, number, string, identifier,
    kw_and, kw_or, kw_not, kw_true, kw_false,
    lparen, rparen, plus, minus, star, slash,
    eq, ne, lt, le, gt, ge, assign, semicolon,
    bad,  // a lexing error; `text` holds the message
};

struct token {
    tok kind = tok::end;
    std::size_t offset = 0;
    std::size_t length = 0;
    double number = 0;
    std::string text;  // string literal (decoded), identifier, or error message
};

class lexer {
public:
    explicit lexer(std::string_view src) : m_src(src) {}

    token next() {
        while (m_pos < m_src.size() && is_space(m_src[m_pos])) ++m_pos;
        token t;
        t.offset = m_pos;
        if (m_pos >= m_src.size()) return t;
        const char c = m_src[m_pos];
        const char c2 = m_pos + 1 < m_src.size() ? m_src[m_pos + 1] : '\0';
        if (is_digit(c) || (c == '.' && is_digit(c2))) return lex_number(t);
        if (is_ident_start(c)) return lex_word(t);
        if (c == '\'' || c == '"') return lex_string(t, c);
        if (c2 == '=' && (c == '=' || c == '!' || c == '<' || c == '>')) {
            t.kind = c == '=' ? tok::eq : c == '!' ? tok::ne : c == '<' ? tok::le : tok::ge;
            return take(t, 2);
        }
        switch (c) {
            case '(': t.kind = tok::lparen; return take(t, 1);
            case ')': t.kind = tok::rparen; return take(t, 1);
            case '+': t.kind = tok::plus; return take(t, 1);
            case '-': t.kind = tok::minus; return take(t, 1);
            case '*': t.kind = tok::star; return take(t, 1);
            case '/': t.kind = tok::slash; return take(t, 1);
            case '<': t.kind = tok::lt; return take(t, 1);
            case '>': t.kind = tok::gt; return take(t, 1);
            case '=': t.kind = tok::assign; return take(t, 1);
            case ';': t.kind = tok::semicolon; return take(t, 1);
            case '!': return bad(t, 1, "unexpected '!'; write 'not' to negate and '!=' for 'not equal'");
            case '&': return bad(t, c2 == '&' ? 2 : 1, "unexpected '&'; write 'and'");
            case '|': return bad(t, c2 == '|' ? 2 : 1, "unexpected '|'; write 'or'");
            default: break;
        }
        std::size_t len = 1;
        auto shown = quote_char(m_src, m_pos, len);
        return bad(t, len, "unexpected " + std::move(shown));
    }

private:
    static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

    token take(token& t, std::size_t len) {
        t.length = len;
        m_pos += len;
        return std::move(t);
    }

    token bad(token& t, std::size_t len, std::string message) {
        t.kind = tok::bad;
        t.text = std::move(message);
        return take(t, len);
    }

    token lex_number(token& t) {
        std::size_t end = m_pos;
        while (end < m_src.size() && is_digit(m_src[end])) ++end;
        bool malformed = false;
        if (end < m_src.size() && m_src[end] == '.') {
            ++end;
            if (end >= m_src.size() || !is_digit(m_src[end])) malformed = true;
            while (end < m_src.size() && is_digit(m_src[end])) ++end;
        }
        // "12abc", "1.2.3", "1e5": keep the whole run so the message shows what was written.
        if (end < m_src.size() && (is_ident_char(m_src[end]) || m_src[end] == '.')) malformed = true;
        if (malformed)
            while (end < m_src.size() && (is_ident_char(m_src[end]) || m_src[end] == '.')) ++end;
        const auto text = m_src.substr(m_pos, end - m_pos);
        if (malformed) return bad(t, text.size(), "invalid number " + quote_source(text));
        double d = 0;
        const auto res = std::from_chars(text.data(), text.data() + text.size(), d);
        if (res.ec != std::errc{} || !std::isfinite(d))
            return bad(t, text.size(), "number " + quote_source(text) + " is too large");
        t.kind = tok::number;
        t.number = d;
        return take(t, text.size());
    }

    token lex_word(token& t) {
        std::size_t end = m_pos;
        while (end < m_src.size() && is_ident_char(m_src[end])) ++end;
        const auto word = m_src.substr(m_pos, end - m_pos);
        if (word == "and") t.kind = tok::kw_and;
        else if (word == "or") t.kind = tok::kw_or;
        else if (word == "not") t.kind = tok::kw_not;
        else if (word == "true") t.kind = tok::kw_true;
        else if (word == "false") t.kind = tok::kw_false;
        else {
            t.kind = tok::identifier;
            t.text = std::string(word);
        }
        return take(t, word.size());
    }

    token lex_string(token& t, char quote) {
        std::string out;
        std::size_t i = m_pos + 1;
        while (i < m_src.size()) {
            const char c = m_src[i];
            if (c == quote) {
                t.kind = tok::string;
                t.text = std::move(out);
                return take(t, i + 1 - m_pos);
            }
            if (c == '\\') {
                const char e = i + 1 < m_src.size() ? m_src[i + 1] : '\0';
                if (e == '\'' || e == '"' || e == '\\') {
                    out += e;
                    i += 2;
                    continue;
                }
                if (i + 1 >= m_src.size()) break;  // unterminated
                // Report at the backslash, not at the string's start.
                m_pos = i;
                t.offset = i;
                std::size_t len = 1;
                auto shown = quote_char(m_src, i + 1, len);
                if (shown.front() == '\'') shown.insert(1, "\\");
                return bad(t, len + 1, "unknown escape " + std::move(shown) +
                                           " in string; only \\' \\\" and \\\\ are allowed");
            }
            out += c;
            ++i;
        }
        t.length = m_src.size() - m_pos;
        m_pos = m_src.size();
        t.kind = tok::bad;
        t.text = std::string("unterminated string: add the closing ") + quote;
        return std::move(t);
    }

    std::string_view m_src;
    std::size_t m_pos = 0;
};

//-----------------------------------------------------------------------------
// [SECTION] Parser
//-----------------------------------------------------------------------------

// A node being parsed: an index into the parser's scratch (-1 = failed).
struct node_ref {
    int index = -1;
    node_ref() = default;
    node_ref(std::nullptr_t) {}  // so `return nullptr` and `return fail(...)` read as failure
    explicit node_ref(int i) : index(i) {}
    explicit operator bool() const { return index >= 0; }
};

// What the parser builds before an expression is copied into its arena: kept per thread
// and reused, so parsing allocates only the arena itself.
struct expr_scratch {
    struct term {
        expr_op op = expr_op::none;
        std::size_t op_offset = 0;
        int operand = -1;
    };
    std::vector<expr_node> nodes;
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // per node: first term, count
    std::vector<term> terms;                                 // grouped by node
    std::vector<term> pending;                               // terms of chains still being read
    void clear() {
        nodes.clear();
        spans.clear();
        terms.clear();
        pending.clear();
    }
};

class parser {
public:
    explicit parser(std::string_view src) : m_src(src), m_lexer(src) { advance(); }

    const token& current() const { return m_tok; }
    std::size_t previous_end() const { return m_prev_end; }
    const std::optional<expr_error>& error() const { return m_error; }

    void advance() {
        m_prev_end = m_tok.offset + m_tok.length;
        m_tok = m_lexer.next();
    }

    // Starts a new expression whose offsets count from `base` (an assignment's value).
    void begin_expression(std::size_t base) {
        m_base = base;
        m_depth = 0;
        m_nodes = 0;
        m_build.clear();
    }

    // The parsed expression rooted at `root`, moved into an arena of its own.
    std::shared_ptr<const expr_node> finish(node_ref root) {
        auto arena = std::make_shared<expr_arena>();
        arena->nodes.assign(std::make_move_iterator(m_build.nodes.begin()),
                            std::make_move_iterator(m_build.nodes.end()));
        arena->terms.reserve(m_build.terms.size());
        for (const auto& t : m_build.terms)
            arena->terms.push_back({t.op, t.op_offset, &arena->nodes[static_cast<std::size_t>(t.operand)]});
        for (std::size_t i = 0; i < arena->nodes.size(); ++i) {
            const auto [first, count] = m_build.spans[i];
            arena->nodes[i].terms = std::span<const expr_term>(arena->terms.data() + first, count);
        }
        m_build.clear();
        const expr_node* r = &arena->nodes[static_cast<std::size_t>(root.index)];
        return std::shared_ptr<const expr_node>(std::move(arena), r);
    }

    node_ref parse_or() {
        return parse_chain(expr_kind::any_of, &parser::parse_and, [](tok k) {
            return k == tok::kw_or ? expr_op::logical_or : expr_op::none;
        });
    }

    // Fails with the message for a token that cannot follow a complete expression.
    std::nullptr_t fail_trailing(const std::string& context_hint) {
        const token& t = m_tok;
        if (t.kind == tok::bad) return fail(t.offset, "expr-syntax", t.text);
        // "NOT vip": the word before is a keyword in capitals, read as a variable; the
        // mistake is there, not at the word that follows it.
        if (t.kind != tok::end) {
            std::size_t end = t.offset;
            while (end > 0 && (m_src[end - 1] == ' ' || m_src[end - 1] == '\t')) --end;
            std::size_t start = end;
            while (start > 0 && is_word_char(m_src[start - 1])) --start;
            if (const auto kw = keyword_spelling(m_src.substr(start, end - start));
                !kw.empty() && m_src.substr(start, end - start) != kw)
                return fail(start, "expr-syntax",
                            "unexpected " + quote_source(m_src.substr(start, end - start)) +
                                "; keywords are lowercase: write '" + kw + "'");
        }
        std::string msg = "unexpected " + quoted(t);
        switch (t.kind) {
            case tok::assign: msg += "; write '==' to compare"; break;
            case tok::rparen: msg += " without a matching '('"; break;
            case tok::identifier: {
                const auto kw = keyword_spelling(t.text);
                if (!kw.empty()) {
                    msg += "; keywords are lowercase: write '" + kw + "'";
                    break;
                }
                msg += context_hint;
                break;
            }
            // A value right after a complete expression: an operator or ';' is missing.
            case tok::number: case tok::string: case tok::kw_true: case tok::kw_false:
            case tok::kw_not: case tok::lparen:
                msg += context_hint;
                break;
            default: break;
        }
        return fail(t.offset, "expr-syntax", std::move(msg));
    }

    std::nullptr_t fail(std::size_t offset, std::string code, std::string message) {
        if (!m_error) m_error = expr_error{offset, std::move(code), std::move(message)};
        return nullptr;
    }

    // The token as written, quoted, for messages ("'foo'", "the end of the expression").
    std::string quoted(const token& t) const {
        if (t.kind == tok::end) return "the end of the expression";
        return quote_source(m_src.substr(t.offset, t.length));
    }

private:

    std::size_t rel(std::size_t absolute) const { return absolute - m_base; }

    // Every value and operator counts against max_expression_nodes.
    bool count_node(std::size_t offset) {
        if (++m_nodes <= max_expression_nodes) return true;
        fail(offset, "expr-too-deep",
             "expression too long (more than " + std::to_string(max_expression_nodes) +
                 " values and operators); split it up");
        return false;
    }

    // Called before each recursion (parenthesis, `not`, unary `-`) so deep nesting is
    // refused before it can exhaust the stack.
    bool enter(std::size_t offset) {
        if (++m_depth <= max_expression_depth) return true;
        fail(offset, "expr-too-deep",
             "expression nested too deeply (more than " + std::to_string(max_expression_depth) +
                 " levels)");
        return false;
    }
    void leave() { --m_depth; }

    using term = expr_scratch::term;

    expr_node& at(node_ref n) { return m_build.nodes[static_cast<std::size_t>(n.index)]; }

    node_ref make_node(expr_kind kind, std::size_t offset) {
        expr_node& n = m_build.nodes.emplace_back();
        n.kind = kind;
        n.offset = offset;
        m_build.spans.emplace_back(m_build.terms.size(), 0);
        return node_ref(static_cast<int>(m_build.nodes.size() - 1));
    }

    // Makes an operator node whose operands are the pending terms from `from` on.
    node_ref make_operator(expr_kind kind, std::size_t offset, std::size_t from) {
        const node_ref n = make_node(kind, offset);
        auto& pending = m_build.pending;
        m_build.spans.back() = {m_build.terms.size(), pending.size() - from};
        m_build.terms.insert(m_build.terms.end(), pending.begin() + static_cast<std::ptrdiff_t>(from),
                             pending.end());
        pending.resize(from);
        return n;
    }

    template <typename OpOf>
    node_ref parse_chain(expr_kind kind, node_ref (parser::*next)(), OpOf op_of) {
        const auto first = (this->*next)();
        if (!first || op_of(m_tok.kind) == expr_op::none) return first;
        // Operands read inside later operands are completed (and taken off `pending`)
        // before this chain's next one goes on.
        const std::size_t from = m_build.pending.size();
        m_build.pending.push_back(term{expr_op::none, 0, first.index});
        while (true) {
            const auto op = op_of(m_tok.kind);
            if (op == expr_op::none) break;
            const auto op_offset = m_tok.offset;
            if (!count_node(op_offset)) return nullptr;
            advance();
            const auto rhs = (this->*next)();
            if (!rhs) return nullptr;
            m_build.pending.push_back(term{op, rel(op_offset), rhs.index});
        }
        return make_operator(kind, at(first).offset, from);
    }

    node_ref parse_and() {
        return parse_chain(expr_kind::all_of, &parser::parse_not, [](tok k) {
            return k == tok::kw_and ? expr_op::logical_and : expr_op::none;
        });
    }

    node_ref parse_not() {
        if (m_tok.kind != tok::kw_not) return parse_cmp();
        return parse_prefix(expr_kind::logical_not, &parser::parse_not);
    }

    // `not x` or `- x`: one operand, recursion guarded by the depth limit.
    node_ref parse_prefix(expr_kind kind, node_ref (parser::*operand)()) {
        const auto offset = m_tok.offset;
        if (!enter(offset) || !count_node(offset)) return nullptr;
        advance();
        const auto inner = (this->*operand)();
        leave();
        if (!inner) return nullptr;
        const std::size_t from = m_build.pending.size();
        m_build.pending.push_back(term{expr_op::none, 0, inner.index});
        return make_operator(kind, rel(offset), from);
    }

    static expr_op comparison_of(tok k) {
        switch (k) {
            case tok::eq: return expr_op::eq;
            case tok::ne: return expr_op::ne;
            case tok::lt: return expr_op::lt;
            case tok::le: return expr_op::le;
            case tok::gt: return expr_op::gt;
            case tok::ge: return expr_op::ge;
            default: return expr_op::none;
        }
    }

    node_ref parse_cmp() {
        const auto lhs = parse_add();
        if (!lhs) return nullptr;
        const auto op = comparison_of(m_tok.kind);
        if (op == expr_op::none) return lhs;
        const auto op_offset = m_tok.offset;
        if (!count_node(op_offset)) return nullptr;
        advance();
        const auto rhs = parse_add();
        if (!rhs) return nullptr;
        if (comparison_of(m_tok.kind) != expr_op::none)
            return fail(m_tok.offset, "expr-syntax",
                        "comparisons cannot be chained; combine them with 'and' (a < b and b < c)");
        const std::size_t from = m_build.pending.size();
        m_build.pending.push_back(term{expr_op::none, 0, lhs.index});
        m_build.pending.push_back(term{op, rel(op_offset), rhs.index});
        return make_operator(expr_kind::compare, at(lhs).offset, from);
    }

    node_ref parse_add() {
        return parse_chain(expr_kind::sum, &parser::parse_mul, [](tok k) {
            return k == tok::plus ? expr_op::add : k == tok::minus ? expr_op::sub : expr_op::none;
        });
    }

    node_ref parse_mul() {
        return parse_chain(expr_kind::product, &parser::parse_unary, [](tok k) {
            return k == tok::star ? expr_op::mul : k == tok::slash ? expr_op::div : expr_op::none;
        });
    }

    node_ref parse_unary() {
        if (m_tok.kind != tok::minus) return parse_primary();
        return parse_prefix(expr_kind::negate, &parser::parse_unary);
    }

    node_ref parse_primary() {
        switch (m_tok.kind) {
            case tok::number:
            case tok::string:
            case tok::kw_true:
            case tok::kw_false:
            case tok::identifier: return parse_leaf();
            case tok::lparen: return parse_parenthesised();
            case tok::bad: return fail(m_tok.offset, "expr-syntax", m_tok.text);
            default:
                return fail(m_tok.offset, "expr-syntax", "expected a value, but found " + quoted(m_tok));
        }
    }

    node_ref parse_leaf() {
        if (!count_node(m_tok.offset)) return nullptr;
        const auto ref = make_node(expr_kind::literal, rel(m_tok.offset));
        expr_node& n = at(ref);
        switch (m_tok.kind) {
            case tok::number: n.literal = m_tok.number; break;
            case tok::string: n.literal = m_tok.text; break;
            case tok::kw_true: n.literal = true; break;
            case tok::kw_false: n.literal = false; break;
            default:
                n.kind = expr_kind::variable;
                n.name = m_tok.text;
                break;
        }
        advance();
        return ref;
    }

    node_ref parse_parenthesised() {
        const auto open = m_tok.offset;
        if (!enter(open)) return nullptr;
        advance();
        const auto inner = parse_or();
        leave();
        if (!inner) return nullptr;
        if (m_tok.kind == tok::bad) return fail(m_tok.offset, "expr-syntax", m_tok.text);
        // The open group is quoted rather than given a column: the diagnostic's own
        // position is a file column, and a second, expression-relative one only confuses.
        if (m_tok.kind != tok::rparen)
            return fail(m_tok.offset, "expr-syntax",
                        "expected ')' to close " + quote_source(trim_end(m_src.substr(open, m_tok.offset - open))));
        advance();
        return inner;
    }

    std::string_view m_src;
    lexer m_lexer;
    token m_tok;
    std::size_t m_prev_end = 0;
    std::size_t m_base = 0;
    int m_depth = 0;
    int m_nodes = 0;
    std::optional<expr_error> m_error;
    expr_scratch& m_build = scratch();

    static expr_scratch& scratch() {
        thread_local expr_scratch s;
        return s;
    }
};

template <typename T>
expr_result<T> failed(expr_error e) {
    expr_result<T> r;
    r.error = std::move(e);
    return r;
}

//-----------------------------------------------------------------------------
// [SECTION] Type checking
//-----------------------------------------------------------------------------

class checker {
public:
    // `base` is added to every error offset (an assignment's value inside its `set`).
    checker(const type_scope& scope, std::size_t base) : m_scope(scope), m_base(base) {}

    const std::optional<expr_error>& error() const { return m_error; }

    // The node's type: number, text or flag (a choice variable is text). nullopt on error.
    std::optional<var_type> check(const expr_node& n) {
        switch (n.kind) {
            case expr_kind::literal: return literal_type(n.literal);
            case expr_kind::variable: {
                const auto t = declared(n.name, n.offset);
                if (!t) return std::nullopt;
                return *t == var_type::choice ? var_type::text : *t;
            }
            case expr_kind::negate: {
                const auto& inner = *n.terms.front().operand;
                const auto t = check(inner);
                if (!t) return std::nullopt;
                if (*t != var_type::number)
                    return type_error(inner.offset, std::string("'-' needs a number, but this is ") + describe(*t));
                return var_type::number;
            }
            case expr_kind::logical_not: {
                const auto& inner = *n.terms.front().operand;
                const auto t = check(inner);
                if (!t) return std::nullopt;
                if (*t != var_type::flag)
                    return type_error(inner.offset,
                                      std::string("'not' needs true or false, but this is ") + describe(*t));
                return var_type::flag;
            }
            case expr_kind::sum: return check_sum(n);
            case expr_kind::product: {
                const auto t = check_all(n, var_type::number, "needs numbers");
                if (!t) return t;
                // Written as 0 it fails every time it runs (a condition false, a choice refused).
                for (std::size_t i = 1; i < n.terms.size(); ++i) {
                    const expr_node* d = n.terms[i].operand;
                    while (d->kind == expr_kind::negate && !d->terms.empty()) d = d->terms.front().operand;  // -0
                    const double* zero = d->kind == expr_kind::literal ? std::get_if<double>(&d->literal) : nullptr;
                    if (n.terms[i].op == expr_op::div && zero && *zero == 0)
                        return type_error(n.terms[i].operand->offset,
                                          "division by 0 fails whenever it runs; divide by another number");
                }
                return t;
            }
            case expr_kind::all_of:
            case expr_kind::any_of: return check_all(n, var_type::flag, "needs true or false");
            case expr_kind::compare: return check_compare(n);
        }
        return std::nullopt;
    }

    // The type of a variable, or an undeclared-variable error at `offset`.
    std::optional<var_type> declared(const std::string& name, std::size_t offset) {
        if (auto t = m_scope.type_of(name)) return t;
        if (name == today_variable) return var_type::date;
        std::string msg = "'" + name + "' is not a declared variable";
        const std::vector<std::string> names = m_scope.variable_names();
        // A bare word that is an option (impact == critical) is text left unquoted, and
        // yes/no are how flags are typed in forms, not written in expressions.
        std::string option_of;
        for (const std::string& v : names) {
            const std::vector<std::string> options = m_scope.options_of(v);
            if (std::find(options.begin(), options.end(), name) != options.end()) {
                option_of = v;
                break;
            }
        }
        const auto suggestion = closest_match(name, names);
        if (!option_of.empty())
            msg += "; to mean the option '" + name + "' of '" + option_of + "', quote it: '" + name + "'";
        else if (name == "yes" || name == "no")
            msg += std::string("; for a flag, write ") + (name == "yes" ? "true" : "false");
        else if (const std::string kw = keyword_spelling(name); !kw.empty())
            msg += "; keywords are lowercase: write '" + kw + "'";  // True, FALSE
        else if (!suggestion.empty())
            msg += "; did you mean '" + suggestion + "'?";
        else
            msg += "; declare it in <variables>";
        error_at(offset, "undeclared-variable", std::move(msg));
        return std::nullopt;
    }

    // What `n` can hold must fit choice variable `var`, which catches typos such as
    // plan == 'busines' (silently false) and plan = 'gld' (a value no option matches):
    // a text literal must be one of the options; another choice variable must have only
    // options of `var` when assigned to it, and at least one in common when compared.
    bool check_option(const std::string& var, const expr_node& n, bool assigning) {
        if (n.kind == expr_kind::variable) return check_choice_pair(var, n, assigning);
        if (n.kind != expr_kind::literal) return true;  // text built at run time
        const auto* text = std::get_if<std::string>(&n.literal);
        if (!text) return true;
        const auto options = m_scope.options_of(var);
        if (options.empty() || std::find(options.begin(), options.end(), *text) != options.end()) return true;
        std::string message = quote_source(*text) + " is not an option of " + var + " (" + comma_list(options) + ")";
        const std::string near = closest_match(*text, options);
        message += near.empty() ? "; use one of them, or add it to the options of " + var
                                : "; did you mean '" + near + "'?";
        error_at(n.offset, "expr-type", std::move(message));
        return false;
    }

    std::nullopt_t type_error(std::size_t offset, std::string message) {
        return error_at(offset, "expr-type", std::move(message));
    }

    // A text literal where the other side is a date must be a day, and then is a date:
    // `t` becomes date. False (with the error) when it is text that is no day.
    bool as_date(std::optional<var_type>& t, const expr_node& n, var_type other) {
        if (other != var_type::date || *t != var_type::text || n.kind != expr_kind::literal) return true;
        const auto* text = std::get_if<std::string>(&n.literal);
        if (!text) return true;
        if (parse_iso_day(*text)) {
            t = var_type::date;
            return true;
        }
        error_at(n.offset, "expr-type", quote_source(*text) + " is not a day: write dates as 'YYYY-MM-DD', e.g. '2026-12-24'");
        return false;
    }

private:
    static var_type literal_type(const value& v) {
        if (std::holds_alternative<bool>(v)) return var_type::flag;
        if (std::holds_alternative<double>(v)) return var_type::number;
        return var_type::text;
    }

    std::nullopt_t error_at(std::size_t offset, std::string code, std::string message) {
        if (!m_error) m_error = expr_error{m_base + offset, std::move(code), std::move(message)};
        return std::nullopt;
    }

    static const char* side(std::size_t index) { return index == 0 ? "left" : "right"; }


    // `n` is a variable: when it is another choice variable, its options must fit `var`'s.
    bool check_choice_pair(const std::string& var, const expr_node& n, bool assigning) {
        if (n.name == var || m_scope.type_of(n.name) != var_type::choice) return true;
        const auto want = m_scope.options_of(var);
        const auto have = m_scope.options_of(n.name);
        if (want.empty() || have.empty()) return true;
        const auto known = [&](const std::string& o) { return std::find(want.begin(), want.end(), o) != want.end(); };
        if (assigning) {
            const auto stray = std::find_if_not(have.begin(), have.end(), known);
            if (stray == have.end()) return true;
            error_at(n.offset, "expr-type",
                     n.name + " can be '" + *stray + "', which is not an option of " + var + " (" + comma_list(want) +
                         "); give both variables the options the call needs");
            return false;
        }
        if (std::any_of(have.begin(), have.end(), known)) return true;
        error_at(n.offset, "expr-type",
                 n.name + " (" + comma_list(have) + ") and " + var + " (" + comma_list(want) +
                     ") have no option in common, so they are never equal; compare each with one of its options");
        return false;
    }

    // Product, and, or: every operand must have type `want`.
    std::optional<var_type> check_all(const expr_node& n, var_type want, const char* needs) {
        for (std::size_t i = 0; i < n.terms.size(); ++i) {
            const auto& operand = *n.terms[i].operand;
            const auto t = check(operand);
            if (!t) return std::nullopt;
            if (*t != want) {
                const auto op = n.terms[i == 0 ? 1 : i].op;
                return type_error(operand.offset, std::string("'") + op_text(op) + "' " + needs +
                                                      " on both sides, but the " + side(i) + " side is " +
                                                      describe(*t));
            }
        }
        return want;
    }

    // + adds numbers or joins texts (never mixed); - only subtracts numbers.
    std::optional<var_type> check_sum(const expr_node& n) {
        auto acc = check(*n.terms.front().operand);
        if (!acc) return std::nullopt;
        for (std::size_t i = 1; i < n.terms.size(); ++i) {
            const auto& term = n.terms[i];
            auto t = check(*term.operand);
            if (!t) return std::nullopt;
            // An ISO day written beside a date is a date: '2026-12-24' - today.
            if (i == 1 && !as_date(acc, *n.terms.front().operand, *t)) return std::nullopt;
            if (!as_date(t, *term.operand, *acc)) return std::nullopt;
            if (*acc == var_type::date || *t == var_type::date) {
                const auto days = date_sum(*acc, *t, term, n);
                if (!days) return std::nullopt;
                acc = days;
                continue;
            }
            if (term.op == expr_op::sub) {
                if (*acc != var_type::number)
                    return type_error(n.terms.front().operand->offset,
                                      std::string("'-' needs numbers on both sides, but the left side is ") +
                                          describe(*acc));
                if (*t != var_type::number)
                    return type_error(term.operand->offset,
                                      std::string("'-' needs numbers on both sides, but the right side is ") +
                                          describe(*t));
                continue;
            }
            if (*acc == *t && (*t == var_type::number || *t == var_type::text)) continue;
            if (*acc == var_type::flag)
                return type_error(n.terms.front().operand->offset,
                                  "'+' adds numbers or joins texts, but the left side is true or false");
            if (*t == var_type::flag)
                return type_error(term.operand->offset,
                                  "'+' adds numbers or joins texts, but the right side is true or false");
            return type_error(term.op_offset, std::string("'+' cannot mix types: the left side is ") +
                                                  describe(*acc) + " and the right side is " + describe(*t));
        }
        return acc;
    }

    std::optional<var_type> check_compare(const expr_node& n) {
        const auto& lhs = *n.terms[0].operand;
        const auto& rhs = *n.terms[1].operand;
        const auto op = n.terms[1].op;
        auto lt = check(lhs);
        if (!lt) return std::nullopt;
        auto rt = check(rhs);
        if (!rt) return std::nullopt;
        // deadline < '2026-12-24': the text is read as a day, and must be one.
        if (!as_date(lt, lhs, *rt) || !as_date(rt, rhs, *lt)) return std::nullopt;
        if (*lt == var_type::date && *rt == var_type::date) return var_type::flag;
        if (op == expr_op::eq || op == expr_op::ne) {
            if (*lt != *rt)
                return type_error(n.terms[1].op_offset, std::string("'") + op_text(op) +
                                                            "' compares values of the same type, but the left side is " +
                                                            describe(*lt) + " and the right side is " + describe(*rt));
            // Catches typos such as plan == 'busines' that would otherwise be silently false.
            if (lhs.kind == expr_kind::variable && m_scope.type_of(lhs.name) == var_type::choice &&
                !check_option(lhs.name, rhs, false))
                return std::nullopt;
            if (rhs.kind == expr_kind::variable && m_scope.type_of(rhs.name) == var_type::choice &&
                !check_option(rhs.name, lhs, false))
                return std::nullopt;
            return var_type::flag;
        }
        if (*lt != var_type::number && *lt != var_type::date)
            return type_error(lhs.offset, std::string("'") + op_text(op) +
                                              "' compares numbers or dates, but the left side is " + describe(*lt));
        if (*rt != var_type::number && *rt != var_type::date)
            return type_error(rhs.offset, std::string("'") + op_text(op) +
                                              "' compares numbers or dates, but the right side is " + describe(*rt));
        if (*lt != *rt)
            return type_error(n.terms[1].op_offset, std::string("'") + op_text(op) +
                                                        "' compares values of the same type, but the left side is " +
                                                        describe(*lt) + " and the right side is " + describe(*rt));
        return var_type::flag;
    }

    // A date with days added or taken away is a date; a date taken from a date is days.
    std::optional<var_type> date_sum(var_type acc, var_type t, const expr_term& term, const expr_node& n) {
        const bool sub = term.op == expr_op::sub;
        if (acc == var_type::date && t == var_type::number) return var_type::date;
        if (!sub && acc == var_type::number && t == var_type::date) return var_type::date;
        if (sub && acc == var_type::date && t == var_type::date) return var_type::number;
        if (acc == var_type::date && t == var_type::date)
            return type_error(term.op_offset, "'+' cannot add two dates; take one from the other for the days between");
        if (sub && t == var_type::date)
            return type_error(n.terms.front().operand->offset,
                              std::string("'-' takes a date from a date, but the left side is ") + describe(acc));
        const bool left_date = acc == var_type::date;
        return type_error(left_date ? term.operand->offset : n.terms.front().operand->offset,
                          std::string("'") + op_text(term.op) + "' adds days (a number) to a date, but the " +
                              (left_date ? "right" : "left") + " side is " + describe(left_date ? t : acc));
    }

    const type_scope& m_scope;
    std::size_t m_base;
    std::optional<expr_error> m_error;
};

//-----------------------------------------------------------------------------
// [SECTION] Evaluation
//-----------------------------------------------------------------------------

// Type checking makes most runtime errors impossible, but evaluate() must stay safe for
// unchecked expressions and unexpected values, so every operation checks its operands.
class evaluator {
public:
    explicit evaluator(const value_scope& scope) : m_scope(scope) {}

    const std::string& error() const { return m_error; }

    std::optional<value> eval(const expr_node& n) {
        switch (n.kind) {
            case expr_kind::literal: return n.literal;
            case expr_kind::variable: {
                auto v = m_scope.value_of(n.name);
                if (!v) return fail("variable '" + n.name + "' has no value yet");
                return v;
            }
            case expr_kind::negate: {
                const auto v = eval(*n.terms.front().operand);
                if (!v) return std::nullopt;
                const auto* d = std::get_if<double>(&*v);
                if (!d) return fail("'-' needs a number");
                return -*d;
            }
            case expr_kind::logical_not: {
                const auto v = eval(*n.terms.front().operand);
                if (!v) return std::nullopt;
                const auto* b = std::get_if<bool>(&*v);
                if (!b) return fail("'not' needs true or false");
                return !*b;
            }
            case expr_kind::sum:
            case expr_kind::product: return eval_arithmetic(n);
            case expr_kind::all_of:
            case expr_kind::any_of: return eval_logic(n);
            case expr_kind::compare: return eval_compare(n);
        }
        return fail("unknown expression");
    }

private:
    std::nullopt_t fail(std::string message) {
        if (m_error.empty()) m_error = std::move(message);
        return std::nullopt;
    }

    std::optional<value> eval_arithmetic(const expr_node& n) {
        auto acc = eval(*n.terms.front().operand);
        if (!acc) return std::nullopt;
        for (std::size_t i = 1; i < n.terms.size(); ++i) {
            const auto& term = n.terms[i];
            auto rhs = eval(*term.operand);
            if (!rhs) return std::nullopt;
            if (term.op == expr_op::add) {
                auto* ls = std::get_if<std::string>(&*acc);
                const auto* rs = std::get_if<std::string>(&*rhs);
                if (ls && rs) {
                    if (ls->size() + rs->size() > max_text_bytes)
                        return fail("text too long (over " + std::to_string(max_text_bytes) + " bytes)");
                    *ls += *rs;
                    continue;
                }
            }
            if (term.op == expr_op::add || term.op == expr_op::sub) {
                // Dates are ISO days: date ± days, days + date, date - date.
                const auto day = [](const value& v) -> std::optional<std::int64_t> {
                    const auto* text = std::get_if<std::string>(&v);
                    return text ? parse_iso_day(*text) : std::nullopt;
                };
                const auto ld = day(*acc), rd = day(*rhs);
                const auto* ln = std::get_if<double>(&*acc);
                const auto* rn = std::get_if<double>(&*rhs);
                if (ld && rd && term.op == expr_op::sub) {
                    acc = static_cast<double>(*ld - *rd);
                    continue;
                }
                if ((ld && rn) || (rd && ln && term.op == expr_op::add)) {
                    const double days = ld ? *rn : *ln;
                    if (std::trunc(days) != days || std::fabs(days) > 4'000'000)
                        return fail("a date moves by whole days, not " + to_display(days));
                    const std::int64_t moved = (ld ? *ld : *rd) + (term.op == expr_op::sub ? -1 : 1) *
                                                                     static_cast<std::int64_t>(days);
                    const std::string shown = format_iso_day(moved);
                    if (parse_iso_day(shown) != moved) return fail("the date is beyond the year 9999 or before 0000");
                    acc = shown;
                    continue;
                }
            }
            const auto* l = std::get_if<double>(&*acc);
            const auto* r = std::get_if<double>(&*rhs);
            if (!l || !r)
                return fail(std::string("'") + op_text(term.op) + "' needs " +
                            (term.op == expr_op::add ? "two numbers or two texts" : "numbers"));
            double result = 0;
            switch (term.op) {
                case expr_op::add: result = *l + *r; break;
                case expr_op::sub: result = *l - *r; break;
                case expr_op::mul: result = *l * *r; break;
                case expr_op::div:
                    if (*r == 0) return fail("division by zero");
                    result = *l / *r;
                    break;
                default: return fail("unknown operator");
            }
            if (!std::isfinite(result)) return fail("number too large");
            acc = result;
        }
        return acc;
    }

    // and/or stop at the first operand that decides the result: later ones are not
    // evaluated, so `x_set and x > 1` is safe.
    std::optional<value> eval_logic(const expr_node& n) {
        const bool is_and = n.kind == expr_kind::all_of;
        for (const auto& term : n.terms) {
            const auto v = eval(*term.operand);
            if (!v) return std::nullopt;
            const auto* b = std::get_if<bool>(&*v);
            if (!b) return fail(std::string("'") + (is_and ? "and" : "or") + "' needs true or false");
            if (*b != is_and) return *b;
        }
        return is_and;
    }

    std::optional<value> eval_compare(const expr_node& n) {
        const auto lhs = eval(*n.terms[0].operand);
        if (!lhs) return std::nullopt;
        const auto rhs = eval(*n.terms[1].operand);
        if (!rhs) return std::nullopt;
        const auto op = n.terms[1].op;
        if (op == expr_op::eq || op == expr_op::ne) {
            if (lhs->index() != rhs->index())
                return fail(std::string("'") + op_text(op) + "' compares values of different types");
            return (*lhs == *rhs) == (op == expr_op::eq);
        }
        const auto* ls = std::get_if<std::string>(&*lhs);
        const auto* rs = std::get_if<std::string>(&*rhs);
        if (ls && rs && parse_iso_day(*ls) && parse_iso_day(*rs)) {
            // ISO days sort as text in the order of time.
            switch (op) {
                case expr_op::lt: return *ls < *rs;
                case expr_op::le: return *ls <= *rs;
                case expr_op::gt: return *ls > *rs;
                case expr_op::ge: return *ls >= *rs;
                default: return fail("unknown operator");
            }
        }
        const auto* l = std::get_if<double>(&*lhs);
        const auto* r = std::get_if<double>(&*rhs);
        if (!l || !r) return fail(std::string("'") + op_text(op) + "' compares numbers or dates only");
        switch (op) {
            case expr_op::lt: return *l < *r;
            case expr_op::le: return *l <= *r;
            case expr_op::gt: return *l > *r;
            case expr_op::ge: return *l >= *r;
            default: return fail("unknown operator");
        }
    }

    const value_scope& m_scope;
    std::string m_error;
};

void collect_variables(const expr_node& n, std::vector<std::string>& out, std::unordered_set<std::string>& seen) {
    if (n.kind == expr_kind::variable) {
        if (seen.insert(n.name).second) out.push_back(n.name);
        return;
    }
    for (const auto& term : n.terms) collect_variables(*term.operand, out, seen);
}

}  // namespace

//-----------------------------------------------------------------------------
// Public API
//-----------------------------------------------------------------------------

expr_result<expression> parse_expression(std::string_view source) {
    parser p(source);
    if (p.current().kind == tok::end)
        return failed<expression>(expr_error{p.current().offset, "expr-syntax", "the expression is empty"});
    p.begin_expression(0);
    const auto root = p.parse_or();
    if (root && p.current().kind != tok::end) p.fail_trailing("; is an operator such as 'and' missing?");
    if (p.error()) return failed<expression>(*p.error());
    expr_result<expression> r;
    r.result = expression(p.finish(root), std::string(source));
    return r;
}

expr_result<std::vector<assignment>> parse_assignments(std::string_view source) {
    using result_type = std::vector<assignment>;
    parser p(source);
    result_type list;
    while (true) {
        const token& t = p.current();
        if (t.kind == tok::semicolon) {
            p.advance();
            continue;
        }
        if (t.kind == tok::end) break;
        if (t.kind == tok::bad) return failed<result_type>(expr_error{t.offset, "expr-syntax", t.text});
        if (t.kind != tok::identifier) {
            const bool keyword = t.kind == tok::kw_and || t.kind == tok::kw_or || t.kind == tok::kw_not ||
                                 t.kind == tok::kw_true || t.kind == tok::kw_false;
            return failed<result_type>(expr_error{
                t.offset, "expr-syntax",
                keyword ? p.quoted(t) + " is a keyword, not a variable name"
                        : "expected a variable name to assign to, but found " + p.quoted(t)});
        }
        assignment a;
        a.variable = t.text;
        a.variable_offset = t.offset;
        p.advance();
        const token& eq = p.current();
        if (eq.kind != tok::assign) {
            std::string msg = "expected '=' after '" + a.variable + "'";
            if (eq.kind == tok::eq) msg += "; assign with a single '=' (write '==' only to compare)";
            return failed<result_type>(expr_error{eq.offset, "expr-syntax", std::move(msg)});
        }
        p.advance();
        const token& start = p.current();
        if (start.kind == tok::end || start.kind == tok::semicolon)
            return failed<result_type>(
                expr_error{start.kind == tok::end ? source.size() : start.offset, "expr-syntax",
                           "expected a value after '" + a.variable + " ='"});
        const auto value_start = start.offset;
        p.begin_expression(value_start);
        const auto root = p.parse_or();
        if (!root) return failed<result_type>(*p.error());
        const auto value_end = p.previous_end();
        a.value = expression(p.finish(root), std::string(source.substr(value_start, value_end - value_start)));
        a.value_offset = value_start;
        list.push_back(std::move(a));
        if (p.current().kind == tok::end) break;
        if (p.current().kind != tok::semicolon) {
            p.fail_trailing("; separate assignments with ';'");
            return failed<result_type>(*p.error());
        }
        p.advance();
    }
    expr_result<result_type> r;
    r.result = std::move(list);
    return r;
}

expr_result<var_type> check_expression(const expression& e, const type_scope& scope) {
    if (e.empty()) return failed<var_type>(expr_error{0, "expr-syntax", "the expression is empty"});
    checker c(scope, 0);
    const auto t = c.check(*e.root());
    if (!t) return failed<var_type>(*c.error());
    expr_result<var_type> r;
    r.result = *t;
    return r;
}

std::optional<expr_error> check_condition(const expression& e, const type_scope& scope) {
    const auto r = check_expression(e, scope);
    if (!r) return r.error;
    if (*r.result != var_type::flag)
        return expr_error{e.root()->offset, "expr-type",
                          std::string("condition must be true or false, but this is ") + describe(*r.result)};
    return std::nullopt;
}

std::optional<expr_error> check_assignments(const std::vector<assignment>& list, const type_scope& scope) {
    for (const auto& a : list) {
        checker names(scope, 0);
        const auto target = names.declared(a.variable, a.variable_offset);
        if (!target) return *names.error();
        // Offsets inside the value count from its start in the `set` source.
        checker c(scope, a.value_offset);
        if (a.value.empty())
            return expr_error{a.variable_offset, "expr-syntax", "'" + a.variable + "' is assigned no value"};
        const auto& root = *a.value.root();
        auto t = c.check(root);
        if (!t) return *c.error();
        if (!c.as_date(t, root, *target)) return *c.error();
        const auto want = *target == var_type::choice ? var_type::text : *target;
        if (*t != want)
            return expr_error{a.value_offset + root.offset, "expr-type",
                              "'" + a.variable + "' holds " + describe(*target) + ", but this value is " +
                                  describe(*t)};
        if (*target == var_type::choice && !c.check_option(a.variable, root, true)) return *c.error();
    }
    return std::nullopt;
}

eval_result evaluate(const expression& e, const value_scope& scope) {
    eval_result r;
    if (e.empty()) {
        r.error = "the expression is empty";
        return r;
    }
    evaluator ev(scope);
    r.result = ev.eval(*e.root());
    if (!r.result) r.error = ev.error().empty() ? "evaluation failed" : ev.error();
    return r;
}

std::vector<std::string> variables_read(const expression& e) {
    std::vector<std::string> out;
    if (e.empty()) return out;
    std::unordered_set<std::string> seen;
    collect_variables(*e.root(), out, seen);
    return out;
}

}  // namespace signpost
