#include "model/files.hpp"

#include <algorithm>
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

std::string autosave_path_for(const std::string& file) {
    if (file.empty()) {
        const fs::path base = env_dir("XDG_STATE_HOME").value_or(home_dir() / ".local" / "state");
        return (base / "signpost" / "untitled.xml.autosave").string();
    }
    const fs::path p(file);
    return (p.parent_path() / ("." + p.filename().string() + ".autosave")).string();
}

std::optional<autosave_offer> recovery_for(const std::string& file) {
    autosave_offer offer{file, autosave_path_for(file), false};
    std::error_code ec;
    if (!fs::is_regular_file(offer.autosave, ec)) return std::nullopt;
    if (file.empty() || !fs::exists(file, ec)) return offer;
    // Edits undone back to the saved text leave nothing to recover.
    const std::optional<std::string> autosaved = read_whole(offer.autosave);
    if (autosaved && autosaved == read_whole(file)) return std::nullopt;
    const auto saved = fs::last_write_time(file, ec);
    if (ec) return offer;
    const auto auto_time = fs::last_write_time(offer.autosave, ec);
    offer.older_than_file = !ec && auto_time < saved;
    return offer;
}

void remove_autosave(const std::string& file) {
    std::error_code ec;
    fs::remove(autosave_path_for(file), ec);
}

}  // namespace signpost::editor
