#include "model/change.hpp"

#include <algorithm>
#include <cassert>
#include <iterator>
#include <unordered_map>

#include <fmt/format.h>

#include "signpost/save.hpp"

namespace signpost::editor {

tree_header header_of(const tree& t) {
    return {t.id, t.version, t.title, t.start, t.description, t.allow_find};
}

void set_header(tree& t, const tree_header& h) {
    t.id = h.id;
    t.version = h.version;
    t.title = h.title;
    t.start = h.start;
    t.description = h.description;
    t.allow_find = h.allow_find;
}

bool tree_change::empty() const { return !header && !variables && nodes.empty() && layout.empty(); }

namespace {

template <typename T, typename Op>
void run_forward(std::vector<T>& list, const std::vector<Op>& ops) {
    for (const Op& op : ops) {
        if (op.before && op.after) {
            assert(op.index < list.size());
            list[op.index] = *op.after;
        } else if (op.after) {
            assert(op.index <= list.size());
            list.insert(list.begin() + static_cast<std::ptrdiff_t>(op.index), *op.after);
        } else if (op.before) {
            assert(op.index < list.size());
            list.erase(list.begin() + static_cast<std::ptrdiff_t>(op.index));
        }
    }
}

template <typename T, typename Op>
void run_backward(std::vector<T>& list, const std::vector<Op>& ops) {
    for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
        const Op& op = *it;
        if (op.before && op.after) {
            assert(op.index < list.size());
            list[op.index] = *op.before;
        } else if (op.after) {
            assert(op.index < list.size());
            list.erase(list.begin() + static_cast<std::ptrdiff_t>(op.index));
        } else if (op.before) {
            assert(op.index <= list.size());
            list.insert(list.begin() + static_cast<std::ptrdiff_t>(op.index), *op.before);
        }
    }
}

template <typename Op>
bool replace_only(const std::vector<Op>& ops) {
    return std::all_of(ops.begin(), ops.end(), [](const Op& op) { return op.before && op.after; });
}

// Appends `later` to `earlier`; when both only replace items, ops on the same index
// collapse into one (first before, last after) so a long drag or typing burst stays one op.
template <typename Op>
void compose_ops(std::vector<Op>& earlier, std::vector<Op>&& later) {
    if (!replace_only(earlier) || !replace_only(later)) {
        earlier.insert(earlier.end(), std::make_move_iterator(later.begin()), std::make_move_iterator(later.end()));
        return;
    }
    std::unordered_map<std::size_t, std::size_t> at;  // index -> position in earlier
    at.reserve(earlier.size());
    for (std::size_t k = 0; k < earlier.size(); ++k) at.emplace(earlier[k].index, k);
    for (Op& op : later) {
        if (const auto hit = at.find(op.index); hit != at.end()) {
            earlier[hit->second].after = std::move(op.after);
        } else {
            at.emplace(op.index, earlier.size());
            earlier.push_back(std::move(op));
        }
    }
}

// The id -> index maps only go stale when items come, go or change their key.
bool keys_change(const tree_change& c) {
    if (c.variables) return true;
    for (const auto& op : c.nodes)
        if (!op.before || !op.after || op.before->id != op.after->id) return true;
    for (const auto& op : c.layout)
        if (!op.before || !op.after || op.before->node != op.after->node) return true;
    return false;
}

}  // namespace

std::optional<std::string> find_unstorable_text(const tree_change& c) {
    std::optional<std::string> why;
    if (c.header) {
        const tree_header& h = c.header->second;
        for (const auto& [name, text] : {std::pair<const char*, const std::string&>{"id", h.id}, {"title", h.title},
                                         {"start", h.start}, {"description", h.description}})
            if ((why = unstorable_text(text))) return fmt::format("the tree's {}: {}", name, *why);
    }
    if (c.variables)
        for (const variable& v : c.variables->second)
            if ((why = signpost::find_unstorable_text(v))) return why;
    for (const node_op& op : c.nodes)
        if (op.after && (why = signpost::find_unstorable_text(*op.after))) return why;
    for (const layout_op& op : c.layout)
        if (op.after && (why = unstorable_text(op.after->node))) return fmt::format("layout entry: {}", *why);
    return std::nullopt;
}

void apply_change(tree& t, const tree_change& c) {
    if (c.header) set_header(t, c.header->second);
    if (c.variables) t.variables = c.variables->second;
    run_forward(t.nodes, c.nodes);
    run_forward(t.layout, c.layout);
    if (keys_change(c)) t.reindex();
}

void revert_change(tree& t, const tree_change& c) {
    run_backward(t.layout, c.layout);
    run_backward(t.nodes, c.nodes);
    if (c.variables) t.variables = c.variables->first;
    if (c.header) set_header(t, c.header->first);
    if (keys_change(c)) t.reindex();
}

void compose_change(tree_change& earlier, tree_change later) {
    if (later.header) {
        if (earlier.header)
            earlier.header->second = std::move(later.header->second);
        else
            earlier.header = std::move(later.header);
    }
    if (later.variables) {
        if (earlier.variables)
            earlier.variables->second = std::move(later.variables->second);
        else
            earlier.variables = std::move(later.variables);
    }
    compose_ops(earlier.nodes, std::move(later.nodes));
    compose_ops(earlier.layout, std::move(later.layout));
}

history::history(std::chrono::milliseconds merge_window) : m_window(merge_window) {}

std::optional<std::string> history::execute(tree& t, std::unique_ptr<command> c, clock::time_point now) {
    if (!c) return std::string("no command");
    if (auto error = c->apply(t)) return error;
    m_last_created = c->created_nodes();
    if (!c->changed()) return std::nullopt;  // nothing to undo: no step, no dirty
    m_undone.clear();
    const std::string key = c->merge_key();
    if (!m_sealed && !key.empty() && !m_done.empty()) {
        step& top = m_done.back();
        if (top.cmd->merge_key() == key && now - top.last_time <= m_window && top.cmd->absorb(*c)) {
            top.revision = m_next_revision++;
            top.last_time = now;
            return std::nullopt;
        }
    }
    m_done.push_back({std::move(c), m_next_revision++, now});
    m_sealed = false;
    return std::nullopt;
}

bool history::undo(tree& t) {
    if (m_done.empty()) return false;
    m_done.back().cmd->revert(t);
    m_undone.push_back(std::move(m_done.back()));
    m_done.pop_back();
    m_sealed = true;
    return true;
}

bool history::redo(tree& t) {
    if (m_undone.empty()) return false;
    // A recorded command replays its recorded change, so this cannot fail.
    const auto error = m_undone.back().cmd->apply(t);
    assert(!error);
    (void)error;
    m_done.push_back(std::move(m_undone.back()));
    m_undone.pop_back();
    m_sealed = true;
    return true;
}

std::string history::undo_label() const { return m_done.empty() ? std::string() : m_done.back().cmd->label(); }

std::string history::redo_label() const {
    return m_undone.empty() ? std::string() : m_undone.back().cmd->label();
}

std::uint64_t history::revision() const { return m_done.empty() ? 0 : m_done.back().revision; }

void history::clear() {
    m_done.clear();
    m_undone.clear();
    m_sealed = true;
}

}  // namespace signpost::editor
