// Fuzz target: tree loader, validator, saver and exports.
// bytes -> load -> validate -> save -> reload must give the same tree, and saving that
// again must give the same bytes. A broken file (the editor opens those) may lose on its
// first save what could not be read, but its second save must give the same bytes as the
// first. Any crash, sanitizer report or broken round trip aborts.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "signpost/export.hpp"
#include "signpost/library.hpp"
#include "signpost/load.hpp"
#include "signpost/save.hpp"
#include "signpost/validate.hpp"

namespace {

using namespace signpost;
using fuzz::require;

// Every finding must say what and where, inside the input.
void check_diagnostics(const diagnostics& list, std::string_view input) {
    std::size_t lines = 1;
    for (std::size_t i = 0; i < input.size(); ++i) lines += ends_line(input, i);
    for (const auto& d : list) {
        require(!d.code.empty(), "diagnostic without a code", d.message);
        require(!d.message.empty(), "diagnostic without a message", d.code);
        require(d.pos.line >= 0 && d.pos.column >= 0, "negative diagnostic position", format(d));
        require(static_cast<std::size_t>(d.pos.line) <= lines, "diagnostic line past the end of the input",
                format(d));
        (void)format(d);
    }
}

bool same_expression(const expression& a, const expression& b) { return a.source() == b.source(); }

// The model as written by the saver: every field except source positions and the file name.
std::string difference(const tree& a, const tree& b) {
    if (a.format != b.format || a.id != b.id || a.version != b.version || a.title != b.title ||
        a.start != b.start || a.description != b.description || a.allow_find != b.allow_find)
        return "tree attributes or description";
    if (a.variables.size() != b.variables.size()) return "variable count";
    for (std::size_t i = 0; i < a.variables.size(); ++i) {
        const auto& x = a.variables[i];
        const auto& y = b.variables[i];
        if (x.name != y.name || x.type != y.type || x.options != y.options || x.default_text != y.default_text ||
            x.default_value != y.default_value || x.label != y.label || x.is_private != y.is_private)
            return "variable " + x.name;
    }
    if (a.nodes.size() != b.nodes.size()) return "node count";
    for (std::size_t i = 0; i < a.nodes.size(); ++i) {
        const node& x = a.nodes[i];
        const node& y = b.nodes[i];
        const std::string where = "node " + x.id + ": ";
        if (x.kind != y.kind || x.id != y.id || x.title != y.title) return where + "kind, id or title";
        if (x.text != y.text) return where + "text";
        if (x.hint != y.hint) return where + "hint";
        if (x.to != y.to || x.otherwise != y.otherwise || x.tree_ref != y.tree_ref) return where + "targets";
        if (x.team != y.team || x.priority != y.priority || x.outcome != y.outcome) return where + "end attributes";
        if (x.choices.size() != y.choices.size()) return where + "choice count";
        for (std::size_t c = 0; c < x.choices.size(); ++c) {
            const auto& p = x.choices[c];
            const auto& q = y.choices[c];
            if (p.label != q.label || p.to != q.to || p.set_source != q.set_source ||
                p.condition.has_value() != q.condition.has_value() ||
                (p.condition && !same_expression(*p.condition, *q.condition)) || p.sets.size() != q.sets.size())
                return where + "choice " + std::to_string(c);
        }
        if (x.fields.size() != y.fields.size()) return where + "field count";
        for (std::size_t f = 0; f < x.fields.size(); ++f) {
            const auto& p = x.fields[f];
            const auto& q = y.fields[f];
            if (p.variable != q.variable || p.label != q.label || p.required != q.required ||
                p.pattern != q.pattern || p.placeholder != q.placeholder)
                return where + "field " + std::to_string(f);
        }
        if (x.branches.size() != y.branches.size()) return where + "branch count";
        for (std::size_t k = 0; k < x.branches.size(); ++k)
            if (x.branches[k].to != y.branches[k].to ||
                !same_expression(x.branches[k].condition, y.branches[k].condition))
                return where + "branch " + std::to_string(k);
    }
    if (a.layout.size() != b.layout.size()) return "layout size";
    for (std::size_t i = 0; i < a.layout.size(); ++i)
        if (a.layout[i].node != b.layout[i].node || a.layout[i].x != b.layout[i].x || a.layout[i].y != b.layout[i].y)
            return "layout of " + a.layout[i].node;
    return {};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    load_result first = load_tree_string(input, "fuzz.xml");
    check_diagnostics(first.problems, input);
    if (!first.loaded) return 0;

    // All checks; the library holds the tree itself, so jumps to its own id run the
    // cross-tree analysis (cycles, variable types) too.
    tree_library library;
    library.add(first.loaded);
    (void)validate_tree(*first.loaded, nullptr);
    (void)validate_tree(*first.loaded, &library);
    if (!first.ok()) {
        const std::string saved = save_tree_string(*first.loaded);
        const load_result again = load_tree_string(saved, "fuzz-saved.xml");
        require(again.loaded != nullptr, "the first save of a broken tree does not open", saved);
        const std::string resaved = save_tree_string(*again.loaded);
        require(resaved == saved, "a broken tree's second save differs from its first",
                fuzz::first_difference(saved, resaved) + "\n--- first save:\n" + saved);
        return 0;
    }

    for (const auto f : {export_format::dot, export_format::mermaid, export_format::json})
        (void)export_tree(*first.loaded, f);

    const std::string saved = save_tree_string(*first.loaded);
    const load_result again = load_tree_string(saved, "fuzz-saved.xml");
    if (!again.ok()) {
        std::string why;
        for (const auto& d : again.problems) why += format(d) + "\n";
        fuzz::fail("the saved tree does not load again", why + "--- saved:\n" + saved);
    }
    const std::string diff = difference(*first.loaded, *again.loaded);
    require(diff.empty(), "load -> save -> load changed the tree", diff + "\n--- saved:\n" + saved);
    require(save_tree_string(*again.loaded) == saved, "saving the reloaded tree gives different bytes", saved);
    return 0;
}
