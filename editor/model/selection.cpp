#include "model/selection.hpp"

#include <algorithm>

namespace signpost::editor {

bool selection::contains(std::string_view id) const { return m_set.count(std::string(id)) != 0; }

void selection::select_only(const std::string& id) {
    m_ids.assign(1, id);
    m_set = {id};
}

void selection::set(const std::vector<std::string>& ids) {
    m_ids.clear();
    m_set.clear();
    for (const auto& id : ids) add(id);
}

void selection::add(const std::string& id) {
    if (m_set.insert(id).second) m_ids.push_back(id);
}

void selection::toggle(const std::string& id) {
    if (contains(id))
        remove(id);
    else
        add(id);
}

void selection::remove(const std::string& id) {
    if (m_set.erase(id) == 0) return;
    m_ids.erase(std::find(m_ids.begin(), m_ids.end(), id));
}

void selection::clear() {
    m_ids.clear();
    m_set.clear();
    m_focus.reset();
}

void selection::select_all(const tree& t) {
    m_ids.clear();
    m_set.clear();
    for (const auto& n : t.nodes) add(n.id);
}

void selection::retain_existing(const tree& t) {
    std::vector<std::string> kept;
    for (const auto& id : m_ids)
        if (t.find(id)) kept.push_back(id);
    if (kept.size() != m_ids.size()) set(kept);
    if (m_focus && !m_focus->node_id.empty() && !t.find(m_focus->node_id)) m_focus.reset();
}

void selection::rename(const std::string& old_id, const std::string& new_id) {
    if (m_focus && m_focus->node_id == old_id) m_focus->node_id = new_id;
    if (!contains(old_id)) return;
    std::replace(m_ids.begin(), m_ids.end(), old_id, new_id);
    m_set.erase(old_id);
    m_set.insert(new_id);
}

void selection::focus(field_focus f) {
    if (!f.node_id.empty()) select_only(f.node_id);
    m_focus = std::move(f);
}

}  // namespace signpost::editor
