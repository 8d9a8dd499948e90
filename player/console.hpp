#pragma once
// The console player: the same walk in a terminal, one command per input line, so scripts
// can drive it through stdin and tmux can test it.

#include <istream>
#include <ostream>

#include "player_app.hpp"

namespace signpost::player {

// Runs one call to its end (or until input ends, which abandons it) and prints the
// transcript. Returns the process exit code: 0 when the call finished, 3 when input ran out
// first, 5 when `scripted` and an answer was refused, 128 + the signal when a stop signal
// (ui/stop_signal.hpp) interrupted it. `columns` > 0 (the terminal's width) wraps the
// script's text to it. `scripted` (--answers): the run stops at the first answer refused
// (the answers after it were meant for other steps) and the call ends, abandoned, saying which.
int run_console(player_app& app, std::istream& in, std::ostream& out, std::size_t columns = 0, bool scripted = false);

// Every text from a tree goes through this before reaching the terminal: Markdown markers
// dropped and control characters neutralised, so a tree file cannot drive the terminal.
std::string terminal_text(std::string_view markdown);

}  // namespace signpost::player
