#pragma once
// Sessions recorded durably in SQLite: `log_writer` stores a session's events as they
// happen (it is an event_sink), `log_reader` streams them back for path statistics.
// Tables, columns and crash recovery: docs/log-schema.md.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/clock.hpp"
#include "signpost/event.hpp"
#include "signpost/session.hpp"
#include "signpost/session_path.hpp"

namespace signpost {

// The schema version this build writes; readers refuse logs with a newer one.
inline constexpr int log_schema_version = 3;

// `$XDG_DATA_HOME/signpost/sessions.db`, falling back to `~/.local/share/signpost/sessions.db`;
// "" when no home folder is known. Folders are created by log_writer::open, not here.
std::string default_log_path();

// FNV-1a 64 of `bytes` as 16 lowercase hex digits: tells tree revisions apart in reports.
// Not cryptographic. Hash the same bytes you pass to load_tree_string so it is what ran.
std::string content_hash(std::string_view bytes);

// A fresh random session id in UUID v4 form ("3f2b...-....-4...-....-............").
std::string new_session_id();

// Success, or a message a person can act on.
struct log_result {
    bool ok = true;
    std::string error;
    explicit operator bool() const { return ok; }
};

// What the log records about a session before its first event.
struct session_info {
    std::string id;          // empty: new_session_id()
    std::string tree_id;
    int tree_version = 1;
    std::string tree_hash;   // content_hash of the root tree file
    std::string agent;       // empty: taken from the start event
    std::int64_t started_ms = 0;  // 0: the time of the first event
};

// Writes each event to the log in its own committed transaction. Never throws and never
// stops the session: when the database cannot be written, rows go to `<db>.spill` (or, if
// even that fails, stay in memory) and warning() says so; they are moved into the database
// by the next successful write, open() or replay_spill(). One writer per thread; several
// writers (threads or processes) may share one database file.
class log_writer final : public event_sink {
public:
    log_writer();
    // Marks a session that is still open as abandoned (the writer is going away).
    ~log_writer() override;
    log_writer(const log_writer&) = delete;
    log_writer& operator=(const log_writer&) = delete;

    // Opens or creates the log at `path` (and its folders), then replays any spill file.
    // Failing is not fatal: the writer keeps working through the spill file.
    [[nodiscard]] log_result open(const std::string& path);
    // Starts recording a new session; events that follow belong to it. Returns its id.
    // A `start` event without begin_session starts one from what the event says.
    std::string begin_session(const session_info& info);
    // Stores one event; an `end` event also completes the session row.
    void on_event(const event& e) override;
    // Moves spilled and in-memory rows into the database; the spill file is removed only
    // after they are committed. Safe to repeat: rows already stored are skipped.
    [[nodiscard]] log_result replay_spill();

    // "" while everything is in the database; otherwise what the player should show.
    const std::string& warning() const;
    // Id of the session being recorded ("" before the first one).
    const std::string& session_id() const;
    const std::string& path() const;
    // Where rows go when the database cannot take them: `<path>.spill`.
    std::string spill_path() const;
    // Rows held only in memory because the spill file could not be written either.
    std::size_t unsaved_rows() const;

    // How long one write waits for other writers before spilling (default 1000 ms).
    void set_busy_timeout(int ms);

private:
    struct impl;
    std::unique_ptr<impl> m_impl;
};

// One session as the log knows it.
struct session_record {
    std::string id;
    std::string tree_id;
    int tree_version = 0;
    std::string tree_hash;
    std::string agent;
    std::int64_t started_ms = 0;
    std::optional<std::int64_t> ended_ms;
    session_status status = session_status::active;
    // Stored as active but its writer is gone (dead process, or silent for too long):
    // reported with status abandoned.
    bool writer_lost = false;
    std::string outcome;        // end outcome, or escalation team
    // Escalated: low | normal | high | urgent. "" when not escalated, or escalated in a log
    // written before schema 3 (the priority was not recorded then).
    std::string priority;
    std::string end_node;
    std::int64_t last_event_ms = 0;
    std::string host;           // machine and process that wrote it
    std::int64_t pid = 0;
};

// Which sessions to read; empty fields match everything. Dates compare with started_ms.
struct log_filter {
    std::string tree_id;
    std::string agent;
    std::optional<std::int64_t> since_ms;  // started_ms >= since_ms
    std::optional<std::int64_t> until_ms;  // started_ms < until_ms
};

struct log_read_options {
    // An active session whose last event is older than this is reported abandoned.
    std::int64_t stale_after_ms = 2 * 60 * 60 * 1000;
    // "Now" for the staleness rule; null = wall clock.
    clock* now = nullptr;
    // How long to wait for a writer holding a lock before reporting the log as locked.
    int busy_timeout_ms = 5000;
    // scan_sessions(paths_only) reads each session's trail (its path events packed in its
    // row) where one is stored. False: always the events table, e.g. to check one against
    // the other.
    bool read_trails = true;
};

// Where the parts of a log begin, as one snapshot of it saw them (log_reader::split).
struct log_split {
    unsigned count = 1;
    bool by_row = false;                  // ranges of rowids (trails) or of session ids
    std::vector<std::int64_t> row_starts;  // first rowid of parts 1..count-1
    std::vector<std::string> id_starts;    // first session id of parts 1..count-1
};

// Part `index` of `count` about equal parts of a log's sessions, so that several threads
// can each scan one (every log_reader scan reads through its own connection). Give every
// part the same `split`: parts that each find their own bounds can overlap or leave a gap
// when a player adds sessions in between.
struct log_part {
    unsigned index = 0;
    unsigned count = 1;
    const log_split* split = nullptr;     // null: found by this part's scan
};

// Reads a session log without ever changing it.
class log_reader {
public:
    log_reader();
    ~log_reader();
    log_reader(const log_reader&) = delete;
    log_reader& operator=(const log_reader&) = delete;

    // Opens read-only. Refuses, with a message saying which, a missing file, a file that is
    // not SQLite, an SQLite database that is not a Signpost log, a newer schema, a lock.
    [[nodiscard]] log_result open(const std::string& path, log_read_options options = {});

    using session_callback =
        std::function<void(const session_record&, const std::vector<event>&)>;
    // Calls `fn` once per matching session with its events in sequence order, sessions
    // ordered by start time then id. One pass over one query: memory holds one session.
    [[nodiscard]] log_result for_each_session(const log_filter& filter,
                                              const session_callback& fn) const;

    using session_span_callback =
        std::function<void(const session_record&, std::span<const event>)>;
    // Like for_each_session, but sessions come in storage order (by session id; in the
    // order they were stored when `paths_only` reads trails), not by start time: a large
    // log is then read sequentially, several times faster. For figures that do not depend
    // on order (path statistics). `events` is valid during the call only.
    // `paths_only` reads only what path statistics use, faster still: each event's kind,
    // time, tree, node and sequence, and the detail of `back` and `end` events (choice is
    // -1 but on a back that passes on, back_passes_on; other details, outcomes and priorities are
    // empty); from the session's trail where the log
    // keeps one (one row per session instead of one per event).
    // `part` reads only that part of the log (all of it by default).
    [[nodiscard]] log_result scan_sessions(const log_filter& filter, const session_span_callback& fn,
                                           bool paths_only = false, log_part part = {}) const;
    using session_path_callback = std::function<void(const session_record&, const session_path&)>;
    // Like scan_sessions(paths_only), with each session's path events in compact form (a
    // node met again is the same place): what path statistics read. `path` is valid
    // during the call only.
    [[nodiscard]] log_result scan_paths(const log_filter& filter, const session_path_callback& fn,
                                        log_part part = {}) const;
    // Bounds of `count` parts for scans with this `paths_only`, read in one snapshot.
    [[nodiscard]] log_result split(unsigned count, bool paths_only, log_split& out) const;
    // How many sessions match `filter` (reads the sessions table only).
    [[nodiscard]] log_result count_sessions(const log_filter& filter, std::uint64_t& out) const;
    // Root tree ids that have sessions in the log, sorted.
    [[nodiscard]] log_result tree_ids(std::vector<std::string>& out) const;
    // Agent names that have sessions in the log, sorted.
    [[nodiscard]] log_result agents(std::vector<std::string>& out) const;

    // PRAGMA integrity_check: ok, or the problems SQLite reports.
    [[nodiscard]] log_result check_integrity() const;
    // Schema version of the open log.
    int schema_version() const;

private:
    // Each session with its path from the trail (paths_only and a trail was stored), or
    // with its events (`path` null).
    using scan_visitor =
        std::function<void(const session_record&, const session_path* path, std::span<const event> events)>;
    log_result scan(const log_filter& filter, bool paths_only, log_part part, const scan_visitor& fn) const;
    // The distinct values of a column of the sessions table, sorted.
    log_result distinct_values(const char* column, std::vector<std::string>& out) const;

    struct impl;
    std::unique_ptr<impl> m_impl;
};

// Writes many sessions quickly, for log generators and imports: a session's events are
// kept until it ends, then stored with its final status, many sessions per transaction
// (written by a second thread) and no fsync. On a log without sessions the secondary
// indexes are built once, by finish(). Not for live calls (log_writer is): a crash loses
// the batches not yet committed, and errors are reported instead of spilled. A session
// given no `end` event is stored still active, as a crashed player leaves it (readers
// report it abandoned, writer lost). One thread drives a bulk writer.
class log_bulk_writer final : public event_sink {
public:
    log_bulk_writer();
    // Stores what is pending (call finish() to learn whether that worked).
    ~log_bulk_writer() override;
    log_bulk_writer(const log_bulk_writer&) = delete;
    log_bulk_writer& operator=(const log_bulk_writer&) = delete;

    // Opens or creates the log at `path` (refusing files that are not Signpost logs).
    [[nodiscard]] log_result open(const std::string& path);
    // Sessions per transaction (default 2000).
    void set_batch_sessions(std::size_t n);
    // Starts a new session (the previous one is stored as it is). Returns its id.
    std::string begin_session(const session_info& info);
    // Keeps one event; an `end` event stores the session.
    void on_event(const event& e) override;
    // A whole session at once (run elsewhere and recorded): begin_session + on_event each.
    void add_session(const session_info& info, std::vector<event> events);
    // Stores the open session and commits everything.
    [[nodiscard]] log_result finish();

    // After finish(): the first error, or "". Sessions after an error are dropped.
    const std::string& error() const;
    std::uint64_t sessions_written() const;
    std::uint64_t events_written() const;

private:
    struct impl;
    std::unique_ptr<impl> m_impl;
};

}  // namespace signpost
