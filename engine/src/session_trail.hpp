#pragma once
// A session's trail: what path statistics read of its events (kind, time, tree, node, and
// the detail of `back` and `end`), packed into one blob kept in the session's row. Writers
// keep it in step with the `events` table, in the same transaction, so a report reads one
// row per session instead of one per event. Format: docs/log-schema.md, "trail".

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "signpost/event.hpp"
#include "signpost/session_path.hpp"

namespace signpost {

// Builds a trail event by event, starting empty or from a stored trail.
class trail_encoder {
public:
    // Continues the stored trail `blob` (empty: a session without events yet). False when it
    // is not a usable trail: the session's trail then stays unusable.
    bool resume(std::string_view blob);
    // Adds the next event. Events must come in sequence (0, 1, 2...): otherwise the trail
    // could disagree with the events table, so it is marked unusable instead.
    void append(const event& e);
    // The blob to store: a usable trail, or the one-byte "read the events instead" marker.
    const std::string& bytes() const { return m_bytes; }
    // Events on the trail (0 once unusable).
    int events() const { return m_usable ? m_events : 0; }
    // From now on the trail is the "read the events instead" marker.
    void mark_unusable();

private:
    std::uint32_t ref(std::string_view tree, std::string_view node);

    std::string m_bytes;
    bool m_usable = true;
    std::int64_t m_last_time = 0;
    int m_events = 0;
    std::vector<std::pair<std::string, std::string>> m_places;  // (tree, node) by reference
    std::vector<std::string> m_trees;                             // by number, in order of first use
};

// The trail of a whole session at once (the bulk writer's case): the same bytes as
// appending its events one by one.
std::string encode_trail(const std::vector<event>& events);

// Decodes `blob` into `out`, whose places then point into `blob`. False for a missing,
// unusable or damaged trail (`out` is then empty): the caller reads the events table.
bool decode_trail(std::string_view blob, session_path& out);

}  // namespace signpost
