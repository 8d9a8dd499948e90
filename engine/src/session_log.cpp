// Session log in SQLite.
//
// [SECTION] Names stored in the log
// [SECTION] Small public functions (paths, hashes, ids)
// [SECTION] SQLite handles
// [SECTION] Schema and log identification
// [SECTION] Rows and the spill file
// [SECTION] log_writer
// [SECTION] log_reader

#include "signpost/session_log.hpp"
#include "signpost/utc_time.hpp"

#include "session_trail.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <mutex>
#include <random>
#include <thread>
#include <utility>

#include <fmt/format.h>

namespace fs = std::filesystem;

namespace signpost {
namespace {

// [SECTION] Names stored in the log
// These strings are part of the log format (docs/log-schema.md), so they are spelled here
// rather than borrowed from the runtime's to_string(), whose wording may change.

constexpr std::array<std::pair<event_kind, std::string_view>, 8> kind_names{{
    {event_kind::start, "start"},
    {event_kind::enter, "enter"},
    {event_kind::choose, "choose"},
    {event_kind::back, "back"},
    {event_kind::restart, "restart"},
    {event_kind::field, "field"},
    {event_kind::note, "note"},
    {event_kind::end, "end"},
}};

std::string_view kind_name(event_kind k) {
    for (const auto& [kind, name] : kind_names) {
        if (kind == k) return name;
    }
    return "note";
}

std::optional<event_kind> parse_kind(std::string_view name) {
    for (const auto& [kind, text] : kind_names) {
        if (text == name) return kind;
    }
    return std::nullopt;
}

constexpr std::array<std::pair<session_status, std::string_view>, 4> status_names{{
    {session_status::active, "active"},
    {session_status::completed, "completed"},
    {session_status::escalated, "escalated"},
    {session_status::abandoned, "abandoned"},
}};

std::optional<session_status> parse_status(std::string_view name) {
    for (const auto& [status, text] : status_names) {
        if (text == name) return status;
    }
    return std::nullopt;
}

std::int64_t wall_ms() {
    using std::chrono::duration_cast, std::chrono::milliseconds;
    return duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string host_name() {
    std::array<char, 256> buf{};
    if (gethostname(buf.data(), buf.size() - 1) != 0 || buf[0] == '\0') return "unknown";
    return buf.data();
}

// Whether a process with this id exists on this machine (EPERM: it exists, not ours).
bool process_alive(std::int64_t pid) {
    if (pid <= 0 || pid > INT_MAX) return false;  // kill(0) would mean "our process group"
    return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace

// [SECTION] Small public functions (paths, hashes, ids)

std::string default_log_path() {
    fs::path base;
    const char* xdg = std::getenv("XDG_DATA_HOME");
    // The XDG spec says a relative $XDG_DATA_HOME is invalid and must be ignored.
    if (xdg != nullptr && *xdg != '\0' && fs::path(xdg).is_absolute()) {
        base = xdg;
    } else {
        std::string home;
        if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') {
            home = h;
        } else {
            passwd entry{};
            passwd* found = nullptr;
            std::array<char, 4096> buf{};
            if (getpwuid_r(getuid(), &entry, buf.data(), buf.size(), &found) == 0 &&
                found != nullptr && found->pw_dir != nullptr) {
                home = found->pw_dir;
            }
        }
        if (home.empty()) return "";
        base = fs::path(home) / ".local" / "share";
    }
    return (base / "signpost" / "sessions.db").string();
}

std::string content_hash(std::string_view bytes) {
    std::uint64_t h = 14695981039346656037ull;  // FNV-1a 64 offset basis
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ull;  // FNV-1a 64 prime
    }
    return fmt::format("{:016x}", h);
}

std::string new_session_id() {
    std::array<unsigned char, 16> b{};
    std::size_t got = 0;
    while (got < b.size()) {
        ssize_t n = getrandom(b.data() + got, b.size() - got, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    if (got < b.size()) {
        // No kernel randomness (very old kernel, seccomp): ids need only be unique, so mix
        // time, process, thread and a counter.
        static std::atomic<std::uint64_t> counter{0};
        std::seed_seq seq{static_cast<std::uint64_t>(wall_ms()), static_cast<std::uint64_t>(getpid()),
                          static_cast<std::uint64_t>(std::hash<std::thread::id>{}(std::this_thread::get_id())),
                          counter.fetch_add(1)};
        std::mt19937_64 gen(seq);
        for (auto& c : b) c = static_cast<unsigned char>(gen());
    }
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    std::string out;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += fmt::format("{:02x}", b[i]);
    }
    return out;
}

namespace {

// [SECTION] SQLite handles

struct db_closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using db_ptr = std::unique_ptr<sqlite3, db_closer>;

bool is_busy(int rc) {
    int primary = rc & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

// A prepared statement, finalized when it goes out of scope.
class statement {
public:
    statement() = default;
    statement(sqlite3* db, std::string_view sql) {
        m_rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr);
    }
    ~statement() { sqlite3_finalize(m_stmt); }
    statement(statement&& o) noexcept : m_stmt(std::exchange(o.m_stmt, nullptr)), m_rc(o.m_rc) {}
    statement& operator=(statement&& o) noexcept {
        std::swap(m_stmt, o.m_stmt);
        m_rc = o.m_rc;
        return *this;
    }
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;

    // SQLITE_OK when it was prepared.
    int prepare_rc() const { return m_rc; }

    void bind(int i, std::string_view s) {
        // A null data pointer would bind SQL NULL; "" must stay an empty string.
        sqlite3_bind_text(m_stmt, i, s.data() != nullptr ? s.data() : "", static_cast<int>(s.size()),
                          SQLITE_TRANSIENT);
    }
    // Binds without a copy: `s` must stay unchanged until the statement is reset.
    void bind_static(int i, std::string_view s) {
        sqlite3_bind_text(m_stmt, i, s.data() != nullptr ? s.data() : "", static_cast<int>(s.size()), SQLITE_STATIC);
    }
    void bind_blob(int i, std::string_view b) {
        sqlite3_bind_blob(m_stmt, i, b.data() != nullptr ? b.data() : "", static_cast<int>(b.size()),
                          SQLITE_TRANSIENT);
    }
    void bind(int i, std::int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
    void bind_null(int i) { sqlite3_bind_null(m_stmt, i); }
    // Empty text is stored as NULL (columns documented as "NULL when none").
    void bind_or_null(int i, std::string_view s) {
        if (s.empty()) bind_null(i);
        else bind(i, s);
    }
    int index(const char* name) const { return sqlite3_bind_parameter_index(m_stmt, name); }

    int step() { return sqlite3_step(m_stmt); }
    void reset() {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    // Runs a statement that returns no rows and resets it for the next use.
    int run() {
        int rc = step();
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
        return rc == SQLITE_ROW ? SQLITE_DONE : rc;
    }

    bool is_null(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
    // The column's text without a copy; valid until the next step() or reset().
    std::string_view view(int col) const {
        const auto* p = sqlite3_column_text(m_stmt, col);
        if (p == nullptr) return {};
        return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))};
    }
    // The column's bytes as a blob without a copy; valid until the next step() or reset().
    std::string_view blob(int col) const {
        const void* p = sqlite3_column_blob(m_stmt, col);
        if (p == nullptr) return {};
        return {static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))};
    }
    std::int64_t int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
    std::string text(int col) const {
        const auto* p = sqlite3_column_text(m_stmt, col);
        if (p == nullptr) return {};
        return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))};
    }

private:
    sqlite3_stmt* m_stmt = nullptr;
    int m_rc = SQLITE_MISUSE;
};

int exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

void rollback_if_open(sqlite3* db) {
    if (sqlite3_get_autocommit(db) == 0) exec(db, "ROLLBACK");
}

std::string sqlite_message(sqlite3* db, int rc) {
    const char* msg = db != nullptr ? sqlite3_errmsg(db) : nullptr;
    return msg != nullptr && *msg != '\0' ? msg : sqlite3_errstr(rc);
}

// Waits a little longer after each attempt, so competing writers spread out.
void backoff(int attempt) { std::this_thread::sleep_for(std::chrono::milliseconds(20 * (attempt + 1))); }

// Extra tries on SQLITE_BUSY/LOCKED after busy_timeout already waited (BEGIN IMMEDIATE
// and journal-mode changes can report busy without waiting the whole timeout).
constexpr int busy_attempts = 3;

// [SECTION] Schema and log identification

constexpr const char* application_marker = "signpost";

// Version 3 (version 1 had no sessions.trail, version 2 no priority columns). Every
// statement is idempotent so concurrent first openers cannot clash.
constexpr const char* schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT OR IGNORE INTO meta(key, value) VALUES ('application', 'signpost'), ('schema_version', '3');
CREATE TABLE IF NOT EXISTS sessions(
  id            TEXT PRIMARY KEY,
  tree_id       TEXT NOT NULL,
  tree_version  INTEGER NOT NULL,
  tree_hash     TEXT NOT NULL,
  agent         TEXT NOT NULL,
  started_ms    INTEGER NOT NULL,
  ended_ms      INTEGER,
  status        TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'completed', 'escalated', 'abandoned')),
  outcome       TEXT,
  end_node      TEXT,
  last_event_ms INTEGER NOT NULL,
  host          TEXT NOT NULL,
  pid           INTEGER NOT NULL,
  trail         BLOB,
  trail_events  INTEGER NOT NULL DEFAULT 0,
  priority      TEXT
);
CREATE TABLE IF NOT EXISTS events(
  session_id TEXT NOT NULL REFERENCES sessions(id),
  seq        INTEGER NOT NULL,
  time_ms    INTEGER NOT NULL,
  kind       TEXT NOT NULL
             CHECK (kind IN ('start', 'enter', 'choose', 'back', 'restart', 'field', 'note', 'end')),
  tree_id    TEXT NOT NULL,
  node       TEXT NOT NULL,
  choice     INTEGER,
  detail     TEXT NOT NULL,
  outcome    TEXT,
  priority   TEXT,
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_by_start ON sessions(started_ms, id);
CREATE INDEX IF NOT EXISTS sessions_by_tree ON sessions(tree_id, started_ms, id);
CREATE INDEX IF NOT EXISTS sessions_by_agent ON sessions(agent, started_ms, id);
CREATE INDEX IF NOT EXISTS sessions_active ON sessions(last_event_ms) WHERE status = 'active';
CREATE INDEX IF NOT EXISTS events_by_node ON events(tree_id, node, kind);
CREATE TRIGGER IF NOT EXISTS events_beyond_trail AFTER INSERT ON events
WHEN NEW.seq >= (SELECT trail_events FROM sessions WHERE id = NEW.session_id)
BEGIN
  UPDATE sessions SET trail = x'00' WHERE id = NEW.session_id AND trail IS NOT NULL AND trail <> x'00';
END;
)sql";

struct log_identity {
    bool empty = false;  // no tables at all: a new file the writer may initialise
    int version = 0;
};

std::string locked_message(const std::string& path) {
    return fmt::format("the session log '{}' is locked by another program; try again in a moment", path);
}

// Checks that `db` is a Signpost log this build understands (or an empty database).
// `for_writing` only changes the advice in the newer-version message.
std::string identify(sqlite3* db, const std::string& path, bool for_writing, log_identity& out) {
    auto failure = [&](int rc) -> std::string {
        int primary = rc & 0xff;
        if (primary == SQLITE_NOTADB)
            return fmt::format("'{}' is not a Signpost session log: it is not an SQLite database", path);
        if (is_busy(rc)) return locked_message(path);
        return fmt::format("cannot read the session log '{}': {}", path, sqlite_message(db, rc));
    };
    statement tables(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
    if (tables.prepare_rc() != SQLITE_OK) return failure(tables.prepare_rc());
    bool any_table = false;
    bool has_meta = false;
    int rc = SQLITE_OK;
    while ((rc = tables.step()) == SQLITE_ROW) {
        any_table = true;
        if (tables.text(0) == "meta") has_meta = true;
    }
    if (rc != SQLITE_DONE) return failure(rc);
    if (!any_table) {
        out.empty = true;
        return {};
    }
    const std::string not_ours = fmt::format(
        "'{}' is an SQLite database but not a Signpost session log (it has no Signpost marker)", path);
    if (!has_meta) return not_ours;

    statement meta(db, "SELECT key, value FROM meta WHERE key IN ('application', 'schema_version')");
    if (meta.prepare_rc() != SQLITE_OK) return not_ours;  // a `meta` table of some other shape
    std::string application, version;
    while ((rc = meta.step()) == SQLITE_ROW) {
        (meta.text(0) == "application" ? application : version) = meta.text(1);
    }
    if (rc != SQLITE_DONE) return failure(rc);
    if (application != application_marker) return not_ours;
    char* end = nullptr;
    long v = std::strtol(version.c_str(), &end, 10);
    if (version.empty() || *end != '\0' || v <= 0 || v > INT_MAX)
        return fmt::format("the session log '{}' has an unreadable schema version '{}'", path, version);
    if (v > log_schema_version) {
        return fmt::format("the session log '{}' was written by a newer Signpost (log schema {}, this "
                           "build knows up to {}): update Signpost to {} it",
                           path, v, log_schema_version, for_writing ? "write to" : "read");
    }
    out.empty = false;
    out.version = static_cast<int>(v);
    return {};
}

// Runs `fn` (which returns an SQLite code) again while it reports busy at once. A busy
// that came after the busy handler waited is final: waiting its timeout three times over
// froze the agent's window for 15 s at the start of a call.
template <typename F>
int with_retry(F&& fn) {
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt < busy_attempts; ++attempt) {
        const auto started = std::chrono::steady_clock::now();
        rc = fn();
        if (!is_busy(rc) || std::chrono::steady_clock::now() - started > std::chrono::milliseconds(100)) return rc;
        backoff(attempt);
    }
    return rc;
}

// Which of the columns added after version 1 the log has.
struct log_columns {
    bool trail = false, count = false;                      // version 2: sessions.trail, trail_events
    bool session_priority = false, event_priority = false;  // version 3: priority in both tables
    bool trails() const { return trail && count; }
    bool all() const { return trails() && session_priority && event_priority; }
};
int read_log_columns(sqlite3* db, log_columns& out) {
    out = {};
    statement columns(db, "SELECT 's', name FROM pragma_table_info('sessions') "
                          "UNION ALL SELECT 'e', name FROM pragma_table_info('events')");
    if (columns.prepare_rc() != SQLITE_OK) return columns.prepare_rc();
    int rc = SQLITE_OK;
    while ((rc = columns.step()) == SQLITE_ROW) {
        const bool of_sessions = columns.view(0) == "s";
        const std::string_view name = columns.view(1);
        out.trail = out.trail || (of_sessions && name == "trail");
        out.count = out.count || (of_sessions && name == "trail_events");
        out.session_priority = out.session_priority || (of_sessions && name == "priority");
        out.event_priority = out.event_priority || (!of_sessions && name == "priority");
    }
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

// Brings a version 1 or 2 log to version 3: adds what it lacks of sessions.trail,
// trail_events and the trigger that voids a trail an event was stored past (version 2),
// and the priority columns (version 3), all in one transaction. Sessions written before
// keep no trail (they are read from `events`) and no priority (reported as unknown).
// Checked again under the write lock: another writer may have done it meanwhile.
std::string upgrade(sqlite3* db, const std::string& path) {
    int rc = with_retry([&] {
        int r = exec(db, "BEGIN IMMEDIATE");
        if (r != SQLITE_OK) return r;
        log_columns has;
        r = read_log_columns(db, has);
        if (r == SQLITE_OK && !has.trail) r = exec(db, "ALTER TABLE sessions ADD COLUMN trail BLOB");
        if (r == SQLITE_OK && !has.count)
            r = exec(db, "ALTER TABLE sessions ADD COLUMN trail_events INTEGER NOT NULL DEFAULT 0");
        if (r == SQLITE_OK && !has.session_priority) r = exec(db, "ALTER TABLE sessions ADD COLUMN priority TEXT");
        if (r == SQLITE_OK && !has.event_priority) r = exec(db, "ALTER TABLE events ADD COLUMN priority TEXT");
        if (r == SQLITE_OK) r = exec(db, schema_sql);  // the trigger (everything else exists)
        if (r == SQLITE_OK)
            r = exec(db, fmt::format("UPDATE meta SET value = '{}' WHERE key = 'schema_version' AND CAST(value AS INTEGER) < {}",
                                     log_schema_version, log_schema_version)
                             .c_str());
        if (r == SQLITE_OK) r = exec(db, "COMMIT");
        if (r != SQLITE_OK) rollback_if_open(db);
        return r;
    });
    if (rc == SQLITE_OK) return {};
    if (is_busy(rc)) return locked_message(path);
    return fmt::format("cannot update the session log '{}' to schema {}: {}", path, log_schema_version,
                       sqlite_message(db, rc));
}

// Opens (creating if needed) a log for writing; "" on success.
std::string open_writable(const std::string& path, int busy_ms, db_ptr& out) {
    if (path.empty()) return "no session log path was given";
    std::error_code ec;
    fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) {
        fs::create_directories(parent, ec);
        if (ec) return fmt::format("cannot create the folder '{}': {}", parent.string(), ec.message());
    }
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    db_ptr db(raw);
    if (rc != SQLITE_OK) return fmt::format("cannot open '{}': {}", path, sqlite_message(raw, rc));
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, busy_ms);
    // SQLite silently falls back to read-only when the file is not writable.
    if (sqlite3_db_readonly(raw, "main") == 1) return fmt::format("'{}' is read-only", path);

    log_identity id;
    if (auto err = identify(raw, path, true, id); !err.empty()) return err;

    // WAL lets readers (reports) run while agents write, and lets several writers take
    // turns quickly. The mode is stored in the file, so only the first opener changes it.
    std::string mode;
    rc = with_retry([&] {
        statement q(raw, "PRAGMA journal_mode");
        int r = q.step();
        if (r == SQLITE_ROW) mode = q.text(0);
        return r == SQLITE_ROW ? SQLITE_OK : r;
    });
    if (rc == SQLITE_OK && mode != "wal") {
        rc = with_retry([&] {
            statement q(raw, "PRAGMA journal_mode = WAL");
            int r = q.step();
            if (r == SQLITE_ROW) mode = q.text(0);
            return r == SQLITE_ROW ? SQLITE_OK : r;
        });
    }
    if (rc != SQLITE_OK) return fmt::format("cannot switch '{}' to WAL mode: {}", path, sqlite_message(raw, rc));
    if (mode != "wal") return fmt::format("'{}' cannot use WAL mode (journal mode stays '{}')", path, mode);

    // Durability: in WAL mode a commit has written its frames to the -wal file before
    // COMMIT returns, so with NORMAL an event already survives the writer being killed
    // (SIGKILL: the data is in the OS, not the process). FULL also fsyncs the WAL on every
    // commit, so events survive a power cut or OS crash too; at one commit per agent click
    // that fsync costs nothing anyone notices.
    rc = exec(raw, "PRAGMA synchronous = FULL");
    if (rc != SQLITE_OK) return fmt::format("cannot configure '{}': {}", path, sqlite_message(raw, rc));

    if (id.empty) {
        rc = with_retry([&] {
            int r = exec(raw, "BEGIN IMMEDIATE");
            if (r != SQLITE_OK) return r;
            r = exec(raw, schema_sql);
            if (r == SQLITE_OK) r = exec(raw, "COMMIT");
            if (r != SQLITE_OK) rollback_if_open(raw);
            return r;
        });
        if (rc != SQLITE_OK)
            return fmt::format("cannot create the session log '{}': {}", path, sqlite_message(raw, rc));
        // Someone else may have created a different database in the same instant.
        if (auto err = identify(raw, path, true, id); !err.empty()) return err;
    }
    // By the columns, not only the version: a log can say 2 and lack one (made by a build
    // of this work in progress); the upgrade adds what is missing and nothing else.
    log_columns columns;
    if (rc = read_log_columns(raw, columns); rc != SQLITE_OK)
        return fmt::format("cannot read the session log '{}': {}", path, sqlite_message(raw, rc));
    if (id.version < log_schema_version || !columns.all()) {
        if (auto err = upgrade(raw, path); !err.empty()) return err;
    }
    out = std::move(db);
    return {};
}

// [SECTION] Rows and the spill file

// One change to the log, the unit that is written to the database or spilled.
struct log_row {
    enum class type : char { session = 'S', event = 'E', close = 'X' };
    type what = type::event;
    std::string session_id;
    // session rows (tree id of event rows is in `ev`)
    std::string tree_id;
    std::int64_t tree_version = 0;
    std::string tree_hash;
    std::string agent;
    std::int64_t started_ms = 0;
    std::string host;
    std::int64_t pid = 0;
    // event rows
    event ev;
    // close rows: a session left open by its writer, closed as abandoned
    std::int64_t ended_ms = 0;
    std::string end_node;
};

// Spill lines are tab-separated; these escapes keep each record on one line.
void append_escaped(std::string& out, std::string_view s) {
    for (char c : s) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            default: out += c;
        }
    }
}

std::optional<std::string> unescape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            out += s[i];
            continue;
        }
        if (++i == s.size()) return std::nullopt;
        switch (s[i]) {
            case '\\': out += '\\'; break;
            case 't': out += '\t'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            default: return std::nullopt;
        }
    }
    return out;
}

std::string spill_line(const log_row& r) {
    std::string line(1, static_cast<char>(r.what));
    auto field = [&](std::string_view s) {
        line += '\t';
        append_escaped(line, s);
    };
    auto number = [&](std::int64_t v) { field(std::to_string(v)); };
    field(r.session_id);
    switch (r.what) {
        case log_row::type::session:
            field(r.tree_id);
            number(r.tree_version);
            field(r.tree_hash);
            field(r.agent);
            number(r.started_ms);
            field(r.host);
            number(r.pid);
            break;
        case log_row::type::event:
            number(r.ev.sequence);
            number(r.ev.time_ms);
            field(kind_name(r.ev.kind));
            field(r.ev.tree_id);
            field(r.ev.node);
            number(r.ev.choice);
            field(r.ev.detail);
            field(r.ev.outcome);
            // Only when there is one: every other line stays readable by builds before
            // schema 3, which skip a line with more fields.
            if (!r.ev.priority.empty()) field(r.ev.priority);
            break;
        case log_row::type::close:
            number(r.ended_ms);
            field(r.end_node);
            break;
    }
    line += '\n';
    return line;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
    if (s.empty()) return std::nullopt;
    std::string copy(s);
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(copy.c_str(), &end, 10);
    if (*end != '\0' || errno == ERANGE) return std::nullopt;
    return v;
}

std::optional<log_row> parse_spill_line(std::string_view line) {
    std::vector<std::string> f;
    std::size_t start = 0;
    while (true) {
        std::size_t tab = line.find('\t', start);
        auto piece = unescape(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
        if (!piece) return std::nullopt;
        f.push_back(std::move(*piece));
        if (tab == std::string_view::npos) break;
        start = tab + 1;
    }
    if (f.size() < 2 || f[0].size() != 1 || f[1].empty()) return std::nullopt;
    log_row r;
    r.session_id = f[1];
    switch (f[0][0]) {
        case 'S': {
            if (f.size() != 9) return std::nullopt;
            auto version = parse_int(f[3]), started = parse_int(f[6]), pid = parse_int(f[8]);
            if (!version || !started || !pid) return std::nullopt;
            r.what = log_row::type::session;
            r.tree_id = f[2];
            r.tree_version = *version;
            r.tree_hash = f[4];
            r.agent = f[5];
            r.started_ms = *started;
            r.host = f[7];
            r.pid = *pid;
            return r;
        }
        case 'E': {
            if (f.size() != 10 && f.size() != 11) return std::nullopt;
            auto seq = parse_int(f[2]), time = parse_int(f[3]), choice = parse_int(f[7]);
            auto kind = parse_kind(f[4]);
            if (!seq || !time || !choice || !kind || *seq < 0 || *seq > INT_MAX || *choice < -1 ||
                *choice > INT_MAX)
                return std::nullopt;
            r.what = log_row::type::event;
            r.ev.sequence = static_cast<int>(*seq);
            r.ev.time_ms = *time;
            r.ev.kind = *kind;
            r.ev.tree_id = f[5];
            r.ev.node = f[6];
            r.ev.choice = static_cast<int>(*choice);
            r.ev.detail = f[8];
            r.ev.outcome = f[9];
            if (f.size() == 11) r.ev.priority = f[10];
            return r;
        }
        case 'X': {
            if (f.size() != 4) return std::nullopt;
            auto ended = parse_int(f[2]);
            if (!ended) return std::nullopt;
            r.what = log_row::type::close;
            r.ended_ms = *ended;
            r.end_node = f[3];
            return r;
        }
        default: return std::nullopt;
    }
}

// A file descriptor closed on scope exit (which also drops its flock).
class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int fd) : m_fd(fd) {}
    ~unique_fd() {
        if (m_fd >= 0) ::close(m_fd);
    }
    unique_fd(unique_fd&& o) noexcept : m_fd(std::exchange(o.m_fd, -1)) {}
    unique_fd& operator=(unique_fd&& o) noexcept {
        std::swap(m_fd, o.m_fd);
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    int get() const { return m_fd; }
    explicit operator bool() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

void sync_folder_of(const std::string& path) {
    fs::path parent = fs::path(path).parent_path();
    unique_fd dir(::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir) ::fsync(dir.get());
}

// Opens `path` and takes an exclusive flock, so writers appending and a writer replaying
// never interleave. After waiting for the lock the file may have been replayed and
// removed by someone else, so check it is still the one at `path`. With `create` false
// a missing file gives an empty handle and no error.
std::string lock_file(const std::string& path, bool create, unique_fd& out) {
    for (int attempt = 0; attempt < 8; ++attempt) {
        int flags = create ? (O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC) : (O_RDONLY | O_CLOEXEC);
        unique_fd fd(::open(path.c_str(), flags, 0644));
        if (!fd) {
            if (errno == ENOENT && !create) return {};
            return errno_text(errno);
        }
        int rc = 0;
        while ((rc = ::flock(fd.get(), LOCK_EX)) != 0 && errno == EINTR) {
        }
        if (rc != 0) return errno_text(errno);
        struct stat held {}, named {};
        if (::fstat(fd.get(), &held) != 0) return errno_text(errno);
        bool named_exists = ::stat(path.c_str(), &named) == 0;
        if (named_exists && named.st_dev == held.st_dev && named.st_ino == held.st_ino) {
            out = std::move(fd);
            return {};
        }
        if (!named_exists && !create) return {};  // replayed and removed while we waited
    }
    return "the spill file keeps being replaced by another program";
}

// Appends lines to the spill file and fsyncs it; "" on success. A failed write is cut
// back off so a half line never glues itself to the next record.
std::string append_spill(const std::string& path, const std::string& text) {
    unique_fd fd;
    if (auto err = lock_file(path, true, fd); !err.empty()) return err;
    struct stat before {};
    if (::fstat(fd.get(), &before) != 0) return errno_text(errno);
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            if (::ftruncate(fd.get(), before.st_size) != 0) {
                // Nothing more to do: the reader of the spill skips the broken line.
            }
            return errno_text(err);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) {
        int err = errno;
        if (::ftruncate(fd.get(), before.st_size) != 0) {
        }
        return errno_text(err);
    }
    // A new file's name must reach the disk too, or a power cut could lose the file.
    if (before.st_size == 0) sync_folder_of(path);
    return {};
}

std::string read_all(int fd, std::string& out) {
    std::array<char, 65536> buf{};
    while (true) {
        ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno_text(errno);
        }
        if (n == 0) return {};
        out.append(buf.data(), static_cast<std::size_t>(n));
    }
}

// SQL for one writer connection, prepared once per connection.
struct writer_statements {
    sqlite3* db;
    statement insert_session, insert_event, touch, has_event, read_trail, write_trail, end, close;
    trail_encoder trail;
    explicit writer_statements(sqlite3* connection)
        : db(connection),
          // A row made after some of its events (rows replayed out of order) gets no trail:
          // the trail would lack them.
          insert_session(db,
                         "INSERT OR IGNORE INTO sessions(id, tree_id, tree_version, tree_hash, agent, "
                         "started_ms, last_event_ms, host, pid, trail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, "
                         "CASE WHEN EXISTS (SELECT 1 FROM events WHERE session_id = ?1) THEN x'00' ELSE x'01' END)"),
          insert_event(db,
                       "INSERT OR IGNORE INTO events(session_id, seq, time_ms, kind, tree_id, node, choice, "
                       "detail, outcome, priority) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
          touch(db, "UPDATE sessions SET last_event_ms = max(last_event_ms, ?2) WHERE id = ?1"),
          has_event(db, "SELECT 1 FROM events WHERE session_id = ?1 AND seq = ?2"),
          read_trail(db, "SELECT trail, trail_events FROM sessions WHERE id = ?1"),
          write_trail(db, "UPDATE sessions SET trail = ?2, trail_events = ?3 WHERE id = ?1"),
          end(db,
              "UPDATE sessions SET status = ?2, outcome = ?3, end_node = ?4, ended_ms = ?5, priority = ?6 "
              "WHERE id = ?1"),
          close(db,
                "UPDATE sessions SET status = 'abandoned', ended_ms = ?2, end_node = ?3 "
                "WHERE id = ?1 AND status = 'active'") {}

    int prepare_rc() const {
        for (const statement* s :
             {&insert_session, &insert_event, &touch, &has_event, &read_trail, &write_trail, &end, &close}) {
            if (s->prepare_rc() != SQLITE_OK) return s->prepare_rc();
        }
        return SQLITE_OK;
    }

    // Adds `e` to its session's trail just before `e` is stored, in the same transaction,
    // so the events trigger finds the trail covering it. An event stored without this (by
    // an older build, say) is past trail_events, and the trigger marks the trail unusable.
    int extend_trail(const std::string& session_id, const event& e) {
        has_event.bind(1, session_id);
        has_event.bind(2, std::int64_t{e.sequence});
        int rc = has_event.step();
        has_event.reset();
        if (rc == SQLITE_ROW) return SQLITE_DONE;  // stored already: the insert will skip it
        if (rc != SQLITE_DONE) return rc;
        read_trail.bind(1, session_id);
        rc = read_trail.step();
        if (rc != SQLITE_ROW || read_trail.is_null(0)) {
            read_trail.reset();
            return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_DONE : rc;  // no row, or no trail kept
        }
        const std::int64_t covered = read_trail.int64(1);
        // A trail that does not hold exactly `covered` events stays, or becomes, unusable.
        if (trail.resume(read_trail.blob(0)) && trail.events() == covered) trail.append(e);
        else trail.mark_unusable();
        read_trail.reset();
        write_trail.bind(1, session_id);
        write_trail.bind_blob(2, trail.bytes());
        write_trail.bind(3, std::int64_t{trail.events()});
        return write_trail.run();
    }

    int apply(const log_row& r) {
        switch (r.what) {
            case log_row::type::session:
                insert_session.bind(1, r.session_id);
                insert_session.bind(2, r.tree_id);
                insert_session.bind(3, r.tree_version);
                insert_session.bind(4, r.tree_hash);
                insert_session.bind(5, r.agent);
                insert_session.bind(6, r.started_ms);
                insert_session.bind(7, r.host);
                insert_session.bind(8, r.pid);
                return insert_session.run();
            case log_row::type::event: {
                const event& e = r.ev;
                insert_event.bind(1, r.session_id);
                insert_event.bind(2, std::int64_t{e.sequence});
                insert_event.bind(3, e.time_ms);
                insert_event.bind(4, kind_name(e.kind));
                insert_event.bind(5, e.tree_id);
                insert_event.bind(6, e.node);
                if (e.choice >= 0) insert_event.bind(7, std::int64_t{e.choice});
                else insert_event.bind_null(7);
                insert_event.bind(8, e.detail);
                insert_event.bind_or_null(9, e.outcome);
                insert_event.bind_or_null(10, e.priority);
                int rc = extend_trail(r.session_id, e);
                if (rc != SQLITE_DONE) {
                    insert_event.reset();
                    return rc;
                }
                rc = insert_event.run();
                if (rc != SQLITE_DONE) return rc;
                touch.bind(1, r.session_id);
                touch.bind(2, e.time_ms);
                rc = touch.run();
                if (rc != SQLITE_DONE || e.kind != event_kind::end) return rc;
                // The runtime sends completed | escalated | abandoned; anything else would
                // break the CHECK and block the log forever, so it counts as abandoned.
                auto status = parse_status(e.detail);
                end.bind(1, r.session_id);
                end.bind(2, status && *status != session_status::active ? e.detail : "abandoned");
                end.bind_or_null(3, e.outcome);
                end.bind_or_null(4, e.node);
                end.bind(5, e.time_ms);
                end.bind_or_null(6, e.priority);
                return end.run();
            }
            case log_row::type::close:
                close.bind(1, r.session_id);
                close.bind(2, r.ended_ms);
                close.bind_or_null(3, r.end_node);
                return close.run();
        }
        return SQLITE_MISUSE;
    }
};

}  // namespace

// [SECTION] log_writer

struct log_writer::impl {
    std::string path;
    db_ptr db;
    std::unique_ptr<writer_statements> sql;
    // The player waits this long, mid-call, before spilling: a second is plenty for other
    // players' writes (milliseconds each), and no longer than an agent can wait on a click.
    int busy_ms = 1000;
    std::string warning;
    std::vector<log_row> unsaved;  // rows neither the database nor the spill file took
    // Rows of this writer may be in the spill file: they must reach the database before
    // anything newer, or an `end` could update a session row that is still spilled.
    bool spilled = false;
    // After the log was found locked by another writer, the rows go straight to the spill
    // file until this time: waiting the busy timeout again on every event froze the
    // agent's window for seconds per click. A try made while spilling waits only briefly.
    std::chrono::steady_clock::time_point retry_after{};
    static constexpr auto busy_hold_off = std::chrono::seconds(10);
    static constexpr int spilling_busy_ms = 250;
    // When the writer is closed nobody waits on a click, so spilled rows get one longer try
    // to reach the log (else they wait in the spill file until another writer opens it,
    // and reports miss them meanwhile).
    static constexpr int closing_busy_ms = 5000;
    bool closing = false;
    int wait_ms() const { return closing ? closing_busy_ms : spilling() ? spilling_busy_ms : busy_ms; }
    bool last_busy = false;  // the last write failed because the log was locked
    std::string last_why;    // why the database could not take the last rows

    enum class phase { idle, begun, open, ended };
    phase state = phase::idle;
    session_info info;
    std::string session_id;
    std::int64_t last_event_ms = 0;
    std::string last_node;
    const std::string host = host_name();
    const std::int64_t pid = getpid();

    std::string spill_path() const { return path.empty() ? std::string() : path + ".spill"; }
    bool degraded() const { return !db || spilling(); }
    bool spilling() const { return spilled || !unsaved.empty(); }

    void disconnect() {
        sql.reset();  // statements before their connection
        db.reset();
    }

    std::string connect() {
        disconnect();
        db_ptr fresh;
        if (auto err = open_writable(path, wait_ms(), fresh); !err.empty()) return err;
        auto statements = std::make_unique<writer_statements>(fresh.get());
        if (int rc = statements->prepare_rc(); rc != SQLITE_OK)
            return fmt::format("cannot use the session log '{}': {}", path, sqlite_message(fresh.get(), rc));
        db = std::move(fresh);
        sql = std::move(statements);
        return {};
    }

    // All rows in one transaction; "" when committed.
    std::string write(const std::vector<const log_row*>& rows) {
        int rc = with_retry([&] {
            int r = exec(db.get(), "BEGIN IMMEDIATE");
            if (r != SQLITE_OK) return r;
            int applied = SQLITE_DONE;
            for (const log_row* row : rows) {
                applied = sql->apply(*row);
                if (applied != SQLITE_DONE) break;
            }
            r = applied == SQLITE_DONE ? exec(db.get(), "COMMIT") : applied;
            if (r != SQLITE_OK) rollback_if_open(db.get());
            return r;
        });
        last_busy = is_busy(rc);
        if (rc == SQLITE_OK) return {};
        if (last_busy)
            return fmt::format("another program holds the log locked (still busy after waiting {} ms)", wait_ms());
        return sqlite_message(db.get(), rc);
    }

    // Connects if needed and writes the spill file, the unsaved rows and `extra` in one
    // transaction; the spill file is removed after the commit. "" on success.
    std::string flush(const std::vector<log_row>& extra) {
        if (!db) {
            if (auto err = connect(); !err.empty()) return err;
        }
        const std::string spill = spill_path();
        unique_fd fd;
        if (auto err = lock_file(spill, false, fd); !err.empty())
            return fmt::format("cannot read the spill file '{}': {}", spill, err);
        std::vector<log_row> from_spill;
        std::size_t skipped = 0;
        if (fd) {
            std::string text;
            if (auto err = read_all(fd.get(), text); !err.empty())
                return fmt::format("cannot read the spill file '{}': {}", spill, err);
            std::size_t start = 0;
            while (start < text.size()) {
                std::size_t nl = text.find('\n', start);
                if (nl == std::string::npos) {
                    ++skipped;  // a torn last line: its writer died mid-write, before fsync
                    break;
                }
                if (auto row = parse_spill_line(std::string_view(text).substr(start, nl - start)))
                    from_spill.push_back(std::move(*row));
                else
                    ++skipped;
                start = nl + 1;
            }
        }
        std::vector<const log_row*> rows;
        rows.reserve(from_spill.size() + unsaved.size() + extra.size());
        for (const auto& r : from_spill) rows.push_back(&r);
        for (const auto& r : unsaved) rows.push_back(&r);
        for (const auto& r : extra) rows.push_back(&r);
        if (!rows.empty()) {
            if (auto err = write(rows); !err.empty()) {
                disconnect();  // reopen next time: the file may have become writable
                return fmt::format("cannot write to '{}': {}", path, err);
            }
        }
        unsaved.clear();
        spilled = false;
        warning.clear();
        sqlite3_busy_timeout(db.get(), busy_ms);  // a healthy log waits its full time again
        if (fd) {
            // Removed while still locked, so no other writer can append to a file that
            // is about to disappear (they re-check the name after taking the lock).
            if (::unlink(spill.c_str()) != 0) {
                warning = fmt::format("Session log: the spill file '{}' was added to the log but could not be "
                                      "removed ({}); it will be added again harmlessly.",
                                      spill, errno_text(errno));
            } else {
                sync_folder_of(spill);
            }
        }
        if (skipped > 0) {
            warning = fmt::format("Session log: {} unreadable line{} of the spill file '{}' could not be added "
                                  "to the log.",
                                  skipped, skipped == 1 ? "" : "s", spill);
        }
        return {};
    }

    // The database failed with `why`: keep the rows in the spill file, or in memory.
    void keep(const std::vector<log_row>& rows, const std::string& why) {
        const std::string spill = spill_path();
        std::string text;
        for (const auto& r : unsaved) text += spill_line(r);
        for (const auto& r : rows) text += spill_line(r);
        std::string err;
        if (spill.empty()) err = "no log path, so no spill file";
        else if (!text.empty()) err = append_spill(spill, text);
        if (err.empty()) {
            if (!text.empty()) spilled = true;
            unsaved.clear();
            warning = fmt::format("Session log: {}. Events are saved in '{}' and will be added to the log "
                                  "once it can be written again.",
                                  why, spill);
            return;
        }
        unsaved.insert(unsaved.end(), rows.begin(), rows.end());
        const std::string also = spill.empty()
                                     ? std::string()
                                     : fmt::format(", and the spill file '{}' cannot be written either ({})", spill, err);
        warning = fmt::format("Session log: {}{}. {} record{} held in memory only, lost if the program quits.",
                              why, also, unsaved.size(), unsaved.size() == 1 ? " is" : "s are");
    }

    void store(const std::vector<log_row>& rows) {
        const auto now = std::chrono::steady_clock::now();
        if (!degraded()) {
            std::vector<const log_row*> ptrs;
            for (const auto& r : rows) ptrs.push_back(&r);
            auto err = write(ptrs);
            if (err.empty()) return;
            disconnect();
            if (last_busy) retry_after = now + busy_hold_off;
            keep(rows, last_why = fmt::format("cannot write to '{}': {}", path, err));
            return;
        }
        if (path.empty()) {
            keep(rows, "no session log was opened");
            return;
        }
        if (now < retry_after) {
            keep(rows, last_why);
            return;
        }
        last_busy = false;
        if (auto err = flush(rows); !err.empty()) {
            if (last_busy) retry_after = now + busy_hold_off;
            keep(rows, last_why = err);
        }
    }

    log_row session_row(std::int64_t first_event_ms, const event& first) const {
        log_row r;
        r.what = log_row::type::session;
        r.session_id = session_id;
        r.tree_id = info.tree_id.empty() ? first.tree_id : info.tree_id;
        r.tree_version = info.tree_version;
        r.tree_hash = info.tree_hash;
        r.agent = !info.agent.empty() || first.kind != event_kind::start ? info.agent : first.detail;
        r.started_ms = info.started_ms != 0 ? info.started_ms : first_event_ms;
        r.host = host;
        r.pid = pid;
        return r;
    }

    log_row close_row() const {
        log_row r;
        r.what = log_row::type::close;
        r.session_id = session_id;
        r.ended_ms = last_event_ms;
        r.end_node = last_node;
        return r;
    }

    void begin(const session_info& i) {
        info = i;
        session_id = i.id.empty() ? new_session_id() : i.id;
        state = phase::begun;
        last_event_ms = 0;
        last_node.clear();
    }
};

log_writer::log_writer() : m_impl(std::make_unique<impl>()) {}

log_writer::~log_writer() {
    impl& m = *m_impl;
    if (m.state == impl::phase::open) m.store({m.close_row()});
    if (m.spilling() && !m.path.empty()) {
        m.closing = true;
        if (auto err = m.flush({}); !err.empty()) m.keep({}, err);
    }
}

log_result log_writer::open(const std::string& path) {
    impl& m = *m_impl;
    m.disconnect();
    m.path = path;
    if (auto err = m.connect(); !err.empty()) {
        m.keep({}, err);
        if (!m.spilled && m.unsaved.empty()) {
            m.warning = fmt::format("Session log: {}. Events will be saved in '{}' until it can be opened.",
                                    err, m.spill_path());
        }
        return {false, err};
    }
    if (auto err = m.flush({}); !err.empty()) {
        m.keep({}, err);
        return {false, err};
    }
    return {};
}

std::string log_writer::begin_session(const session_info& info) {
    impl& m = *m_impl;
    if (m.state == impl::phase::open) m.store({m.close_row()});
    m.begin(info);
    return m.session_id;
}

void log_writer::on_event(const event& e) {
    impl& m = *m_impl;
    std::vector<log_row> rows;
    // A start while a session is open is a new call that skipped begin_session; the old
    // one is closed rather than having the new events collide with its sequence numbers.
    if (m.state == impl::phase::idle || (e.kind == event_kind::start && m.state != impl::phase::begun)) {
        if (m.state == impl::phase::open) rows.push_back(m.close_row());
        session_info auto_info;
        auto_info.tree_id = e.tree_id;
        auto_info.tree_version = 0;  // unknown: begin_session was not called
        m.begin(auto_info);
    }
    if (m.state == impl::phase::begun) {
        rows.push_back(m.session_row(e.time_ms, e));
        m.state = impl::phase::open;
    }
    log_row r;
    r.what = log_row::type::event;
    r.session_id = m.session_id;
    r.ev = e;
    rows.push_back(std::move(r));
    if (e.kind == event_kind::end) m.state = impl::phase::ended;
    m.last_event_ms = e.time_ms;
    m.last_node = e.node;
    m.store(rows);
}

log_result log_writer::replay_spill() {
    impl& m = *m_impl;
    if (m.path.empty()) return {false, "no session log was opened"};
    if (auto err = m.flush({}); !err.empty()) {
        m.keep({}, err);
        return {false, err};
    }
    return {};
}

const std::string& log_writer::warning() const { return m_impl->warning; }
const std::string& log_writer::session_id() const { return m_impl->session_id; }
const std::string& log_writer::path() const { return m_impl->path; }
std::string log_writer::spill_path() const { return m_impl->spill_path(); }
std::size_t log_writer::unsaved_rows() const { return m_impl->unsaved.size(); }
void log_writer::set_busy_timeout(int ms) {
    m_impl->busy_ms = ms;
    if (m_impl->db) sqlite3_busy_timeout(m_impl->db.get(), ms);
}

// [SECTION] log_reader

namespace {

// `file:` URI for a path, so `?mode=ro` can be added: '%', '?' and '#' must not be
// taken for URI syntax.
std::string file_uri(const std::string& path) {
    std::string out = "file:";
    for (unsigned char c : path) {
        if (std::isalnum(c) != 0 || std::strchr("/-_.~", c) != nullptr) out += static_cast<char>(c);
        else out += fmt::format("%{:02X}", c);
    }
    return out;
}

// Crash recovery: an active session whose writer process is gone, or that has been silent
// longer than any call lasts, will never be ended by its writer.
void mark_if_writer_lost(session_record& s, std::int64_t now, const std::string& this_host,
                         std::int64_t stale_after_ms) {
    if (s.status != session_status::active) return;
    bool dead_here = s.host == this_host && !process_alive(s.pid);
    // The log is input like any file: last_event_ms may be anything an int64 holds.
    bool silent = elapsed_ms(s.last_event_ms, now) > stale_after_ms;
    if (dead_here || silent) {
        s.status = session_status::abandoned;
        s.writer_lost = true;
        s.ended_ms = s.last_event_ms;
    }
}

}  // namespace

// Whether SQLite cannot read the WAL log at `path` the usual way: it must create the
// -shm file beside it for that, and the folder is not writable for this user.
bool shm_blocked(const std::string& path) {
    std::error_code ec;
    const fs::path folder = fs::path(path).parent_path();
    const std::string dir = folder.empty() ? "." : folder.string();
    return ::access(dir.c_str(), W_OK) != 0 && !fs::exists(path + "-wal", ec) && !fs::exists(path + "-shm", ec);
}

// The URI a reader opens `path` (links resolved: SQLite keeps -wal and -shm beside the
// real file) with. When SQLite cannot create the -shm and nobody at all can change the
// log (a read-only filesystem, or neither the log nor its folder writable by anyone), it
// is read as an immutable snapshot. Where someone else may still write it, immutable
// reading could see torn pages, so the open fails instead and says what to do.
std::string reader_uri(const std::string& path) {
    if (!shm_blocked(path)) return file_uri(path);
    const fs::path folder = fs::path(path).parent_path();
    const std::string dir = folder.empty() ? "." : folder.string();
    struct statvfs fs_info {};
    struct stat log_stat {}, dir_stat {};
    const bool read_only_fs = ::statvfs(dir.c_str(), &fs_info) == 0 && (fs_info.f_flag & ST_RDONLY) != 0;
    const bool nobody_writes = ::stat(path.c_str(), &log_stat) == 0 && ::stat(dir.c_str(), &dir_stat) == 0 &&
                               (log_stat.st_mode & 0222) == 0 && (dir_stat.st_mode & 0222) == 0;
    return read_only_fs || nobody_writes ? file_uri(path) + "?immutable=1" : file_uri(path);
}

struct log_reader::impl {
    std::string path;
    std::string uri;  // reader_uri(path)
    db_ptr db;
    log_read_options options;
    int version = 0;
    bool has_trails = false;    // sessions.trail and trail_events exist
    bool has_priority = false;  // the priority columns exist (schema 3)
    std::string host = host_name();

    // Whether a scan reads the sessions' trails instead of their events.
    bool reads_trails(bool paths_only) const { return paths_only && has_trails && options.read_trails; }

    // A connection of its own, used by one call only: without SQLite's per-call mutex
    // (millions of column reads), and usable from another thread. The file is not mapped
    // into memory: that saves little time and would make the process look as large as
    // the log.
    log_result open_connection(db_ptr& out) const {
        sqlite3* raw = nullptr;
        int opened = sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                                     nullptr);
        out.reset(raw);
        if (opened != SQLITE_OK)
            return {false, fmt::format("cannot open the session log '{}': {}", path, sqlite_message(raw, opened))};
        sqlite3_extended_result_codes(raw, 1);
        sqlite3_busy_timeout(raw, options.busy_timeout_ms);
        return {};
    }
    log_result read_failure(sqlite3* connection, int rc) const {
        if (is_busy(rc)) return {false, locked_message(path)};
        return {false, fmt::format("cannot read the session log '{}': {}", path, sqlite_message(connection, rc))};
    }
};

log_reader::log_reader() : m_impl(std::make_unique<impl>()) {}
log_reader::~log_reader() = default;

log_result log_reader::open(const std::string& path, log_read_options options) {
    impl& m = *m_impl;
    m.db.reset();
    m.path = path;
    m.options = options;
    std::error_code ec;
    auto st = fs::status(path, ec);
    if (!fs::exists(st)) return {false, fmt::format("there is no session log at '{}' (no such file)", path)};
    if (fs::is_directory(st)) return {false, fmt::format("'{}' is a folder, not a session log", path)};

    std::error_code resolve_ec;
    const fs::path real = fs::canonical(path, resolve_ec);
    m.uri = reader_uri(resolve_ec ? path : real.string());
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(m.uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    db_ptr db(raw);
    if (rc != SQLITE_OK)
        return {false, fmt::format("cannot open the session log '{}': {}", path, sqlite_message(raw, rc))};
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, options.busy_timeout_ms);
    log_identity id;
    if (auto err = identify(raw, path, false, id); !err.empty()) {
        if (shm_blocked(resolve_ec ? path : real.string()))
            return {false, fmt::format("cannot read the session log '{}': SQLite needs to create '{}-shm' beside it "
                                       "to read a log in WAL mode, and that folder is not writable for you; ask for "
                                       "write access to the folder, or copy the log (with its -wal file, if any) "
                                       "somewhere you can write and report on the copy",
                                       path, (resolve_ec ? fs::path(path) : real).filename().string())};
        return {false, err};
    }
    if (id.empty)
        return {false, fmt::format("'{}' is an empty SQLite database, not a Signpost session log", path)};
    m.version = id.version;
    // Trails are read only where both columns are there (see open_writable).
    log_columns columns;
    if ((rc = read_log_columns(raw, columns)) != SQLITE_OK) return m.read_failure(raw, rc);
    m.has_trails = columns.trails();
    m.has_priority = columns.session_priority && columns.event_priority;
    m.db = std::move(db);
    return {};
}

int log_reader::schema_version() const { return m_impl->version; }

log_result log_reader::for_each_session(const log_filter& filter, const session_callback& fn) const {
    const impl& m = *m_impl;
    if (!m.db) return {false, "no session log is open"};
    if (!fn) return {false, "no callback was given"};

    // One query, ordered so each session's rows arrive together: the indexes on
    // (…, started_ms, id) and the events key (session_id, seq) give this order without
    // sorting, so neither SQLite nor we hold more than one session at a time.
    // A log before schema 3 has no priority columns: NULL stands in for them.
    std::string sql = fmt::format(
        "SELECT s.id, s.tree_id, s.tree_version, s.tree_hash, s.agent, s.started_ms, s.ended_ms, "
        "s.status, s.outcome, s.end_node, s.last_event_ms, s.host, s.pid, "
        "e.seq, e.time_ms, e.kind, e.tree_id, e.node, e.choice, e.detail, e.outcome, {}, {} "
        "FROM sessions AS s LEFT JOIN events AS e ON e.session_id = s.id WHERE 1",
        m.has_priority ? "s.priority" : "NULL", m.has_priority ? "e.priority" : "NULL");
    if (!filter.tree_id.empty()) sql += " AND s.tree_id = :tree";
    if (!filter.agent.empty()) sql += " AND s.agent = :agent";
    if (filter.since_ms) sql += " AND s.started_ms >= :since";
    if (filter.until_ms) sql += " AND s.started_ms < :until";
    sql += " ORDER BY s.started_ms, s.id, e.seq";

    statement q(m.db.get(), sql);
    if (q.prepare_rc() != SQLITE_OK) {
        if (is_busy(q.prepare_rc())) return {false, locked_message(m.path)};
        return {false, fmt::format("cannot read the session log '{}': {}", m.path,
                                   sqlite_message(m.db.get(), q.prepare_rc()))};
    }
    if (!filter.tree_id.empty()) q.bind(q.index(":tree"), filter.tree_id);
    if (!filter.agent.empty()) q.bind(q.index(":agent"), filter.agent);
    if (filter.since_ms) q.bind(q.index(":since"), *filter.since_ms);
    if (filter.until_ms) q.bind(q.index(":until"), *filter.until_ms);

    const std::int64_t now = m.options.now != nullptr ? m.options.now->now_ms() : wall_ms();
    std::optional<session_record> current;
    std::vector<event> events;
    int rc = SQLITE_OK;
    while ((rc = q.step()) == SQLITE_ROW) {
        std::string id = q.text(0);
        if (!current || current->id != id) {
            if (current) fn(*current, events);
            events.clear();
            session_record s;
            s.id = std::move(id);
            s.tree_id = q.text(1);
            s.tree_version = static_cast<int>(q.int64(2));
            s.tree_hash = q.text(3);
            s.agent = q.text(4);
            s.started_ms = q.int64(5);
            if (!q.is_null(6)) s.ended_ms = q.int64(6);
            s.status = parse_status(q.text(7)).value_or(session_status::abandoned);
            s.outcome = q.text(8);
            s.end_node = q.text(9);
            s.last_event_ms = q.int64(10);
            s.host = q.text(11);
            s.pid = q.int64(12);
            s.priority = q.text(21);
            mark_if_writer_lost(s, now, m.host, m.options.stale_after_ms);
            current = std::move(s);
        }
        if (q.is_null(13)) continue;  // a session with no events yet (LEFT JOIN)
        event e;
        auto kind = parse_kind(q.text(15));
        if (!kind) {
            return {false, fmt::format("the session log '{}' has an event of unknown kind '{}' (session {}, "
                                       "event {})",
                                       m.path, q.text(15), current->id, q.int64(13))};
        }
        e.kind = *kind;
        e.sequence = static_cast<int>(q.int64(13));
        e.time_ms = q.int64(14);
        e.tree_id = q.text(16);
        e.node = q.text(17);
        e.choice = q.is_null(18) ? -1 : static_cast<int>(q.int64(18));
        e.detail = q.text(19);
        e.outcome = q.text(20);
        e.priority = q.text(22);
        events.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) {
        if (is_busy(rc)) return {false, locked_message(m.path)};
        return {false, fmt::format("cannot read the session log '{}': {}", m.path, sqlite_message(m.db.get(), rc))};
    }
    if (current) fn(*current, events);
    return {};
}

namespace {

// Binds the filter's values to the :tree, :agent, :since and :until parameters it uses.
void bind_filter(statement& q, const log_filter& filter) {
    if (!filter.tree_id.empty()) q.bind(q.index(":tree"), filter.tree_id);
    if (!filter.agent.empty()) q.bind(q.index(":agent"), filter.agent);
    if (filter.since_ms) q.bind(q.index(":since"), *filter.since_ms);
    if (filter.until_ms) q.bind(q.index(":until"), *filter.until_ms);
}

// " AND ..." conditions for a filter; `no_index` prefixes the columns with a unary +,
// which keeps SQLite from answering them with an index.
std::string filter_sql(const log_filter& filter, bool no_index) {
    const char* plus = no_index ? "+" : "";
    std::string sql;
    if (!filter.tree_id.empty()) sql += fmt::format(" AND {}s.tree_id = :tree", plus);
    if (!filter.agent.empty()) sql += fmt::format(" AND {}s.agent = :agent", plus);
    if (filter.since_ms) sql += fmt::format(" AND {}s.started_ms >= :since", plus);
    if (filter.until_ms) sql += fmt::format(" AND {}s.started_ms < :until", plus);
    return sql;
}

}  // namespace

namespace {

// The columns read_session reads; a log before schema 3 has NULL for the priority.
std::string session_columns(bool has_priority) {
    return fmt::format("s.id, s.tree_id, s.tree_version, s.tree_hash, s.agent, s.started_ms, s.ended_ms, s.status, "
                       "s.outcome, s.end_node, s.last_event_ms, s.host, s.pid, {}",
                       has_priority ? "s.priority" : "NULL");
}
// Where the trail is when it is read after `session_columns`.
constexpr int trail_column = 14;  // then trail_events

// Columns 0..13 of `session_columns` into `s`, reusing its strings' buffers.
void read_session(const statement& q, session_record& s) {
    s.id.assign(q.view(0));
    s.tree_id.assign(q.view(1));
    s.tree_version = static_cast<int>(q.int64(2));
    s.tree_hash.assign(q.view(3));
    s.agent.assign(q.view(4));
    s.started_ms = q.int64(5);
    s.ended_ms.reset();
    if (!q.is_null(6)) s.ended_ms = q.int64(6);
    s.status = parse_status(q.view(7)).value_or(session_status::abandoned);
    s.writer_lost = false;
    s.outcome.assign(q.view(8));
    s.end_node.assign(q.view(9));
    s.last_event_ms = q.int64(10);
    s.host.assign(q.view(11));
    s.pid = q.int64(12);
    s.priority.assign(q.view(13));
}

// Columns 0.. are seq, time_ms, kind, tree_id, node, choice, detail, outcome, priority
// (NULL before schema 3); the paths variant leaves out what path statistics do not use
// (fewer columns read per row is most of what a scan of a large log costs).
std::string event_columns(bool has_priority) {
    return fmt::format("seq, time_ms, kind, tree_id, node, choice, detail, outcome, {}",
                       has_priority ? "priority" : "NULL");
}
constexpr const char* path_event_columns =
    "seq, time_ms, kind, tree_id, node, CASE WHEN kind = 'back' THEN choice END, "
    "CASE WHEN kind IN ('back', 'end', 'enter') THEN detail END";

// The columns starting at `at` into `e`; false for an unknown kind.
bool read_event(const statement& q, int at, bool paths_only, event& e) {
    auto kind = parse_kind(q.view(at + 2));
    if (!kind) return false;
    e.kind = *kind;
    e.sequence = static_cast<int>(q.int64(at));
    e.time_ms = q.int64(at + 1);
    e.tree_id.assign(q.view(at + 3));
    e.node.assign(q.view(at + 4));
    if (paths_only) {
        // Only a back's choice is read: exactly the passing mark, or none.
        e.choice = !q.is_null(at + 5) && q.int64(at + 5) == back_passes_on ? back_passes_on : -1;
        e.detail.assign(q.view(at + 6));
        e.outcome.clear();
        e.priority.clear();
        return true;
    }
    e.choice = q.is_null(at + 5) ? -1 : static_cast<int>(q.int64(at + 5));
    e.detail.assign(q.view(at + 6));
    e.outcome.assign(q.view(at + 7));
    e.priority.assign(q.view(at + 8));
    return true;
}

}  // namespace

namespace {

// Where parts 1..count-1 begin, all read in one snapshot of the log.
int plan_split(sqlite3* db, bool by_row, unsigned count, log_split& out) {
    out = {};
    out.count = count;
    out.by_row = by_row;
    int rc = exec(db, "BEGIN");
    if (rc != SQLITE_OK) return rc;
    auto done = [&](int result) {
        rollback_if_open(db);  // only read: nothing to keep
        return result;
    };
    if (by_row) {
        // Two subqueries: SQLite answers each from one end of the table, where a single
        // SELECT min(), max() would scan all of it.
        statement bounds(db, "SELECT (SELECT min(rowid) FROM sessions), (SELECT max(rowid) FROM sessions)");
        if (bounds.prepare_rc() != SQLITE_OK) return done(bounds.prepare_rc());
        rc = bounds.step();
        if (rc != SQLITE_ROW) return done(rc);
        // An empty log: part 0 takes every rowid but the largest, the last part that one.
        std::int64_t low = std::numeric_limits<std::int64_t>::max();
        long double span = 0;
        if (!bounds.is_null(0)) {
            low = bounds.int64(0);
            // Unsigned: rowids may be anything from INT64_MIN to INT64_MAX.
            span = static_cast<long double>(static_cast<std::uint64_t>(bounds.int64(1)) -
                                            static_cast<std::uint64_t>(low));
        }
        for (unsigned index = 1; index < count; ++index) {
            const auto offset = static_cast<std::uint64_t>(span * index / count);
            out.row_starts.push_back(static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + offset));
        }
        return done(SQLITE_OK);
    }
    // By id: the (index/count)-th session id, walking the sessions' primary key index.
    std::int64_t total = 0;
    {
        statement all(db, "SELECT count(*) FROM sessions");
        if (all.prepare_rc() != SQLITE_OK) return done(all.prepare_rc());
        rc = all.step();
        if (rc != SQLITE_ROW) return done(rc);
        total = all.int64(0);
    }
    statement q(db, "SELECT id FROM sessions ORDER BY id LIMIT 1 OFFSET ?1");
    if (q.prepare_rc() != SQLITE_OK) return done(q.prepare_rc());
    for (unsigned index = 1; index < count; ++index) {
        q.bind(1, total * static_cast<std::int64_t>(index) / static_cast<std::int64_t>(count));
        rc = q.step();
        if (rc == SQLITE_ROW) out.id_starts.push_back(q.text(0));
        else if (rc == SQLITE_DONE) out.id_starts.emplace_back("\xff");  // after every id (UTF-8 has no 0xff)
        else return done(rc);
        q.reset();
    }
    return done(SQLITE_OK);
}

}  // namespace

log_result log_reader::split(unsigned count, bool paths_only, log_split& out) const {
    const impl& m = *m_impl;
    if (!m.db) return {false, "no session log is open"};
    if (count == 0) return {false, "a log cannot be split into 0 parts"};
    db_ptr db;
    if (auto r = m.open_connection(db); !r) return r;
    const bool trails = m.reads_trails(paths_only);
    if (int rc = plan_split(db.get(), trails, count, out); rc != SQLITE_OK) return m.read_failure(db.get(), rc);
    return {};
}

log_result log_reader::scan_sessions(const log_filter& filter, const session_span_callback& fn, bool paths_only,
                                     log_part part) const {
    if (!fn) return {false, "no callback was given"};
    std::vector<event> list;
    return scan(filter, paths_only, part,
                [&](const session_record& s, const session_path* path, std::span<const event> events) {
                    if (path == nullptr) return fn(s, events);
                    // The events the trail holds, in reused slots (their strings keep their buffers).
                    if (list.size() < path->steps.size()) list.resize(path->steps.size());
                    for (std::size_t i = 0; i < path->steps.size(); ++i) {
                        const path_step& step = path->steps[i];
                        event& e = list[i];
                        e.kind = step.kind;
                        e.time_ms = step.time_ms;
                        e.sequence = static_cast<int>(i);
                        e.tree_id.assign(path->places[step.place].tree_id);
                        e.node.assign(path->places[step.place].node);
                        e.choice = step.passes_on ? back_passes_on : -1;
                        if (has_detail(step.kind)) {
                            // As the event was written: a back into another tree names it.
                            const path_place& d = path->places[step.detail];
                            if (step.kind == event_kind::back && d.tree_id != e.tree_id) {
                                e.detail.assign(d.tree_id);
                                e.detail += ':';
                                e.detail += d.node;
                            } else {
                                e.detail.assign(d.node);
                            }
                        } else if (step.found) {
                            e.detail.assign(found_by_search);
                        } else {
                            e.detail.clear();
                        }
                        e.outcome.clear();
                        e.priority.clear();
                    }
                    fn(s, std::span<const event>(list.data(), path->steps.size()));
                });
}

log_result log_reader::scan_paths(const log_filter& filter, const session_path_callback& fn, log_part part) const {
    if (!fn) return {false, "no callback was given"};
    session_path from_events;
    return scan(filter, true, part,
                [&](const session_record& s, const session_path* path, std::span<const event> events) {
                    if (path != nullptr) return fn(s, *path);
                    from_events.assign(events);
                    fn(s, from_events);
                });
}

log_result log_reader::scan(const log_filter& filter, bool paths_only, log_part part, const scan_visitor& fn) const {
    const impl& m = *m_impl;
    if (!m.db) return {false, "no session log is open"};
    if (part.count == 0 || part.index >= part.count) return {false, "no such part of the log"};

    // Three ways to give each session its events, none needing a sort, so memory holds
    // one session:
    // - trail (paths only, schema 2): each session's path events are packed in its row;
    //   sessions come in rowid order and only those without a usable trail look theirs up.
    // - merge: sessions in id order beside all events front to back (the events key
    //   starts with the session id). Reads the log sequentially; best when most match.
    // - lookup: sessions in id order, each one's events found by key; for a narrow filter.
    const bool trails = m.reads_trails(paths_only);
    const bool filtered = !filter.tree_id.empty() || !filter.agent.empty() || filter.since_ms || filter.until_ms;
    bool lookup = trails;
    if (filtered && !trails) {
        std::uint64_t matching = 0, all = 0;
        if (auto r = count_sessions(filter, matching); !r) return r;
        if (auto r = count_sessions({}, all); !r) return r;
        lookup = matching * 8 < all;
    }
    db_ptr own;
    if (auto r = m.open_connection(own); !r) return r;
    sqlite3* raw = own.get();
    auto failure = [&](int rc) { return m.read_failure(raw, rc); };

    // With trails, sessions are read in the order they were stored (rowid), which reads
    // the table front to back; id order would visit its pages at random (5x slower on a
    // log larger than SQLite's cache). A part is then a range of rowids, else of ids.
    log_split own_split;
    const log_split* split = part.split;
    if (part.count > 1 && split == nullptr) {
        if (int rc = plan_split(raw, trails, part.count, own_split); rc != SQLITE_OK) return failure(rc);
        split = &own_split;
    }
    std::optional<std::int64_t> row_from, row_to;
    std::optional<std::string> id_from, id_to;
    if (split != nullptr && part.count > 1) {
        const std::size_t starts = trails ? split->row_starts.size() : split->id_starts.size();
        if (split->count != part.count || split->by_row != trails || starts + 1 != part.count)
            return {false, "the log was split for another number of parts or another way of reading"};
        if (trails) {
            if (part.index > 0) row_from = split->row_starts[part.index - 1];
            if (part.index + 1 < part.count) row_to = split->row_starts[part.index];
        } else {
            if (part.index > 0) id_from = split->id_starts[part.index - 1];
            if (part.index + 1 < part.count) id_to = split->id_starts[part.index];
        }
    }
    std::string range_sessions, range_events;
    if (id_from) range_sessions += " AND s.id >= :from", range_events += " AND session_id >= :from";
    if (id_to) range_sessions += " AND s.id < :to", range_events += " AND session_id < :to";
    if (row_from) range_sessions += " AND s.rowid >= :from";
    if (row_to) range_sessions += " AND s.rowid < :to";
    auto bind_range = [&](statement& q) {
        if (id_from) q.bind(q.index(":from"), *id_from);
        if (id_to) q.bind(q.index(":to"), *id_to);
    };

    // The unary + keeps the filters off the tree/agent/date indexes, whose order would
    // need a sort: sessions come through the table itself (trails) or their primary key.
    statement sessions(raw, fmt::format("SELECT {}{} FROM sessions AS s WHERE 1{}{} ORDER BY {}", session_columns(m.has_priority),
                                        trails ? ", s.trail, s.trail_events" : "", filter_sql(filter, true),
                                        range_sessions, trails ? "s.rowid" : "s.id"));
    if (sessions.prepare_rc() != SQLITE_OK) return failure(sessions.prepare_rc());
    bind_filter(sessions, filter);
    bind_range(sessions);
    if (row_from) sessions.bind(sessions.index(":from"), *row_from);
    if (row_to) sessions.bind(sessions.index(":to"), *row_to);
    const std::string columns = paths_only ? path_event_columns : event_columns(m.has_priority);
    statement events(raw, lookup ? fmt::format("SELECT {} FROM events WHERE session_id = ?1 ORDER BY seq", columns)
                                 : fmt::format("SELECT session_id, {} FROM events WHERE 1{} ORDER BY session_id, seq",
                                               columns, range_events));
    if (events.prepare_rc() != SQLITE_OK) return failure(events.prepare_rc());
    if (!lookup) bind_range(events);

    const std::int64_t now = m.options.now != nullptr ? m.options.now->now_ms() : wall_ms();
    // The record and the events are reused from session to session, so their strings keep
    // their buffers: a large log is read without an allocation per row.
    session_record current;
    session_path path;
    std::vector<event> list;
    std::size_t count = 0;
    auto next_slot = [&]() -> event& {
        if (count == list.size()) list.emplace_back();
        return list[count++];
    };
    auto unknown_kind = [&](const statement& q, int at) -> log_result {
        return {false, fmt::format("the session log '{}' has an event of unknown kind '{}' (session {}, event {})",
                                   m.path, q.view(at + 2), current.id, q.int64(at))};
    };

    int ev = lookup ? SQLITE_DONE : events.step();
    int rc = SQLITE_OK;
    while ((rc = sessions.step()) == SQLITE_ROW) {
        read_session(sessions, current);
        mark_if_writer_lost(current, now, m.host, m.options.stale_after_ms);
        count = 0;
        // A trail is used only when it holds exactly the events the row says it does.
        if (trails && decode_trail(sessions.blob(trail_column), path) &&
            static_cast<std::int64_t>(path.steps.size()) == sessions.int64(trail_column + 1)) {
            fn(current, &path, {});
            continue;
        }
        if (lookup) {
            events.reset();
            events.bind(1, current.id);
            while ((ev = events.step()) == SQLITE_ROW) {
                if (!read_event(events, 0, paths_only, next_slot())) return unknown_kind(events, 0);
            }
        } else {
            // Events of sessions left out by the filter (or with no session row) are passed.
            const std::string_view id = current.id;
            while (ev == SQLITE_ROW) {
                const int order = events.view(0).compare(id);
                if (order > 0) break;
                if (order == 0 && !read_event(events, 1, paths_only, next_slot())) return unknown_kind(events, 1);
                ev = events.step();
            }
        }
        if (ev != SQLITE_ROW && ev != SQLITE_DONE) return failure(ev);
        fn(current, nullptr, std::span<const event>(list.data(), count));
    }
    if (rc != SQLITE_DONE) return failure(rc);
    return {};
}

log_result log_reader::count_sessions(const log_filter& filter, std::uint64_t& out) const {
    const impl& m = *m_impl;
    out = 0;
    if (!m.db) return {false, "no session log is open"};
    statement q(m.db.get(), "SELECT count(*) FROM sessions AS s WHERE 1" + filter_sql(filter, false));
    int rc = q.prepare_rc();
    if (rc == SQLITE_OK) {
        bind_filter(q, filter);
        rc = q.step();
        if (rc == SQLITE_ROW) {
            out = static_cast<std::uint64_t>(q.int64(0));
            return {};
        }
    }
    if (is_busy(rc)) return {false, locked_message(m.path)};
    return {false, fmt::format("cannot read the session log '{}': {}", m.path, sqlite_message(m.db.get(), rc))};
}

log_result log_reader::tree_ids(std::vector<std::string>& out) const { return distinct_values("tree_id", out); }

log_result log_reader::agents(std::vector<std::string>& out) const { return distinct_values("agent", out); }

log_result log_reader::distinct_values(const char* column, std::vector<std::string>& out) const {
    const impl& m = *m_impl;
    out.clear();
    if (!m.db) return {false, "no session log is open"};
    statement q(m.db.get(), fmt::format("SELECT DISTINCT {0} FROM sessions ORDER BY {0}", column));
    int rc = q.prepare_rc();
    if (rc == SQLITE_OK) {
        while ((rc = q.step()) == SQLITE_ROW) out.push_back(q.text(0));
        if (rc == SQLITE_DONE) return {};
    }
    out.clear();
    if (is_busy(rc)) return {false, locked_message(m.path)};
    return {false, fmt::format("cannot read the session log '{}': {}", m.path, sqlite_message(m.db.get(), rc))};
}

log_result log_reader::check_integrity() const {
    const impl& m = *m_impl;
    if (!m.db) return {false, "no session log is open"};
    statement q(m.db.get(), "PRAGMA integrity_check");
    if (q.prepare_rc() != SQLITE_OK) return {false, sqlite_message(m.db.get(), q.prepare_rc())};
    std::string problems;
    int rc = SQLITE_OK;
    while ((rc = q.step()) == SQLITE_ROW) {
        std::string line = q.text(0);
        if (line == "ok") continue;
        if (!problems.empty()) problems += '\n';
        problems += line;
    }
    if (rc != SQLITE_DONE) {
        if (is_busy(rc)) return {false, locked_message(m.path)};
        return {false, sqlite_message(m.db.get(), rc)};
    }
    if (!problems.empty()) return {false, problems};
    return {};
}

// [SECTION] log_bulk_writer

namespace {

// One session as the bulk writer keeps it until it is written.
struct bulk_session {
    session_info info;
    std::string id;
    std::vector<event> events;
};

// Rows per multi-row INSERT: one statement per few rows instead of per row.
constexpr int bulk_rows = 8;

// Parameters per event row of event_values_sql.
constexpr int event_params = 10;

std::string event_values_sql(int rows) {
    std::string sql =
        "INSERT OR IGNORE INTO events(session_id, seq, time_ms, kind, tree_id, node, choice, detail, outcome, "
        "priority) VALUES ";
    for (int r = 0; r < rows; ++r) {
        sql += r == 0 ? "(" : ", (";
        for (int c = 1; c <= event_params; ++c)
            sql += fmt::format("{}?{}", c == 1 ? "" : ", ", r * event_params + c);
        sql += ")";
    }
    return sql;
}

// Indexes a new log does not need while it is being filled: built once at the end, by
// sorting, they cost a fraction of keeping them up to date row by row.
constexpr const char* deferred_indexes[] = {"sessions_by_start", "sessions_by_tree", "sessions_by_agent",
                                            "sessions_active", "events_by_node"};

}  // namespace

struct log_bulk_writer::impl {
    std::string path;
    std::size_t batch = 2000;
    const std::string host = host_name();
    const std::int64_t pid = getpid();

    // Filled by the caller's thread.
    bool open_session = false;
    bulk_session current;
    std::vector<bulk_session> filling;

    // Written by a second thread, so running the sessions and writing SQLite overlap.
    // Only that thread touches the connection between open() and finish().
    db_ptr db;
    // After `db`: finalized first.
    std::unique_ptr<statement> insert_session, insert_events, insert_event, unusable_trail;
    bool rebuild_indexes = false;
    std::thread worker;
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<bulk_session> handed;  // the next batch for the worker
    bool has_work = false;
    bool stopping = false;
    std::atomic<bool> failed{false};
    std::string error;  // guarded by `mutex` while the worker runs
    std::atomic<std::uint64_t> sessions{0}, events_written{0};

    ~impl() { stop_worker(); }

    void fail(std::string why) {
        std::lock_guard lock(mutex);
        if (error.empty()) error = std::move(why);
        failed = true;
    }
    std::string sql_error(int rc) const {
        if (is_busy(rc)) return locked_message(path);
        return fmt::format("cannot write to '{}': {}", path, sqlite_message(db.get(), rc));
    }

    // [worker] Writes one batch in one transaction, sorted by session id so the inserts
    // land near each other in the tables' keys.
    void write_batch(std::vector<bulk_session>& work) {
        std::sort(work.begin(), work.end(), [](const bulk_session& a, const bulk_session& b) { return a.id < b.id; });
        int rc = with_retry([&] { return exec(db.get(), "BEGIN IMMEDIATE"); });
        if (rc != SQLITE_OK) return fail(sql_error(rc));
        std::uint64_t rows = 0;
        for (const bulk_session& b : work) {
            rc = write_session(b);
            if (rc != SQLITE_DONE) break;
            rows += b.events.size();
        }
        if (rc == SQLITE_DONE) rc = with_retry([&] { return exec(db.get(), "COMMIT"); }) == SQLITE_OK ? SQLITE_DONE : SQLITE_ERROR;
        if (rc != SQLITE_DONE) {
            std::string why = sql_error(sqlite3_errcode(db.get()));
            rollback_if_open(db.get());
            return fail(why);
        }
        sessions += work.size();
        events_written += rows;
    }

    // The batch being written owns every string bound here until its statements ran.
    static void bind_event(statement& q, int first, const std::string& id, const event& e) {
        q.bind_static(first, id);
        q.bind(first + 1, std::int64_t{e.sequence});
        q.bind(first + 2, e.time_ms);
        q.bind_static(first + 3, kind_name(e.kind));
        q.bind_static(first + 4, e.tree_id);
        q.bind_static(first + 5, e.node);
        if (e.choice >= 0) q.bind(first + 6, std::int64_t{e.choice});
        else q.bind_null(first + 6);
        q.bind_static(first + 7, e.detail);
        if (e.outcome.empty()) q.bind_null(first + 8);
        else q.bind_static(first + 8, e.outcome);
        if (e.priority.empty()) q.bind_null(first + 9);
        else q.bind_static(first + 9, e.priority);
    }

    // [worker] The session row with its final status, then its events.
    int write_session(const bulk_session& b) {
        const event& first = b.events.front();
        const event& last = b.events.back();
        const session_info& info = b.info;
        statement& s = *insert_session;
        s.bind(1, b.id);
        s.bind(2, info.tree_id.empty() ? std::string_view(first.tree_id) : std::string_view(info.tree_id));
        s.bind(3, std::int64_t{info.tree_version});
        s.bind(4, info.tree_hash);
        s.bind(5, !info.agent.empty() || first.kind != event_kind::start ? info.agent : first.detail);
        s.bind(6, info.started_ms != 0 ? info.started_ms : first.time_ms);
        s.bind(11, last.time_ms);
        s.bind(12, host);
        s.bind(13, pid);
        // The end event, with only after-call notes after it.
        const auto end = std::find_if(b.events.rbegin(), b.events.rend(),
                                      [](const event& e) { return e.kind != event_kind::note; });
        if (end != b.events.rend() && end->kind == event_kind::end) {
            auto status = parse_status(end->detail);
            s.bind(7, end->time_ms);
            s.bind(8, status && *status != session_status::active ? std::string_view(end->detail) : "abandoned");
            s.bind_or_null(9, end->outcome);
            s.bind_or_null(10, end->node);
            s.bind_or_null(16, end->priority);
        } else {
            s.bind_null(7);
            s.bind(8, std::string_view("active"));
        }
        const std::string trail = encode_trail(b.events);
        s.bind_blob(14, trail);
        s.bind(15, static_cast<std::int64_t>(b.events.size()));
        int rc = s.run();
        const bool new_row = sqlite3_changes(db.get()) > 0;
        std::size_t stored = 0;
        std::size_t i = 0;
        for (; rc == SQLITE_DONE && i + bulk_rows <= b.events.size(); i += bulk_rows) {
            for (int r = 0; r < bulk_rows; ++r)
                bind_event(*insert_events, r * event_params + 1, b.id, b.events[i + static_cast<std::size_t>(r)]);
            rc = insert_events->run();
            stored += static_cast<std::size_t>(sqlite3_changes(db.get()));
        }
        for (; rc == SQLITE_DONE && i < b.events.size(); ++i) {
            bind_event(*insert_event, 1, b.id, b.events[i]);
            rc = insert_event->run();
            stored += static_cast<std::size_t>(sqlite3_changes(db.get()));
        }
        // The new row's trail holds these events: true only if every one of them was stored
        // (two with one seq: the second is ignored). A row already in the log keeps its
        // trail, which is wrong once any event was added to it (the trigger catches those
        // past its trail_events; this, any gap filled below it).
        const bool trail_wrong = new_row ? stored != b.events.size() : stored > 0;
        if (rc == SQLITE_DONE && trail_wrong) {
            unusable_trail->bind(1, b.id);
            rc = unusable_trail->run();
        }
        return rc;
    }

    void work_loop() {
        std::vector<bulk_session> work;
        for (;;) {
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return has_work || stopping; });
                if (!has_work) return;
                work.swap(handed);
                has_work = false;
            }
            changed.notify_all();  // the caller may hand over the next batch while this one is written
            if (!failed) write_batch(work);
            work.clear();
        }
    }

    // [caller] Gives the filled batch to the worker, waiting while it still has one.
    void hand_over() {
        if (filling.empty()) return;
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return !has_work; });
            handed.swap(filling);
            has_work = true;
        }
        changed.notify_all();
        filling.clear();
    }

    void stop_worker() {
        if (!worker.joinable()) return;
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        changed.notify_all();
        worker.join();
        stopping = false;
    }

    // [caller] Keeps the session being recorded for the next batch.
    void store() {
        if (!open_session) return;
        open_session = false;
        if (current.events.empty() || failed || !worker.joinable()) {
            current.events.clear();
            return;
        }
        filling.push_back(std::move(current));
        current = {};
        if (filling.size() >= batch) hand_over();
    }

    void begin(const session_info& i) {
        store();
        current.info = i;
        current.id = i.id.empty() ? new_session_id() : i.id;
        current.events.clear();
        open_session = true;
    }

    // [caller, worker stopped] Builds the indexes left out while filling a new log.
    void finish_indexes() {
        if (!db || !rebuild_indexes || failed) return;
        rebuild_indexes = false;
        int rc = with_retry([&] {
            int r = exec(db.get(), "BEGIN IMMEDIATE");
            if (r != SQLITE_OK) return r;
            r = exec(db.get(), schema_sql);
            if (r == SQLITE_OK) r = exec(db.get(), "COMMIT");
            if (r != SQLITE_OK) rollback_if_open(db.get());
            return r;
        });
        if (rc != SQLITE_OK) fail(sql_error(rc));
    }
};

log_bulk_writer::log_bulk_writer() : m_impl(std::make_unique<impl>()) {}

log_bulk_writer::~log_bulk_writer() { (void)finish(); }

log_result log_bulk_writer::open(const std::string& path) {
    impl& m = *m_impl;
    (void)finish();
    m.insert_session.reset();
    m.insert_events.reset();
    m.insert_event.reset();
    m.unusable_trail.reset();
    m.db.reset();
    m.path = path;
    m.error.clear();
    m.failed = false;
    m.sessions = 0;
    m.events_written = 0;
    db_ptr db;
    if (auto err = open_writable(path, 5000, db); !err.empty()) return {false, err};
    // Generated data can be made again, so each commit is not fsynced; a large page cache
    // keeps the randomly ordered session ids from turning inserts into disk reads.
    exec(db.get(), "PRAGMA synchronous = OFF");
    exec(db.get(), "PRAGMA cache_size = -262144");
    auto session_sql = std::make_unique<statement>(
        db.get(),
        "INSERT OR IGNORE INTO sessions(id, tree_id, tree_version, tree_hash, agent, started_ms, ended_ms, status, "
        "outcome, end_node, last_event_ms, host, pid, trail, trail_events, priority) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
        "CASE WHEN EXISTS (SELECT 1 FROM events WHERE session_id = ?1) THEN x'00' ELSE ?14 END, ?15, ?16)");
    auto unusable_trail_sql =
        std::make_unique<statement>(db.get(), "UPDATE sessions SET trail = x'00' WHERE id = ?1");
    auto events_sql = std::make_unique<statement>(db.get(), event_values_sql(bulk_rows));
    auto event_sql = std::make_unique<statement>(db.get(), event_values_sql(1));
    for (const statement* s : {session_sql.get(), events_sql.get(), event_sql.get(), unusable_trail_sql.get()}) {
        if (s->prepare_rc() != SQLITE_OK)
            return {false, fmt::format("cannot use the session log '{}': {}", path,
                                       sqlite_message(db.get(), s->prepare_rc()))};
    }
    // A log with no sessions yet is being made: its secondary indexes are built at the end.
    {
        statement any(db.get(), "SELECT 1 FROM sessions LIMIT 1");
        if (any.prepare_rc() == SQLITE_OK && any.step() == SQLITE_DONE) {
            int rc = SQLITE_OK;
            for (const char* index : deferred_indexes) {
                rc = exec(db.get(), fmt::format("DROP INDEX IF EXISTS {}", index).c_str());
                if (rc != SQLITE_OK) break;
            }
            if (rc != SQLITE_OK)
                return {false, fmt::format("cannot prepare '{}' for writing: {}", path, sqlite_message(db.get(), rc))};
            m.rebuild_indexes = true;
        }
    }
    m.db = std::move(db);
    m.insert_session = std::move(session_sql);
    m.insert_events = std::move(events_sql);
    m.insert_event = std::move(event_sql);
    m.unusable_trail = std::move(unusable_trail_sql);
    m.worker = std::thread([&m] { m.work_loop(); });
    return {};
}

void log_bulk_writer::set_batch_sessions(std::size_t n) { m_impl->batch = std::max<std::size_t>(n, 1); }

std::string log_bulk_writer::begin_session(const session_info& info) {
    m_impl->begin(info);
    return m_impl->current.id;
}

void log_bulk_writer::on_event(const event& e) {
    impl& m = *m_impl;
    // As log_writer: a start without begin_session (or while another session is open)
    // starts a session from what the event says.
    if (!m.open_session || (e.kind == event_kind::start && !m.current.events.empty())) {
        session_info auto_info;
        auto_info.tree_id = e.tree_id;
        auto_info.tree_version = 0;
        m.begin(auto_info);
    }
    // Kept open past its end: after-call notes may follow. The next session or finish() stores it.
    m.current.events.push_back(e);
}

void log_bulk_writer::add_session(const session_info& info, std::vector<event> events) {
    impl& m = *m_impl;
    m.begin(info);
    m.current.events = std::move(events);
    m.store();
}

log_result log_bulk_writer::finish() {
    impl& m = *m_impl;
    if (!m.worker.joinable()) {
        if (!m.error.empty()) return {false, m.error};
        if (!m.db) return {false, "no session log was opened"};
        return {};
    }
    m.store();
    m.hand_over();
    m.stop_worker();
    m.finish_indexes();
    if (!m.error.empty()) return {false, m.error};
    return {};
}

const std::string& log_bulk_writer::error() const { return m_impl->error; }
std::uint64_t log_bulk_writer::sessions_written() const { return m_impl->sessions; }
std::uint64_t log_bulk_writer::events_written() const { return m_impl->events_written; }

}  // namespace signpost
