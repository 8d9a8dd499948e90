// Fuzz target: the session-log reader on hostile databases.
// Input 'S' + text: SQL run on a copy of a real log (rows with NULLs, wrong types, unknown
// kinds, dropped tables, another schema version...), then read. Any other input: the bytes
// after the first are the database file itself. The reader must refuse or read it, with a
// message, and never crash or write.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <sqlite3.h>
#include <unistd.h>

#include "fuzz_check.hpp"
#include "log_template.hpp"
#include "signpost/session_log.hpp"

namespace {

using namespace signpost;
namespace fs = std::filesystem;
using fuzz::require;

std::string g_dir;       // private temp folder of this process
std::string g_template;  // bytes of the template log
std::string g_path;      // the database the reader opens

void remove_dir() {
    std::error_code ec;
    fs::remove_all(g_dir, ec);
}

void write_bytes(const std::string& path, std::string_view bytes) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Statements that could touch files outside the temp folder are not run.
bool safe_sql(std::string_view sql) {
    std::string lower(sql);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* word : {"attach", "vacuum", "load_extension", "readfile", "writefile"})
        if (lower.find(word) != std::string::npos) return false;
    return true;
}

int deny_attach(void*, int action, const char*, const char*, const char*, const char*) {
    return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

// Bounded work per input: no statement may run for ever (recursive CTEs) or grow huge.
int progress_limit(void* counter) { return ++*static_cast<int*>(counter) > 2000 ? 1 : 0; }

void apply_sql(std::string_view sql) {
    write_bytes(g_path, g_template);
    if (!safe_sql(sql)) return;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(g_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 20);
        sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1 << 16);
        sqlite3_set_authorizer(db, deny_attach, nullptr);
        int steps = 0;
        sqlite3_progress_handler(db, 1000, progress_limit, &steps);
        const std::string text(sql);
        sqlite3_exec(db, text.c_str(), nullptr, nullptr, nullptr);
    }
    sqlite3_close(db);
}

void read_log() {
    manual_clock now(1'700'000'100'000);
    log_read_options options;
    options.now = &now;
    options.busy_timeout_ms = 0;
    log_reader reader;
    const log_result opened = reader.open(g_path, options);
    if (!opened) {
        require(!opened.error.empty(), "refused without a message");
        return;
    }
    (void)reader.schema_version();
    const log_result integrity = reader.check_integrity();
    require(integrity.ok || !integrity.error.empty(), "integrity failure without a message");
    std::size_t sessions = 0;
    const auto visit = [&](const session_record& s, const std::vector<event>& events) {
        ++sessions;
        (void)to_string(s.status);
        for (const auto& e : events) (void)to_string(e.kind);
    };
    const log_result all = reader.for_each_session({}, visit);
    require(all.ok || !all.error.empty(), "read failure without a message");
    log_filter filter;
    filter.tree_id = "internet-outage";
    filter.since_ms = 0;
    filter.until_ms = 1'800'000'000'000;
    const log_result some = reader.for_each_session(filter, visit);
    require(some.ok || !some.error.empty(), "filtered read failure without a message");
    // Paths as statistics read them: from the sessions' trails where stored, in two parts.
    for (unsigned part = 0; part < 2; ++part) {
        const log_result paths = reader.scan_paths(
            {},
            [&](const session_record&, const session_path& p) {
                for (const path_step& step : p.steps) {
                    require(step.place < p.places.size(), "a step refers to a place that is not there");
                    if (step.kind == event_kind::back || step.kind == event_kind::end)
                        require(step.detail < p.places.size(), "a detail refers to a place that is not there");
                }
            },
            {part, 2});
        require(paths.ok || !paths.error.empty(), "path read failure without a message");
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/signpost-fuzz-log-XXXXXX";
    if (!::mkdtemp(pattern.data())) {
        std::perror("mkdtemp");
        std::abort();
    }
    g_dir = pattern;
    std::atexit(remove_dir);
    g_template = fuzz::write_template_log(g_dir + "/template.db");
    require(!g_template.empty(), "could not write the template log");
    g_path = g_dir + "/fuzz.db";
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (!input.empty() && input[0] == 'S') {
        apply_sql(input.substr(1));
    } else {
        write_bytes(g_path, input.empty() ? input : input.substr(1));
    }
    read_log();
    return 0;
}
