#include "signpost/library.hpp"

#include <filesystem>
#include <system_error>

#include "signpost/load.hpp"
#include "signpost/session_log.hpp"  // content_hash

namespace signpost {

namespace {

diagnostic library_problem(std::string code, std::string message, std::string file = {},
                           source_pos pos = {}) {
    diagnostic d;
    d.level = severity::error;
    d.code = std::move(code);
    d.message = std::move(message);
    d.file = std::move(file);
    d.pos = pos;
    d.field = "tree";
    return d;
}

std::string list_folders(const std::vector<std::string>& folders) {
    std::string out;
    for (const auto& f : folders) {
        if (!out.empty()) out += ", ";
        out += "'" + (f.empty() ? std::string(".") : f) + "'";
    }
    return out;
}

}  // namespace

tree_library::tree_library(std::vector<std::string> folders) : m_folders(std::move(folders)) {}

void tree_library::add(std::shared_ptr<const tree> t) {
    if (!t) return;
    // Stored in the cache itself: a later get() never looks at the disk for this id.
    lookup entry;
    const std::string id = t->id;
    entry.found = std::move(t);
    m_cache[id] = std::move(entry);
}

tree_library::lookup tree_library::get(const std::string& id) const {
    // Checked before anything else so a hostile id never reaches the filesystem.
    if (!is_valid_id(id)) {
        lookup refused;
        refused.problems.push_back(library_problem(
            "invalid-tree-ref",
            "'" + id + "' is not a tree id (letters, digits, '-', '_' and '.', not a path); "
            "name the tree by its id"));
        return refused;
    }
    if (auto it = m_cache.find(id); it != m_cache.end()) return it->second;

    lookup result;
    bool seen = false;
    for (const auto& folder : m_folders) {
        const std::filesystem::path path =
            (folder.empty() ? std::filesystem::path(".") : std::filesystem::path(folder)) / (id + ".xml");
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) continue;
        seen = true;
        result.file = path.string();
        std::string bytes;
        load_result loaded = load_tree_file(path.string(), &bytes);
        result.hash = content_hash(bytes);
        result.problems = std::move(loaded.problems);
        if (loaded.loaded && loaded.loaded->id != id) {
            result.problems.push_back(library_problem(
                "missing-tree",
                "file '" + path.string() + "' holds tree '" + loaded.loaded->id + "', not '" + id +
                    "'; rename the file or fix the tree's id",
                path.string(), loaded.loaded->pos));
        } else if (loaded.loaded && !has_errors(result.problems)) {
            result.found = std::move(loaded.loaded);
        }
        // The first file with the id wins, even when broken: a fallback copy further down
        // the list would silently run a different script than the author expects.
        break;
    }
    if (!seen) {
        result.problems.push_back(library_problem(
            "missing-tree",
            m_folders.empty()
                ? "tree '" + id + "' not found: no tree folders are configured"
                : "tree '" + id + "' not found: looked for " + id + ".xml in " + list_folders(m_folders)));
    }
    m_cache[id] = result;
    return result;
}

std::vector<std::string> tree_library::files() const {
    std::vector<std::string> out;
    for (const auto& [id, found] : m_cache)
        if (!found.file.empty()) out.push_back(found.file);
    return out;
}

}  // namespace signpost
