// Writes the seed corpus of fuzz_session_log into a folder: the template log as raw bytes,
// a few damaged copies, and SQL edits that put hostile rows into it.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "log_template.hpp"

namespace {

void write(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const auto scratch = dir / "template.db.tmp";
    std::filesystem::remove(scratch, ec);
    const std::string db = signpost::fuzz::write_template_log(scratch.string());
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(scratch.string() + suffix, ec);
    if (db.empty()) {
        std::fprintf(stderr, "could not write the template log\n");
        return 1;
    }
    write(dir / "raw-template", "R" + db);
    write(dir / "raw-truncated", "R" + db.substr(0, db.size() / 2));
    std::string flipped = db;
    for (std::size_t i = 4096; i < flipped.size(); i += 997) flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
    write(dir / "raw-flipped", "R" + flipped);
    write(dir / "raw-not-sqlite", "Rthis is not a database");

    const std::vector<std::string> edits = {
        "PRAGMA ignore_check_constraints=1; UPDATE events SET kind='bogus' WHERE seq=2",
        "UPDATE events SET choice=NULL, outcome=NULL",
        "PRAGMA ignore_check_constraints=1; UPDATE sessions SET status='weird'",
        "UPDATE sessions SET started_ms='abc', last_event_ms=NULL",
        "UPDATE events SET seq=-seq",
        "UPDATE events SET time_ms=9223372036854775807",
        "UPDATE events SET node=x'ff00fe', detail=zeroblob(64)",
        "UPDATE sessions SET tree_version=-1, pid='x', host=NULL",
        "UPDATE sessions SET ended_ms=NULL, status='active', last_event_ms=0",
        "DELETE FROM meta WHERE key='schema_version'",
        "UPDATE meta SET value='999' WHERE key='schema_version'",
        "UPDATE meta SET value='x' WHERE key='schema_version'",
        "UPDATE meta SET value='other' WHERE key='application'",
        "DROP TABLE events",
        "DROP TABLE sessions; CREATE TABLE sessions(id)",
        "ALTER TABLE sessions RENAME TO s2",
        "INSERT INTO events VALUES('nosuch',0,0,'enter','t','n',NULL,'',NULL,NULL)",
        "DELETE FROM events WHERE seq=0",
        "UPDATE sessions SET id=NULL",
        "INSERT INTO sessions SELECT 'x'||id,tree_id,tree_version,tree_hash,agent,started_ms,ended_ms,status,"
        "outcome,end_node,last_event_ms,host,pid,trail,trail_events,priority FROM sessions",
        // Trails: cut short, a reference ahead of its place, a huge length, text instead of a blob.
        "UPDATE sessions SET trail=substr(trail,1,length(trail)-3)",
        "UPDATE sessions SET trail=x'010100050141'",
        "UPDATE sessions SET trail=x'01010000FFFFFFFF0F'",
        "UPDATE sessions SET trail='hello', tree_id='internet-outage'",
        "UPDATE sessions SET trail=NULL WHERE rowid % 2 = 0",
        "UPDATE sessions SET trail_events=trail_events-1",
        "DROP TRIGGER events_beyond_trail; INSERT INTO events SELECT session_id,seq+100,time_ms,kind,tree_id,node,"
        "choice,detail,outcome,priority FROM events",
        // Moves made with find: marked on the events, and a one-step trail of kind 8.
        "UPDATE events SET detail='find' WHERE kind='enter'",
        "UPDATE sessions SET trail=x'01080000000174016E', trail_events=1",
        // Priorities: one no build writes, and a log from before the columns (schema 2).
        "UPDATE sessions SET status='escalated', priority='soon' WHERE rowid % 2 = 0",
        "ALTER TABLE sessions DROP COLUMN priority; ALTER TABLE events DROP COLUMN priority; "
        "UPDATE meta SET value='2' WHERE key='schema_version'",
    };
    for (std::size_t i = 0; i < edits.size(); ++i) write(dir / ("sql-" + std::to_string(i)), "S" + edits[i]);
    return 0;
}
