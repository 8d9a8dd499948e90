#include "ui/stop_signal.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <initializer_list>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace signpost::ui {

namespace {
volatile std::sig_atomic_t g_stop_signal = 0;
int g_null_input = -1;  // /dev/null, put in place of stdin by a stop (stop_ends_input)

extern "C" void record_stop_signal(int signal) {
    g_stop_signal = signal;
    // dup2 is async-signal-safe; errno is kept for the code the signal interrupted.
    if (g_null_input >= 0) {
        const int saved = errno;
        dup2(g_null_input, STDIN_FILENO);
        errno = saved;
    }
}
}  // namespace

void catch_stop_signals(bool stop_ends_input) {
    if (stop_ends_input && g_null_input < 0) g_null_input = open("/dev/null", O_RDONLY | O_CLOEXEC);
    struct sigaction action {};
    action.sa_handler = record_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: a blocked read returns, and the caller looks
    for (const int s : {SIGTERM, SIGHUP, SIGINT}) {
        // A signal the parent chose to ignore (nohup, a script's background job) stays
        // ignored: that is a promise to the person who started the program.
        struct sigaction before {};
        if (sigaction(s, nullptr, &before) == 0 && before.sa_handler == SIG_IGN) continue;
        sigaction(s, &action, nullptr);
    }
}

int stop_signal() {
    return g_stop_signal;
}

const char* stop_signal_name(int signal) {
    switch (signal) {
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    default: {
        static char other[32];
        std::snprintf(other, sizeof other, "signal %d", signal);
        return other;
    }
    }
}

}  // namespace signpost::ui
