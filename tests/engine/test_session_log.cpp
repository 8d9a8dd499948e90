// The SQLite session log: writer, spill file, reader, crash recovery.

#include "signpost/session_log.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "signpost/clock.hpp"
#include "signpost/load.hpp"
#include "signpost/session.hpp"

namespace fs = std::filesystem;
using namespace signpost;

namespace {

constexpr std::int64_t t0 = 1'700'000'000'000;  // a fixed "now" for recorded times

// A fresh folder, removed afterwards. World-writable so the test can act as an
// unprivileged user inside it (see as_unprivileged).
struct temp_dir {
    fs::path path;
    temp_dir() {
        std::string tmpl = (fs::temp_directory_path() / "signpost-log-XXXXXX").string();
        REQUIRE(mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
        fs::permissions(path, fs::perms::all);
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

// Root ignores file permissions, so a read-only file is only read-only to another user:
// for root, this drops the file-system identity of the calling thread to "nobody".
struct as_unprivileged {
    bool dropped = false;
    as_unprivileged() {
        if (geteuid() == 0) {
            setfsuid(65534);
            dropped = true;
        }
    }
    ~as_unprivileged() {
        if (dropped) setfsuid(0);
    }
};

event make_event(event_kind kind, int seq, std::int64_t time, std::string node, int choice = -1,
                 std::string detail = "", std::string outcome = "", std::string tree = "outage") {
    event e;
    e.kind = kind;
    e.sequence = seq;
    e.time_ms = time;
    e.tree_id = std::move(tree);
    e.node = std::move(node);
    e.choice = choice;
    e.detail = std::move(detail);
    e.outcome = std::move(outcome);
    return e;
}

// A short call: start, two nodes, a choice, a field, a note, end (completed).
std::vector<event> sample_call(std::int64_t start, const std::string& agent = "ana") {
    return {
        make_event(event_kind::start, 0, start, "power", -1, agent),
        make_event(event_kind::enter, 1, start, "power"),
        make_event(event_kind::choose, 2, start + 1000, "power", 1, "No"),
        make_event(event_kind::enter, 3, start + 1000, "fixed"),
        make_event(event_kind::field, 4, start + 1500, "fixed", -1, "account=12345678"),
        make_event(event_kind::note, 5, start + 1600, "fixed", -1, "tab\there\nnew line \\ done"),
        make_event(event_kind::end, 6, start + 2000, "fixed", -1, "completed", "resolved"),
    };
}

session_info sample_info(std::int64_t start, const std::string& agent = "ana") {
    session_info info;
    info.tree_id = "outage";
    info.tree_version = 3;
    info.tree_hash = content_hash("<tree/>");
    info.agent = agent;
    info.started_ms = start;
    return info;
}

log_filter filter(std::string tree, std::string agent = "", std::optional<std::int64_t> since = std::nullopt,
                  std::optional<std::int64_t> until = std::nullopt) {
    log_filter f;
    f.tree_id = std::move(tree);
    f.agent = std::move(agent);
    f.since_ms = since;
    f.until_ms = until;
    return f;
}

log_read_options at(signpost::clock* now, std::int64_t stale_after_ms) {
    log_read_options o;
    o.now = now;
    o.stale_after_ms = stale_after_ms;
    return o;
}

struct read_back {
    std::vector<session_record> sessions;
    std::vector<std::vector<event>> events;
};

read_back read_log(const std::string& path, const log_filter& filter = {}, log_read_options options = {}) {
    log_reader reader;
    auto opened = reader.open(path, options);
    REQUIRE_MESSAGE(opened, opened.error);
    read_back out;
    auto done = reader.for_each_session(filter, [&](const session_record& s, const std::vector<event>& ev) {
        out.sessions.push_back(s);
        out.events.push_back(ev);
    });
    REQUIRE_MESSAGE(done, done.error);
    return out;
}

// Rows of a query on the file itself, NULL shown as "NULL", so the stored form is checked
// independently of log_reader.
std::vector<std::vector<std::string>> raw_query(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    REQUIRE_MESSAGE(rc == SQLITE_OK, sqlite3_errmsg(db));
    std::vector<std::vector<std::string>> rows;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int i = 0; i < sqlite3_column_count(st); ++i) {
            const auto* text = sqlite3_column_text(st, i);
            row.emplace_back(text ? reinterpret_cast<const char*>(text) : "NULL");
        }
        rows.push_back(std::move(row));
    }
    CHECK_MESSAGE(rc == SQLITE_DONE, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
}

void raw_exec(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    CHECK_MESSAGE(rc == SQLITE_OK, (err ? err : ""));
    sqlite3_free(err);
    sqlite3_close(db);
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void check_same_events(const std::vector<event>& got, const std::vector<event>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        CAPTURE(i);
        CHECK(got[i].kind == want[i].kind);
        CHECK(got[i].sequence == want[i].sequence);
        CHECK(got[i].time_ms == want[i].time_ms);
        CHECK(got[i].tree_id == want[i].tree_id);
        CHECK(got[i].node == want[i].node);
        CHECK(got[i].choice == want[i].choice);
        CHECK(got[i].detail == want[i].detail);
        CHECK(got[i].outcome == want[i].outcome);
        CHECK(got[i].priority == want[i].priority);
    }
}

}  // namespace

TEST_CASE("log: content hash is FNV-1a 64 and session ids are UUID-like and distinct") {
    CHECK(content_hash("") == "cbf29ce484222325");
    CHECK(content_hash("a") == "af63dc4c8601ec8c");
    CHECK(content_hash("foobar") == "85944171f73967e8");
    CHECK(content_hash("<tree id=\"a\"/>") != content_hash("<tree id=\"b\"/>"));

    std::string a = new_session_id(), b = new_session_id();
    CHECK(a != b);
    REQUIRE(a.size() == 36);
    CHECK(a[8] == '-');
    CHECK(a[13] == '-');
    CHECK(a[14] == '4');
    CHECK(a[23] == '-');
    CHECK(std::string("89ab").find(a[19]) != std::string::npos);
}

TEST_CASE("log: default path honours XDG_DATA_HOME, else ~/.local/share") {
    std::string old_xdg = std::getenv("XDG_DATA_HOME") ? std::getenv("XDG_DATA_HOME") : "";
    std::string old_home = std::getenv("HOME") ? std::getenv("HOME") : "";
    bool had_xdg = std::getenv("XDG_DATA_HOME") != nullptr;

    setenv("XDG_DATA_HOME", "/data/me", 1);
    CHECK(default_log_path() == "/data/me/signpost/sessions.db");
    setenv("XDG_DATA_HOME", "relative/ignored", 1);
    setenv("HOME", "/home/agent", 1);
    CHECK(default_log_path() == "/home/agent/.local/share/signpost/sessions.db");
    unsetenv("XDG_DATA_HOME");
    CHECK(default_log_path() == "/home/agent/.local/share/signpost/sessions.db");

    if (had_xdg) setenv("XDG_DATA_HOME", old_xdg.c_str(), 1);
    setenv("HOME", old_home.c_str(), 1);
}

TEST_CASE("log: each event is committed as it happens and read back exactly") {
    temp_dir dir;
    const std::string db = dir.file("deep/er/sessions.db");  // folders are created
    log_writer writer;
    auto opened = writer.open(db);
    REQUIRE_MESSAGE(opened, opened.error);
    CHECK(writer.warning().empty());

    std::string id = writer.begin_session(sample_info(t0));
    CHECK(id == writer.session_id());
    auto call = sample_call(t0);

    writer.on_event(call[0]);
    writer.on_event(call[1]);
    // Another connection sees them already: nothing waits for the end of the call.
    {
        auto mid = read_log(db);
        REQUIRE(mid.sessions.size() == 1);
        CHECK(mid.events[0].size() == 2);
        // Its writer (this process) is alive and, by this clock, wrote 10 ms ago.
        manual_clock now(t0 + 10);
        auto fresh = read_log(db, {}, at(&now, 60'000));
        CHECK(fresh.sessions[0].status == session_status::active);
        CHECK_FALSE(fresh.sessions[0].writer_lost);
    }
    for (std::size_t i = 2; i < call.size(); ++i) writer.on_event(call[i]);
    CHECK(writer.warning().empty());
    CHECK_FALSE(fs::exists(writer.spill_path()));

    auto rows = raw_query(db,
                          "SELECT id, tree_id, tree_version, tree_hash, agent, started_ms, ended_ms, status, "
                          "outcome, end_node, last_event_ms, host, pid FROM sessions");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][0] == id);
    CHECK(rows[0][1] == "outage");
    CHECK(rows[0][2] == "3");
    CHECK(rows[0][3] == content_hash("<tree/>"));
    CHECK(rows[0][4] == "ana");
    CHECK(rows[0][5] == std::to_string(t0));
    CHECK(rows[0][6] == std::to_string(t0 + 2000));
    CHECK(rows[0][7] == "completed");
    CHECK(rows[0][8] == "resolved");
    CHECK(rows[0][9] == "fixed");
    CHECK(rows[0][10] == std::to_string(t0 + 2000));
    CHECK_FALSE(rows[0][11].empty());
    CHECK(rows[0][12] == std::to_string(getpid()));

    auto events = raw_query(db, "SELECT seq, kind, node, choice, detail, outcome FROM events ORDER BY seq");
    REQUIRE(events.size() == 7);
    CHECK(events[0] == std::vector<std::string>{"0", "start", "power", "NULL", "ana", "NULL"});
    CHECK(events[2] == std::vector<std::string>{"2", "choose", "power", "1", "No", "NULL"});
    CHECK(events[6] == std::vector<std::string>{"6", "end", "fixed", "NULL", "completed", "resolved"});

    auto back = read_log(db);
    REQUIRE(back.sessions.size() == 1);
    const session_record& s = back.sessions[0];
    CHECK(s.id == id);
    CHECK(s.tree_version == 3);
    CHECK(s.status == session_status::completed);
    CHECK(s.ended_ms == t0 + 2000);
    CHECK(s.outcome == "resolved");
    CHECK(s.end_node == "fixed");
    check_same_events(back.events[0], call);

    CHECK(raw_query(db, "PRAGMA journal_mode")[0][0] == "wal");
    CHECK(raw_query(db, "SELECT value FROM meta WHERE key = 'application'")[0][0] == "signpost");
    CHECK(raw_query(db, "SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == "3");

    log_reader reader;
    REQUIRE(reader.open(db));
    CHECK(reader.schema_version() == log_schema_version);
    auto integrity = reader.check_integrity();
    CHECK_MESSAGE(integrity, integrity.error);
}

TEST_CASE("log: reopening appends, sessions come back in start order and filter") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    {
        log_writer w;
        REQUIRE(w.open(db));
        w.begin_session(sample_info(t0 + 50'000, "bo"));
        for (const auto& e : sample_call(t0 + 50'000, "bo")) w.on_event(e);
    }
    {
        log_writer w;
        REQUIRE(w.open(db));  // existing log: schema kept
        w.begin_session(sample_info(t0, "ana"));
        for (const auto& e : sample_call(t0, "ana")) w.on_event(e);
        // A start without begin_session starts a session from the event itself.
        auto other = sample_call(t0 + 90'000, "cy");
        for (auto& e : other) e.tree_id = "billing";
        for (const auto& e : other) w.on_event(e);
        CHECK(w.warning().empty());
    }
    auto all = read_log(db);
    REQUIRE(all.sessions.size() == 3);
    CHECK(all.sessions[0].agent == "ana");
    CHECK(all.sessions[1].agent == "bo");
    CHECK(all.sessions[2].agent == "cy");  // from the start event's detail
    CHECK(all.sessions[2].tree_id == "billing");
    CHECK(all.sessions[2].tree_version == 0);
    CHECK(all.sessions[2].started_ms == t0 + 90'000);
    for (const auto& ev : all.events) CHECK(ev.size() == 7);

    CHECK(read_log(db, filter("billing")).sessions.size() == 1);
    CHECK(read_log(db, filter("outage")).sessions.size() == 2);
    CHECK(read_log(db, filter("nope")).sessions.empty());
    auto bo = read_log(db, filter("", "bo"));
    REQUIRE(bo.sessions.size() == 1);
    CHECK(bo.sessions[0].agent == "bo");
    auto range = read_log(db, filter("", "", t0 + 1, t0 + 90'000));
    REQUIRE(range.sessions.size() == 1);
    CHECK(range.sessions[0].agent == "bo");
    CHECK(read_log(db, filter("outage", "ana", t0, t0 + 1)).sessions.size() == 1);
    CHECK(read_log(db, filter("outage", "ana", t0 + 1)).sessions.empty());
}

TEST_CASE("log: the stream query needs no sort of the whole log") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    {
        log_writer w;
        REQUIRE(w.open(db));
    }
    // Same shape as log_reader's query: a full "USE TEMP B-TREE FOR ORDER BY" would mean
    // SQLite buffers every row before the first callback.
    for (std::string where : {"", " WHERE s.tree_id = 'x'", " WHERE s.agent = 'x' AND s.started_ms >= 5"}) {
        auto plan = raw_query(db,
                              "EXPLAIN QUERY PLAN SELECT s.id, e.seq FROM sessions AS s LEFT JOIN events AS e "
                              "ON e.session_id = s.id" +
                                  where + " ORDER BY s.started_ms, s.id, e.seq");
        for (const auto& row : plan) {
            CAPTURE(where);
            CHECK(row.back().find("TEMP B-TREE FOR ORDER BY") == std::string::npos);
        }
    }
}

TEST_CASE("log: concurrent writers on one database each keep every event") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    constexpr int threads = 4, calls = 5;
    std::atomic<int> failures{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            log_writer w;
            if (!w.open(db)) ++failures;
            for (int c = 0; c < calls; ++c) {
                std::int64_t start = t0 + (t * calls + c) * 10'000;
                w.begin_session(sample_info(start, "agent" + std::to_string(t)));
                for (const auto& e : sample_call(start, "agent" + std::to_string(t))) {
                    w.on_event(e);
                    if (!w.warning().empty()) ++failures;
                }
            }
        });
    }
    for (auto& th : pool) th.join();
    CHECK(failures == 0);
    CHECK_FALSE(fs::exists(db + ".spill"));

    auto all = read_log(db);
    REQUIRE(all.sessions.size() == threads * calls);
    for (std::size_t i = 0; i < all.sessions.size(); ++i) {
        CHECK(all.sessions[i].started_ms == t0 + static_cast<std::int64_t>(i) * 10'000);
        CHECK(all.sessions[i].status == session_status::completed);
        check_same_events(all.events[i], sample_call(all.sessions[i].started_ms, all.sessions[i].agent));
    }
    CHECK(raw_query(db, "SELECT count(*) FROM events")[0][0] == std::to_string(threads * calls * 7));
    CHECK(raw_query(db, "PRAGMA integrity_check")[0][0] == "ok");
}

TEST_CASE("log: a read-only database spills, and replay adds everything and removes the spill") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    {
        log_writer first;
        REQUIRE(first.open(db));
    }
    fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);

    log_writer w;
    auto call = sample_call(t0);
    {
        as_unprivileged user;
        auto opened = w.open(db);
        CHECK_FALSE(opened);
        CHECK(opened.error.find("read-only") != std::string::npos);
        CHECK(w.warning().find("read-only") != std::string::npos);
        w.begin_session(sample_info(t0));
        for (const auto& e : call) w.on_event(e);  // never throws, never stops
    }
    CHECK(w.warning().find(w.spill_path()) != std::string::npos);
    CHECK(w.unsaved_rows() == 0);
    REQUIRE(fs::exists(db + ".spill"));
    std::string spill = slurp(db + ".spill");
    CHECK(std::count(spill.begin(), spill.end(), '\n') == 8);  // the session row + 7 events
    CHECK(raw_query(db, "SELECT count(*) FROM events")[0][0] == "0");

    fs::permissions(db, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read);
    auto replayed = w.replay_spill();
    CHECK_MESSAGE(replayed, replayed.error);
    CHECK(w.warning().empty());
    CHECK_FALSE(fs::exists(db + ".spill"));
    auto back = read_log(db);
    REQUIRE(back.sessions.size() == 1);
    CHECK(back.sessions[0].status == session_status::completed);
    CHECK(back.sessions[0].agent == "ana");
    check_same_events(back.events[0], call);

    // Replaying again (say a spill copy reappears) changes nothing.
    std::ofstream(db + ".spill", std::ios::binary) << spill;
    REQUIRE(w.replay_spill());
    CHECK(raw_query(db, "SELECT count(*) FROM events")[0][0] == "7");
    CHECK(raw_query(db, "PRAGMA integrity_check")[0][0] == "ok");
}

TEST_CASE("log: while spilling, new events queue behind the spill, the next open replays it") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    fs::create_directory(db);  // a folder where the database should be: cannot be opened

    auto call = sample_call(t0);
    {
        log_writer w;
        auto opened = w.open(db);
        CHECK_FALSE(opened);
        CHECK_FALSE(w.warning().empty());
        w.begin_session(sample_info(t0));
        for (std::size_t i = 0; i < 4; ++i) w.on_event(call[i]);
        CHECK(fs::exists(db + ".spill"));

        // The log becomes available mid-call: the next event brings the spilled ones in first.
        fs::remove(db);
        for (std::size_t i = 4; i < call.size(); ++i) w.on_event(call[i]);
        CHECK(w.warning().empty());
        CHECK_FALSE(fs::exists(db + ".spill"));
    }
    auto back = read_log(db);
    REQUIRE(back.sessions.size() == 1);
    CHECK(back.sessions[0].status == session_status::completed);
    check_same_events(back.events[0], call);

    // A spill left by an earlier run is added by the next open.
    const std::string db2 = dir.file("second.db");
    fs::create_directory(db2);
    {
        log_writer w;
        CHECK_FALSE(w.open(db2));
        w.begin_session(sample_info(t0));
        for (const auto& e : call) w.on_event(e);
    }
    fs::remove(db2);
    {
        log_writer w;
        auto opened = w.open(db2);
        CHECK_MESSAGE(opened, opened.error);
        CHECK_FALSE(fs::exists(db2 + ".spill"));
    }
    check_same_events(read_log(db2).events.at(0), call);
}

TEST_CASE("log: when even the spill cannot be written, rows stay in memory with a warning") {
    temp_dir dir;
    std::ofstream(dir.file("not-a-folder")) << "x";
    const std::string db = dir.file("not-a-folder/sessions.db");
    log_writer w;
    CHECK_FALSE(w.open(db));
    w.begin_session(sample_info(t0));
    auto call = sample_call(t0);
    for (const auto& e : call) w.on_event(e);
    CHECK(w.unsaved_rows() == 8);
    CHECK(w.warning().find("memory") != std::string::npos);
    CHECK(w.warning().find("8 records") != std::string::npos);

    // Pointed at a usable log, the held rows are written.
    const std::string good = dir.file("good.db");
    REQUIRE(w.open(good));
    CHECK(w.unsaved_rows() == 0);
    CHECK(w.warning().empty());
    check_same_events(read_log(good).events.at(0), call);
}

TEST_CASE("log: a corrupted database is refused by the writer (spill) and the reader") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    std::ofstream(db, std::ios::binary) << std::string(8192, '\x5a');
    log_writer w;
    auto opened = w.open(db);
    CHECK_FALSE(opened);
    CHECK(opened.error.find("not an SQLite database") != std::string::npos);
    w.on_event(sample_call(t0)[0]);
    CHECK(fs::exists(db + ".spill"));
    CHECK(slurp(db) == std::string(8192, '\x5a'));  // untouched

    log_reader reader;
    auto read = reader.open(db);
    CHECK_FALSE(read);
    CHECK(read.error.find("not an SQLite database") != std::string::npos);
}

TEST_CASE("log: the reader refuses files that are not Signpost logs, with clear messages") {
    temp_dir dir;
    log_reader reader;

    auto missing = reader.open(dir.file("none.db"));
    CHECK_FALSE(missing);
    CHECK(missing.error.find("no such file") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.file("none.db")));  // read-only: nothing created

    std::ofstream(dir.file("notes.txt")) << "Dear diary, today the router blinked.\n";
    auto text = reader.open(dir.file("notes.txt"));
    CHECK_FALSE(text);
    CHECK(text.error.find("not an SQLite database") != std::string::npos);

    const std::string foreign = dir.file("foreign.db");
    raw_exec(foreign, "CREATE TABLE recipes(name TEXT); CREATE TABLE meta(key TEXT, value TEXT);");
    auto other = reader.open(foreign);
    CHECK_FALSE(other);
    CHECK(other.error.find("not a Signpost session log") != std::string::npos);
    // The writer does not move into someone else's database either.
    log_writer w;
    CHECK_FALSE(w.open(foreign));
    CHECK(raw_query(foreign, "SELECT count(*) FROM sqlite_master WHERE name = 'sessions'")[0][0] == "0");

    const std::string empty = dir.file("empty.db");
    std::ofstream(empty).flush();
    auto nothing = reader.open(empty);
    CHECK_FALSE(nothing);
    CHECK(nothing.error.find("not a Signpost session log") != std::string::npos);

    const std::string newer = dir.file("newer.db");
    {
        log_writer nw;
        REQUIRE(nw.open(newer));
    }
    raw_exec(newer, "UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    auto future = reader.open(newer);
    CHECK_FALSE(future);
    CHECK(future.error.find("newer Signpost") != std::string::npos);
    CHECK(future.error.find("99") != std::string::npos);
    log_writer nw;
    CHECK_FALSE(nw.open(newer));

    auto folder = reader.open(dir.path.string());
    CHECK_FALSE(folder);
    CHECK(folder.error.find("folder") != std::string::npos);
}

TEST_CASE("log: a locked database gives a clear message") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    {
        log_writer w;
        REQUIRE(w.open(db));
    }
    sqlite3* holder = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &holder) == SQLITE_OK);
    // Exclusive locking mode keeps even readers out until this connection closes.
    REQUIRE(sqlite3_exec(holder, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; "
                                 "UPDATE meta SET value = value WHERE key = 'application'; COMMIT;",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    log_reader reader;
    log_read_options quick;
    quick.busy_timeout_ms = 50;
    auto opened = reader.open(db, quick);
    CHECK_FALSE(opened);
    CHECK(opened.error.find("locked") != std::string::npos);
    sqlite3_close(holder);
    CHECK(reader.open(db));
}

TEST_CASE("log: an active session whose writer is gone reads as abandoned") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    log_writer w;
    REQUIRE(w.open(db));
    w.begin_session(sample_info(t0));
    auto call = sample_call(t0);
    for (std::size_t i = 0; i < 4; ++i) w.on_event(call[i]);  // no end: the call is on

    manual_clock now(t0 + 60'000);
    const log_read_options options = at(&now, 3'600'000);
    auto live = read_log(db, {}, options);
    REQUIRE(live.sessions.size() == 1);
    CHECK(live.sessions[0].status == session_status::active);
    CHECK_FALSE(live.sessions[0].ended_ms);

    // Silent for longer than any call lasts.
    now.set(t0 + 1000 + 3'600'001);
    auto silent = read_log(db, {}, options);
    CHECK(silent.sessions[0].status == session_status::abandoned);
    CHECK(silent.sessions[0].writer_lost);
    CHECK(silent.sessions[0].ended_ms == t0 + 1000);
    CHECK(silent.events[0].size() == 4);

    // Recent, but its process no longer exists on this machine.
    now.set(t0 + 60'000);
    raw_exec(db, "UPDATE sessions SET pid = 2147483647");
    auto dead = read_log(db, {}, options);
    CHECK(dead.sessions[0].status == session_status::abandoned);
    CHECK(dead.sessions[0].writer_lost);
    // On another machine the pid means nothing: only silence counts there.
    raw_exec(db, "UPDATE sessions SET host = 'elsewhere.invalid'");
    CHECK(read_log(db, {}, options).sessions[0].status == session_status::active);
    // Any int64 in the file: the silence is measured without overflow (found by
    // fuzz_session_log; the REAL below reads as the int64 minimum).
    raw_exec(db, "UPDATE sessions SET last_event_ms = -9223372036854775807 - 1");
    CHECK(read_log(db, {}, options).sessions[0].status == session_status::abandoned);
    raw_exec(db, "UPDATE sessions SET ended_ms = NULL, last_event_ms = -92233720368547758080");
    CHECK(read_log(db, {}, options).sessions[0].status == session_status::abandoned);
    raw_exec(db, "UPDATE sessions SET last_event_ms = 9223372036854775807");
    CHECK(read_log(db, {}, options).sessions[0].status == session_status::active);
    // The stored row is never changed by reading.
    CHECK(raw_query(db, "SELECT status FROM sessions")[0][0] == "active");
}

TEST_CASE("log: events survive the writer being killed, and the session reads as abandoned") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    auto call = sample_call(t0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        log_writer w;
        if (!w.open(db)) _exit(2);
        w.begin_session(sample_info(t0));
        for (std::size_t i = 0; i < 5; ++i) w.on_event(call[i]);
        kill(getpid(), SIGKILL);  // no destructor, no close, no checkpoint
        _exit(3);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);

    manual_clock now(t0 + 2000);  // recent: only the dead process tells
    auto back = read_log(db, {}, at(&now, 3'600'000));
    REQUIRE(back.sessions.size() == 1);
    CHECK(back.sessions[0].status == session_status::abandoned);
    CHECK(back.sessions[0].writer_lost);
    CHECK(back.sessions[0].pid == child);
    check_same_events(back.events[0], std::vector<event>(call.begin(), call.begin() + 5));
    CHECK(raw_query(db, "PRAGMA integrity_check")[0][0] == "ok");
}

TEST_CASE("log: a session left open by its writer is closed as abandoned") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    auto call = sample_call(t0);
    {
        log_writer w;
        REQUIRE(w.open(db));
        w.begin_session(sample_info(t0));
        for (std::size_t i = 0; i < 3; ++i) w.on_event(call[i]);
        // The next call begins without the first having ended.
        w.begin_session(sample_info(t0 + 10'000));
        for (std::size_t i = 0; i < 2; ++i) w.on_event(sample_call(t0 + 10'000)[i]);
    }  // and the writer goes away mid-call
    auto rows = raw_query(db, "SELECT status, ended_ms, end_node FROM sessions ORDER BY started_ms");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0] == std::vector<std::string>{"abandoned", std::to_string(t0 + 1000), "power"});
    CHECK(rows[1] == std::vector<std::string>{"abandoned", std::to_string(t0 + 10'000), "power"});
}

TEST_CASE("log: unreadable spill lines are skipped with a warning, good ones replayed") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    fs::create_directory(db);
    {
        log_writer w;
        CHECK_FALSE(w.open(db));
        w.begin_session(sample_info(t0));
        for (const auto& e : sample_call(t0)) w.on_event(e);
    }
    fs::remove(db);
    {
        std::ofstream spill(db + ".spill", std::ios::app | std::ios::binary);
        spill << "E\tgarbage\n"         // wrong field count
              << "Q\tx\ty\n"            // unknown record
              << "E\tid\t1\t2\tst";     // torn: the writer died mid-line
    }
    log_writer w;
    auto opened = w.open(db);
    CHECK_MESSAGE(opened, opened.error);
    CHECK(w.warning().find("3 unreadable lines") != std::string::npos);
    CHECK_FALSE(fs::exists(db + ".spill"));
    check_same_events(read_log(db).events.at(0), sample_call(t0));
}

TEST_CASE("log: concurrent writers lose nothing while the log comes back mid-call") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    fs::create_directory(db);  // unopenable at first: everyone spills into one file
    constexpr int threads = 4, steps = 60;
    std::atomic<int> written{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            log_writer w;
            (void)w.open(db);
            std::int64_t start = t0 + t * 1'000'000;
            w.begin_session(sample_info(start));
            w.on_event(make_event(event_kind::start, 0, start, "power", -1, "ana"));
            for (int i = 1; i < steps; ++i) {
                w.on_event(make_event(event_kind::enter, i, start + i, "n" + std::to_string(i)));
                ++written;
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            w.on_event(make_event(event_kind::end, steps, start + steps, "fixed", -1, "completed", "resolved"));
        });
    }
    while (written < threads * steps / 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    fs::remove(db);  // now the writers replay the shared spill while others still append
    for (auto& th : pool) th.join();
    {
        log_writer last;  // picks up whatever a writer that finished early left spilled
        auto opened = last.open(db);
        CHECK_MESSAGE(opened, opened.error);
    }
    CHECK_FALSE(fs::exists(db + ".spill"));
    auto all = read_log(db);
    REQUIRE(all.sessions.size() == threads);
    for (std::size_t i = 0; i < all.sessions.size(); ++i) {
        CAPTURE(i);
        CHECK(all.sessions[i].status == session_status::completed);
        REQUIRE(all.events[i].size() == steps + 1);
        for (int s = 0; s <= steps; ++s) CHECK(all.events[i][static_cast<std::size_t>(s)].sequence == s);
    }
}

TEST_CASE("log: a writer waiting on the spill lock notices the file was replayed away") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    fs::create_directory(db);
    const std::string spill = db + ".spill";
    std::ofstream(spill).flush();
    int held = ::open(spill.c_str(), O_RDONLY);
    REQUIRE(held >= 0);
    REQUIRE(flock(held, LOCK_EX) == 0);  // as a replaying writer would

    log_writer w;
    (void)w.open(db);
    std::thread writer([&] { w.on_event(make_event(event_kind::start, 0, t0, "power", -1, "ana")); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let it block on the lock
    fs::remove(spill);  // the "replayer" finished and removed the file
    ::close(held);
    writer.join();

    // Had it appended to the removed file, the rows would be gone.
    REQUIRE(fs::exists(spill));
    std::string text = slurp(spill);
    CHECK(std::count(text.begin(), text.end(), '\n') == 2);  // session row + start event
}

namespace {

// Passes events to the log and keeps a copy of exactly what the runtime emitted.
struct tee_sink final : event_sink {
    log_writer& log;
    std::vector<event> seen;
    explicit tee_sink(log_writer& w) : log(w) {}
    void on_event(const event& e) override {
        seen.push_back(e);
        log.on_event(e);
    }
};

constexpr const char* outage_xml = R"(<tree format="1" id="outage" version="3" title="Outage" start="power">
  <variables>
    <variable name="account" type="text" label="Account number"/>
  </variables>
  <question id="power" title="Router power light">
    <text>Is the power light on?</text>
    <choice to="fixed">Yes, it is lit</choice>
    <choice to="acct">No</choice>
  </question>
  <form id="acct" to="tier2">
    <field var="account" required="true" pattern="[0-9]{8}"/>
  </form>
  <escalate id="tier2" team="Network Tier 2" priority="high"><text>Account {account}.</text></escalate>
  <end id="fixed" outcome="resolved"><text>Thank the customer.</text></end>
</tree>
)";

}  // namespace

TEST_CASE("log: a real session driven through a loaded tree is stored event for event") {
    auto loaded = load_tree_string(outage_xml, "outage.xml");
    REQUIRE_MESSAGE(loaded.ok(), (loaded.problems.empty() ? "" : format(loaded.problems.front())));
    std::shared_ptr<const tree> root = loaded.loaded;

    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    log_writer writer;
    REQUIRE(writer.open(db));
    tee_sink sink(writer);
    manual_clock clk(t0);

    session_info info;
    info.tree_id = root->id;
    info.tree_version = root->version;
    info.tree_hash = content_hash(outage_xml);
    info.agent = "ana";
    info.started_ms = clk.now_ms();

    // Call 1: no power light -> account form -> escalated to Tier 2.
    std::string escalated_id = writer.begin_session(info);
    {
        session s(root, nullptr, clk, &sink, "ana");
        clk.advance(4000);
        REQUIRE(s.choose(1));
        clk.advance(9000);
        s.note("customer on mobile");
        REQUIRE(s.submit({{"account", "12345678"}}));
        REQUIRE(s.finished());
        CHECK(s.status() == session_status::escalated);
    }
    std::vector<event> first = sink.seen;
    sink.seen.clear();

    // Call 2: resolved at once.
    clk.advance(60'000);
    info.started_ms = clk.now_ms();
    std::string resolved_id = writer.begin_session(info);
    {
        session s(root, nullptr, clk, &sink, "ana");
        clk.advance(2000);
        REQUIRE(s.choose(0));
        CHECK(s.status() == session_status::completed);
    }
    std::vector<event> second = sink.seen;
    CHECK(writer.warning().empty());
    REQUIRE(first.size() >= 5);  // start, enter, choose, enter, ..., end
    CHECK(first.back().kind == event_kind::end);

    auto back = read_log(db);
    REQUIRE(back.sessions.size() == 2);
    const session_record& esc = back.sessions[0];
    CHECK(esc.id == escalated_id);
    CHECK(esc.tree_id == "outage");
    CHECK(esc.tree_version == 3);
    CHECK(esc.tree_hash == content_hash(outage_xml));
    CHECK(esc.agent == "ana");
    CHECK(esc.started_ms == t0);
    CHECK(esc.status == session_status::escalated);
    CHECK(esc.outcome == "Network Tier 2");
    CHECK(esc.end_node == "tier2");
    CHECK(esc.ended_ms == t0 + 13'000);
    check_same_events(back.events[0], first);

    const session_record& ok = back.sessions[1];
    CHECK(ok.id == resolved_id);
    CHECK(ok.status == session_status::completed);
    CHECK(ok.outcome == "resolved");
    CHECK(ok.end_node == "fixed");
    check_same_events(back.events[1], second);

    // Statistics-style query straight on the file: where did calls leave `power`?
    auto paths = raw_query(db, "SELECT detail, count(*) FROM events WHERE tree_id = 'outage' AND node = 'power' "
                               "AND kind = 'choose' GROUP BY detail ORDER BY detail");
    CHECK(paths == std::vector<std::vector<std::string>>{{"No", "1"}, {"Yes, it is lit", "1"}});
    CHECK(raw_query(db, "PRAGMA integrity_check")[0][0] == "ok");
}

// [SECTION] Trails: each session's path events packed in its row (docs/log-schema.md)

namespace {

// Every session's paths-only events, read through the trails or through the events table.
std::vector<std::pair<std::string, std::vector<event>>> paths_of(const std::string& db, bool trails,
                                                                 const log_filter& f = {}) {
    log_read_options o;
    o.read_trails = trails;
    log_reader reader;
    REQUIRE(reader.open(db, o));
    std::vector<std::pair<std::string, std::vector<event>>> out;
    auto done = reader.scan_sessions(
        f,
        [&](const session_record& s, std::span<const event> events) {
            out.emplace_back(s.id, std::vector<event>(events.begin(), events.end()));
        },
        true);
    REQUIRE_MESSAGE(done, done.error);
    // scan_paths gives the same, place by place.
    std::size_t at = 0;
    done = reader.scan_paths(f, [&](const session_record& s, const session_path& path) {
        REQUIRE(at < out.size());
        CHECK(out[at].first == s.id);
        const auto& events = out[at++].second;
        REQUIRE(path.steps.size() == events.size());
        for (std::size_t i = 0; i < events.size(); ++i) {
            const path_step& step = path.steps[i];
            CHECK(step.kind == events[i].kind);
            CHECK(step.time_ms == events[i].time_ms);
            CHECK(path.places[step.place].tree_id == events[i].tree_id);
            CHECK(path.places[step.place].node == events[i].node);
            if (step.kind == event_kind::back || step.kind == event_kind::end)
                CHECK(path.places[step.detail].node == events[i].detail);
        }
    });
    REQUIRE_MESSAGE(done, done.error);
    CHECK(at == out.size());
    return out;
}

void check_same_paths(const std::string& db, const log_filter& f = {}) {
    // Trails come in the order sessions were stored, events by session id.
    auto from_trails = paths_of(db, true, f);
    auto from_events = paths_of(db, false, f);
    std::sort(from_trails.begin(), from_trails.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    REQUIRE(from_trails.size() == from_events.size());
    for (std::size_t i = 0; i < from_events.size(); ++i) {
        CAPTURE(i);
        CHECK(from_trails[i].first == from_events[i].first);
        check_same_events(from_trails[i].second, from_events[i].second);
    }
}

// A call with a jump into another tree, back presses, a restart, a clock that steps back
// and times far apart: every kind of trail record.
std::vector<event> winding_call(std::int64_t start) {
    return {
        make_event(event_kind::start, 0, start, "power", -1, "ana"),
        make_event(event_kind::enter, 1, start, "power"),
        make_event(event_kind::enter, 2, start + 10, "ask-account", -1, "", "", "identity"),
        make_event(event_kind::field, 3, start + 5000, "ask-account", -1, "account=1", "", "identity"),
        make_event(event_kind::enter, 4, start + 5000, "lights"),
        make_event(event_kind::choose, 5, start + 4000, "lights", 0, "Off"),  // the clock stepped back
        make_event(event_kind::enter, 6, start + 4100, "reboot"),
        make_event(event_kind::back, 7, start + 9000, "reboot", -1, "lights"),
        make_event(event_kind::note, 8, start + 9500, "lights", -1, "a note"),
        make_event(event_kind::restart, 9, start + 86'400'000, "lights"),
        make_event(event_kind::enter, 10, start + 86'400'001, "power"),
        make_event(event_kind::end, 11, start + 86'400'002, "power", -1, "abandoned"),
    };
}

// One call recorded by its own writer; returns the session id.
std::string record_call(const std::string& db, const session_info& info, const std::vector<event>& events) {
    log_writer w;
    REQUIRE(w.open(db));
    std::string id = w.begin_session(info);
    for (const event& e : events) w.on_event(e);
    return id;
}

std::string trail_hex(const std::string& db, const std::string& id) {
    const std::string sql =
        "SELECT CASE WHEN trail IS NULL THEN 'NULL' ELSE hex(trail) END FROM sessions WHERE id = '" + id + "'";
    return raw_query(db, sql)[0][0];
}

}  // namespace

TEST_CASE("log: each session's trail holds its path events, read back as from the events table") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    std::vector<std::string> ids;
    {
        log_writer w;
        REQUIRE(w.open(db));
        ids.push_back(w.begin_session(sample_info(t0)));
        for (const event& e : winding_call(t0)) w.on_event(e);
        ids.push_back(w.begin_session(sample_info(t0 + 100'000, "bo")));
        for (const event& e : sample_call(t0 + 100'000, "bo")) w.on_event(e);
        // Left open: closed as abandoned when the writer goes, with no end event.
        ids.push_back(w.begin_session(sample_info(-5)));
        w.on_event(make_event(event_kind::start, 0, -5, "power", -1, "ana"));
        w.on_event(make_event(event_kind::enter, 1, std::numeric_limits<std::int64_t>::max(), "power"));
    }
    for (const std::string& id : ids) CHECK(trail_hex(db, id).substr(0, 2) == "01");
    CHECK(raw_query(db, "SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == "3");
    check_same_paths(db);
    check_same_paths(db, filter("outage", "bo"));
    auto paths = paths_of(db, true);
    REQUIRE(paths.size() == 3);
    std::size_t winding = 0;
    while (paths[winding].first != ids[0]) ++winding;
    const auto& events = paths[winding].second;
    REQUIRE(events.size() == 12);
    CHECK(events[2].tree_id == "identity");
    CHECK(events[5].time_ms == t0 + 4000);
    CHECK(events[7].detail == "lights");
    CHECK(events[11].detail == "abandoned");
    CHECK(events[3].detail.empty());  // a field's value is not on the trail
}

TEST_CASE("log: a move made with find keeps its mark on the trail and in the events") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    std::string id;
    {
        log_writer w;
        REQUIRE(w.open(db));
        id = w.begin_session(sample_info(t0));
        w.on_event(make_event(event_kind::start, 0, t0, "power", -1, "ana"));
        w.on_event(make_event(event_kind::enter, 1, t0, "power"));
        w.on_event(make_event(event_kind::enter, 2, t0 + 500, "fixed", -1, found_by_search));
        w.on_event(make_event(event_kind::end, 3, t0 + 900, "fixed", -1, "completed", "resolved"));
    }
    CHECK(trail_hex(db, id).substr(0, 2) == "01");
    check_same_paths(db);
    // With the events gone, the trail alone still says which move was made with find.
    raw_exec(db, "DELETE FROM events");
    const auto paths = paths_of(db, true);
    REQUIRE(paths.size() == 1);
    const auto& events = paths[0].second;
    REQUIRE(events.size() == 4);
    CHECK(events[1].detail.empty());
    CHECK(events[2].kind == event_kind::enter);
    CHECK(events[2].node == "fixed");
    CHECK(events[2].detail == found_by_search);
    CHECK(events[3].detail == "completed");
}

TEST_CASE("log: an event stored twice leaves the trail as it was, one out of sequence makes it unusable") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    std::string twice, gap;
    {
        log_writer w;
        REQUIRE(w.open(db));
        const auto call = sample_call(t0);
        twice = w.begin_session(sample_info(t0));
        for (std::size_t i = 0; i < call.size(); ++i) {
            w.on_event(call[i]);
            if (i == 2) w.on_event(call[i]);  // a replay of the same event
        }
        gap = w.begin_session(sample_info(t0 + 10'000));
        w.on_event(make_event(event_kind::start, 0, t0 + 10'000, "power", -1, "ana"));
        w.on_event(make_event(event_kind::enter, 1, t0 + 10'000, "power"));
        w.on_event(make_event(event_kind::enter, 3, t0 + 12'000, "fixed"));  // seq 2 never came
        w.on_event(make_event(event_kind::end, 4, t0 + 13'000, "fixed", -1, "completed", "resolved"));
    }
    CHECK(trail_hex(db, twice).substr(0, 2) == "01");
    CHECK(trail_hex(db, gap) == "00");
    check_same_paths(db);
    auto paths = paths_of(db, true);
    REQUIRE(paths.size() == 2);
    for (const auto& [id, events] : paths) CHECK(events.size() == (id == twice ? 7u : 4u));
}

TEST_CASE("log: a damaged trail is not trusted: the session's events are read instead") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    std::vector<std::string> ids;
    for (int i = 0; i < 6; ++i)
        ids.push_back(record_call(db, sample_info(t0 + i * 10'000), winding_call(t0 + i * 10'000)));
    const std::string good = trail_hex(db, ids[0]);
    // Cut short, a reference to a place not yet named, an unknown kind, a newer format,
    // empty, and a varint longer than 64 bits.
    const std::vector<std::string> damaged = {
        good.substr(0, good.size() - 2), "010100010141", "0109", "02" + good.substr(2), "",
        "0101FFFFFFFFFFFFFFFFFF7F",
    };
    for (std::size_t i = 0; i < damaged.size(); ++i)
        raw_exec(db, "UPDATE sessions SET trail = x'" + damaged[i] + "' WHERE id = '" + ids[i] + "'");
    check_same_paths(db);
    for (const auto& [id, events] : paths_of(db, true)) CHECK(events.size() == 12);
}

TEST_CASE("log: a version 1 log is upgraded by the first writer and its old sessions are read from events") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    const std::string old_id = record_call(db, sample_info(t0), winding_call(t0));
    // What a log written by a version 1 build looks like.
    raw_exec(db,
             "DROP TRIGGER events_beyond_trail; ALTER TABLE sessions DROP COLUMN trail; "
             "ALTER TABLE sessions DROP COLUMN trail_events; UPDATE meta SET value = '1' WHERE key = 'schema_version'");
    {
        log_reader reader;
        REQUIRE(reader.open(db));
        CHECK(reader.schema_version() == 1);
    }
    const auto before = paths_of(db, true);
    REQUIRE(before.size() == 1);
    CHECK(before[0].second.size() == 12);

    const std::string new_id = record_call(db, sample_info(t0 + 50'000), winding_call(t0 + 50'000));
    CHECK(raw_query(db, "SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == "3");
    CHECK(trail_hex(db, old_id) == "NULL");
    CHECK(trail_hex(db, new_id).substr(0, 2) == "01");
    log_reader reader;
    REQUIRE(reader.open(db));
    CHECK(reader.schema_version() == 3);
    check_same_paths(db);
    CHECK(paths_of(db, true).size() == 2);
    // A second writer finds it done.
    log_writer again;
    CHECK(again.open(db));
}

TEST_CASE("log: a log that says version 2 but lacks a trail column is read from events and mended by a writer") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    const std::string first = record_call(db, sample_info(t0), winding_call(t0));
    raw_exec(db, "DROP TRIGGER events_beyond_trail; ALTER TABLE sessions DROP COLUMN trail_events");
    check_same_paths(db);  // no trail_events: every session from events
    CHECK(paths_of(db, true).size() == 1);
    const std::string second = record_call(db, sample_info(t0 + 50'000), winding_call(t0 + 50'000));
    CHECK(raw_query(db, "SELECT count(*) FROM sqlite_master WHERE name = 'events_beyond_trail'")[0][0] == "1");
    CHECK(raw_query(db, "SELECT trail_events FROM sessions WHERE id = '" + second + "'")[0][0] == "12");
    CHECK(raw_query(db, "SELECT trail_events FROM sessions WHERE id = '" + first + "'")[0][0] == "0");
    check_same_paths(db);
}

TEST_CASE("log: the bulk writer's trails match its events, and a reused session id drops its trail") {
    temp_dir dir;
    const std::string db = dir.file("bulk.db");
    session_info info = sample_info(t0);
    info.id = "00000000-0000-4000-8000-000000000001";
    {
        log_bulk_writer out;
        REQUIRE(out.open(db));
        out.add_session(info, winding_call(t0));
        info.id = "00000000-0000-4000-8000-000000000002";
        out.add_session(info, sample_call(t0));
        REQUIRE(out.finish());
    }
    CHECK(trail_hex(db, info.id).substr(0, 2) == "01");
    check_same_paths(db);
    {
        log_bulk_writer out;
        REQUIRE(out.open(db));
        // The same session again with more events: the stored trail no longer tells it all.
        auto longer = sample_call(t0);
        longer.insert(longer.end() - 1, make_event(event_kind::note, 6, t0 + 1900, "fixed", -1, "more"));
        longer.back().sequence = 7;
        out.add_session(info, longer);
        REQUIRE(out.finish());
    }
    CHECK(trail_hex(db, info.id) == "00");
    check_same_paths(db);
    for (const auto& [id, events] : paths_of(db, true))
        if (id == info.id) CHECK(events.size() == 8);
}

TEST_CASE("log: an event stored without its trail, as an older build would, voids the trail") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    auto call = sample_call(t0);
    call.pop_back();
    const std::string id = record_call(db, sample_info(t0), call);
    CHECK(trail_hex(db, id).substr(0, 2) == "01");
    // A player of schema 1 still connected after the upgrade stores the last event (its
    // statements are re-prepared silently): the trail would be one event short.
    raw_exec(db, "INSERT INTO events(session_id, seq, time_ms, kind, tree_id, node, choice, detail, outcome) "
                 "VALUES('" + id + "', 6, " + std::to_string(t0 + 2000) +
                     ", 'end', 'outage', 'fixed', NULL, 'completed', 'resolved')");
    CHECK(trail_hex(db, id) == "00");
    check_same_paths(db);
    CHECK(paths_of(db, true)[0].second.size() == 7);
}

TEST_CASE("log: a session row stored after some of its events gets no trail") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    session_info info = sample_info(t0);
    info.id = "00000000-0000-4000-8000-00000000000a";
    {
        log_writer w;
        REQUIRE(w.open(db));  // creates the log
    }
    // Events 1 and 2 arrived first (rows replayed out of order), then the session and event 0.
    const auto call = sample_call(t0);
    for (int seq : {1, 2})
        raw_exec(db, "INSERT INTO events(session_id, seq, time_ms, kind, tree_id, node, choice, detail, outcome) "
                     "VALUES('" + info.id + "', " + std::to_string(seq) + ", " +
                         std::to_string(call[static_cast<std::size_t>(seq)].time_ms) + ", '" +
                         std::string(to_string(call[static_cast<std::size_t>(seq)].kind)) + "', 'outage', '" +
                         call[static_cast<std::size_t>(seq)].node + "', NULL, '', NULL)");
    {
        log_writer w;
        REQUIRE(w.open(db));
        w.begin_session(info);
        w.on_event(call[0]);
    }
    CHECK(trail_hex(db, info.id) == "00");
    check_same_paths(db);
    CHECK(paths_of(db, true)[0].second.size() == 3);
}

TEST_CASE("log: a trail holding another number of events than its row says is not used") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    const std::string longer = record_call(db, sample_info(t0), winding_call(t0));
    const std::string shorter = record_call(db, sample_info(t0 + 100'000), sample_call(t0 + 100'000));
    CHECK(raw_query(db, "SELECT trail_events FROM sessions WHERE id = '" + shorter + "'")[0][0] == "7");
    // A well-formed trail of 12 events on a row that says 7.
    raw_exec(db, "UPDATE sessions SET trail = (SELECT trail FROM sessions WHERE id = '" + longer + "') WHERE id = '" +
                     shorter + "'");
    check_same_paths(db);
    for (const auto& [id, events] : paths_of(db, true)) CHECK(events.size() == (id == shorter ? 7u : 12u));
}

TEST_CASE("log: a log another program holds locked is waited on once, then spilled to without waiting") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    log_writer w;
    REQUIRE(w.open(db));
    w.set_busy_timeout(1500);
    // Another program takes the write lock and keeps it.
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES ('x', 'y')", nullptr, nullptr,
                         nullptr) == SQLITE_OK);
    constexpr int events = 20;
    const auto started = std::chrono::steady_clock::now();
    w.begin_session(sample_info(t0));
    w.on_event(make_event(event_kind::start, 0, t0, "power", -1, "ana"));
    for (int i = 1; i < events; ++i) w.on_event(make_event(event_kind::enter, i, t0 + i, "n" + std::to_string(i)));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // Waiting 3 x 1.5 s on each of the 20 events would take 90 s, and on the first alone
    // 4.5 s (the busy handler's wait was retried twice more): the first waits once, the
    // rest go to the spill file at once.
    CHECK(seconds < 3.5);
    CHECK(w.warning().find("locked") != std::string::npos);
    CHECK(w.unsaved_rows() == 0);
    REQUIRE(fs::exists(db + ".spill"));
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    // Nothing is lost: the next writer adds the spilled rows.
    log_writer next;
    auto opened = next.open(db);
    CHECK_MESSAGE(opened, opened.error);
    CHECK_FALSE(fs::exists(db + ".spill"));
    CHECK(raw_query(db, "SELECT count(*) FROM events")[0][0] == std::to_string(events));
}

TEST_CASE("log: a writer closed after spilling adds its spilled rows to the log itself") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    constexpr int events = 5;
    {
        log_writer w;
        REQUIRE(w.open(db));
        w.set_busy_timeout(100);
        sqlite3* other = nullptr;
        REQUIRE(sqlite3_open(db.c_str(), &other) == SQLITE_OK);
        REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES ('x', 'y')", nullptr,
                             nullptr, nullptr) == SQLITE_OK);
        w.begin_session(sample_info(t0));
        w.on_event(make_event(event_kind::start, 0, t0, "power", -1, "ana"));
        for (int i = 1; i < events; ++i) w.on_event(make_event(event_kind::enter, i, t0 + i, "n" + std::to_string(i)));
        REQUIRE(fs::exists(db + ".spill"));
        sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(other);
        // Still within the hold-off after the lock (later events would go on spilling): the
        // close does not wait for another writer to come along.
    }
    CHECK_FALSE(fs::exists(db + ".spill"));
    CHECK(raw_query(db, "SELECT count(*) FROM events")[0][0] == std::to_string(events));
    // The session was closed as the writer went away (no end event): abandoned, not active.
    const auto status = raw_query(db, "SELECT status FROM sessions");
    REQUIRE(status.size() == 1);
    CHECK(status[0][0] == "abandoned");
}

// [SECTION] Escalation priorities (schema 3)

namespace {

// A call handed to `team` with `priority`, as the runtime records it.
std::vector<event> escalated_call(std::int64_t start, const std::string& team, const std::string& priority) {
    std::vector<event> call = {
        make_event(event_kind::start, 0, start, "power", -1, "ana"),
        make_event(event_kind::enter, 1, start, "power"),
        make_event(event_kind::choose, 2, start + 1000, "power", 1, "No"),
        make_event(event_kind::enter, 3, start + 1000, "handoff"),
        make_event(event_kind::end, 4, start + 2000, "handoff", -1, "escalated", team),
    };
    call.back().priority = priority;
    return call;
}

std::string fixture(const std::string& name) {
    std::string text = slurp(std::string(SIGNPOST_TEST_DATA) + "/logs/" + name);
    REQUIRE_MESSAGE(!text.empty(), name);
    return text;
}

}  // namespace

TEST_CASE("log: an escalation is stored and read back with its priority") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    const std::string urgent = record_call(db, sample_info(t0), escalated_call(t0, "Billing", "urgent"));
    const std::string done = record_call(db, sample_info(t0 + 10'000), sample_call(t0 + 10'000));

    // Stored in both tables, and only on the end event of the escalated call.
    CHECK(raw_query(db, "SELECT priority FROM sessions WHERE id = '" + urgent + "'")[0][0] == "urgent");
    CHECK(raw_query(db, "SELECT priority FROM sessions WHERE id = '" + done + "'")[0][0] == "NULL");
    auto rows = raw_query(db, "SELECT kind, ifnull(priority, 'NULL') FROM events WHERE session_id = '" + urgent +
                                  "' ORDER BY seq");
    REQUIRE(rows.size() == 5);
    CHECK(rows[3] == std::vector<std::string>{"enter", "NULL"});
    CHECK(rows[4] == std::vector<std::string>{"end", "urgent"});

    auto back = read_log(db);
    REQUIRE(back.sessions.size() == 2);
    CHECK(back.sessions[0].status == session_status::escalated);
    CHECK(back.sessions[0].outcome == "Billing");
    CHECK(back.sessions[0].priority == "urgent");
    CHECK(back.sessions[1].priority.empty());
    check_same_events(back.events[0], escalated_call(t0, "Billing", "urgent"));

    // The storage-order scan gives the same; the paths-only one keeps it on the session.
    for (bool paths_only : {false, true}) {
        CAPTURE(paths_only);
        log_reader reader;
        REQUIRE(reader.open(db));
        std::vector<std::string> priorities;
        REQUIRE(reader.scan_sessions(
            {},
            [&](const session_record& s, std::span<const event> events) {
                if (s.id != urgent) return;
                priorities.push_back(s.priority);
                if (!paths_only) priorities.push_back(events.back().priority);
            },
            paths_only));
        CHECK(priorities == (paths_only ? std::vector<std::string>{"urgent"}
                                        : std::vector<std::string>{"urgent", "urgent"}));
    }

    // The bulk writer stores it the same way.
    const std::string bulk_db = dir.file("bulk.db");
    {
        log_bulk_writer bulk;
        REQUIRE(bulk.open(bulk_db));
        bulk.add_session(sample_info(t0), escalated_call(t0, "Network", "low"));
        // Nine events: the multi-row insert and the one-row insert both bind the priority.
        auto longer = escalated_call(t0 + 5000, "Network", "high");
        for (int i = 0; i < 4; ++i)
            longer.insert(longer.end() - 1, make_event(event_kind::note, 0, t0 + 5500, "handoff", -1, "n"));
        for (std::size_t i = 0; i < longer.size(); ++i) longer[i].sequence = static_cast<int>(i);
        bulk.add_session(sample_info(t0 + 5000), longer);
        auto finished = bulk.finish();
        REQUIRE_MESSAGE(finished, finished.error);
    }
    auto bulk_back = read_log(bulk_db);
    REQUIRE(bulk_back.sessions.size() == 2);
    CHECK(bulk_back.sessions[0].priority == "low");
    CHECK(bulk_back.sessions[1].priority == "high");
    CHECK(bulk_back.events[1].back().priority == "high");
    CHECK(raw_query(bulk_db, "SELECT count(*) FROM events WHERE priority IS NOT NULL")[0][0] == "2");
}

TEST_CASE("log: a schema 2 log is read as it is, and updated in place by the first writer") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    raw_exec(db, fixture("schema-2.sql"));
    const std::string old_escalation = "11111111-1111-4111-8111-111111111111";

    // Read before any writer touched it: no priority columns, so no priorities.
    {
        log_reader reader;
        REQUIRE(reader.open(db));
        CHECK(reader.schema_version() == 2);
        auto back = read_log(db);
        REQUIRE(back.sessions.size() == 3);
        CHECK(back.sessions[0].id == old_escalation);
        CHECK(back.sessions[0].status == session_status::escalated);
        CHECK(back.sessions[0].priority.empty());
        CHECK(back.events[0].back().priority.empty());
        CHECK(paths_of(db, false).size() == 3);
        CHECK(raw_query(db, "SELECT count(*) FROM pragma_table_info('sessions') WHERE name = 'priority'")[0][0] ==
              "0");
    }

    const std::string new_escalation = record_call(db, sample_info(t0 + 50'000), escalated_call(t0 + 50'000, "Billing", "urgent"));
    CHECK(raw_query(db, "SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == "3");
    CHECK(raw_query(db, "SELECT count(*) FROM pragma_table_info('sessions') WHERE name = 'priority'")[0][0] == "1");
    CHECK(raw_query(db, "SELECT count(*) FROM pragma_table_info('events') WHERE name = 'priority'")[0][0] == "1");
    // The rows already there are kept as they were, with no priority.
    CHECK(raw_query(db, "SELECT status, outcome, ifnull(priority, 'NULL') FROM sessions WHERE id = '" +
                            old_escalation + "'")[0] == std::vector<std::string>{"escalated", "Billing", "NULL"});
    CHECK(raw_query(db, "SELECT count(*) FROM events")[0][0] == "18");

    auto back = read_log(db);
    REQUIRE(back.sessions.size() == 4);
    CHECK(back.sessions[0].priority.empty());
    CHECK(back.sessions[3].id == new_escalation);
    CHECK(back.sessions[3].priority == "urgent");
    log_reader reader;
    REQUIRE(reader.open(db));
    CHECK(reader.schema_version() == 3);
    CHECK(reader.check_integrity());
    check_same_paths(db);

    // A second writer finds it done; a build that knows only schema 2 would refuse it now,
    // as this one refuses schema 4.
    log_writer again;
    CHECK(again.open(db));
    raw_exec(db, "UPDATE meta SET value = '4' WHERE key = 'schema_version'");
    log_reader newer;
    auto refused = newer.open(db);
    CHECK_FALSE(refused);
    CHECK(refused.error.find("was written by a newer Signpost") != std::string::npos);
}

TEST_CASE("log: the spill file keeps an escalation's priority, and reads lines of older builds") {
    temp_dir dir;
    const std::string db = dir.file("sessions.db");
    {
        log_writer first;
        REQUIRE(first.open(db));
    }
    fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    const auto call = escalated_call(t0, "Billing", "high");
    log_writer w;
    {
        as_unprivileged user;
        CHECK_FALSE(w.open(db));
        w.begin_session(sample_info(t0));
        for (const auto& e : call) w.on_event(e);
    }
    REQUIRE(fs::exists(db + ".spill"));
    const std::string spill = slurp(db + ".spill");
    // Only the end event has the extra field: older builds still read every other line.
    CHECK(spill.find("\tescalated\tBilling\thigh\n") != std::string::npos);
    CHECK(std::count(spill.begin(), spill.end(), '\t') == 8 + 4 * 9 + 10);

    // A line as a schema 2 build spills it: no priority field.
    const std::string old_id = "44444444-4444-4444-8444-444444444444";
    std::ofstream(db + ".spill", std::ios::binary | std::ios::app)
        << "S\t" << old_id << "\toutage\t3\t\tben\t" << t0 + 100 << "\tdesk-2\t77\n"
        << "E\t" << old_id << "\t0\t" << t0 + 100 << "\tstart\toutage\tpower\t-1\tben\t\n"
        << "E\t" << old_id << "\t1\t" << t0 + 200 << "\tend\toutage\tpower\t-1\tescalated\tNetwork\n";

    fs::permissions(db, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read);
    auto replayed = w.replay_spill();
    REQUIRE_MESSAGE(replayed, replayed.error);
    CHECK(w.warning().empty());
    auto back = read_log(db);
    REQUIRE(back.sessions.size() == 2);
    CHECK(back.sessions[0].priority == "high");
    check_same_events(back.events[0], call);
    CHECK(back.sessions[1].id == old_id);
    CHECK(back.sessions[1].status == session_status::escalated);
    CHECK(back.sessions[1].priority.empty());
}
