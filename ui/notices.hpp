#pragma once
// Warnings the window shows until the person dismisses them. Agents and authors do not see
// standard error: a missing font that turns a script's characters into '?' is said where
// they look.

#include <string>
#include <vector>

namespace signpost::ui {

class notice_list {
public:
    // Adds a notice (one already added, even if dismissed since, is not shown again).
    void add(const std::string& text);
    // Draws the notices in a small box at the bottom right of the window, above what the
    // frame drew, with a Dismiss button that removes them.
    void draw();
    const std::vector<std::string>& shown() const { return m_shown; }

private:
    std::vector<std::string> m_shown;
    std::vector<std::string> m_added;  // every notice ever added
};

}  // namespace signpost::ui
