#include "signpost/session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <regex>
#include <unordered_map>
#include <utility>

#include "signpost/calendar_date.hpp"
#include "signpost/clock.hpp"
#include "signpost/expr.hpp"
#include "signpost/text.hpp"

namespace signpost {

// [SECTION] Names and clocks

const char* to_string(session_status s) {
    switch (s) {
        case session_status::active: return "active";
        case session_status::completed: return "completed";
        case session_status::escalated: return "escalated";
        case session_status::abandoned: return "abandoned";
    }
    return "active";
}

const char* to_string(event_kind k) {
    switch (k) {
        case event_kind::start: return "start";
        case event_kind::enter: return "enter";
        case event_kind::choose: return "choose";
        case event_kind::back: return "back";
        case event_kind::restart: return "restart";
        case event_kind::field: return "field";
        case event_kind::note: return "note";
        case event_kind::end: return "end";
    }
    return "enter";
}

std::int64_t system_clock::now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// [SECTION] Helpers

namespace {

// Logic and jump nodes move on by themselves; a tree whose logic loops forever must not
// hang the player, so one agent action may cause at most this many such moves.
constexpr int max_automatic_moves = 10000;

using variable_map = std::map<std::string, value>;

// Values set so far by one choice (`top`, may be null) over the session's variables, and
// `today` (the agent's calendar day) unless the tree declares a variable of that name.
class call_scope final : public value_scope {
public:
    call_scope(const variable_map* top, const variable_map& base, const std::string& today)
        : m_top(top), m_base(base), m_today(today) {}
    std::optional<value> value_of(std::string_view name) const override {
        const std::string key(name);
        if (m_top)
            if (auto it = m_top->find(key); it != m_top->end()) return it->second;
        if (auto it = m_base.find(key); it != m_base.end()) return it->second;
        if (name == today_variable) return m_today;
        return std::nullopt;
    }

private:
    const variable_map* m_top;
    const variable_map& m_base;
    const std::string& m_today;
};

// A condition that cannot be evaluated (unset variable, division by zero) counts as false.
bool holds(const expression& e, const variable_map& vars, const std::string& today) {
    if (e.empty()) return true;
    eval_result r = evaluate(e, call_scope(nullptr, vars, today));
    return r.result && std::holds_alternative<bool>(*r.result) && std::get<bool>(*r.result);
}

// Texts are Markdown: a value typed by an agent ("john_doe", "A*B") must show as typed,
// not turn into emphasis or a link, so its Markdown punctuation is escaped.
std::string markdown_escaped(const std::string& plain) {
    std::string out;
    out.reserve(plain.size());
    for (char c : plain) {
        if (c == '\\' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']' || c == '<' || c == '&') out += '\\';
        out += c;
    }
    return out;
}

std::string node_title(const node& n) { return n.title.empty() ? n.id : n.title; }

// Longest field input accepted, in characters (UTF-8 code points).
constexpr std::size_t max_input_length = 1000;

std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u; }));
}

std::string trim(std::string_view s) {
    const char* space = " \t\r\n";
    std::size_t b = s.find_first_not_of(space);
    if (b == std::string_view::npos) return {};
    std::size_t e = s.find_last_not_of(space);
    return std::string(s.substr(b, e - b + 1));
}

// A field pattern compiled once: null when it cannot be checked. A pattern std::regex
// cannot compile is reported instead of thrown: the loader should have refused it, but
// trees can be built in memory.
std::unique_ptr<const std::regex> compile_pattern(const std::string& pattern) {
    // std::regex backtracks without limit: a risky pattern could freeze the call.
    if (pattern_risk(pattern)) return nullptr;
    // pattern_risk cannot see every exponential case (a?a?a?...aaa backtracks too), so
    // libstdc++ is asked for its breadth-first matcher, polynomial in the input, which it
    // offers for patterns without backreferences (pattern_risk refused those).
    auto flags = std::regex::ECMAScript;
#if defined(__GLIBCXX__)
    flags |= std::regex_constants::__polynomial;
#endif
    try {
        return std::make_unique<const std::regex>(pattern, flags);
    } catch (const std::regex_error&) {
        return nullptr;
    }
}

std::string format_utc(std::int64_t ms) {
    using namespace std::chrono;
    sys_time<milliseconds> tp{milliseconds{ms}};
    auto day = floor<days>(tp);
    year_month_day ymd{day};
    hh_mm_ss<seconds> hms{floor<seconds>(tp) - day};
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
}

std::string format_duration(std::int64_t ms) {
    // Rounded as the report rounds (13,972 ms is 14 s there): a ticket and the report agree.
    std::int64_t total = (std::max<std::int64_t>(ms, 0) + 500) / 1000;
    std::int64_t h = total / 3600, m = total / 60 % 60, s = total % 60;
    if (h > 0) return fmt::format("{}h {:02}m {:02}s", h, m, s);
    if (m > 0) return fmt::format("{}m {:02}s", m, s);
    return fmt::format("{}s", s);
}

// Continuation lines of a multi-line text, indented to sit under its first line.
std::string indent_rest(const std::string& text, std::size_t width) {
    std::string out;
    for (char c : text) {
        out += c;
        if (c == '\n') out.append(width, ' ');
    }
    return out;
}

action_result failure(std::string message) {
    action_result r;
    r.ok = false;
    r.error = std::move(message);
    return r;
}

constexpr const char* ended_message = "The call has ended";

}  // namespace

// [SECTION] State

namespace {
struct call_frame {
    std::shared_ptr<const tree> caller;
    std::string return_node;  // in `caller`; empty = the sub-tree's end ends the call
};
}  // namespace

struct session::state {
    std::shared_ptr<const tree> where;  // tree of the current node
    std::string node_id;
    std::vector<call_frame> calls;
    variable_map vars;
    // Variables that hold their declared default, not set by this call: a form shows them
    // empty (the default is no answer the caller gave, and need not match the field's pattern).
    std::set<std::string> defaults;
    std::string stuck;
};

struct session::undo_step {
    // Position before the action (small: replaced wholesale, not diffed).
    std::shared_ptr<const tree> where;
    std::string node_id;
    std::string stuck;
    // Call frames below `calls_kept` are untouched; the ones the action returned from at or
    // above it are in `calls_returned`, most recent first. Frames the action pushed are
    // simply dropped on undo.
    std::size_t calls_kept = 0;
    std::vector<call_frame> calls_returned;
    // Each variable the action set, with its value before (none = it was unset) and whether
    // that was its declared default, in order.
    struct old_value {
        std::string name;
        std::optional<value> before;
        bool was_default = false;
    };
    std::vector<old_value> old_values;
    // The breadcrumb only grows, and only its last entry is changed (answer, captured fields).
    std::size_t crumb_count = 0;
    std::string last_answer;
    std::size_t last_field_count = 0;
};

// Per session, not per tree: a tree is shared by sessions on other threads, this is not.
// Its size is bounded by the patterns of the trees the call passes through.
struct session::pattern_cache {
    std::unordered_map<std::string, std::unique_ptr<const std::regex>> compiled;

    // Whole-input match of a field's pattern, compiled on first use: what is wrong, if anything.
    std::optional<std::string> check(const field& f, const std::string& input) {
        const std::string& pattern = f.pattern;
        auto it = compiled.find(pattern);
        if (it == compiled.end()) it = compiled.emplace(pattern, compile_pattern(pattern)).first;
        if (!it->second) return "Cannot check the pattern " + pattern;
        try {
            if (std::regex_match(input, *it->second)) return std::nullopt;
        } catch (const std::regex_error&) {  // too complex to run on this input
            return "Cannot check the pattern " + pattern;
        }
        // Agents do not read regular expressions: the example the field shows, when it has one.
        if (!f.placeholder.empty()) {
            // "e.g. +1 555 0100" would read "Should look like e.g. +1 555 0100".
            std::string_view example = f.placeholder;
            if (lower_ascii(example.substr(0, 4)) == "e.g.") example.remove_prefix(4);
            while (!example.empty() && (example.front() == ' ' || example.front() == ',' || example.front() == ':'))
                example.remove_prefix(1);
            return "Should look like " + std::string(example.empty() ? std::string_view(f.placeholder) : example);
        }
        return "Must match " + pattern;
    }
};

// Pins the session's time for one agent action; nested actions (none today) keep the outer time.
class session::action_clock {
public:
    explicit action_clock(session& s) : m_session(s), m_owner(!s.m_action_ms) {
        if (m_owner) s.m_action_ms = s.m_clock.now_ms();
    }
    ~action_clock() {
        if (m_owner) m_session.m_action_ms.reset();
    }
    action_clock(const action_clock&) = delete;
    action_clock& operator=(const action_clock&) = delete;

private:
    session& m_session;
    bool m_owner;
};

std::int64_t session::now() { return m_action_ms ? *m_action_ms : m_clock.now_ms(); }

std::string session::today_iso() {
    // Asked several times per action (arrive, the view, a choice's sets), at the action's
    // one pinned time: worked out once for it.
    if (const std::int64_t at = now(); at != m_today_ms || m_today.empty()) {
        m_today = format_iso_day(local_day(at));
        m_today_ms = at;
    }
    return m_today;
}

session::session(std::shared_ptr<const tree> root, const tree_library* library, clock& clk, event_sink* sink,
                 std::string agent)
    : m_root(std::move(root)),
      m_library(library),
      m_clock(clk),
      m_sink(sink),
      m_agent(neutralise_controls(agent)),
      m_patterns(std::make_unique<pattern_cache>()) {
    assert(m_root && "a session needs a tree");
    action_clock pinned(*this);
    m_started_ms = now();
    m_state = std::make_unique<state>();
    m_state->where = m_root;
    m_state->node_id = m_root->start;
    emit(event_kind::start, m_root->id, m_root->start, -1, m_agent);
    begin();
}

session::~session() = default;

void session::emit(event_kind kind, const std::string& tree_id, const std::string& node, int choice,
                   std::string detail, std::string outcome, std::string priority) {
    event e;
    e.kind = kind;
    e.time_ms = now();
    e.sequence = m_sequence++;
    e.tree_id = tree_id;
    e.node = node;
    e.choice = choice;
    e.detail = std::move(detail);
    e.outcome = std::move(outcome);
    e.priority = std::move(priority);
    if (m_sink) m_sink->on_event(e);
}

void session::begin() {
    m_state = std::make_unique<state>();
    m_history.clear();
    m_crumbs.clear();
    init_variables(*m_root);
    arrive(m_root, m_root->start);
    refresh_view();
}

bool session::is_private(const std::string& name) const { return m_private_names.contains(name); }

void session::init_variables(const tree& t) {
    for (const variable& v : t.variables) {
        if (v.is_private) m_private_names.insert(v.name);
        if (v.default_value && !m_state->vars.contains(v.name)) set_variable(v.name, *v.default_value, true);
    }
}

void session::push_history() {
    undo_step step;
    step.where = m_state->where;
    step.node_id = m_state->node_id;
    step.stuck = m_state->stuck;
    step.calls_kept = m_state->calls.size();
    step.crumb_count = m_crumbs.size();
    if (!m_crumbs.empty()) {
        step.last_answer = m_crumbs.back().answer;
        step.last_field_count = m_crumbs.back().fields.size();
    }
    m_history.push_back(std::move(step));
}

// Every action that changes anything pushes its step first, and begin() empties the
// history before it moves, so the last step is always the action under way.
session::undo_step* session::open_step() { return m_history.empty() ? nullptr : &m_history.back(); }

void session::set_variable(const std::string& name, value v, bool is_default) {
    auto [it, added] = m_state->vars.try_emplace(name);
    const bool was_default = m_state->defaults.contains(name);
    if (undo_step* step = open_step())
        step->old_values.push_back({name, added ? std::nullopt : std::optional<value>(std::move(it->second)), was_default});
    it->second = std::move(v);
    if (is_default) m_state->defaults.insert(name);
    else if (was_default) m_state->defaults.erase(name);
}

void session::add_crumb(const tree& t, const node& n) {
    crumb c;
    c.tree_id = t.id;
    c.node_id = n.id;
    c.title = node_title(n);
    c.entered_ms = now();
    m_crumbs.push_back(std::move(c));
}

// [SECTION] Moving

void session::arrive(std::shared_ptr<const tree> t, std::string node_id, std::string how) {
    const std::string today = today_iso();
    state& st = *m_state;
    st.stuck.clear();
    m_passed.clear();
    int moves = 0;
    // Every automatic move is counted before it has any effect, so a runaway stops on
    // the node that would have moved again, with nothing half done.
    auto count_move = [&] {
        if (++moves <= max_automatic_moves) return true;
        st.stuck = fmt::format("Runaway loop: more than {} automatic moves without reaching a step for the agent "
                               "(stopped at '{}')",
                               max_automatic_moves, st.node_id);
        return false;
    };
    for (;;) {
        st.where = t;
        st.node_id = node_id;
        const node* n = t->find(node_id);
        if (!n) {
            st.stuck = fmt::format("The script has no node '{}' in tree '{}'", node_id, t->id);
            return;
        }
        emit(event_kind::enter, t->id, n->id, -1, std::move(how));
        how.clear();  // the moves that follow on their own are links
        switch (n->kind) {
            case node_kind::question:
            case node_kind::step:
            case node_kind::form: add_crumb(*t, *n); return;
            case node_kind::escalate:
                add_crumb(*t, *n);
                finish(session_status::escalated, *n);
                return;
            case node_kind::end:
                if (!st.calls.empty() && !st.calls.back().return_node.empty()) {
                    if (!count_move()) return;
                    // A frame that was there before this action must come back on undo.
                    if (undo_step* step = open_step(); step && st.calls.size() == step->calls_kept) {
                        step->calls_returned.push_back(st.calls.back());
                        --step->calls_kept;
                    }
                    if (!n->text.empty() || !n->hint.empty())
                        m_passed.push_back({t->title.empty() ? t->id : t->title, node_title(*n), fill_in(*t, n->text),
                                            fill_in(*t, n->hint)});
                    call_frame frame = std::move(st.calls.back());
                    st.calls.pop_back();
                    t = std::move(frame.caller);
                    node_id = std::move(frame.return_node);
                    continue;
                }
                add_crumb(*t, *n);
                finish(session_status::completed, *n);
                return;
            case node_kind::logic: {
                if (!count_move()) return;
                const std::string* target = nullptr;
                for (const branch& b : n->branches) {
                    if (holds(b.condition, st.vars, today)) {
                        target = &b.to;
                        break;
                    }
                }
                if (!target && !n->otherwise.empty()) target = &n->otherwise;
                if (!target) {
                    st.stuck = fmt::format("No branch of '{}' matched and it has no otherwise", n->id);
                    return;
                }
                node_id = *target;
                continue;
            }
            case node_kind::jump: {
                if (!count_move()) return;
                if (!m_library) {
                    st.stuck = fmt::format("Cannot open tree '{}': no tree library to look it up in", n->tree_ref);
                    return;
                }
                tree_library::lookup found = m_library->get(n->tree_ref);
                if (!found.found) {
                    std::string why = "it was not found";
                    for (const diagnostic& d : found.problems) {
                        if (d.level == severity::error) {
                            why = d.message;
                            break;
                        }
                    }
                    st.stuck = fmt::format("Cannot open tree '{}': {}", n->tree_ref, why);
                    return;
                }
                st.calls.push_back({t, n->to});
                init_variables(*found.found);
                t = std::move(found.found);
                node_id = t->start;
                continue;
            }
        }
        return;  // unreachable: every kind is handled above
    }
}

void session::finish(session_status s, const node& end_node) {
    m_status = s;
    m_ended_ms = now();
    const std::string& tree_id = m_state->where->id;
    if (s == session_status::escalated) {
        m_team = end_node.team;
        m_priority = end_node.priority.empty() ? "normal" : end_node.priority;
        // The summary is filled in with the values at hand-off time, as the view shows it.
        refresh_view();
        m_handoff = m_view.text;
        // Logged with the team so reports can count urgent hand-offs per team.
        emit(event_kind::end, tree_id, end_node.id, -1, to_string(s), m_team, m_priority);
    } else {
        m_outcome = end_node.outcome;
        emit(event_kind::end, tree_id, end_node.id, -1, to_string(s), m_outcome);
    }
}

// Unset variables show as nothing; names the tree does not declare stay as written.
std::function<std::optional<std::string>(std::string_view)> session::variable_lookup(const tree& t) const {
    return [this, &t](std::string_view name) -> std::optional<std::string> {
        const state& st = *m_state;
        if (auto it = st.vars.find(std::string(name)); it != st.vars.end())
            return markdown_escaped(to_display(it->second));
        if (t.find_variable(name)) return std::string();
        if (name == today_variable) return m_today;
        return std::nullopt;
    };
}

std::string session::fill_in(const tree& t, const std::string& text) const {
    return interpolate(text, variable_lookup(t));
}

void session::refresh_view() {
    const std::string today = today_iso();
    const state& st = *m_state;
    view v;
    v.tree_ptr = st.where.get();
    v.jump_depth = static_cast<int>(st.calls.size());
    v.end_returns = !st.calls.empty() && !st.calls.back().return_node.empty();
    v.stuck = st.stuck;
    const tree& t = *st.where;
    const node* n = t.find(st.node_id);
    v.node_ptr = n;
    v.title = n ? node_title(*n) : st.node_id;
    v.passed = m_passed;
    if (n) {
        const auto lookup = variable_lookup(t);
        v.text = interpolate(n->text, lookup);
        v.hint = interpolate(n->hint, lookup);
        if (n->kind == node_kind::question) {
            for (std::size_t i = 0; i < n->choices.size(); ++i) {
                const choice& c = n->choices[i];
                if (c.condition && !holds(*c.condition, st.vars, today)) continue;
                view_choice vc;
                vc.index = static_cast<int>(i);
                vc.label = interpolate(c.label, lookup);
                vc.to = c.to;
                v.choices.push_back(std::move(vc));
            }
            if (v.choices.empty() && v.stuck.empty())
                v.stuck = fmt::format("None of the answers of '{}' applies (every one has a condition that is false); "
                                      "go back or end the call",
                                      v.title);
        }
        if (n->kind == node_kind::form) {
            for (const field& f : n->fields) {
                view_field vf;
                vf.variable = f.variable;
                vf.label = field_label(t, f);
                if (const variable* var = t.find_variable(f.variable)) {
                    vf.type = var->type;
                    vf.options = var->options;
                }
                vf.required = f.required;
                vf.pattern = f.pattern;
                vf.placeholder = f.placeholder;
                vf.is_private = is_private(f.variable);
                if (auto it = st.vars.find(f.variable); it != st.vars.end())
                    (st.defaults.contains(f.variable) ? vf.default_value : vf.value) = to_display(it->second);
                v.fields.push_back(std::move(vf));
            }
        }
    }
    m_view = std::move(v);
}

// [SECTION] Agent actions

action_result session::choose(int visible) {
    if (finished()) return failure(ended_message);
    const node* n = m_view.node_ptr;
    if (!n || n->kind != node_kind::question || !m_view.stuck.empty()) return failure("This step is not a question");
    if (visible < 0 || static_cast<std::size_t>(visible) >= m_view.choices.size())
        return failure(fmt::format("There is no choice {} here", visible + 1));

    const view_choice& shown = m_view.choices[static_cast<std::size_t>(visible)];
    const choice& c = n->choices[static_cast<std::size_t>(shown.index)];
    // Assignments run in order, each seeing the ones before it, into a side map over the
    // variables (not a copy of them); any failure leaves the session exactly as it was.
    const std::string today = today_iso();
    variable_map assigned;
    for (const assignment& a : c.sets) {
        eval_result r = evaluate(a.value, call_scope(&assigned, m_state->vars, today));
        if (!r.result) return failure(fmt::format("Cannot set {}: {}", a.variable, r.error));
        // The checker catches literals; text made at run time (a text variable, a sum) can
        // still miss the options, and a choice outside them would mislead every later step.
        if (const variable* v = m_state->where->find_variable(a.variable); v && v->type == var_type::choice) {
            const auto* text = std::get_if<std::string>(&*r.result);
            if (text && std::find(v->options.begin(), v->options.end(), *text) == v->options.end()) {
                std::string options;
                for (const std::string& o : v->options) options += (options.empty() ? "" : ", ") + o;
                return failure(fmt::format("Cannot set {}: '{}' is not one of its options ({})", a.variable,
                                           *text, options));
            }
        }
        assigned[a.variable] = std::move(*r.result);
    }

    const int index = shown.index;
    const std::string answer = shown.label;
    action_clock pinned(*this);
    push_history();
    for (auto& [name, v] : assigned) set_variable(name, std::move(v));
    emit(event_kind::choose, m_state->where->id, n->id, index, c.label);
    if (!m_crumbs.empty()) m_crumbs.back().answer = answer;
    arrive(m_state->where, c.to);
    refresh_view();
    return {};
}

action_result session::next() {
    if (finished()) return failure(ended_message);
    const node* n = m_view.node_ptr;
    if (!n || n->kind != node_kind::step || !m_view.stuck.empty()) return failure("This step has no Continue");
    action_clock pinned(*this);
    push_history();
    if (!m_crumbs.empty()) m_crumbs.back().answer = "Continue";
    arrive(m_state->where, n->to);
    refresh_view();
    return {};
}

action_result session::submit(const std::map<std::string, std::string>& inputs) {
    if (finished()) return failure(ended_message);
    const node* n = m_view.node_ptr;
    if (!n || n->kind != node_kind::form || !m_view.stuck.empty()) return failure("This step is not a form");
    const tree& t = *m_state->where;

    std::vector<field_error> errors;
    std::vector<std::pair<const field*, value>> captured;
    for (const field& f : n->fields) {
        auto it = inputs.find(f.variable);
        // Pasted input often carries stray spaces or a newline; they are never meant.
        // Typed text reaches the log, reports and terminals: no control characters or
        // invalid UTF-8 (a console can be fed any bytes).
        const std::string input = it == inputs.end() ? std::string() : trim(neutralise_controls(it->second));
        const variable* var = t.find_variable(f.variable);
        const var_type type = var ? var->type : var_type::text;
        // std::regex recurses once per character: a bounded input keeps the stack bounded.
        if (code_points(input) > max_input_length) {
            errors.push_back({f.variable, fmt::format("Too long: at most {} characters", max_input_length)});
            continue;
        }
        if (input.empty()) {
            if (f.required) errors.push_back({f.variable, "Required"});
            continue;
        }
        std::optional<value> parsed;
        if (type == var_type::date) {
            // What the agent typed ("fri", "4 Dec") is read against the agent's today, and a
            // refusal says what to type.
            const typed_date d = read_typed_date(input, local_day(now()));
            if (!d.days) {
                errors.push_back({f.variable, d.error});
                continue;
            }
            parsed = format_iso_day(*d.days);
        } else {
            parsed = parse_value(type, input);
        }
        if (!parsed) {
            errors.push_back({f.variable, type == var_type::number ? "Not a number"
                                          : type == var_type::flag ? "Must be yes or no"
                                                                   : "Not a valid value"});
            continue;
        }
        if (type == var_type::choice && var &&
            std::find(var->options.begin(), var->options.end(), input) == var->options.end()) {
            std::string list;
            for (const std::string& o : var->options) list += (list.empty() ? "" : ", ") + o;
            errors.push_back({f.variable, "Must be one of: " + list});
            continue;
        }
        if (!f.pattern.empty()) {
            if (auto problem = m_patterns->check(f, input)) {
                errors.push_back({f.variable, *problem});
                continue;
            }
        }
        captured.emplace_back(&f, std::move(*parsed));
    }
    if (!errors.empty()) {
        action_result r = failure(errors.size() == 1 ? "1 field needs attention"
                                                     : fmt::format("{} fields need attention", errors.size()));
        r.field_errors = std::move(errors);
        return r;
    }

    action_clock pinned(*this);
    push_history();
    for (auto& [f, v] : captured) {
        const std::string shown = to_display(v);
        std::string answer = to_answer(v);
        set_variable(f->variable, std::move(v));
        emit(event_kind::field, t.id, n->id, -1, is_private(f->variable) ? f->variable : f->variable + "=" + shown);
        if (!m_crumbs.empty()) m_crumbs.back().fields.emplace_back(field_label(t, *f), std::move(answer));
    }
    arrive(m_state->where, n->to);
    refresh_view();
    return {};
}

action_result session::back() {
    if (finished()) return failure(ended_message);
    if (m_history.empty()) return failure("Nothing to go back to");
    action_clock pinned(*this);
    const std::string left_tree = m_state->where->id;
    const std::string left_node = m_state->node_id;
    undo_last();
    emit_back(left_tree, left_node);
    refresh_view();
    return {};
}

void session::emit_back(const std::string& left_tree, const std::string& left_node, bool more_follow) {
    // The node returned to is named with its tree when that is not the tree left (a back
    // across a jump): node ids are unique only within a tree.
    const tree& now = *m_state->where;
    emit(event_kind::back, left_tree, left_node, more_follow ? back_passes_on : -1,
         now.id == left_tree ? m_state->node_id : now.id + ":" + m_state->node_id);
}

void session::undo_last() {
    m_passed.clear();
    undo_step step = std::move(m_history.back());
    m_history.pop_back();
    state& st = *m_state;
    st.where = std::move(step.where);
    st.node_id = std::move(step.node_id);
    st.stuck = std::move(step.stuck);
    st.calls.resize(step.calls_kept);
    for (auto it = step.calls_returned.rbegin(); it != step.calls_returned.rend(); ++it)
        st.calls.push_back(std::move(*it));
    // Latest change first, so a variable set twice ends with its value from before both.
    for (auto it = step.old_values.rbegin(); it != step.old_values.rend(); ++it) {
        if (it->before)
            st.vars[it->name] = std::move(*it->before);
        else
            st.vars.erase(it->name);
        if (it->was_default) st.defaults.insert(it->name);
        else st.defaults.erase(it->name);
    }
    m_crumbs.resize(step.crumb_count);
    if (!m_crumbs.empty()) {
        m_crumbs.back().answer = std::move(step.last_answer);
        m_crumbs.back().fields.resize(step.last_field_count);
    }
}

action_result session::back_to(std::size_t index) {
    if (finished()) return failure(ended_message);
    if (index >= m_crumbs.size()) return failure(fmt::format("There is no step {}", index + 1));
    action_clock pinned(*this);
    // Crumbs only ever grow between history entries, so the earliest saved state that
    // still shows step `index` is the moment the agent stood on it. One back event per
    // action undone (so a path is cut exactly, loops included), all but the last marked
    // as passing on: statistics count one press and no stay on the steps passed over.
    while (!m_history.empty() && m_history.back().crumb_count >= index + 1) {
        const std::string left_tree = m_state->where->id;
        const std::string left_node = m_state->node_id;
        undo_last();
        emit_back(left_tree, left_node, !m_history.empty() && m_history.back().crumb_count >= index + 1);
    }
    refresh_view();
    return {};
}

bool session::can_go_back() const { return !finished() && !m_history.empty(); }

void session::restart() {
    if (finished()) return;
    action_clock pinned(*this);
    emit(event_kind::restart, m_state->where->id, m_state->node_id);
    begin();
}

action_result session::go_to(const std::string& node_id) {
    if (finished()) return failure(ended_message);
    const tree& t = *m_state->where;
    if (!t.allow_find) return failure("This script does not allow jumping to a step");
    if (!t.find(node_id)) return failure(fmt::format("This script has no step '{}'", node_id));
    action_clock pinned(*this);
    push_history();
    arrive(m_state->where, node_id, found_by_search);
    refresh_view();
    return {};
}

action_result session::note(const std::string& typed) {
    const std::string text = neutralise_controls(typed);
    if (trim(text).empty()) return {};
    if (text.size() > max_note_bytes)
        return {false,
                "the note is " + std::to_string((text.size() + 1023) / 1024) + " KiB; a note holds at most " +
                    std::to_string(max_note_bytes / 1024) + " KiB: shorten it, or add it as several notes",
                {}};
    // Also once the call has ended: after-call work, the write-up once the caller is gone
    // (a hand-off may say "see agent notes"). Logged after the end event.
    m_notes.emplace_back(m_state->node_id, text);
    m_note_titles.push_back(finished() ? "after the call" : m_view.title);
    emit(event_kind::note, m_state->where->id, m_state->node_id, -1, text);
    return {};
}

void session::abandon(const std::string& reason) {
    if (finished()) return;
    m_status = session_status::abandoned;
    m_abandon_reason = neutralise_controls(reason);
    action_clock pinned(*this);
    m_ended_ms = now();
    emit(event_kind::end, m_state->where->id, m_state->node_id, -1, to_string(m_status), m_abandon_reason);
}

// [SECTION] Queries

std::map<std::string, value> session::variables() const { return m_state->vars; }

std::string session::transcript() const {
    std::string out;
    const tree& t = *m_root;
    out += fmt::format("{} ({}, version {})\n", t.title.empty() ? t.id : t.title, t.id, t.version);
    if (!m_agent.empty()) out += fmt::format("Agent: {}\n", m_agent);
    out += fmt::format("Started: {} UTC\n", format_utc(m_started_ms));
    if (finished()) {
        out += fmt::format("Ended: {} UTC\n", format_utc(m_ended_ms));
        out += fmt::format("Duration: {}\n", format_duration(m_ended_ms - m_started_ms));
    } else {
        out += fmt::format("Duration so far: {}\n", format_duration(m_clock.now_ms() - m_started_ms));
    }

    out += "\nSteps:\n";
    for (std::size_t i = 0; i < m_crumbs.size(); ++i) {
        const crumb& c = m_crumbs[i];
        std::string line = fmt::format("{}. {}", i + 1, c.title);
        if (!c.answer.empty()) line += " \u2014 " + markdown_to_plain(c.answer);
        // An abandoned call's last step was where it stopped, not a step done.
        if (m_status == session_status::abandoned && i + 1 == m_crumbs.size() && c.answer.empty() && c.fields.empty())
            line += " (the call ended here)";
        out += line + "\n";
        for (const auto& [label, value_text] : c.fields) {
            out += fmt::format("   {}: {}\n", label, indent_rest(value_text, 5 + label.size()));
        }
    }

    if (!m_notes.empty()) {
        out += "\nNotes:\n";
        for (std::size_t i = 0; i < m_notes.size(); ++i) {
            const std::string& where = i < m_note_titles.size() ? m_note_titles[i] : m_notes[i].first;
            out += fmt::format("- {}: {}\n", where, indent_rest(m_notes[i].second, 2));
        }
    }

    out += "\n";
    switch (m_status) {
        case session_status::completed: out += fmt::format("Outcome: {}\n", m_outcome); break;
        case session_status::escalated: {
            out += fmt::format("Escalated to {} (priority {})\n", m_team, m_priority);
            std::string summary = markdown_to_plain(m_handoff);
            if (!summary.empty()) out += fmt::format("Hand-off: {}\n", indent_rest(summary, 10));
            break;
        }
        case session_status::abandoned:
            out += m_abandon_reason.empty() ? std::string("Abandoned\n")
                                            : fmt::format("Abandoned: {}\n", m_abandon_reason);
            break;
        case session_status::active:
            out += "In progress";
            if (!m_view.stuck.empty()) out += " (stuck: " + m_view.stuck + ")";
            out += "\n";
            break;
    }
    return out;
}

}  // namespace signpost
