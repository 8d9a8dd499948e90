#include "model/files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "signpost/save.hpp"

namespace fs = std::filesystem;

namespace signpost::editor {

namespace {

// An environment variable when it is set to an absolute path (XDG says ignore relative ones).
std::optional<fs::path> env_dir(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v) return std::nullopt;
    fs::path p(v);
    if (!p.is_absolute()) return std::nullopt;
    return p;
}

fs::path home_dir() {
    if (auto h = env_dir("HOME")) return *h;
    return fs::temp_directory_path();
}

}  // namespace

std::optional<std::string> read_whole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return std::move(out).str();
}

std::string absolute_path(const std::string& path) {
    if (path.empty()) return {};
    std::error_code ec;
    fs::path p = fs::absolute(path, ec);
    if (ec) p = path;
    return p.lexically_normal().string();
}

recent_files::recent_files(std::string store) : m_store(store.empty() ? default_store() : std::move(store)) {}

std::string recent_files::default_store() {
    const fs::path base = env_dir("XDG_CONFIG_HOME").value_or(home_dir() / ".config");
    return (base / "signpost" / "recent-files").string();
}

void recent_files::load() {
    m_items.clear();
    std::ifstream in(m_store);
    std::string line;
    while (m_items.size() < capacity && std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || std::find(m_items.begin(), m_items.end(), line) != m_items.end()) continue;
        m_items.push_back(line);
    }
}

std::optional<std::string> recent_files::save() const {
    std::error_code ec;
    const fs::path parent = fs::path(m_store).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) return "cannot create " + parent.string() + ": " + ec.message();
    std::string text;
    for (const auto& item : m_items) text += item + "\n";
    return write_file_atomic(m_store, text);
}

void recent_files::add(const std::string& path) {
    const std::string abs = absolute_path(path);
    if (abs.empty()) return;
    std::erase(m_items, abs);
    m_items.insert(m_items.begin(), abs);
    if (m_items.size() > capacity) m_items.resize(capacity);
}

void recent_files::remove(const std::string& path) {
    std::erase(m_items, path);
    std::erase(m_items, absolute_path(path));
}

std::string autosave_path_for(const std::string& file, int slot) {
    const std::string number = slot > 0 ? std::to_string(slot + 1) : std::string();
    if (file.empty()) {
        const fs::path base = env_dir("XDG_STATE_HOME").value_or(home_dir() / ".local" / "state");
        return (base / "signpost" / ("untitled" + (number.empty() ? "" : "-" + number) + ".xml.autosave")).string();
    }
    const fs::path p(file);
    return (p.parent_path() / ("." + p.filename().string() + (number.empty() ? "" : "." + number) + ".autosave"))
        .string();
}

namespace {

// Where the lock of an autosave lives: named by its folder's identity (device and inode,
// the same through a symlink or a bind mount) and its name, so the tree's folder (often a
// git work tree) gets no lock files.
std::string lock_path_for(const std::string& autosave) {
    // The folder as the kernel finds it: `link/../x` is not tidied into `x` first (after a
    // symlink, `..` leads elsewhere).
    std::error_code ec;
    fs::path p = fs::absolute(autosave, ec);
    if (ec) p = autosave;
    std::string key = p.filename().string();
    struct stat folder {};
    if (::stat(p.parent_path().c_str(), &folder) == 0)
        key += "@" + std::to_string(folder.st_dev) + ":" + std::to_string(folder.st_ino);
    else
        key += "@" + p.parent_path().lexically_normal().string();
    std::uint64_t h = 14695981039346656037ull;  // FNV-1a
    for (const unsigned char c : key) h = (h ^ c) * 1099511628211ull;
    char name[32];
    std::snprintf(name, sizeof name, "%016llx.lock", static_cast<unsigned long long>(h));
    const fs::path base = env_dir("XDG_STATE_HOME").value_or(home_dir() / ".local" / "state");
    return (base / "signpost" / "locks" / name).string();
}

}  // namespace

std::optional<autosave_lock> autosave_lock::take(const std::string& autosave) {
    // The autosave's folder first (an untitled one's may not be there yet): the lock is
    // named by that folder's inode, which must not change once a hold is taken.
    std::error_code ec;
    fs::create_directories(fs::path(absolute_path(autosave)).parent_path(), ec);
    const std::string path = lock_path_for(autosave);
    fs::create_directories(fs::path(path).parent_path(), ec);
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return autosave_lock(-1, false, path);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const bool taken = errno == EWOULDBLOCK;
        ::close(fd);
        if (taken) return std::nullopt;
        return autosave_lock(-1, false, path);
    }
    return autosave_lock(fd, true, path);
}

bool autosave_lock::held(const std::string& autosave) {
    const int fd = ::open(lock_path_for(autosave).c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return false;
    const bool taken = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);  // lets go of the hold just taken, if any
    return taken;
}

autosave_lock& autosave_lock::operator=(autosave_lock&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
        m_guards = other.m_guards;
        m_name = std::move(other.m_name);
    }
    return *this;
}

bool autosave_lock::names(const std::string& autosave) const { return m_name == lock_path_for(autosave); }

autosave_lock::~autosave_lock() {
    if (m_fd >= 0) ::close(m_fd);
}

std::optional<autosave_offer> recovery_for(const std::string& file) {
    std::error_code ec;
    for (int slot = 0; slot < autosave_slots; ++slot) {
        autosave_offer offer{file, autosave_path_for(file, slot), false};
        if (!fs::is_regular_file(offer.autosave, ec) || autosave_lock::held(offer.autosave)) continue;
        if (file.empty() || !fs::exists(file, ec)) return offer;
        // Edits undone back to the saved text leave nothing to recover.
        const std::optional<std::string> autosaved = read_whole(offer.autosave);
        if (autosaved && autosaved == read_whole(file)) continue;
        const auto saved = fs::last_write_time(file, ec);
        if (ec) return offer;
        const auto auto_time = fs::last_write_time(offer.autosave, ec);
        offer.older_than_file = !ec && auto_time < saved;
        return offer;
    }
    return std::nullopt;
}

}  // namespace signpost::editor
