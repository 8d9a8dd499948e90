#include "model/document.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <set>
#include <string_view>
#include <system_error>

#include <sys/stat.h>
#include <unistd.h>

#include "model/commands.hpp"
#include "model/files.hpp"
#include "model/layout.hpp"
#include "model/problem_wording.hpp"
#include "model/node_box.hpp"
#include "signpost/library.hpp"
#include "signpost/load.hpp"
#include "signpost/save.hpp"
#include "signpost/validate.hpp"

namespace fs = std::filesystem;

namespace signpost::editor {

namespace {

// The file's own folder first (a sibling tree wins), then the --library folders.
std::vector<std::string> library_folders(const std::string& path, const std::vector<std::string>& extra) {
    std::vector<std::string> folders;
    if (!path.empty()) {
        const fs::path parent = fs::path(path).parent_path();
        folders.push_back(parent.empty() ? std::string(".") : parent.string());
    }
    folders.insert(folders.end(), extra.begin(), extra.end());
    return folders;
}

// The process id alone could come back in a later editor while the clipboard still holds
// an earlier one's copy: the process's start time tells them apart.
std::string next_instance_id() {
    static const long long started =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    static std::atomic<unsigned long long> counter{0};
    return std::to_string(static_cast<long long>(::getpid())) + "-" + std::to_string(started) + "-" +
           std::to_string(++counter);
}

}  // namespace

document::document(tree t, std::string path)
    : m_tree(std::move(t)), m_path(std::move(path)), m_instance_id(next_instance_id()), m_on_disk(stamp_of(m_path)) {
    m_tree.file = m_path;
    m_tree.reindex();
    place_unpositioned();
}

std::unique_ptr<document> document::from_template(const std::string& tree_id) {
    return from_starter(starter_templates().front(), tree_id);
}

std::unique_ptr<document> document::from_starter(const starter_template& starter, const std::string& tree_id) {
    const load_result loaded = load_tree_string(starter.xml, std::string(starter.name));
    // The templates' test keeps every one loading cleanly; an empty tree would still open.
    tree t = loaded.loaded ? *loaded.loaded : tree{};
    if (is_valid_id(tree_id)) t.id = tree_id;
    auto doc = std::make_unique<document>(std::move(t), std::string());
    doc->revalidate();
    return doc;
}

open_result document::open(const std::string& path, std::vector<std::string> library_dirs) {
    open_result out;
    const load_result loaded = load_tree_file(path);
    out.problems = loaded.problems;
    out.comments = loaded.comments;
    out.instructions = loaded.instructions;
    out.recovery = recovery_for(path);
    if (!loaded.loaded) return out;
    out.doc = std::make_unique<document>(*loaded.loaded, path);
    out.doc->m_library_dirs = std::move(library_dirs);
    // The first check reports positions in the file as it is on disk.
    tree_library library(library_folders(path, out.doc->m_library_dirs));
    library.add(loaded.loaded);
    const diagnostics found = validate_tree(*loaded.loaded, &library);
    out.problems.insert(out.problems.end(), found.begin(), found.end());
    put_in_editor_terms(out.problems);
    out.doc->m_problems = out.problems;
    out.doc->m_validated_generation = out.doc->m_generation;
    out.doc->m_last_validation = clock::now();
    return out;
}

open_result document::open_recovered(const std::string& path, std::vector<std::string> library_dirs,
                                     const std::string& autosave) {
    open_result out;
    std::string bytes;
    const std::string from = autosave.empty() ? autosave_path_for(path) : autosave;
    const load_result loaded = load_tree_file(from, &bytes);
    out.problems = loaded.problems;
    if (!loaded.loaded) return out;
    out.doc = std::make_unique<document>(*loaded.loaded, path);
    out.doc->m_library_dirs = std::move(library_dirs);
    out.doc->m_forced_dirty = true;
    out.doc->m_autosave_written = std::hash<std::string>{}(bytes);  // saving the recovered edits retires it
    for (int slot = 0; slot < autosave_slots; ++slot)
        if (autosave_path_for(path, slot) == from) out.doc->claim_autosave_slot(slot);
    out.doc->revalidate();
    out.problems = out.doc->problems();
    return out;
}

std::string document::display_name() const {
    const std::string& file = m_path.empty() ? m_new_file : m_path;
    if (file.empty()) return "untitled";
    return fs::path(file).filename().string();
}

void document::set_new_file(std::string path) {
    wait_for_validation();
    m_new_file = std::move(path);
    m_validated_generation = 0;  // problems name the file, and jumps resolve from its folder
}

void document::place_unpositioned() {
    // One entry per id: a broken file may hold two nodes with one id, and a second <pos>
    // for it would be dropped (and reported) when the saved file is opened again.
    std::vector<std::size_t> missing;
    std::set<std::string_view> placed;
    bool none_placed = true;
    for (std::size_t i = 0; i < m_tree.nodes.size(); ++i) {
        if (m_tree.find_layout(m_tree.nodes[i].id)) none_placed = false;
        else if (placed.insert(m_tree.nodes[i].id).second) missing.push_back(i);
    }
    if (missing.empty()) return;
    if (none_placed) {
        std::vector<layout_entry> all = auto_layout(m_tree);
        std::set<std::string> laid;  // owning: erase_if moves the entries it keeps
        std::erase_if(all, [&](const layout_entry& e) { return !laid.insert(e.node).second; });
        m_tree.layout = std::move(all);
    } else {
        // Keep the author's arrangement; stack the newcomers in a column to its right.
        double right = 0;
        double top = 0;
        bool first = true;
        for (const auto& e : m_tree.layout) {
            right = first ? e.x + node_width : std::max(right, e.x + node_width);
            top = first ? e.y : std::min(top, e.y);
            first = false;
        }
        double y = top;
        for (const std::size_t i : missing) {
            const node& n = m_tree.nodes[i];
            m_tree.layout.push_back({n.id, right + 100.0, y});
            y += node_size(n).y + 40.0;
        }
    }
    m_tree.reindex();
}

std::optional<std::string> document::execute(std::unique_ptr<command> c, clock::time_point now) {
    if (auto error = m_history.execute(m_tree, std::move(c), now)) return error;
    after_change();
    return std::nullopt;
}

bool document::undo() {
    if (!m_history.undo(m_tree)) return false;
    after_change();
    return true;
}

bool document::redo() {
    if (!m_history.redo(m_tree)) return false;
    after_change();
    return true;
}

void document::after_change() {
    ++m_generation;
    m_selection.retain_existing(m_tree);
}

document::~document() {
    if (m_job.valid()) m_job.wait();
}

document::check_result document::check(std::string text, std::string name, std::string path,
                                       std::vector<std::string> library_dirs, std::uint64_t generation) {
    const auto started = clock::now();
    check_result out;
    out.generation = generation;
    // A saved document is checked as its file, so renaming the tree away from the file
    // name shows id-file-mismatch while editing.
    load_result reloaded = path.empty() ? load_tree_string(text, std::move(name))
                                        : load_tree_string_as_file(text, path);
    out.problems = std::move(reloaded.problems);
    if (reloaded.loaded) {
        tree_library library(library_folders(path, library_dirs));
        library.add(reloaded.loaded);
        const diagnostics more = validate_tree(*reloaded.loaded, &library);
        out.problems.insert(out.problems.end(), more.begin(), more.end());
    }
    put_in_editor_terms(out.problems);
    out.took = std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - started);
    return out;
}

void document::collect(check_result r) {
    m_validation_time = r.took;
    // A check of an older state is still the best list there is; staleness stays visible.
    m_problems = std::move(r.problems);
    m_validated_generation = r.generation;
}

void document::revalidate() {
    wait_for_validation();
    m_last_validation = clock::now();
    const std::string& file = m_path.empty() ? m_new_file : m_path;
    collect(check(save_tree_string(m_tree), file.empty() ? display_name() : file, file, m_library_dirs, m_generation));
}

bool document::revalidate_if_due(clock::time_point now, std::chrono::milliseconds min_interval) {
    bool changed = false;
    if (m_job.valid() && m_job.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        collect(m_job.get());
        changed = true;
    }
    if (m_job.valid() || !problems_stale()) return changed;
    if (m_last_validation != clock::time_point{} && now - m_last_validation < min_interval) return changed;
    m_last_validation = now;
    const std::string& file = m_path.empty() ? m_new_file : m_path;
    m_job = std::async(std::launch::async, &document::check, save_tree_string(m_tree),
                       file.empty() ? display_name() : file, file, m_library_dirs, m_generation);
    return changed;
}

void document::set_library_dirs(std::vector<std::string> dirs) {
    if (dirs == m_library_dirs) return;
    wait_for_validation();
    m_library_dirs = std::move(dirs);
    m_validated_generation = 0;  // the last check looked elsewhere: stale
}

void document::wait_for_validation() {
    if (m_job.valid()) collect(m_job.get());
}

document::disk_stamp document::stamp_of(const std::string& path) {
    struct stat st {};
    if (path.empty() || ::stat(path.c_str(), &st) != 0) return {};
    return {true, static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
            static_cast<std::uint64_t>(st.st_size),
            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

bool document::changed_on_disk() const { return !m_path.empty() && stamp_of(m_path) != m_on_disk; }

std::optional<std::string> document::save(bool overwrite_changes_on_disk) {
    if (m_path.empty()) return std::string("the document has no file yet: use Save As");
    if (!overwrite_changes_on_disk && changed_on_disk())
        return display_name() + (m_on_disk.exists && !stamp_of(m_path).exists ? " was removed" : " was changed") +
               " on disk since it was opened (another program, or a git pull): saving would overwrite that";
    if (auto error = save_tree_file(m_tree, m_path)) return error;
    m_on_disk = stamp_of(m_path);
    m_saved_revision = m_history.revision();
    m_forced_dirty = false;
    m_history.seal();  // later typing must not merge into the saved step
    discard_autosave();
    return std::nullopt;
}

std::optional<std::string> document::save_as(const std::string& path) {
    if (path.empty()) return std::string("no file name given");
    const std::string old_path = m_path;
    const std::string old_autosave = autosave_path();
    // save() retires the autosave of the path it writes; the one to retire is the old
    // path's, while its slot is still held (another editor's at the new path stays).
    const std::optional<std::size_t> written = std::exchange(m_autosave_written, std::nullopt);
    m_path = path;
    if (auto error = save(true)) {  // the Save As dialog asked before replacing a file
        m_path = old_path;
        m_autosave_written = written;
        return error;
    }
    m_tree.file = m_path;
    m_new_file.clear();  // written: it is the document's file now
    m_autosave_written = written;
    discard_autosave_at(old_autosave);
    m_autosave_lock.reset();  // the new path's slot is taken at the next autosave
    m_autosave_slot = -1;
    // Problems name the file, and jumps now resolve from the new folder.
    m_validated_generation = 0;
    return std::nullopt;
}

void document::claim_autosave_slot(int recovered) {
    m_autosave_lock.reset();
    m_autosave_slot = -1;
    if (recovered >= 0 && try_autosave_slot(recovered, true)) return;
    for (int slot = 0; slot < autosave_slots; ++slot)
        if (try_autosave_slot(slot, false)) return;
}

bool document::try_autosave_slot(int slot, bool take_over) {
    const std::string path = autosave_path_for(m_path, slot);
    std::optional<autosave_lock> lock = autosave_lock::take(path);
    if (!lock) return false;  // another editor's, live
    // A crash's autosave waits there to be offered back: never written over (one that holds
    // just the file, with nothing to recover, may be).
    std::error_code ec;
    if (!take_over && fs::exists(path, ec)) {
        const std::optional<std::string> there = read_whole(path);
        if (!there || m_path.empty() || there != read_whole(m_path)) return false;
    }
    m_autosave_lock = std::move(lock);
    m_autosave_slot = slot;
    return true;
}

std::string document::autosave_path() const { return autosave_path_for(m_path, std::max(m_autosave_slot, 0)); }

std::optional<std::string> document::write_autosave() {
    if (m_autosave_slot < 0) claim_autosave_slot();
    if (m_autosave_slot < 0)
        return "every autosave of " + display_name() + " is in use (" + std::to_string(autosave_slots) +
               " editors have it open, or crashed ones left theirs): save to keep the edits";
    const std::string target = autosave_path();
    std::error_code ec;
    const fs::path parent = fs::path(target).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) return "cannot create " + parent.string() + ": " + ec.message();
    if (m_autosave_lock && !m_autosave_lock->names(target)) {
        // The folder was removed and made again: the hold is taken again on its new lock
        // (or another slot, should another editor have that one now).
        if (std::optional<autosave_lock> again = autosave_lock::take(target)) m_autosave_lock = std::move(again);
        else claim_autosave_slot();
        return write_autosave();  // with the new hold, or saying that every slot is in use
    }
    std::string written;
    if (auto error = save_tree_file(m_tree, target, &written)) return error;
    m_autosave_written = std::hash<std::string>{}(written);
    return std::nullopt;
}

void document::discard_autosave() { discard_autosave_at(autosave_path()); }

bool document::wrote_autosave() const { return holds_what_was_written(autosave_path()); }

bool document::holds_what_was_written(const std::string& autosave) const {
    if (!m_autosave_written) return false;
    const std::optional<std::string> there = read_whole(autosave);
    return there && std::hash<std::string>{}(*there) == *m_autosave_written;
}

void document::discard_autosave_at(const std::string& autosave) {
    // Only an autosave this document wrote (or recovered from) and that still holds what it
    // wrote: another editor on the same file, or a crash not yet offered back, may have
    // left the one there.
    if (!m_autosave_written) return;
    if (holds_what_was_written(autosave)) {
        std::error_code ec;
        fs::remove(autosave, ec);
    }
    m_autosave_written.reset();
}

}  // namespace signpost::editor
