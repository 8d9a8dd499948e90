// A player killed with SIGKILL mid-call loses at most the event in flight: the log stays
// intact and the call reads back as abandoned.
#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <iostream>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "player_fixture.hpp"
#include "signpost/session_log.hpp"
#include "ui/stop_signal.hpp"

extern char** environ;

using namespace signpost;

namespace {

int count_events(const std::string& db, const std::string& kind) {
    sqlite3* h = nullptr;
    if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(h);
        return -1;
    }
    sqlite3_busy_timeout(h, 2000);
    sqlite3_stmt* st = nullptr;
    int n = -1;
    const std::string sql = "select count(*) from events where kind = '" + kind + "'";
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

// A console player on `tree` writing `db`, its stdin a pipe this test holds open (as a
// terminal would). `ignore_sighup`: started as nohup starts it.
struct console_player {
    pid_t pid = 0;
    int input = -1;  // write end of the player's stdin
};

console_player spawn_console_player(test::temp_folder& dir, const std::string& tree, const std::string& db,
                                    bool ignore_sighup = false) {
    int to_player[2];
    REQUIRE(pipe(to_player) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_player[0], STDIN_FILENO);
    posix_spawn_file_actions_addclose(&actions, to_player[1]);
    const std::string out = dir.file("out.txt");
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> args = {SIGNPOST_PLAYER_BIN, "--console", "--log", db, "--agent", "kim", tree};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The child inherits an ignored SIGHUP, as under nohup.
    struct sigaction ignore {}, before {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    if (ignore_sighup) REQUIRE(sigaction(SIGHUP, &ignore, &before) == 0);
    console_player p;
    const int spawned = posix_spawn(&p.pid, SIGNPOST_PLAYER_BIN, &actions, nullptr, argv.data(), environ);
    if (ignore_sighup) sigaction(SIGHUP, &before, nullptr);
    posix_spawn_file_actions_destroy(&actions);
    close(to_player[0]);
    REQUIRE(spawned == 0);
    p.input = to_player[1];
    return p;
}

// Waits (up to 10 s) until the log holds `n` events of `kind`; returns how many it holds.
int wait_for_events(const std::string& db, const std::string& kind, int n) {
    int found = 0;
    for (int i = 0; i < 200 && found < n; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        found = count_events(db, kind);
    }
    return found;
}

}  // namespace

TEST_CASE("kill: SIGKILL mid-call keeps every committed event and reads back as abandoned") {
    test::temp_folder dir;
    const std::string tree = dir.write("router.xml", test::player_tree_xml);
    const std::string db = dir.file("sessions.db");

    const console_player p = spawn_console_player(dir, tree, db);

    // "No" (a reboot step), continue, "No" again: three agent actions, then wait for them.
    const std::string input = "2\n\n2\n";
    REQUIRE(write(p.input, input.data(), input.size()) == static_cast<ssize_t>(input.size()));
    REQUIRE(wait_for_events(db, "choose", 2) == 2);
    kill(p.pid, SIGKILL);
    int status = 0;
    waitpid(p.pid, &status, 0);
    close(p.input);
    CHECK(WIFSIGNALED(status));

    log_reader reader;
    REQUIRE(reader.open(db));
    CHECK(reader.check_integrity());
    int sessions = 0;
    const auto r = reader.for_each_session({}, [&](const session_record& s, const std::vector<event>& events) {
        ++sessions;
        CHECK(s.agent == "kim");
        CHECK(s.status == session_status::abandoned);
        CHECK(s.writer_lost);
        REQUIRE(events.size() >= 6);
        CHECK(events.front().kind == event_kind::start);
        int chooses = 0;
        for (std::size_t i = 0; i < events.size(); ++i) {
            CHECK(events[i].sequence == static_cast<int>(i));
            if (events[i].kind == event_kind::choose) ++chooses;
        }
        CHECK(chooses == 2);
    });
    CHECK(r);
    CHECK(sessions == 1);
}

TEST_CASE("kill: SIGTERM mid-call (a logout) ends the call as stopped and exits 143") {
    test::temp_folder dir;
    const std::string tree = dir.write("router.xml", test::player_tree_xml);
    const std::string db = dir.file("sessions.db");

    const console_player p = spawn_console_player(dir, tree, db);

    const std::string input = "2\n";
    REQUIRE(write(p.input, input.data(), input.size()) == static_cast<ssize_t>(input.size()));
    REQUIRE(wait_for_events(db, "choose", 1) == 1);
    // The player now waits for the next line; the pipe stays open, as a terminal would.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    kill(p.pid, SIGTERM);
    int status = 0;
    waitpid(p.pid, &status, 0);
    close(p.input);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 128 + SIGTERM);

    log_reader reader;
    REQUIRE(reader.open(db));
    int sessions = 0;
    const auto r = reader.for_each_session({}, [&](const session_record& s, const std::vector<event>& events) {
        ++sessions;
        CHECK(s.status == session_status::abandoned);
        CHECK_FALSE(s.writer_lost);  // ended by the player itself, not found dangling later
        REQUIRE(!events.empty());
        CHECK(events.back().kind == event_kind::end);
        CHECK(events.back().outcome == "the player was stopped (SIGTERM)");
    });
    CHECK(r);
    CHECK(sessions == 1);
}

TEST_CASE("kill: a SIGHUP the player was started ignoring (nohup) stays ignored") {
    test::temp_folder dir;
    const std::string tree = dir.write("router.xml", test::player_tree_xml);
    const std::string db = dir.file("sessions.db");
    const console_player p = spawn_console_player(dir, tree, db, true);

    REQUIRE(wait_for_events(db, "start", 1) == 1);
    kill(p.pid, SIGHUP);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    int status = 0;
    CHECK(waitpid(p.pid, &status, WNOHANG) == 0);  // still running
    close(p.input);  // input ends: the console's own way out
    waitpid(p.pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 3);
}

TEST_CASE("kill: after a stop signal the console's input reads as ended, even if the read starts after it") {
    // The console checks for a stop before each read; a signal landing between that check
    // and the read used to leave the read waiting for the agent's next line. Here it lands
    // first, as in that gap: the read must end at once, not wait on the open pipe.
    int pipe_fds[2];
    REQUIRE(pipe(pipe_fds) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        dup2(pipe_fds[0], STDIN_FILENO);  // a terminal nobody types into: the write end stays open
        alarm(10);                         // a read that waits is the failure
        ui::catch_stop_signals(/*stop_ends_input=*/true);
        raise(SIGTERM);
        std::string line;
        const bool read = static_cast<bool>(std::getline(std::cin, line));
        _exit(!read && ui::stop_signal() == SIGTERM ? 0 : 1);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
