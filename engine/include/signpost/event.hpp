#pragma once
// The runtime's event stream: every state change of a session, in order. Storage and
// statistics consume it; the runtime knows nothing about them.

#include <cstdint>
#include <string>

namespace signpost {

enum class event_kind {
    start,    // a session began (node = start node of the root tree); detail = agent
    enter,    // the session arrived at a node (also logic/jump nodes it passed through);
              // detail = found_by_search when the agent went there with find, else ""
    choose,   // a choice was taken on `node`; choice = index in the node's choices, detail = label
    back,     // went back from `node`; detail = the node returned to ("tree:node" across a
              // jump); choice = back_passes_on when more back events of the same press follow
    restart,  // started over from `node` (the node it was on)
    field,    // a form field was captured on `node`; detail = "variable=value"
    note,     // the agent added a note on `node`; detail = the note
    end,      // the session ended on `node`; detail = status (completed | escalated | abandoned)
};

// The detail of an `enter` the agent made with find (session::go_to, the player's Ctrl+F)
// rather than through a link of the tree.
inline constexpr const char* found_by_search = "find";

// The `choice` of a back event that is not the last of one press: a click on the
// breadcrumb undoes several actions, one back event each, and statistics count one press
// and no stay on the steps it passes over.
inline constexpr int back_passes_on = 1;

// "start", "enter", ...
const char* to_string(event_kind k);

struct event {
    event_kind kind = event_kind::enter;
    std::int64_t time_ms = 0;
    int sequence = 0;        // 0, 1, 2 ... within the session
    std::string tree_id;     // tree the node belongs to (differs from the root inside a jump)
    std::string node;
    int choice = -1;
    std::string detail;
    // end events only:
    std::string outcome;     // end outcome, or escalation team for escalated
    std::string priority;    // escalated: low | normal | high | urgent; "" otherwise
};

class event_sink {
public:
    virtual ~event_sink() = default;
    virtual void on_event(const event& e) = 0;
};

}  // namespace signpost
