#pragma once
// Where the editor keeps things beside the trees: the recent files list and autosaves.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace signpost::editor {

// Most recently opened files, newest first, kept in a text file (one path per line).
class recent_files {
public:
    // How many entries are kept.
    static constexpr std::size_t capacity = 10;

    // `store` = the list's file; default_store() when empty.
    explicit recent_files(std::string store = {});
    // $XDG_CONFIG_HOME/signpost/recent-files, else ~/.config/signpost/recent-files.
    static std::string default_store();

    // Reads the store (missing file = empty list). Blank lines and duplicates are dropped.
    void load();
    // Writes the store atomically, creating its folder. Returns an error message on failure.
    [[nodiscard]] std::optional<std::string> save() const;
    // Puts `path` (made absolute) first, removing an older entry and trimming to capacity.
    void add(const std::string& path);
    // Removes `path` (a file that no longer opens).
    void remove(const std::string& path);
    // The entries, newest first.
    const std::vector<std::string>& items() const { return m_items; }
    const std::string& store() const { return m_store; }

private:
    std::string m_store;
    std::vector<std::string> m_items;
};

// The autosave file of a tree file: `<dir>/.<name>.autosave` (e.g. ".outage.xml.autosave").
// For an untitled document (empty path): $XDG_STATE_HOME/signpost/untitled.xml.autosave
// (else ~/.local/state/signpost/...).
std::string autosave_path_for(const std::string& file);

// An autosave left behind by an editor that stopped before saving (a crash, a power cut,
// a killed session): the editor offers it back.
struct autosave_offer {
    std::string file;      // the tree file it belongs to ("" = untitled)
    std::string autosave;  // the autosave's own path
    // The file was written after the autosave (a git pull or another program while the
    // editor was down): recovering would put older edits over newer content.
    bool older_than_file = false;
};

// The autosave of `file` when one exists and holds something other than the file itself.
// Older autosaves are offered too, marked: only the author can tell which copy to keep.
std::optional<autosave_offer> recovery_for(const std::string& file);

// The bytes of a file, or nullopt when it cannot be read.
std::optional<std::string> read_whole(const std::string& path);

// Deletes the autosave of `file` if present.
void remove_autosave(const std::string& file);

// Absolute, lexically normal form of a path ("" stays "").
std::string absolute_path(const std::string& path);

}  // namespace signpost::editor
