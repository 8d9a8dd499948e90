#pragma once
// The editing commands. Each factory returns a command for document::execute(); the
// command checks its arguments against the tree when applied and returns an error
// message instead of editing when they do not fit (unknown node, invalid id...).
//
// Delete rule: deleting nodes also removes the choices and branches that point at them
// (a choice without a target means nothing); `to` and `otherwise` pointing at them are
// cleared to "" and `start` too, which the validator then reports so the author relinks.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/change.hpp"
#include "model/geometry.hpp"
#include "model/layout.hpp"
#include "model/pin.hpp"
#include "signpost/tree.hpp"

namespace signpost::editor {

// A free node id: `base` itself when free and valid, else "<base>-2", "<base>-3"...
// (a trailing "-N" of base is replaced, so "question-3" becomes "question-4").
std::string unique_node_id(const tree& t, std::string_view base);

// The position (top-left, canvas units) stored for a node, if any.
std::optional<vec2> position_of(const tree& t, std::string_view node_id);

// A new node of `kind` as the editor creates it (placeholder text, defaults filled in).
node make_node(node_kind kind, std::string id);

// [SECTION] nodes

// Adds a node of `kind` at `pos` with a fresh id like "question-3" (make_node() content).
// The first node of an empty tree becomes its start (never a node added later).
std::unique_ptr<command> add_node(node_kind kind, vec2 pos);
// Deletes the nodes and their layout entries; references follow the delete rule above.
std::unique_ptr<command> delete_nodes(std::vector<std::string> ids);
// Sets positions (top-left) of nodes; a drag sending one per frame merges into one step.
std::unique_ptr<command> move_nodes(std::vector<std::pair<std::string, vec2>> positions);
// Moves nodes by a delta (keyboard nudge, drag from stored start positions).
std::unique_ptr<command> offset_nodes(const tree& t, const std::vector<std::string>& ids, vec2 delta);

// The single-text properties of a node.
enum class node_property { title, text, hint, team, priority, outcome, tree_ref, to };
// Sets one property; typing bursts in one field merge into one step.
std::unique_ptr<command> set_node_property(std::string id, node_property property, std::string value);
// Renames a node and every reference to it (choices, branches, otherwise, to, start, layout).
// Refuses invalid or taken ids.
std::unique_ptr<command> rename_node(std::string old_id, std::string new_id);
// Changes a node's kind, keeping what the new kind can hold (text, title, targets).
std::unique_ptr<command> change_kind(std::string id, node_kind kind);

// [SECTION] choices (question)

// Appends a choice (label may be empty to fill in later; `to` may be "").
std::unique_ptr<command> add_choice(std::string id, std::string label, std::string to = {});
// Removes choice `index`.
std::unique_ptr<command> remove_choice(std::string id, int index);
// Moves choice `from` to position `to` (others shift).
std::unique_ptr<command> move_choice(std::string id, int from, int to);
// Sets the label (merges while typing).
std::unique_ptr<command> set_choice_label(std::string id, int index, std::string label);
// Sets the target ("" = unlinked).
std::unique_ptr<command> set_choice_target(std::string id, int index, std::string to);
// Sets the `if` condition from text, trimmed ("" removes it). Text that does not parse is
// kept as written (an expression without a parse, as the loader keeps a broken file's) so
// nothing typed is lost; check_expression_text() shows the error inline and revalidation
// lists it. Merges while typing.
std::unique_ptr<command> set_choice_condition(std::string id, int index, std::string text);
// Sets the `set` assignments from text, trimmed ("" removes them); broken text kept as above.
std::unique_ptr<command> set_choice_assignments(std::string id, int index, std::string text);

// [SECTION] branches (logic)

// Appends a branch (condition text kept as written, like set_choice_condition).
std::unique_ptr<command> add_branch(std::string id, std::string condition = "true", std::string to = {});
// Removes branch `index`.
std::unique_ptr<command> remove_branch(std::string id, int index);
// Moves branch `from` to position `to`.
std::unique_ptr<command> move_branch(std::string id, int from, int to);
// Sets a branch condition from text (kept as written when broken). Merges while typing.
std::unique_ptr<command> set_branch_condition(std::string id, int index, std::string text);
// Sets a branch target.
std::unique_ptr<command> set_branch_target(std::string id, int index, std::string to);
// Sets the `otherwise` target ("" removes it).
std::unique_ptr<command> set_otherwise(std::string id, std::string to);

// [SECTION] form fields

// Appends a field.
std::unique_ptr<command> add_field(std::string id, field f);
// Removes field `index`.
std::unique_ptr<command> remove_field(std::string id, int index);
// Moves field `from` to position `to`.
std::unique_ptr<command> move_field(std::string id, int from, int to);
// Replaces field `index` (the inspector edits a copy). Merges while typing.
std::unique_ptr<command> set_field(std::string id, int index, field f);

// [SECTION] links

// Points the pin at `target` ("" unlinks). An "add answer"/"add branch" pin creates the
// choice ("New answer") / branch (condition "true").
std::unique_ptr<command> connect(pin from, std::string target);
// Same as connect(from, "").
std::unique_ptr<command> disconnect(pin from);
// Creates a node of `kind` at `pos` and links `from` to it: one undo step.
std::unique_ptr<command> connect_to_new_node(pin from, node_kind kind, vec2 pos);

// [SECTION] tree

// Sets the tree-level fields (id, version, title, start, description, allow_find).
// Refuses an invalid id or a version below 1. Typing in one field merges.
std::unique_ptr<command> set_tree_header(tree_header header);

// [SECTION] variables

// Declares a variable; refuses a bad or taken name, missing options for a choice, or a
// default that does not fit the type.
std::unique_ptr<command> add_variable(variable v);
// Changes type, options, default and label of `name` (v.name must equal name; use
// rename_variable to rename). Same checks as add_variable.
std::unique_ptr<command> set_variable(std::string name, variable v);
// Renames a variable everywhere: declarations, conditions, `set`s, field vars and {name}
// in texts, hints, labels and the description. String literals are left alone.
std::unique_ptr<command> rename_variable(std::string old_name, std::string new_name);
// Removes a declaration (uses remain and are reported by the validator).
std::unique_ptr<command> remove_variable(std::string name);

// [SECTION] clipboard

// The nodes `ids` (with their layout and the tree's variables) as a small tree XML text,
// for the system clipboard. "" when no id exists. The text names where it came from in its
// description: the tree id, `source_file` (the document's file, when there is one) and
// `source_instance` (the document's instance_id()), so a paste can tell its own tree from
// another; it still reads as a tree anywhere.
std::string copy_nodes(const tree& t, const std::vector<std::string>& ids, std::string_view source_file = {},
                       std::string_view source_instance = {});
// True when `text` looks like something copy_nodes() produced (a <tree> with nodes).
bool is_node_clipboard(std::string_view text);
// Where copied nodes came from, as copy_nodes() recorded it (nullopt for text that does
// not say: hand-made XML, an older editor's copy).
struct clipboard_source {
    std::string tree_id;
    std::string file;      // "" for a tree not saved yet
    std::string instance;  // the copying document's instance_id() ("" when not said)
};
std::optional<clipboard_source> source_of_clipboard(std::string_view text);
// True when clipboard text copied from `source` pastes back into the same tree: the same
// open document (its instance id, which survives saving and renaming), or the same file
// holding the same tree id (two editors on one file). Untitled documents match only by
// instance: every template starts as "new-tree", with other nodes behind the same ids.
bool same_tree(const clipboard_source& source, const tree& target, std::string_view target_file,
               std::string_view target_instance = {});
// Pastes clipboard text: ids made unique, links among the pasted nodes remapped,
// positions shifted by `offset`, variables the target lacks declared. Links to nodes
// outside the copy are kept when pasting into the tree they were copied from (see
// same_tree; `target_file` and `target_instance`: the document's); into another tree they
// are dropped (left unlinked, which Problems lists), as the same id there names some
// other node. Refuses text that is not a tree.
std::unique_ptr<command> paste_nodes(std::string clipboard_text, vec2 offset, std::string target_file = {},
                                     std::string target_instance = {});
// How many links paste_nodes() would drop pasting `clipboard_text` into `target`.
int links_dropped_by_paste(std::string_view clipboard_text, const tree& target, std::string_view target_file,
                           std::string_view target_instance = {});
// Copies and pastes in one step (Ctrl+D).
std::unique_ptr<command> duplicate_nodes(const tree& t, const std::vector<std::string>& ids,
                                         vec2 offset = {40, 40});

// [SECTION] layout

// Replaces every node's position with auto_layout(): one undo step.
std::unique_ptr<command> apply_auto_layout(layout_options options = {});

// [SECTION] composition

// Runs `parts` in order as one undo step (all or nothing).
std::unique_ptr<command> batch(std::string label, std::vector<std::unique_ptr<command>> parts);

}  // namespace signpost::editor
