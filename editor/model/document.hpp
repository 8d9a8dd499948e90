#pragma once
// One open tree in the editor: the edited tree, its file, undo history, selection, dirty
// state, diagnostics and autosave. The UI reads it and changes it only through execute().

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/change.hpp"
#include "model/files.hpp"
#include "model/selection.hpp"
#include "model/templates.hpp"
#include "signpost/diagnostic.hpp"
#include "signpost/tree.hpp"

namespace signpost::editor {

// The id of a tree started from a template and not yet named: Save As gives it the file's.
inline constexpr const char* placeholder_tree_id = "new-tree";

class document;

// What opening a file gave.
struct open_result {
    // Set when the file held a tree (possibly broken: see problems).
    std::unique_ptr<document> doc;
    // The loader's findings (and the validator's when a tree came back).
    diagnostics problems;
    // An autosave of the file exists (even when the file did not open): offer
    // document::open_recovered().
    std::optional<autosave_offer> recovery;
    // XML comments and <?...?> instructions in the file: the tree model has no place for
    // them, so saving drops them.
    std::size_t comments = 0;
    std::size_t instructions = 0;
};

class document {
public:
    // The clock of edit merging and revalidation intervals.
    using clock = std::chrono::steady_clock;

    // A new untitled document from the "Blank" starter template (a question whose one
    // answer leads to an end node), laid out.
    static std::unique_ptr<document> from_template(const std::string& tree_id = placeholder_tree_id);
    // A new untitled document from one of starter_templates(), laid out; `tree_id` replaces
    // the template's id when it is a valid one.
    static std::unique_ptr<document> from_starter(const starter_template& starter,
                                                  const std::string& tree_id = "new-tree");
    // Opens a tree file. A broken file still opens when a tree came back; nodes without
    // positions get laid out (not an undo step).
    // `library_dirs`: folders of trees that jumps may run, searched after the file's own
    // folder when checking (the editor's --library).
    static open_result open(const std::string& path, std::vector<std::string> library_dirs = {});
    // Opens the autosave of `path` instead of the file (`autosave`: the one offered, else
    // the first slot's): path() is `path`, the document is dirty (the recovered edits are
    // not saved yet) and it goes on autosaving there.
    static open_result open_recovered(const std::string& path, std::vector<std::string> library_dirs = {},
                                      const std::string& autosave = {});
    // Wraps a tree built in memory (tests, tools); `path` may be "".
    document(tree t, std::string path);
    // Waits for a running background check.
    ~document();
    document(const document&) = delete;
    document& operator=(const document&) = delete;

    // The edited tree (read only: edit through execute()).
    const tree& current() const { return m_tree; }
    // The file ("" while untitled).
    const std::string& path() const { return m_path; }
    // Unique to this open document (process id, start time, a counter) and kept when it is
    // saved or renamed: the clipboard records it to know a paste back into the same tree,
    // untitled ones included, from one into another.
    const std::string& instance_id() const { return m_instance_id; }
    bool untitled() const { return m_path.empty(); }
    // The file name for the title bar: the file's, else the new file's, else "untitled".
    std::string display_name() const;
    // The file an untitled document is to be written to, named before it existed
    // (`signpost-editor new.xml`): it names the document and Save writes there. "" when none.
    const std::string& new_file() const { return m_new_file; }
    // Names that file (the document stays untitled until it is written); checks then read
    // the tree as that file, with jumps found from its folder.
    void set_new_file(std::string path);

    // [SECTION] editing
    // Applies a command (one undo step, or merged into the previous). Error: nothing changes.
    [[nodiscard]] std::optional<std::string> execute(std::unique_ptr<command> c,
                                                     clock::time_point now = clock::now());
    // Undo / redo the newest step; false when nothing to do.
    bool undo();
    bool redo();
    // The undo history (labels, can_undo, seal()).
    history& edits() { return m_history; }
    const history& edits() const { return m_history; }
    // Ids created by the last successful execute() (to select them).
    const std::vector<std::string>& last_created() const { return m_history.last_created(); }
    // Increases on every change of the tree (execute, undo, redo, open): UI caches
    // (scene, measurements) rebuild when it moves.
    std::uint64_t generation() const { return m_generation; }
    // The selection (pruned of deleted nodes after each change).
    editor::selection& selection() { return m_selection; }
    const editor::selection& selection() const { return m_selection; }

    // [SECTION] dirty state
    // True when the tree differs from the last saved (or opened) state.
    bool dirty() const { return m_forced_dirty || m_history.revision() != m_saved_revision; }

    // [SECTION] diagnostics
    // The findings of the last finished check (loader checks on the saved text + validator).
    const diagnostics& problems() const { return m_problems; }
    // Folders searched for jump targets after the file's own folder; changing them makes
    // the problems stale.
    const std::vector<std::string>& library_dirs() const { return m_library_dirs; }
    void set_library_dirs(std::vector<std::string> dirs);
    // True when edits happened since the state problems() describes.
    bool problems_stale() const { return m_validated_generation != m_generation; }
    // Re-checks now, on this thread: save_tree_string -> load_tree_string -> validate_tree
    // with a library over the file's folder and library_dirs() (the edited tree itself wins
    // over its file).
    // A 5,000-node tree takes ~0.2 s optimised, so the UI uses revalidate_if_due() instead.
    void revalidate();
    // Call once per frame. Collects a finished background check, and starts one (from a
    // snapshot of the text, so editing goes on meanwhile) when problems are stale, none is
    // running and `min_interval` passed since the last one started. True when problems()
    // changed.
    bool revalidate_if_due(clock::time_point now = clock::now(),
                           std::chrono::milliseconds min_interval = std::chrono::milliseconds(300));
    // True while a background check runs.
    bool validating() const { return m_job.valid(); }
    // Blocks until a running background check is done and collects it (tests, closing).
    void wait_for_validation();
    // How long the last check took (on whichever thread ran it).
    std::chrono::microseconds last_validation_time() const { return m_validation_time; }

    // [SECTION] files
    // Writes the canonical text to path() atomically; error when untitled or writing fails.
    // Clears dirty and removes the autosave. Refuses (an error, and changed_on_disk() true)
    // when another program changed or removed the file since this document read or wrote
    // it, unless `overwrite_changes_on_disk`: a git pull must not be undone by a save.
    [[nodiscard]] std::optional<std::string> save(bool overwrite_changes_on_disk = false);
    // The file is no longer what this document read or last wrote (another program, an
    // editor instance or a git pull changed, replaced or removed it).
    bool changed_on_disk() const;
    // Saves under a new path (the document takes that path).
    [[nodiscard]] std::optional<std::string> save_as(const std::string& path);
    // Writes the autosave file (the UI calls this every few seconds while dirty).
    [[nodiscard]] std::optional<std::string> write_autosave();
    // Where write_autosave() writes: the first autosave slot of path() that no other
    // editor holds and that no crash's autosave waits in (see autosave_lock), taken at the
    // first write (or the recovered one) and held while the document lives; the first
    // slot's path until then.
    std::string autosave_path() const;
    // Removes the autosave (on save and on a clean close) if this document wrote it or was
    // recovered from it and it still holds those bytes; one left (or since rewritten) by
    // another instance, or an unanswered crash, stays.
    void discard_autosave();
    // Whether the autosave on disk holds what this document last wrote (or recovered from).
    bool wrote_autosave() const;
    // False when the autosave slot is held without a lock (no state folder to keep locks
    // in): another editor on the same file might then write the same autosave.
    bool autosave_guarded() const { return !m_autosave_lock || m_autosave_lock->guards(); }

private:
    // Holds an autosave slot of path(): `recovered` first (the one its edits came from),
    // else the first free one. None when every slot is taken.
    void claim_autosave_slot(int recovered = -1);
    bool try_autosave_slot(int slot, bool take_over);
    void discard_autosave_at(const std::string& autosave);
    // Whether `autosave` holds the bytes this document last wrote (or recovered from).
    bool holds_what_was_written(const std::string& autosave) const;
    void after_change();
    // Lays out nodes without a position (all of them when none has one); not an undo step.
    void place_unpositioned();

    // What the file was when this document read or wrote it, to notice others' changes.
    struct disk_stamp {
        bool exists = false;
        std::uint64_t device = 0, inode = 0, size = 0;
        std::int64_t modified_ns = 0;
        friend bool operator==(const disk_stamp&, const disk_stamp&) = default;
    };
    static disk_stamp stamp_of(const std::string& path);

    tree m_tree;
    std::string m_path;
    std::string m_instance_id;
    std::string m_new_file;
    disk_stamp m_on_disk;
    // A hash of the bytes this document last wrote to (or recovered from) its autosave: it
    // deletes the autosave only while it still holds those bytes, so another editor's on
    // the same file survives this one's save.
    std::optional<std::size_t> m_autosave_written;
    int m_autosave_slot = -1;
    std::optional<autosave_lock> m_autosave_lock;
    history m_history;
    editor::selection m_selection;
    std::uint64_t m_generation = 1;
    std::uint64_t m_saved_revision = 0;
    bool m_forced_dirty = false;  // recovered from autosave: unsaved although no undo step
    // The result of one check and the generation it describes.
    struct check_result {
        diagnostics problems;
        std::uint64_t generation = 0;
        std::chrono::microseconds took{0};
    };
    static check_result check(std::string text, std::string name, std::string path,
                              std::vector<std::string> library_dirs, std::uint64_t generation);
    void collect(check_result r);

    diagnostics m_problems;
    std::vector<std::string> m_library_dirs;
    std::uint64_t m_validated_generation = 0;
    clock::time_point m_last_validation{};
    std::chrono::microseconds m_validation_time{0};
    std::future<check_result> m_job;
};

}  // namespace signpost::editor
