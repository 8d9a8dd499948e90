#include "signpost/save.hpp"

#include <atomic>
#include <cerrno>
#include <charconv>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "signpost/text.hpp"

// Index
// [SECTION] XML text building
// [SECTION] Canonical tree writer
// [SECTION] Atomic file writing

namespace signpost {

namespace {

// [SECTION] XML text building

// Appends "&#N;" for a character that must not appear literally.
void append_char_ref(std::string& out, unsigned char c) {
    out += "&#";
    out += std::to_string(static_cast<unsigned>(c));
    out += ';';
}

// Attribute values: besides the markup characters, whitespace other than the space is
// written as a character reference, because XML parsers turn literal tabs and newlines
// in attributes into spaces.
void append_attr_escaped(std::string& out, std::string_view s) {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    append_char_ref(out, c);
                } else {
                    out += ch;
                }
        }
    }
}

// Element text: newlines and tabs stay literal (they are the text's layout); carriage
// returns and other controls become references so end-of-line handling cannot eat them.
void append_text_escaped(std::string& out, std::string_view s) {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '\n':
            case '\t': out += ch; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    append_char_ref(out, c);
                } else {
                    out += ch;
                }
        }
    }
}

// Shortest text that reads back as the same double; integral values get no ".0".
std::string format_number(double v) {
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    if (res.ec != std::errc{}) return "0";
    return std::string(buf, res.ptr);
}

// A layout coordinate as a plain decimal: shortest text that reads back as the same double,
// without an exponent (1e+05 reads badly in a diff and in hand edits), and 0 for -0. `v` is
// finite (the saver leaves other positions out).
std::string format_coordinate(double v) {
    if (v == 0) return "0";
    // Fixed notation of the largest double is 309 digits; of the smallest, 2 + 324 digits.
    char buf[400];
    const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    if (res.ec != std::errc{}) return format_number(v);
    return std::string(buf, res.ptr);
}

std::string format_value(const value& v) {
    if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    if (const auto* d = std::get_if<double>(&v)) return format_number(*d);
    return std::get<std::string>(v);
}

// Builds one XML document with a fixed layout: every element on its own line, two spaces
// of indentation per level.
class xml_out {
public:
    explicit xml_out(std::string& out) : m_out(out) {}

    // `<name` at the current depth; finish with attr()s and close_start/close_empty.
    void open(std::string_view name) {
        indent(m_depth);
        m_out += '<';
        m_out += name;
    }
    void attr(std::string_view name, std::string_view v) {
        m_out += ' ';
        m_out += name;
        m_out += "=\"";
        append_attr_escaped(m_out, v);
        m_out += '"';
    }
    void attr_if(std::string_view name, std::string_view v) {
        if (!v.empty()) attr(name, v);
    }
    // `>` and a newline: children follow one level deeper.
    void close_start() {
        m_out += ">\n";
        ++m_depth;
    }
    void close_empty() { m_out += "/>\n"; }
    void end(std::string_view name) {
        --m_depth;
        indent(m_depth);
        m_out += "</";
        m_out += name;
        m_out += ">\n";
    }

    // `>text</name>` after an open(): one-line text inline, multi-line text on its own
    // lines two spaces deeper, which the loader's dedent turns back into the same string.
    void close_with_text(std::string_view name, std::string_view text) {
        m_out += '>';
        if (text.find('\n') == std::string_view::npos) {
            append_text_escaped(m_out, text);
        } else {
            m_out += '\n';
            std::size_t begin = 0;
            while (begin <= text.size()) {
                std::size_t nl = text.find('\n', begin);
                if (nl == std::string_view::npos) nl = text.size();
                const std::string_view line = text.substr(begin, nl - begin);
                // Blank lines get no indentation so the file has no trailing spaces.
                if (!line.empty()) {
                    indent(m_depth + 1);
                    append_text_escaped(m_out, line);
                }
                m_out += '\n';
                begin = nl + 1;
            }
            indent(m_depth);
        }
        m_out += "</";
        m_out += name;
        m_out += ">\n";
    }

    // A text-only child element, written only when the text is not empty.
    void text_element(std::string_view name, std::string_view text) {
        if (text.empty()) return;
        open(name);
        close_with_text(name, text);
    }

    void blank_line() { m_out += '\n'; }

private:
    void indent(int depth) { m_out.append(static_cast<std::size_t>(depth) * 2, ' '); }

    std::string& m_out;
    int m_depth = 0;
};

// [SECTION] Canonical tree writer

void write_variable(xml_out& x, const variable& v) {
    x.open("variable");
    x.attr("name", v.name);
    x.attr("type", to_string(v.type));
    if (v.type == var_type::choice || !v.options.empty()) {
        std::string options;
        for (const auto& o : v.options) {
            if (!options.empty()) options += ' ';
            options += o;
        }
        x.attr("options", options);
    }
    // The default as the author wrote it; a tree built in memory may only have the value.
    if (v.default_text) {
        x.attr("default", *v.default_text);
    } else if (v.default_value) {
        x.attr("default", format_value(*v.default_value));
    }
    x.attr_if("label", v.label);
    if (v.is_private) x.attr("private", "true");
    x.close_empty();
}

bool has_children(const node& n) {
    const bool texts = n.kind != node_kind::logic && n.kind != node_kind::jump &&
                       (!n.text.empty() || !n.hint.empty());
    return texts || !n.choices.empty() || !n.fields.empty() || !n.branches.empty() ||
           !n.otherwise.empty();
}

void write_node(xml_out& x, const node& n) {
    const char* name = to_string(n.kind);
    x.open(name);
    x.attr("id", n.id);
    x.attr_if("title", n.title);
    switch (n.kind) {
        case node_kind::question:
        case node_kind::logic: break;
        case node_kind::step:
        case node_kind::form: x.attr("to", n.to); break;
        case node_kind::jump:
            x.attr("tree", n.tree_ref);
            x.attr_if("to", n.to);
            break;
        case node_kind::escalate:
            x.attr("team", n.team);
            x.attr("priority", n.priority.empty() ? std::string_view("normal") : n.priority);
            break;
        case node_kind::end: x.attr("outcome", n.outcome); break;
    }
    if (!has_children(n)) {
        x.close_empty();
        return;
    }
    x.close_start();
    // The format has no text on logic and jump nodes, so none is written for them.
    if (n.kind != node_kind::logic && n.kind != node_kind::jump) {
        x.text_element("text", n.text);
        x.text_element("hint", n.hint);
    }
    for (const auto& c : n.choices) {
        x.open("choice");
        x.attr("to", c.to);
        if (c.condition) x.attr_if("if", c.condition->source());
        x.attr_if("set", c.set_source);
        x.close_with_text("choice", c.label);
    }
    for (const auto& f : n.fields) {
        x.open("field");
        x.attr("var", f.variable);
        x.attr_if("label", f.label);
        if (f.required) x.attr("required", "true");
        x.attr_if("pattern", f.pattern);
        x.attr_if("placeholder", f.placeholder);
        x.close_empty();
    }
    for (const auto& b : n.branches) {
        x.open("branch");
        x.attr("if", b.condition.source());
        x.attr("to", b.to);
        x.close_empty();
    }
    if (!n.otherwise.empty()) {
        x.open("otherwise");
        x.attr("to", n.otherwise);
        x.close_empty();
    }
    x.end(name);
}

}  // namespace

std::string save_tree_string(const tree& t) {
    std::string out;
    out.reserve(4096 + t.nodes.size() * 256);
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    xml_out x(out);
    x.open("tree");
    x.attr("format", std::to_string(t.format));
    x.attr("id", t.id);
    x.attr("version", std::to_string(t.version));
    x.attr_if("title", t.title);
    x.attr("start", t.start);
    if (t.allow_find) x.attr("allow-find", "true");
    x.close_start();

    // Top-level children are separated by one blank line so diffs of nodes stay apart.
    bool first = true;
    auto separate = [&] {
        if (!first) x.blank_line();
        first = false;
    };
    if (!t.description.empty()) {
        separate();
        x.text_element("description", t.description);
    }
    if (!t.variables.empty()) {
        separate();
        x.open("variables");
        x.close_start();
        for (const auto& v : t.variables) write_variable(x, v);
        x.end("variables");
    }
    for (const auto& n : t.nodes) {
        separate();
        write_node(x, n);
    }
    // A position that is not a finite number (a tree built in memory) is left out: the
    // loader would refuse the file, and the editor places a node without one by itself.
    auto placed = [](const auto& p) { return std::isfinite(p.x) && std::isfinite(p.y); };
    if (std::any_of(t.layout.begin(), t.layout.end(), placed)) {
        separate();
        x.open("layout");
        x.close_start();
        for (const auto& p : t.layout) {
            if (!placed(p)) continue;
            x.open("pos");
            x.attr("node", p.node);
            x.attr("x", format_coordinate(p.x));
            x.attr("y", format_coordinate(p.y));
            x.close_empty();
        }
        x.end("layout");
    }
    x.end("tree");
    return out;
}

// [SECTION] Atomic file writing

namespace {

std::string io_error(const std::string& path, int err) {
    return "cannot write '" + path + "': " + std::strerror(err);
}

// Creates a fresh temp file next to `path` (same folder, so rename stays on one
// filesystem). Returns the descriptor and fills `temp_path`, or -1 with errno set.
int create_temp(const std::string& dir, const std::string& base, std::string& temp_path) {
    // Unique within the process; the pid makes it unique across processes.
    static std::atomic<unsigned> counter{0};
    for (int attempt = 0; attempt < 100; ++attempt) {
        temp_path = dir + "/." + base + ".tmp-" + std::to_string(::getpid()) + "-" +
                    std::to_string(counter++);
        const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    errno = EEXIST;
    return -1;
}

bool write_all(int fd, std::string_view content) {
    const char* p = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

// Where writing `path` must land: links are followed to the file they name (a dangling
// one to where it points), so the link survives and its target is the file replaced.
// Hop by hop, at most 40 (then ELOOP), each relative target taken from the link's real
// folder. A link in a sticky world-writable folder (/tmp) is followed only when this user
// or the folder's owner owns it, as the kernel's protected_symlinks does: else anyone
// could plant one there and have a save overwrite a file of theirs choosing.
// Returns the path, or nullopt with `err` set.
std::optional<std::string> resolve_links(const std::string& path, int& err) {
    namespace fs = std::filesystem;
    fs::path at = path;
    for (int hops = 0; hops < 40; ++hops) {
        struct stat link {};
        if (::lstat(at.c_str(), &link) != 0 || !S_ISLNK(link.st_mode)) return at.string();
        std::error_code ec;
        const fs::path parent = at.has_parent_path() ? at.parent_path() : fs::path(".");
        struct stat folder {};
        if (::stat(parent.c_str(), &folder) == 0 && (folder.st_mode & S_ISVTX) && (folder.st_mode & S_IWOTH) &&
            link.st_uid != ::geteuid() && link.st_uid != folder.st_uid) {
            err = EACCES;
            return std::nullopt;
        }
        const fs::path target = fs::read_symlink(at, ec);
        if (ec) {
            err = ec.value();
            return std::nullopt;
        }
        const fs::path real_parent = fs::canonical(parent, ec);
        at = target.is_absolute() ? target : (ec ? parent : real_parent) / target;
    }
    err = ELOOP;
    return std::nullopt;
}

// `path` names standard output or error (/dev/stdout, /proc/self/fd/1, or the very file
// they are redirected to): the descriptor to write through, else -1. Reopening the path
// would start at offset 0 (or replace the file) and clobber what the shell appended.
int standard_stream(const std::string& path) {
    struct stat target {};
    if (::stat(path.c_str(), &target) != 0) return -1;
    for (const int fd : {STDOUT_FILENO, STDERR_FILENO}) {
        struct stat stream {};
        if (::fstat(fd, &stream) == 0 && stream.st_dev == target.st_dev && stream.st_ino == target.st_ino &&
            (path.starts_with("/dev/") || path.starts_with("/proc/")))
            return fd;
    }
    return -1;
}

// A device, pipe or socket is written into, never replaced: a FIFO must get the bytes,
// and /dev/null must stay a device. So is a /proc/self/fd/N or /dev/fd/N path (an open
// file's name, truncated first if it is a plain file). Errors name `shown`.
std::optional<std::string> write_special(const std::string& path, std::string_view content, const std::string& shown) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return io_error(shown, errno);
    const bool written = write_all(fd, content);
    const int err = errno;
    if (::close(fd) != 0 && written) return io_error(shown, errno);
    if (!written) return io_error(shown, err);
    return std::nullopt;
}

}  // namespace

std::optional<std::string> write_file_atomic(const std::string& requested, std::string_view content) {
    if (requested.empty()) return "cannot write '': empty file name";
    if (const int fd = standard_stream(requested); fd >= 0) {
        if (!write_all(fd, content)) return io_error(requested, errno);
        return std::nullopt;
    }
    if (requested.starts_with("/proc/") || requested.starts_with("/dev/fd/"))
        return write_special(requested, content, requested);
    int link_error = 0;
    const std::optional<std::string> resolved = resolve_links(requested, link_error);
    if (!resolved) {
        if (link_error == EACCES)
            return "cannot write '" + requested +
                   "': it is a link in a shared folder, owned by another user; not followed (write to the file "
                   "itself)";
        return io_error(requested, link_error);
    }
    const std::string& path = *resolved;
    struct stat old {};
    const bool exists = ::stat(path.c_str(), &old) == 0;
    if (exists && S_ISDIR(old.st_mode)) return io_error(requested, EISDIR);
    if (exists && !S_ISREG(old.st_mode)) return write_special(path, content, requested);
    // A file nobody may write was made read-only on purpose; renaming over it would
    // silently undo that (and root could do it to any file).
    if (exists && (old.st_mode & 0222) == 0)
        return "cannot write '" + requested + "': the file is read-only; make it writable first (chmod u+w)";

    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    if (base.empty()) return io_error(requested, EISDIR);

    std::string temp_path;
    const int fd = create_temp(dir == "/" ? "" : dir, base, temp_path);
    if (fd < 0) {
        const int err = errno;
        // The file is written as a new file beside it, renamed over it: what is refused is
        // the folder, which may be read-only while the file itself is writable.
        if (err == EACCES || err == EPERM || err == EROFS)
            return fmt::format("cannot write '{}': the folder '{}' does not let this user create files in it ({}); "
                               "the file is replaced by writing a new one beside it, so the folder must be writable",
                               requested, dir, std::strerror(err));
        return io_error(requested, err);
    }

    auto fail = [&](int err, bool close_fd) -> std::optional<std::string> {
        if (close_fd) ::close(fd);
        ::unlink(temp_path.c_str());
        return io_error(requested, err);
    };

    // Replacing a file keeps its permissions (a script may be group-writable on purpose)
    // and, as far as this user may, its owner and group: a file in a shared folder must
    // stay the team's after one person rewrote it.
    if (exists) {
        if (::fchmod(fd, old.st_mode & 07777) != 0) return fail(errno, true);
        if (::fchown(fd, old.st_uid, old.st_gid) != 0) (void)::fchown(fd, static_cast<uid_t>(-1), old.st_gid);
        // fchown may clear set-id bits; put the mode back.
        (void)::fchmod(fd, old.st_mode & 07777);
    }
    if (!write_all(fd, content)) return fail(errno, true);
    if (::fsync(fd) != 0) return fail(errno, true);
    if (::close(fd) != 0) return fail(errno, false);
    if (::rename(temp_path.c_str(), path.c_str()) != 0) return fail(errno, false);

    // Makes the rename itself durable. The new file is already in place at this point,
    // so a folder that cannot be synced (some filesystems refuse) is not reported.
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        (void)::fsync(dir_fd);
        ::close(dir_fd);
    }
    return std::nullopt;
}

std::optional<std::string> unstorable_text(std::string_view text) {
    if (const auto bad = find_invalid_utf8(text))
        return fmt::format("is not valid UTF-8 (byte 0x{:02X} at byte {})", static_cast<unsigned char>(text[*bad]),
                           *bad + 1);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return fmt::format("holds the control character U+{:04X}, which a tree file cannot hold", c);
        // U+FFFE and U+FFFF are EF BF BE and EF BF BF (the text is valid UTF-8 by now).
        if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
            (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xBE)
            return fmt::format("holds U+{}, a noncharacter a tree file cannot hold",
                               static_cast<unsigned char>(text[i + 2]) == 0xBE ? "FFFE" : "FFFF");
    }
    return std::nullopt;
}

namespace {

// The first of `texts` (name, text) that cannot be stored, as "name: why".
std::optional<std::string> first_unstorable(
    std::initializer_list<std::pair<std::string_view, std::string_view>> texts) {
    for (const auto& [name, text] : texts)
        if (auto why = unstorable_text(text)) return fmt::format("{}: {}", name, *why);
    return std::nullopt;
}

std::string quoted_for_message(std::string_view id) {
    return unstorable_text(id) ? std::string("(an id that cannot be stored)") : fmt::format("'{}'", id);
}

}  // namespace

std::optional<std::string> find_unstorable_text(const node& n) {
    auto where = [&](const std::optional<std::string>& why) {
        return fmt::format("node {}, {}", quoted_for_message(n.id), *why);
    };
    if (auto why = first_unstorable({{"id", n.id}, {"title", n.title}, {"text", n.text}, {"hint", n.hint},
                                      {"otherwise", n.otherwise}, {"to", n.to}, {"tree", n.tree_ref},
                                      {"team", n.team}, {"priority", n.priority}, {"outcome", n.outcome}}))
        return where(why);
    for (std::size_t i = 0; i < n.choices.size(); ++i) {
        const choice& c = n.choices[i];
        const std::string_view condition = c.condition ? std::string_view(c.condition->source()) : std::string_view();
        if (auto why = first_unstorable({{"label", c.label}, {"to", c.to}, {"if", condition}, {"set", c.set_source}}))
            return where(fmt::format("answer {} {}", i + 1, *why));
    }
    for (std::size_t i = 0; i < n.branches.size(); ++i) {
        const branch& b = n.branches[i];
        if (auto why = first_unstorable({{"to", b.to}, {"if", b.condition.source()}}))
            return where(fmt::format("branch {} {}", i + 1, *why));
    }
    for (std::size_t i = 0; i < n.fields.size(); ++i) {
        const field& f = n.fields[i];
        if (auto why = first_unstorable({{"var", f.variable}, {"label", f.label}, {"pattern", f.pattern},
                                          {"placeholder", f.placeholder}}))
            return where(fmt::format("field {} {}", i + 1, *why));
    }
    return std::nullopt;
}

std::optional<std::string> find_unstorable_text(const variable& v) {
    auto why = first_unstorable({{"name", v.name}, {"label", v.label}, {"default", v.default_text.value_or("")}});
    for (std::size_t i = 0; !why && i < v.options.size(); ++i) why = first_unstorable({{"option", v.options[i]}});
    if (why) return fmt::format("variable {}, {}", quoted_for_message(v.name), *why);
    return std::nullopt;
}

std::optional<std::string> find_unstorable_text(const tree& t) {
    if (auto why = first_unstorable({{"id", t.id}, {"title", t.title}, {"start", t.start},
                                      {"description", t.description}}))
        return fmt::format("the tree's {}", *why);
    for (const variable& v : t.variables)
        if (auto why = find_unstorable_text(v)) return why;
    for (const node& n : t.nodes)
        if (auto why = find_unstorable_text(n)) return why;
    for (const layout_entry& e : t.layout)
        if (auto why = unstorable_text(e.node)) return fmt::format("layout entry: {}", *why);
    return std::nullopt;
}

std::optional<std::string> save_tree_file(const tree& t, const std::string& path, std::string* written) {
    if (auto why = find_unstorable_text(t))
        return fmt::format("not saved: {}; remove it and save again", *why);
    std::string text = save_tree_string(t);
    if (auto error = write_file_atomic(path, text)) return error;
    if (written) *written = std::move(text);
    return std::nullopt;
}

}  // namespace signpost
