#pragma once
// Where `jump` targets are found: tree ids resolve to `<dir>/<id>.xml` in a list of folders.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "signpost/load.hpp"

namespace signpost {

class tree_library {
public:
    // Folders searched in order for `<id>.xml`.
    explicit tree_library(std::vector<std::string> folders = {});

    // Adds a tree that is already loaded (the root tree of a session, or one from the
    // editor's memory). It wins over files with the same id.
    void add(std::shared_ptr<const tree> t);

    struct lookup {
        std::shared_ptr<const tree> found;  // null when not found or broken
        diagnostics problems;              // why not, or the tree's own load errors
        std::string file;                  // the file read (found or broken); "" when none
        std::string hash;                  // content_hash of its bytes (which version of it ran)
    };
    // Finds a tree by id: loaded once, then cached. Ids that are not valid ids
    // (is_valid_id: e.g. "../../etc/passwd") are refused without touching the disk.
    lookup get(const std::string& id) const;

    const std::vector<std::string>& folders() const { return m_folders; }

    // The files read so far (one per tree looked up and found on disk, broken or not), so
    // a player can tell when one of them is republished.
    std::vector<std::string> files() const;

private:
    std::vector<std::string> m_folders;
    mutable std::map<std::string, lookup> m_cache;
};

}  // namespace signpost
