// Fuzz target: the editor's editing model (document, commands, undo/redo, clipboard).
// Input: tree XML, a NUL byte, then command bytes; strings for the commands (titles, ids,
// conditions, clipboard text...) are cut from the input too, so they hold anything.
// Checked besides "no crash, no sanitizer report", after every command:
//   - a refused command changes nothing (text and undo depth);
//   - undo gives back the exact text from before, redo the exact text after;
//   - whatever the tree holds can be saved and opened again: the saved text loads into a
//     tree (errors of a work in progress allowed) that saves to the same text, so saving
//     a half-finished script and reopening it loses nothing.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "model/commands.hpp"
#include "model/document.hpp"
#include "signpost/load.hpp"
#include "signpost/save.hpp"

namespace {

using namespace signpost;
using namespace signpost::editor;
using fuzz::require;
using fuzz::first_difference;

using command_bytes = fuzz::byte_reader;

vec2 position(command_bytes& in) {
    return {static_cast<double>(in.next()) * 8 - 400, static_cast<double>(in.next()) * 8 - 400};
}

std::string text_of(const document& d) { return save_tree_string(d.current()); }

// An id of the tree (or, now and then, one it does not have).
std::string some_id(const document& d, command_bytes& in) {
    const auto& nodes = d.current().nodes;
    const int pick = in.below(static_cast<int>(nodes.size()) + 1);
    return pick < static_cast<int>(nodes.size()) ? nodes[static_cast<std::size_t>(pick)].id : in.text();
}

std::vector<std::string> some_ids(const document& d, command_bytes& in) {
    std::vector<std::string> ids;
    for (int n = in.below(4); n >= 0; --n) ids.push_back(some_id(d, in));
    return ids;
}

std::string some_variable(const document& d, command_bytes& in) {
    const auto& vars = d.current().variables;
    const int pick = in.below(static_cast<int>(vars.size()) + 1);
    return pick < static_cast<int>(vars.size()) ? vars[static_cast<std::size_t>(pick)].name : in.text();
}

node_kind some_kind(command_bytes& in) { return static_cast<node_kind>(in.below(7)); }

std::unique_ptr<command> make_command(const document& d, command_bytes& in) {
    switch (in.below(32)) {
        case 0: return add_node(some_kind(in), position(in));
        case 1: return delete_nodes(some_ids(d, in));
        case 2: return move_nodes({{some_id(d, in), position(in)}});
        case 3: return offset_nodes(d.current(), some_ids(d, in), position(in));
        case 4: return set_node_property(some_id(d, in), static_cast<node_property>(in.below(8)), in.text());
        case 5: return rename_node(some_id(d, in), in.text());
        case 6: return change_kind(some_id(d, in), some_kind(in));
        case 7: return add_choice(some_id(d, in), in.text(), some_id(d, in));
        case 8: return remove_choice(some_id(d, in), in.below(6) - 1);
        case 9: return move_choice(some_id(d, in), in.below(6) - 1, in.below(6) - 1);
        case 10: return set_choice_label(some_id(d, in), in.below(5), in.text());
        case 11: return set_choice_target(some_id(d, in), in.below(5), some_id(d, in));
        case 12: return set_choice_condition(some_id(d, in), in.below(5), in.text());
        case 13: return set_choice_assignments(some_id(d, in), in.below(5), in.text());
        case 14: return add_branch(some_id(d, in), in.text(), some_id(d, in));
        case 15: return remove_branch(some_id(d, in), in.below(5));
        case 16: return set_branch_condition(some_id(d, in), in.below(5), in.text());
        case 17: return set_branch_target(some_id(d, in), in.below(5), some_id(d, in));
        case 18: return set_otherwise(some_id(d, in), some_id(d, in));
        case 19: {
            field f;
            f.variable = some_variable(d, in);
            f.label = in.text();
            f.required = in.next() % 2;
            f.pattern = in.text();
            f.placeholder = in.text();
            if (in.next() % 2) return add_field(some_id(d, in), f);
            return set_field(some_id(d, in), in.below(4), f);
        }
        case 20: return remove_field(some_id(d, in), in.below(4));
        case 21: return connect({some_id(d, in), static_cast<pin_slot>(in.below(4)), in.below(5)}, some_id(d, in));
        case 22: return connect_to_new_node({some_id(d, in), static_cast<pin_slot>(in.below(4)), in.below(5)},
                                            some_kind(in), position(in));
        case 23: {
            tree_header h = header_of(d.current());
            switch (in.below(5)) {
                case 0: h.id = in.text(); break;
                case 1: h.title = in.text(); break;
                case 2: h.start = some_id(d, in); break;
                case 3: h.description = in.text(); break;
                default: h.version = static_cast<int>(in.next()) - 8; break;
            }
            return set_tree_header(h);
        }
        case 24: {
            variable v;
            v.name = in.below(2) ? in.text() : some_variable(d, in);
            v.type = static_cast<var_type>(in.below(4));
            for (int n = in.below(4); n > 0; --n) v.options.push_back(in.text());
            if (in.next() % 2) v.default_text = in.text();
            v.label = in.text();
            if (in.next() % 2) return add_variable(v);
            return set_variable(v.name, v);
        }
        case 25: return rename_variable(some_variable(d, in), in.text());
        case 26: return remove_variable(some_variable(d, in));
        case 27: return paste_nodes(copy_nodes(d.current(), some_ids(d, in)), position(in));
        case 28: return paste_nodes(in.text(), position(in));
        case 29: return duplicate_nodes(d.current(), some_ids(d, in), position(in));
        case 30: return apply_auto_layout();
        default: {
            std::vector<std::unique_ptr<command>> parts;
            for (int n = in.below(3) + 1; n > 0; --n) parts.push_back(make_command(d, in));
            return batch("fuzz batch", std::move(parts));
        }
    }
}

// What is saved can be opened again, and saving that gives the same text. `done` lists
// the commands so far, for the failure message.
void check_reopens(const std::string& saved, const std::string& done = {}) {
    const load_result again = load_tree_string(saved, "fuzz-saved.xml");
    std::string why;
    for (const auto& p : again.problems)
        if (p.code == "xml-syntax" || p.code == "invalid-utf8" || !again.loaded) why += format(p) + "\n";
    require(again.loaded && why.empty(), "the editor holds a tree whose saved text does not open",
            why + "commands: " + done + "\n" + saved);
    const std::string resaved = save_tree_string(*again.loaded);
    require(resaved == saved, "saving, reopening and saving again changed the tree",
            first_difference(saved, resaved) + "\ncommands: " + done);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t split = std::min(input.find('\0'), input.size());
    const load_result loaded = load_tree_string(input.substr(0, split), "fuzz.xml");
    // The editor opens broken files too, as long as a tree came back. Their first save
    // may drop what could not be read, but from then on nothing more may go.
    if (!loaded.loaded) return 0;

    command_bytes in(split < input.size() ? input.substr(split + 1) : std::string_view());
    document d(*loaded.loaded, "");
    check_reopens(text_of(d));
    std::string done;
    for (int commands = 0; !in.done() && commands < 200; ++commands) {
        const std::string before = text_of(d);
        const std::size_t depth = d.edits().undo_depth();
        const std::uint8_t op = in.next();
        if (op % 16 == 0) {
            if (d.undo()) done += "undo; ";
            continue;
        }
        if (op % 16 == 1) {
            if (d.redo()) done += "redo; ";
            continue;
        }
        std::unique_ptr<command> c = make_command(d, in);
        const std::string label = c->label();
        if (auto error = d.execute(std::move(c))) {
            require(text_of(d) == before, "a refused command changed the tree", *error);
            require(d.edits().undo_depth() == depth, "a refused command left an undo step", *error);
            continue;
        }
        done += label + "; ";
        const std::string after = text_of(d);
        check_reopens(after, done);
        if (after == before || d.edits().undo_depth() == depth) continue;  // nothing new to undo (or merged)
        d.edits().seal();
        require(d.undo(), "a command that changed the tree left nothing to undo");
        require(text_of(d) == before, "undo did not give back the text from before",
                first_difference(before, text_of(d)));
        require(d.redo(), "nothing to redo right after an undo");
        require(text_of(d) == after, "redo did not give back the text from after",
                first_difference(after, text_of(d)));
    }
    return 0;
}
