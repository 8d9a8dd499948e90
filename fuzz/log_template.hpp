#pragma once
// A small but varied session log, written by the real log_writer: the starting point of
// the session-log fuzz target (its SQL mode edits a copy) and of its seed corpus.

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include <sqlite3.h>

#include "signpost/clock.hpp"
#include "signpost/event.hpp"
#include "signpost/session_log.hpp"

namespace signpost::fuzz {

// Writes the log to `path` (which must not exist) and returns its bytes, with the WAL
// checkpointed into the main file so the bytes are the whole database.
inline std::string write_template_log(const std::string& path) {
    {
        log_writer w;
        if (!w.open(path)) return {};
        std::int64_t t = 1'700'000'000'000;
        auto ev = [&](event_kind k, int seq, const char* tree, const char* node, int choice = -1,
                      const char* detail = "", const char* outcome = "") {
            event e;
            e.kind = k;
            e.time_ms = t += 1500;
            e.sequence = seq;
            e.tree_id = tree;
            e.node = node;
            e.choice = choice;
            e.detail = detail;
            e.outcome = outcome;
            w.on_event(e);
        };
        // Completed, with a jump into another tree, a field, a note and a back.
        w.begin_session({"", "internet-outage", 3, "0123456789abcdef", "alice", t});
        ev(event_kind::start, 0, "internet-outage", "verify", -1, "alice");
        ev(event_kind::enter, 1, "identity-verification", "ask-account");
        ev(event_kind::field, 2, "identity-verification", "ask-account", -1, "account=40112233");
        ev(event_kind::enter, 3, "internet-outage", "power");
        ev(event_kind::choose, 4, "internet-outage", "power", 1, "No light at all");
        ev(event_kind::back, 5, "internet-outage", "power-supply", -1, "power");
        ev(event_kind::note, 6, "internet-outage", "power", -1, "customer unsure");
        ev(event_kind::choose, 7, "internet-outage", "power", 0, "Yes, steady");
        ev(event_kind::end, 8, "internet-outage", "resolved", -1, "completed", "resolved");
        // Escalated.
        w.begin_session({"", "billing-dispute", 1, "fedcba9876543210", "bob", t});
        ev(event_kind::start, 0, "billing-dispute", "ask", -1, "bob");
        ev(event_kind::restart, 1, "billing-dispute", "ask");
        ev(event_kind::end, 2, "billing-dispute", "tier2", -1, "escalated", "Billing Disputes");
        // Still active: the reader reports it abandoned once stale.
        w.begin_session({"", "password-reset", 2, "00000000ffffffff", "", t});
        ev(event_kind::start, 0, "password-reset", "ask", -1, "");
        ev(event_kind::enter, 1, "password-reset", "send-link");
    }
    // The writer has closed; fold any WAL left behind into the main file.
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK)
        sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace signpost::fuzz
