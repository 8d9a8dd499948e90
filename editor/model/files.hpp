#pragma once
// Where the editor keeps things beside the trees: the recent files list and autosaves.

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
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

// The autosave files of a tree file, one per editor that has it open at once (slots):
// slot 0 is `<dir>/.<name>.autosave` (e.g. ".outage.xml.autosave"), slot k
// `<dir>/.<name>.<k+1>.autosave`. For an untitled document (empty path):
// $XDG_STATE_HOME/signpost/untitled.xml.autosave, untitled-<k+1>.xml.autosave (else
// ~/.local/state/signpost/...).
inline constexpr int autosave_slots = 8;
std::string autosave_path_for(const std::string& file, int slot = 0);

// An editor's hold on one autosave path while it has the file open, so a second editor on
// the same file writes to another slot and a live editor's autosave is never offered to
// another as a crash's. A lock file under $XDG_STATE_HOME/signpost/locks (flock), named by
// the folder's device and inode (the same through symlinks and bind mounts) and the file
// name: the kernel lets go when the process ends, however it ends. Editors run with
// different XDG_STATE_HOME (another user, sudo) do not see each other's holds.
class autosave_lock {
public:
    // The hold, or nullopt when another editor (or another document here) has it. Where
    // no lock can be made at all (no state folder), a hold that guards nothing (guards()
    // false): autosaving matters more.
    static std::optional<autosave_lock> take(const std::string& autosave);
    // Whether an editor holds `autosave` now.
    static bool held(const std::string& autosave);
    bool guards() const { return m_guards; }
    // Whether this hold is on the lock `autosave` has now: the folder's inode changes when
    // it is removed and made again (a git checkout), and a hold on the old one guards
    // nothing.
    bool names(const std::string& autosave) const;

    autosave_lock(autosave_lock&& other) noexcept
        : m_fd(std::exchange(other.m_fd, -1)), m_guards(other.m_guards), m_name(std::move(other.m_name)) {}
    autosave_lock& operator=(autosave_lock&& other) noexcept;
    autosave_lock(const autosave_lock&) = delete;
    autosave_lock& operator=(const autosave_lock&) = delete;
    ~autosave_lock();

private:
    autosave_lock(int fd, bool guards, std::string name) : m_fd(fd), m_guards(guards), m_name(std::move(name)) {}
    int m_fd = -1;
    bool m_guards = false;
    std::string m_name;  // the lock file
};

// An autosave left behind by an editor that stopped before saving (a crash, a power cut,
// a killed session): the editor offers it back.
struct autosave_offer {
    std::string file;      // the tree file it belongs to ("" = untitled)
    std::string autosave;  // the autosave's own path
    // The file was written after the autosave (a git pull or another program while the
    // editor was down): recovering would put older edits over newer content.
    bool older_than_file = false;
};

// An autosave of `file` that no editor holds (left by one that stopped before saving) and
// that holds something other than the file itself; the lowest slot first, one at a time.
// Older autosaves are offered too, marked: only the author can tell which copy to keep.
std::optional<autosave_offer> recovery_for(const std::string& file);

// The bytes of a file, or nullopt when it cannot be read.
std::optional<std::string> read_whole(const std::string& path);

// Absolute, lexically normal form of a path ("" stays "").
std::string absolute_path(const std::string& path);

}  // namespace signpost::editor
