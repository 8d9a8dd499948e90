#pragma once
// Notes the text of engine objects for the font atlas (see want_glyphs in fonts.hpp), so
// a script in Chinese, Japanese or Korean draws its characters instead of '?'.

namespace signpost {
struct tree;
struct view;
}  // namespace signpost

namespace signpost::ui {

// Every text of a tree an author or agent can be shown: titles, texts, hints, labels,
// placeholders, options, outcomes, teams, the tree's title and description.
void want_glyphs_for(const tree& t);
// What the agent sees of the current step (filled-in text, choices, fields and values).
void want_glyphs_for(const view& v);

}  // namespace signpost::ui
