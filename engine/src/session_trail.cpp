// Trail blobs: see session_trail.hpp and docs/log-schema.md.

#include "session_trail.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <vector>

namespace signpost {

namespace {

constexpr char format_1 = '\x01';
constexpr char unusable_marker = '\x00';

// Stored kind codes: fixed here, not taken from the enum's order, so that reordering
// event_kind can never change what old trails mean.
constexpr event_kind kind_codes[] = {event_kind::start, event_kind::enter, event_kind::choose, event_kind::back,
                                     event_kind::restart, event_kind::field, event_kind::note, event_kind::end};

// An `enter` made with find: a kind of its own in the trail (it has no detail place).
// Readers that predate it find an unknown kind and read the session's events instead.
constexpr unsigned char found_enter_code = 8;
// A `back` that more back events of the same press follow (back_passes_on); likewise new.
constexpr unsigned char passing_back_code = 9;

char code_of(event_kind k) {
    for (std::size_t i = 0; i < std::size(kind_codes); ++i) {
        if (kind_codes[i] == k) return static_cast<char>(i);
    }
    return 0;  // unreachable: every kind has a code
}

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

// Times go up by small steps: stored as the change from the previous event, zigzag so a
// clock that stepped back costs a byte or two, not ten.
std::uint64_t zigzag(std::int64_t v) {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t unzigzag(std::uint64_t v) {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

// Wrapping difference and sum: stored times are whatever the log held, any int64.
std::int64_t wrapping_sub(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}
std::int64_t wrapping_add(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

// Reads a trail front to back; every read checks the bytes left.
class trail_reader {
public:
    explicit trail_reader(std::string_view b) : m_bytes(b) {}
    bool done() const { return m_at == m_bytes.size(); }

    std::optional<std::uint64_t> varint() {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_at == m_bytes.size()) return std::nullopt;
            const auto byte = static_cast<unsigned char>(m_bytes[m_at++]);
            if (shift == 63 && byte > 1) return std::nullopt;  // more than 64 bits
            v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
            if ((byte & 0x80) == 0) return v;
        }
        return std::nullopt;
    }
    std::optional<unsigned char> byte() {
        if (m_at == m_bytes.size()) return std::nullopt;
        return static_cast<unsigned char>(m_bytes[m_at++]);
    }
    std::optional<std::string_view> text() {
        auto n = varint();
        if (!n || *n > m_bytes.size() - m_at) return std::nullopt;
        std::string_view s = m_bytes.substr(m_at, static_cast<std::size_t>(*n));
        m_at += static_cast<std::size_t>(*n);
        return s;
    }

private:
    std::string_view m_bytes;
    std::size_t m_at = 0;
};

// Walks the records of a usable trail, calling `place(tree, node)` for each new place and
// `record(step)` for each record (places are numbered in order of first use). False when the blob is not a usable, undamaged trail.
template <typename OnPlace, typename OnRecord>
bool walk_trail(std::string_view blob, OnPlace&& place, OnRecord&& record) {
    if (blob.empty() || blob[0] != format_1) return false;
    trail_reader in(blob.substr(1));
    std::uint32_t places = 0;
    std::vector<std::string_view> trees;  // a session meets one to a few
    std::int64_t time = 0;
    auto read_ref = [&]() -> std::optional<std::uint32_t> {
        auto r = in.varint();
        if (!r || *r > places) return std::nullopt;
        if (*r > 0) return static_cast<std::uint32_t>(*r - 1);
        auto t = in.varint();
        if (!t || *t > trees.size()) return std::nullopt;
        if (*t == 0) {
            auto tree = in.text();
            if (!tree) return std::nullopt;
            trees.push_back(*tree);
        }
        const std::string_view tree = trees[*t == 0 ? trees.size() - 1 : static_cast<std::size_t>(*t - 1)];
        auto node = in.text();
        if (!node) return std::nullopt;
        place(tree, *node);
        return places++;
    };
    while (!in.done()) {
        path_step r;
        auto code = in.byte();
        if (!code) return false;
        if (*code == found_enter_code) {
            r.kind = event_kind::enter;
            r.found = true;
        } else if (*code == passing_back_code) {
            r.kind = event_kind::back;
            r.passes_on = true;
        } else if (*code < std::size(kind_codes)) {
            r.kind = kind_codes[*code];
        } else {
            return false;
        }
        auto delta = in.varint();
        if (!delta) return false;
        time = wrapping_add(time, unzigzag(*delta));
        r.time_ms = time;
        auto where = read_ref();
        if (!where) return false;
        r.place = *where;
        if (has_detail(r.kind)) {
            auto detail = read_ref();
            if (!detail) return false;
            r.detail = *detail;
        }
        record(r);
    }
    return true;
}

}  // namespace

bool trail_encoder::resume(std::string_view blob) {
    m_bytes.clear();
    m_places.clear();
    m_trees.clear();
    m_last_time = 0;
    m_events = 0;
    m_usable = true;
    if (blob.empty()) {
        m_bytes += format_1;
        return true;
    }
    const bool ok = walk_trail(
        blob,
        [&](std::string_view tree, std::string_view node) {
            m_places.emplace_back(tree, node);
            if (std::find(m_trees.begin(), m_trees.end(), tree) == m_trees.end()) m_trees.emplace_back(tree);
        },
        [&](const path_step& r) {
            m_last_time = r.time_ms;
            ++m_events;
        });
    if (!ok) {
        mark_unusable();
        return false;
    }
    m_bytes.assign(blob);
    return true;
}

void trail_encoder::mark_unusable() {
    m_usable = false;
    m_places.clear();
    m_trees.clear();
    m_bytes.assign(1, unusable_marker);
}

std::uint32_t trail_encoder::ref(std::string_view tree, std::string_view node) {
    // A session meets a few dozen places at most: a linear search beats hashing them.
    for (std::size_t i = 0; i < m_places.size(); ++i) {
        if (m_places[i].second == node && m_places[i].first == tree) {
            put_varint(m_bytes, i + 1);
            return static_cast<std::uint32_t>(i);
        }
    }
    put_varint(m_bytes, 0);
    // The tree by number when an earlier place named it.
    std::size_t tree_number = 0;
    while (tree_number < m_trees.size() && m_trees[tree_number] != tree) ++tree_number;
    if (tree_number < m_trees.size()) {
        put_varint(m_bytes, tree_number + 1);
    } else {
        m_trees.emplace_back(tree);
        put_varint(m_bytes, 0);
        put_varint(m_bytes, tree.size());
        m_bytes += tree;
    }
    put_varint(m_bytes, node.size());
    m_bytes += node;
    m_places.emplace_back(tree, node);
    return static_cast<std::uint32_t>(m_places.size() - 1);
}

void trail_encoder::append(const event& e) {
    if (!m_usable) return;
    if (e.sequence != m_events) {
        mark_unusable();
        return;
    }
    m_bytes += is_found(e)    ? static_cast<char>(found_enter_code)
               : passes_on(e) ? static_cast<char>(passing_back_code)
                              : code_of(e.kind);
    put_varint(m_bytes, zigzag(wrapping_sub(e.time_ms, m_last_time)));
    m_last_time = e.time_ms;
    ref(e.tree_id, e.node);
    if (has_detail(e.kind)) {
        const path_place d = detail_place(e);
        ref(d.tree_id, d.node);
    }
    ++m_events;
}

std::string encode_trail(const std::vector<event>& events) {
    trail_encoder t;
    t.resume({});
    for (const event& e : events) t.append(e);
    return t.bytes();
}

bool decode_trail(std::string_view blob, session_path& out) {
    out.clear();
    const bool ok = walk_trail(
        blob, [&](std::string_view tree, std::string_view node) { out.places.push_back({tree, node}); },
        [&](const path_step& r) { out.steps.push_back(r); });
    if (!ok) out.clear();
    return ok;
}

void session_path::assign(std::span<const event> events) {
    clear();
    // A session meets a few dozen places at most: a linear search beats hashing them.
    auto place = [&](std::string_view tree, std::string_view node) {
        for (std::size_t i = 0; i < places.size(); ++i) {
            if (places[i].node == node && places[i].tree_id == tree) return static_cast<std::uint32_t>(i);
        }
        places.push_back({tree, node});
        return static_cast<std::uint32_t>(places.size() - 1);
    };
    for (const event& e : events) {
        path_step s{e.kind, is_found(e), passes_on(e), e.time_ms, place(e.tree_id, e.node), 0};
        if (has_detail(e.kind)) {
            const path_place d = detail_place(e);
            s.detail = place(d.tree_id, d.node);
        }
        steps.push_back(s);
    }
}

}  // namespace signpost
