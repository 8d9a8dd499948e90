#pragma once
// A session's path events in compact form: what path statistics read of a call. Each
// (tree, node) it met is a numbered place; steps refer to places by number, so a reader
// looks a node up once per session, not once per event. The log stores this form as the
// session's trail (docs/log-schema.md); the text is borrowed from the events or the log
// row it came from and is valid only as long as they are.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "signpost/event.hpp"

namespace signpost {

struct path_place {
    std::string_view tree_id;
    std::string_view node;
};

struct path_step {
    event_kind kind = event_kind::enter;
    bool found = false;  // enter: the agent went there with find, not through a link
    bool passes_on = false;  // back: more back steps of the same press follow (back_passes_on)
    std::int64_t time_ms = 0;
    std::uint32_t place = 0;   // where it happened (the event's tree and node)
    // back: the place returned to; end: a place whose `node` is the end status
    // ("completed", "escalated", "abandoned"; its tree is ""). Unused for other kinds.
    std::uint32_t detail = 0;
};
static_assert(sizeof(path_step) <= 24, "a session's steps are read in bulk: keep a step small");

// Whether an event is an `enter` the agent made with find.
inline bool is_found(const event& e) { return e.kind == event_kind::enter && e.detail == found_by_search; }

// Whether an event is a back that more back events of the same press follow.
inline bool passes_on(const event& e) { return e.kind == event_kind::back && e.choice == back_passes_on; }

// Whether steps of this kind have a `detail` place.
inline bool has_detail(event_kind k) { return k == event_kind::back || k == event_kind::end; }

// The place a back or end event's detail names (see path_step::detail), as views into `e`.
// A back names the node returned to as `tree:node` when it is in another tree than the node
// left (ids never hold ':'); older logs always used the event's tree.
inline path_place detail_place(const event& e) {
    if (e.kind == event_kind::back) {
        const std::string_view d = e.detail;
        if (const auto colon = d.find(':'); colon != std::string_view::npos)
            return {d.substr(0, colon), d.substr(colon + 1)};
        return {e.tree_id, d};
    }
    return {{}, e.detail};
}

struct session_path {
    std::vector<path_place> places;
    std::vector<path_step> steps;

    void clear() {
        places.clear();
        steps.clear();
    }
    // The path of `events`, whose strings it borrows.
    void assign(std::span<const event> events);
};

}  // namespace signpost
