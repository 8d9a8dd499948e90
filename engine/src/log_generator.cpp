// Synthetic session logs.
//
// [SECTION] Deterministic randomness
// [SECTION] Values for patterns
// [SECTION] Calendar and agents
// [SECTION] Driving sessions

#include "signpost/log_generator.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "signpost/clock.hpp"
#include "signpost/session.hpp"

namespace signpost {

namespace {

// [SECTION] Deterministic randomness

// SplitMix64: small, fast, and the same numbers on every platform (the standard library's
// distributions are not), so a seed means the same log everywhere.
class random_source {
public:
    explicit random_source(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    // [0, 1)
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // 0 .. n-1
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(uniform() * static_cast<double>(n)); }
    bool chance(double p) { return uniform() < p; }
    double normal() {
        double u1 = 1.0 - uniform();  // (0, 1]: log(0) is not an option
        double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }
    double exponential(double mean) { return -mean * std::log(1.0 - uniform()); }

private:
    std::uint64_t m_state;
};

// A stable number in [0, 1) for a name, so a node's traits do not depend on the seed.
double stable_fraction(std::string_view a, std::string_view b, int i = 0) {
    std::uint64_t h = 14695981039346656037ull;
    auto mix = [&](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ull;
        }
        h ^= 0xff;
        h *= 1099511628211ull;
    };
    mix(a);
    mix(b);
    h ^= static_cast<std::uint64_t>(i) * 0x9e3779b97f4a7c15ull;
    random_source r(h);
    return r.uniform();
}

std::string uuid_from(random_source& r) {
    std::uint64_t hi = r.next(), lo = r.next();
    hi = (hi & ~0xf000ull) | 0x4000ull;                          // version 4
    lo = (lo & 0x3fffffffffffffffull) | 0x8000000000000000ull;  // RFC 4122 variant
    return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xffff, hi & 0xffff, lo >> 48,
                       lo & 0xffffffffffffull);
}

// [SECTION] Values for patterns

// A parsed pattern: sequences of items; an item is a set of characters or a group of
// alternative sequences, repeated min..max times.
struct rx_item;
using rx_sequence = std::vector<rx_item>;
struct rx_item {
    std::string chars;                    // pick one of these...
    std::vector<rx_sequence> alternatives;  // ...or, for a group, one of these
    bool group = false;
    int min = 1, max = 1;
};

class pattern_parser {
public:
    explicit pattern_parser(std::string_view s) : m_s(s) {}

    std::optional<std::vector<rx_sequence>> parse() {
        auto alts = alternatives();
        if (!m_ok || m_pos != m_s.size()) return std::nullopt;
        return alts;
    }

private:
    static constexpr std::string_view digits = "0123456789";
    static constexpr std::string_view word_chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

    bool more() const { return m_pos < m_s.size(); }
    char peek() const { return m_s[m_pos]; }

    std::vector<rx_sequence> alternatives() {
        std::vector<rx_sequence> alts{sequence()};
        while (m_ok && more() && peek() == '|') {
            ++m_pos;
            alts.push_back(sequence());
        }
        return alts;
    }

    rx_sequence sequence() {
        rx_sequence out;
        while (m_ok && more() && peek() != '|' && peek() != ')') {
            rx_item it;
            if (!atom(it)) {
                m_ok = false;
                break;
            }
            quantifier(it);
            out.push_back(std::move(it));
        }
        return out;
    }

    bool escape_class(char c, std::string& chars) {
        switch (c) {
            case 'd': chars += digits; return true;
            case 'w': chars += word_chars; return true;
            case 's': chars += ' '; return true;
            case 'D': case 'W': case 'S': case 'b': case 'B': return false;
            case 't': chars += '\t'; return true;
            default:
                if (std::isalnum(static_cast<unsigned char>(c)) != 0) return false;  // \uXXXX, \1...
                chars += c;
                return true;
        }
    }

    bool atom(rx_item& it) {
        char c = peek();
        ++m_pos;
        switch (c) {
            case '(':
                if (more() && peek() == '?') {
                    if (m_pos + 1 < m_s.size() && m_s[m_pos + 1] == ':') m_pos += 2;
                    else return false;  // look-arounds
                }
                it.group = true;
                it.alternatives = alternatives();
                if (!m_ok || !more() || peek() != ')') return false;
                ++m_pos;
                return true;
            case '[': return char_class(it.chars);
            case '\\':
                if (!more()) return false;
                return escape_class(m_s[m_pos++], it.chars);
            case '.': it.chars = word_chars; return true;
            case '^':
            case '$': it.min = it.max = 0; it.chars = " "; return true;  // anchors: nothing to write
            case '*': case '+': case '?': case '{': case ')': case '|': return false;
            default: it.chars = std::string(1, c); return true;
        }
    }

    bool char_class(std::string& chars) {
        bool negate = more() && peek() == '^';
        if (negate) ++m_pos;
        std::string set;
        bool first = true;
        while (more() && (peek() != ']' || first)) {
            first = false;
            char c = m_s[m_pos++];
            if (c == '\\') {
                if (!more() || !escape_class(m_s[m_pos++], set)) return false;
                continue;
            }
            if (more() && peek() == '-' && m_pos + 1 < m_s.size() && m_s[m_pos + 1] != ']') {
                char hi = m_s[m_pos + 1];
                m_pos += 2;
                if (hi == '\\' || static_cast<unsigned char>(hi) < static_cast<unsigned char>(c)) return false;
                for (int x = static_cast<unsigned char>(c); x <= static_cast<unsigned char>(hi); ++x)
                    set += static_cast<char>(x);
                continue;
            }
            set += c;
        }
        if (!more()) return false;
        ++m_pos;  // ']'
        if (negate) {
            for (char c : word_chars)
                if (set.find(c) == std::string::npos) chars += c;
        } else {
            chars = set;
        }
        return !chars.empty();
    }

    void quantifier(rx_item& it) {
        if (!more()) return;
        char c = peek();
        if (c == '?') it.min = 0, it.max = 1;
        else if (c == '*') it.min = 0, it.max = 3;
        else if (c == '+') it.min = 1, it.max = 4;
        else if (c == '{') {
            std::size_t close = m_s.find('}', m_pos);
            if (close == std::string_view::npos) {
                m_ok = false;
                return;
            }
            std::string body(m_s.substr(m_pos + 1, close - m_pos - 1));
            int lo = 0, hi = 0;
            char comma = 0;
            int read = std::sscanf(body.c_str(), "%d%c%d", &lo, &comma, &hi);
            if (read == 1) hi = lo;
            else if (read == 2 && comma == ',') hi = lo + 3;
            else if (read != 3 || comma != ',') m_ok = false;
            if (lo < 0 || hi < lo || hi > 1000) m_ok = false;
            it.min = lo;
            it.max = hi;
            m_pos = close;
        } else {
            return;
        }
        ++m_pos;
        if (more() && peek() == '?') ++m_pos;  // lazy: the same strings match
    }

    std::string_view m_s;
    std::size_t m_pos = 0;
    bool m_ok = true;
};

void write_sequence(const rx_sequence& seq, const std::function<double()>& random, std::string& out);

void write_item(const rx_item& it, const std::function<double()>& random, std::string& out) {
    auto pick = [&](std::size_t n) { return std::min(n - 1, static_cast<std::size_t>(random() * static_cast<double>(n))); };
    const int reps = it.min + static_cast<int>(pick(static_cast<std::size_t>(it.max - it.min + 1)));
    for (int i = 0; i < reps; ++i) {
        if (it.group) write_sequence(it.alternatives[pick(it.alternatives.size())], random, out);
        else out += it.chars[pick(it.chars.size())];
    }
}

void write_sequence(const rx_sequence& seq, const std::function<double()>& random, std::string& out) {
    for (const rx_item& it : seq) write_item(it, random, out);
}

// [SECTION] Calendar and agents

constexpr std::int64_t hour_ms = 3'600'000;
constexpr std::int64_t day_ms = 24 * hour_ms;
constexpr std::int64_t open_ms = 8 * hour_ms;    // 08:00 UTC
constexpr std::int64_t close_ms = 18 * hour_ms;  // 18:00 UTC

bool is_weekday(std::int64_t day_start_ms) {
    std::int64_t days = day_start_ms / day_ms;
    std::int64_t weekday = (days + 4) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
    return weekday != 0 && weekday != 6;
}

// The first moment at or after `t` inside working hours.
std::int64_t next_open(std::int64_t t) {
    for (int guard = 0; guard < 14; ++guard) {
        std::int64_t day = t - ((t % day_ms) + day_ms) % day_ms;
        std::int64_t in_day = t - day;
        if (is_weekday(day) && in_day < close_ms) return in_day < open_ms ? day + open_ms : t;
        t = day + day_ms;
    }
    return t;
}

const char* const agent_names[] = {"Ana Silva",    "Ben Okafor",   "Chloe Martin", "Dev Patel",    "Elena Rossi",
                                   "Farid Haddad", "Grace Kim",    "Hugo Lefevre", "Ines Duarte",  "Jonas Berg",
                                   "Kira Novak",   "Liam Walsh",   "Maya Cohen",   "Nico Brandt",  "Olga Ivanova",
                                   "Pablo Ruiz",   "Quinn Avery",  "Rosa Jimenez", "Sam Taylor",   "Tariq Aziz",
                                   "Uma Reddy",    "Victor Dubois", "Wen Li",      "Yara Haddad"};

struct agent_profile {
    std::string name;
    double speed = 1;  // multiplies dwell times
    double backs = 1;  // multiplies the back-press rate
};

const char* const notes[] = {"Customer on a mobile phone", "Customer is in a hurry", "Second call about this",
                             "Background noise, had to repeat", "Customer asked for an SMS summary"};

const char* const free_texts[] = {"today 8:30", "since last night", "Maria Lopez", "John Smith", "about an hour ago",
                                  "see notes", "customer will call back", "n/a"};

// Values tried when a pattern is beyond sample_for_pattern.
const char* const fallback_texts[] = {"12345678", "123456", "2025-01-15", "17:30", "E104233", "maria.lopez", "A1", "yes"};

// [SECTION] Driving sessions

struct node_traits {
    double dwell_median_ms = 15'000;
    double abandon_weight = 1;
    std::vector<double> choice_weights;  // by choice index
};

// One call to run: everything decided before it runs, so calls can run on any thread in
// any order and still come out the same for a seed.
struct call_ticket {
    std::int64_t start_ms = 0;
    std::size_t agent = 0;
    std::uint64_t seed = 0;
};

struct recorded_call {
    session_info info;
    std::vector<event> events;
    session_status status = session_status::active;
    bool crashed = false;
    bool unfillable = false;
    std::uint64_t finds = 0;
};

class recording_sink final : public event_sink {
public:
    explicit recording_sink(std::vector<event>& out) : m_out(out) {}
    void on_event(const event& e) override { m_out.push_back(e); }

private:
    std::vector<event>& m_out;
};

// Runs calls through real sessions; one per thread (it caches node traits).
class call_runner {
public:
    // `library` is copied: sessions load jumped trees into it, and a tree_library is not
    // safe on two threads at once.
    call_runner(std::shared_ptr<const tree> root, const tree_library* library, const generator_options& o,
                const std::vector<agent_profile>& agents)
        : m_root(std::move(root)),
          m_library(library != nullptr ? std::make_unique<tree_library>(*library) : nullptr),
          m_options(o),
          m_agents(agents) {}

    recorded_call run(const call_ticket& ticket) {
        random_source random(ticket.seed);
        m_random = &random;
        const agent_profile& agent = m_agents[ticket.agent];
        manual_clock clk(ticket.start_ms);
        recorded_call call;
        call.info.id = uuid_from(random);
        call.info.tree_id = m_root->id;
        call.info.tree_version = m_root->version;
        call.info.tree_hash = m_options.tree_hash;
        call.info.agent = agent.name;
        call.info.started_ms = ticket.start_ms;
        call.events.reserve(48);
        recording_sink sink(call.events);

        const bool will_abandon = random.chance(m_options.abandon_rate);
        const bool will_crash = !will_abandon && random.chance(m_options.crash_rate);
        session s(m_root, m_library.get(), clk, &sink, agent.name);
        int steps = 0;
        while (!s.finished()) {
            const view& v = s.current();
            if (!v.stuck.empty() || v.node_ptr == nullptr) {
                clk.advance(5000);
                s.abandon("Script stuck");
                break;
            }
            const node& n = *v.node_ptr;
            const node_traits& tr = traits(*v.tree_ptr, n);
            double dwell = tr.dwell_median_ms * agent.speed * std::exp(0.55 * random.normal());
            clk.advance(static_cast<std::int64_t>(std::clamp(dwell, 800.0, 30.0 * 60'000)));
            ++steps;
            if (will_crash && random.chance(0.2)) {
                call.crashed = true;  // no end event: the player is gone
                return call;
            }
            if (will_abandon && random.chance(0.25 * tr.abandon_weight)) {
                s.abandon("Customer hung up");
                break;
            }
            if (steps > m_options.max_steps) {
                s.abandon("Call too long");
                break;
            }
            if (random.chance(m_options.note_rate)) s.note(notes[random.below(std::size(notes))]);
            if (s.can_go_back() && random.chance(m_options.back_rate * agent.backs)) {
                (void)s.back();
                continue;
            }
            if (random.chance(m_options.restart_rate)) {
                s.restart();
                continue;
            }
            // Drawn only where find is allowed, so logs of other trees stay as they were.
            if (v.tree_ptr->allow_find && random.chance(m_options.find_rate)) {
                const auto& nodes = v.tree_ptr->nodes;
                const node& to = nodes[random.below(nodes.size())];
                const bool interactive = to.kind == node_kind::question || to.kind == node_kind::step ||
                                         to.kind == node_kind::form;
                if (interactive && &to != &n && s.go_to(to.id).ok) {
                    ++call.finds;
                    continue;
                }
            }
            bool acted = false;
            switch (n.kind) {
                case node_kind::question:
                    acted = !v.choices.empty() && s.choose(pick_choice(*v.tree_ptr, n, v.choices)).ok;
                    break;
                case node_kind::step: acted = s.next().ok; break;
                case node_kind::form:
                    acted = fill_form(s);
                    if (!acted) call.unfillable = true;
                    break;
                default: break;
            }
            if (!acted) {
                s.abandon("Could not go on");
                break;
            }
        }
        call.status = s.status();
        return call;
    }

private:
    const node_traits& traits(const tree& t, const node& n) {
        auto it = m_traits.find(&n);
        if (it != m_traits.end()) return it->second;
        node_traits tr;
        double base = n.kind == node_kind::step ? 35'000 : n.kind == node_kind::form ? 40'000 : 12'000;
        // Reading the text aloud takes time: about 0.3 s a word.
        const auto words = static_cast<double>(std::count(n.text.begin(), n.text.end(), ' ') + 1);
        tr.dwell_median_ms = (base + 300.0 * words) * (0.7 + 0.8 * stable_fraction(t.id, n.id));
        // Long waits (reboots, lookups) are where customers give up.
        tr.abandon_weight = 0.5 + tr.dwell_median_ms / 60'000.0;
        // The first answers are the common ones; each node has its own mix.
        for (std::size_t c = 0; c < n.choices.size(); ++c)
            tr.choice_weights.push_back((0.3 + stable_fraction(t.id, n.id, static_cast<int>(c) + 1)) /
                                        (1.0 + static_cast<double>(c)));
        return m_traits.emplace(&n, std::move(tr)).first->second;
    }

    std::string text_value(const view_field& f) {
        random_source& random = *m_random;
        if (!f.pattern.empty()) {
            auto sample = sample_for_pattern(f.pattern, [&random] { return random.uniform(); });
            if (sample) return *sample;
            return fallback_texts[random.below(std::size(fallback_texts))];
        }
        return free_texts[random.below(std::size(free_texts))];
    }

    std::string field_value(const view_field& f) {
        random_source& random = *m_random;
        switch (f.type) {
            case var_type::choice: return f.options.empty() ? std::string() : f.options[random.below(f.options.size())];
            case var_type::number: return std::to_string(1 + random.below(500));
            case var_type::flag: return random.chance(0.5) ? "true" : "false";
            case var_type::text: return text_value(f);
            // Typed as agents do: a day relative to the call or a day of the coming weeks.
            case var_type::date: {
                static constexpr const char* typed[]{"today", "tomorrow", "friday", "monday", "1 Mar 2025", "2025-02-14"};
                return typed[random.below(std::size(typed))];
            }
        }
        return {};
    }

    // Fills and submits a form; fields the first values do not satisfy get the fallback
    // texts one by one. False when some field cannot be filled at all.
    bool fill_form(session& s) {
        const std::vector<view_field> fields = s.current().fields;
        std::map<std::string, std::string> inputs;
        for (const view_field& f : fields) {
            // Optional fields are left empty now and then, as agents do.
            if (!f.required && m_random->chance(0.3)) continue;
            inputs[f.variable] = field_value(f);
        }
        for (std::size_t attempt = 0; attempt <= std::size(fallback_texts); ++attempt) {
            action_result r = s.submit(inputs);
            if (r) return true;
            if (r.field_errors.empty() || attempt == std::size(fallback_texts)) break;
            for (const field_error& e : r.field_errors) inputs[e.variable] = fallback_texts[attempt];
        }
        return false;
    }

    int pick_choice(const tree& t, const node& n, const std::vector<view_choice>& choices) {
        const node_traits& tr = traits(t, n);
        double total = 0;
        for (const view_choice& c : choices) total += tr.choice_weights[static_cast<std::size_t>(c.index)];
        double x = m_random->uniform() * total;
        for (std::size_t i = 0; i < choices.size(); ++i) {
            const double w = tr.choice_weights[static_cast<std::size_t>(choices[i].index)];
            if (x < w) return static_cast<int>(i);
            x -= w;
        }
        return static_cast<int>(choices.size() - 1);
    }

    std::shared_ptr<const tree> m_root;
    std::unique_ptr<tree_library> m_library;
    const generator_options& m_options;
    const std::vector<agent_profile>& m_agents;
    std::unordered_map<const node*, node_traits> m_traits;
    random_source* m_random = nullptr;  // the running call's
};

// A call's own seed: its place in the log mixed into the log's seed.
std::uint64_t call_seed(std::uint64_t seed, std::uint64_t index) {
    random_source r(seed ^ (index * 0xd1b54a32d192ed03ull));
    r.next();
    return r.next();
}

}  // namespace

std::optional<std::string> sample_for_pattern(std::string_view pattern, const std::function<double()>& random) {
    auto parsed = pattern_parser(pattern).parse();
    if (!parsed || parsed->empty()) return std::nullopt;
    std::string out;
    auto pick = std::min(parsed->size() - 1, static_cast<std::size_t>(random() * static_cast<double>(parsed->size())));
    write_sequence((*parsed)[pick], random, out);
    return out;
}

log_result generate_log(std::shared_ptr<const tree> root, const tree_library* library,
                        const generator_options& options, log_bulk_writer& out, generator_summary& summary,
                        const generator_progress& progress) {
    summary = {};
    if (!root) return {false, "no tree was given"};

    // The plan (agents, start times, who takes which call) comes from one stream of the
    // seed; each call then runs on its own seed, on whichever thread.
    random_source plan(options.seed);
    std::vector<agent_profile> agents;
    const int count = std::max(1, options.agents);
    for (int i = 0; i < count; ++i) {
        agent_profile a;
        const std::size_t n = std::size(agent_names);
        a.name = agent_names[static_cast<std::size_t>(i) % n];
        if (static_cast<std::size_t>(i) >= n) a.name += fmt::format(" {}", static_cast<std::size_t>(i) / n + 1);
        a.speed = 0.75 + 0.6 * plan.uniform();
        a.backs = 0.5 + 1.3 * plan.uniform();
        agents.push_back(std::move(a));
    }
    const double calls_per_day = static_cast<double>(count) * std::max(1, options.calls_per_agent_day);
    const double mean_gap_ms = static_cast<double>(close_ms - open_ms) / calls_per_day;
    std::int64_t cursor = next_open(options.start_ms);

    // Running sessions costs more than storing them (and the writer has its own thread):
    // calls run in chunks on every core, and are handed to the writer in order.
    const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
    constexpr std::size_t chunk = 1024;
    // Every tree the calls can jump into is loaded once, here, before the library is copied
    // for each thread.
    if (library != nullptr) {
        std::vector<const tree*> queue{root.get()};
        std::vector<std::string> seen{root->id};
        for (std::size_t i = 0; i < queue.size(); ++i) {
            for (const node& n : queue[i]->nodes) {
                if (n.kind != node_kind::jump || std::find(seen.begin(), seen.end(), n.tree_ref) != seen.end()) continue;
                seen.push_back(n.tree_ref);
                if (auto found = library->get(n.tree_ref).found) queue.push_back(found.get());
            }
        }
    }
    std::vector<call_runner> runners;
    for (std::size_t t = 0; t < threads; ++t) runners.emplace_back(root, library, options, agents);

    std::uint64_t next = 0;
    while (next < options.sessions) {
        std::vector<std::vector<call_ticket>> work(threads);
        for (std::size_t t = 0; t < threads && next < options.sessions; ++t) {
            for (std::size_t k = 0; k < chunk && next < options.sessions; ++k, ++next) {
                cursor = next_open(cursor + static_cast<std::int64_t>(plan.exponential(mean_gap_ms)));
                work[t].push_back({cursor, plan.below(agents.size()), call_seed(options.seed, next)});
            }
        }
        std::vector<std::vector<recorded_call>> done(threads);
        std::vector<std::thread> pool;
        for (std::size_t t = 1; t < threads; ++t) {
            if (work[t].empty()) continue;
            pool.emplace_back([&, t] {
                for (const call_ticket& ticket : work[t]) done[t].push_back(runners[t].run(ticket));
            });
        }
        for (const call_ticket& ticket : work[0]) done[0].push_back(runners[0].run(ticket));
        for (std::thread& th : pool) th.join();

        for (auto& calls : done) {
            for (recorded_call& call : calls) {
                if (summary.sessions == 0) summary.first_started_ms = call.info.started_ms;
                summary.last_started_ms = call.info.started_ms;
                ++summary.sessions;
                if (call.crashed) ++summary.crashed;
                else if (call.status == session_status::completed) ++summary.completed;
                else if (call.status == session_status::escalated) ++summary.escalated;
                else if (call.status == session_status::abandoned) ++summary.abandoned;
                if (call.unfillable) ++summary.unfillable_forms;
                summary.finds += call.finds;
                out.add_session(call.info, std::move(call.events));
            }
        }
        if (progress) progress(summary.sessions);
    }
    log_result finished = out.finish();
    summary.events = out.events_written();
    return finished;
}

}  // namespace signpost
