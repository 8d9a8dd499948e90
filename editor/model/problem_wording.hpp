#pragma once
// The loader and validator speak to people who edit the XML ("<step> has an empty target").
// In the editor nobody sees tags: its Problems, inspector and preview say the same in the
// editor's own words (answers, Variables, a node kind as the palette names it).

#include <string>

#include "signpost/diagnostic.hpp"

namespace signpost::editor {

// `message` with the file's element names put as the editor shows them.
std::string in_editor_terms(std::string message);
// Every message of `problems` in_editor_terms; codes, places and levels stay.
void put_in_editor_terms(diagnostics& problems);

}  // namespace signpost::editor
