#include "model/preview_call.hpp"

namespace signpost::editor {

preview_call::preview_call(std::shared_ptr<const tree> root, const tree_library* library, clock& clk)
    : m_root(std::move(root)), m_library(library), m_clock(&clk),
      m_session(std::make_unique<session>(m_root, m_library, *m_clock, nullptr, "preview")) {}

action_result preview_call::run(const action& a) {
    if (const auto* c = std::get_if<choose_action>(&a)) return m_session->choose(c->visible);
    if (const auto* s = std::get_if<submit_action>(&a)) return m_session->submit(*s);
    return m_session->next();
}

action_result preview_call::record(action a) {
    action_result r = run(a);
    if (r.ok) {
        m_actions.push_back(std::move(a));
        m_undone_inputs.reset();
    }
    return r;
}

action_result preview_call::choose(int visible) { return record(choose_action{visible}); }
action_result preview_call::next() { return record(next_action{}); }
action_result preview_call::submit(const std::map<std::string, std::string>& inputs) { return record(inputs); }

action_result preview_call::back() {
    if (m_actions.empty()) return {false, "Nothing to go back to", {}};
    const action undone = m_actions.back();
    if (!m_session->finished()) {
        action_result r = m_session->back();
        if (!r.ok) return r;
    } else {
        // The session cannot leave its end: a new one walks the same way, one step short.
        auto fresh = std::make_unique<session>(m_root, m_library, *m_clock, nullptr, "preview");
        std::swap(m_session, fresh);
        for (std::size_t i = 0; i + 1 < m_actions.size(); ++i) {
            if (action_result r = run(m_actions[i]); !r.ok) {
                std::swap(m_session, fresh);  // the tree is a snapshot: not expected; keep the end
                return r;
            }
        }
    }
    m_actions.pop_back();
    if (const auto* s = std::get_if<submit_action>(&undone)) m_undone_inputs = *s;
    else m_undone_inputs.reset();
    return {};
}

}  // namespace signpost::editor
