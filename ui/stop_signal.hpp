#pragma once
// SIGTERM, SIGHUP and SIGINT (a logout, `kill`, Ctrl+C in the terminal) ask the player and
// the editor to stop instead of killing them outright, so the editor can keep unsaved edits
// in its autosave and the player can record the open call as ended, not leave it dangling.

namespace signpost::ui {

// Installs the handlers, except for signals already ignored (nohup). They record which
// signal came; a blocking read is interrupted (no SA_RESTART) so a console waiting for input
// notices too. With `stop_ends_input`, standard input also reads as ended from the moment a
// stop signal comes: a console that checked stop_signal() just before the signal and then
// starts a read does not wait for another line.
void catch_stop_signals(bool stop_ends_input = false);

// The signal that asked the program to stop, or 0.
int stop_signal();

// "SIGTERM", "SIGHUP", "SIGINT" (or "signal N").
const char* stop_signal_name(int signal);

}  // namespace signpost::ui
