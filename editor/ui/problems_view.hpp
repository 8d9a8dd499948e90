#pragma once
// The Problems list: the validator's findings on the tree as it is now (refreshed while the
// author edits), and the findings of a file that could not be opened. Clicking a finding
// selects its node and points the inspector at the field.

#include <string>

#include "signpost/diagnostic.hpp"
#include "signpost/tree.hpp"

namespace signpost::editor {

class editor_app;

class problems_view {
public:
    void draw(editor_app& app);
    // Counts for the tab title.
    static std::string summary(const diagnostics& list);
    // Which choice, branch or field of its node a finding is about (-1 when not one), found
    // from its line in the canonical text the findings were made on.
    static int item_index(const tree& t, const diagnostic& d);
    // Selects what a finding is about (what a click does).
    static void go_to(editor_app& app, const diagnostic& d);

    bool show_info = false;
};

}  // namespace signpost::editor
