// signpost-bench-report: how fast `signpost report` reads a large log, against SQLite
// scanning the same events table in the same run.
//
//   signpost-bench-report [--sessions N] [--seed S] [--log FILE] [--tree FILE] [--runs R]
//
// The log (default /tmp/signpost-bench-<N>-<S>.db) is generated once with the real runtime
// and kept for later runs. Times are the best of R runs, each after the file was read once,
// so every measurement starts with the file in the OS cache.

#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "signpost/library.hpp"
#include "signpost/load.hpp"
#include "signpost/log_generator.hpp"
#include "signpost/report_format.hpp"
#include "signpost/session_log.hpp"
#include "signpost/statistics.hpp"

#ifndef SIGNPOST_SOURCE_DIR
#define SIGNPOST_SOURCE_DIR "."
#endif

namespace fs = std::filesystem;
using namespace signpost;

namespace {

struct options {
    std::uint64_t sessions = 1'000'000;
    std::uint64_t seed = 1;
    std::string log;
    std::string tree = std::string(SIGNPOST_SOURCE_DIR) + "/trees/internet-outage.xml";
    int runs = 1;
    bool generate_only = false;
};

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "signpost-bench-report: %s\n"
                 "usage: signpost-bench-report [--sessions N] [--seed S] [--log FILE] [--tree FILE] [--runs R]\n",
                 why);
    std::exit(2);
}

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(("missing value for " + a).c_str());
            return argv[++i];
        };
        if (a == "--sessions") o.sessions = std::strtoull(value().c_str(), nullptr, 10);
        else if (a == "--seed") o.seed = std::strtoull(value().c_str(), nullptr, 10);
        else if (a == "--log") o.log = value();
        else if (a == "--tree") o.tree = value();
        else if (a == "--runs") o.runs = std::max(1, std::atoi(value().c_str()));
        else if (a == "--generate-only") o.generate_only = true;
        else if (a == "--help" || a == "-h") usage("path statistics benchmark");
        else usage(("unknown argument " + a).c_str());
    }
    if (o.sessions == 0) usage("--sessions must be at least 1");
    if (o.log.empty())
        o.log = (fs::temp_directory_path() / ("signpost-bench-" + std::to_string(o.sessions) + "-" +
                                              std::to_string(o.seed) + ".db"))
                    .string();
    return o;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Sessions in an existing log; 0 when it is missing or unreadable.
std::uint64_t sessions_in(const std::string& path) {
    if (!fs::exists(path)) return 0;
    log_reader reader;
    if (!reader.open(path)) return 0;
    // A log kept from an older build lacks what this one writes (trails): made again.
    if (reader.schema_version() < log_schema_version) return 0;
    std::uint64_t n = 0;
    if (!reader.count_sessions({}, n)) return 0;
    return n;
}

bool generate(const options& o, const std::shared_ptr<const tree>& root, const tree_library& library) {
    const std::string partial = o.log + ".partial";
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(partial + suffix);
    std::printf("generating %llu sessions of '%s' into %s ...\n", static_cast<unsigned long long>(o.sessions),
                root->id.c_str(), o.log.c_str());
    std::fflush(stdout);
    std::ifstream in(o.tree, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    generator_options g;
    g.sessions = o.sessions;
    g.seed = o.seed;
    g.agents = 60;
    g.tree_hash = content_hash(bytes);
    const auto start = std::chrono::steady_clock::now();
    generator_summary summary;
    {
        log_bulk_writer out;
        if (auto r = out.open(partial); !r) {
            std::fprintf(stderr, "cannot create the log: %s\n", r.error.c_str());
            return false;
        }
        const bool terminal = isatty(STDOUT_FILENO) == 1;
        log_result r = generate_log(root, &library, g, out, summary, [&](std::uint64_t done) {
            if (terminal && done % 65536 == 0)
                std::printf("\r  %llu sessions", static_cast<unsigned long long>(done)), std::fflush(stdout);
        });
        if (terminal) std::printf("\r");
        if (!r) {
            std::fprintf(stderr, "cannot write the log: %s\n", r.error.c_str());
            return false;
        }
    }  // closed: SQLite folds the WAL into the file, so the rename below moves one file
    fs::rename(partial, o.log);
    const double took = seconds_since(start);
    std::printf("generated %llu sessions, %llu events in %.1f s (%.0f sessions/s, %.0f events/s)\n",
                static_cast<unsigned long long>(summary.sessions), static_cast<unsigned long long>(summary.events),
                took, static_cast<double>(summary.sessions) / took, static_cast<double>(summary.events) / took);
    return true;
}

// Reads the whole file once so each measurement starts from the OS cache, not the disk.
void warm(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> buf(1 << 20);
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
    }
}

// One SQL statement over a plain read-only connection, as any tool would run it.
std::int64_t sql_scalar(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_stmt* q = nullptr;
    std::int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &q, nullptr) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

struct timing {
    double wall = 1e300;
    double cpu = 1e300;
};

// Anonymous memory (heap, stacks) in MiB: what the report allocates.
double anonymous_mib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("RssAnon:", 0) == 0) return std::strtod(line.c_str() + 8, nullptr) / 1024.0;
    }
    return 0;
}

timing best_of(int runs, const std::string& path, const std::function<void()>& fn) {
    timing t;
    for (int i = 0; i < runs; ++i) {
        warm(path);
        const double cpu0 = cpu_seconds();
        const auto start = std::chrono::steady_clock::now();
        fn();
        t.wall = std::min(t.wall, seconds_since(start));
        t.cpu = std::min(t.cpu, cpu_seconds() - cpu0);
    }
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    const options o = parse(argc, argv);
    load_result loaded = load_tree_file(o.tree);
    if (!loaded.ok()) {
        std::fprintf(stderr, "cannot load %s\n", o.tree.c_str());
        return 1;
    }
    std::shared_ptr<const tree> root = loaded.loaded;
    tree_library library({fs::path(o.tree).parent_path().string()});
    library.add(root);

    if (sessions_in(o.log) != o.sessions) {
        if (!generate(o, root, library)) return 1;
        if (o.generate_only) return 0;
        // Measure in a fresh process, so its memory is the report's alone.
        std::fflush(stdout);
        std::vector<char*> args(argv, argv + argc);
        args.push_back(nullptr);
        execv("/proc/self/exe", args.data());
        std::perror("re-running the benchmark");  // only reached when exec fails
    }
    if (o.generate_only) return 0;

    const std::int64_t events = sql_scalar(o.log, "SELECT count(*) FROM events");
    const double mib = static_cast<double>(fs::file_size(o.log)) / (1024.0 * 1024.0);
    std::printf("log: %s (%.0f MiB), %llu sessions, %lld events\n", o.log.c_str(), mib,
                static_cast<unsigned long long>(o.sessions), static_cast<long long>(events));

    timing count = best_of(o.runs, o.log, [&] { (void)sql_scalar(o.log, "SELECT count(*) FROM events"); });
    // count(*) only counts the cells of each page; a scan that reads a column of every row
    // shows what decoding the rows costs SQLite itself.
    timing column =
        best_of(o.runs, o.log, [&] { (void)sql_scalar(o.log, "SELECT sum(length(node)) FROM events NOT INDEXED"); });

    std::size_t json_bytes = 0;
    std::uint64_t counted = 0;
    const double anon_before = anonymous_mib();
    double anon_peak = anon_before;
    timing report = best_of(o.runs, o.log, [&] {
        log_reader reader;
        if (!reader.open(o.log)) std::exit(1);
        statistics_options so;
        so.current = root;
        so.library = &library;
        std::vector<tree_report> reports;
        std::uint64_t calls = 0;
        auto sample = [&](std::uint64_t) {
            if (++calls % 16 == 0) anon_peak = std::max(anon_peak, anonymous_mib());
        };
        if (auto r = collect_reports(reader, {}, so, reports, sample); !r) {
            std::fprintf(stderr, "report failed: %s\n", r.error.c_str());
            std::exit(1);
        }
        report_scope scope;
        scope.log_path = o.log;
        json_bytes = report_json(reports, scope).size();
        counted = reports.empty() ? 0 : reports.front().sessions.started;
    });
    if (counted != o.sessions) {
        std::fprintf(stderr, "the report counted %llu sessions, expected %llu\n",
                     static_cast<unsigned long long>(counted), static_cast<unsigned long long>(o.sessions));
        return 1;
    }

    anon_peak = std::max(anon_peak, anonymous_mib());
    const double ev = static_cast<double>(events);
    std::printf("SELECT count(*) FROM events          %8.2f s wall %8.2f s cpu\n", count.wall, count.cpu);
    std::printf("SELECT sum(length(node)) FROM events %8.2f s wall %8.2f s cpu\n", column.wall, column.cpu);
    std::printf("report (all figures + JSON)          %8.2f s wall %8.2f s cpu  %.2f M events/s\n", report.wall,
                report.cpu, ev / report.wall / 1e6);
    std::printf("report / count(*): %.1fx (target <= 3x); report / one-column scan: %.1fx\n", report.wall / count.wall,
                report.wall / column.wall);
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    std::printf("memory: report heap %.1f MiB (sampled while reading); peak resident size of this process "
                "%.1f MiB; JSON report: %zu bytes\n",
                anon_peak - anon_before, static_cast<double>(u.ru_maxrss) / 1024.0, json_bytes);
    return 0;
}
