# Sourced by GUI tests: starts a private Xvfb on a free display number and stops it on exit.
# Nothing here assumes a display is already there.
start_xvfb() {
  command -v Xvfb >/dev/null || { echo "Xvfb is not installed (Debian package xvfb)"; return 1; }
  local n
  for n in $(seq 90 140); do
    [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] && continue
    Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
    XVFB_PID=$!
    local i
    for i in $(seq 1 50); do
      [ -e "/tmp/.X11-unix/X$n" ] && break
      kill -0 "$XVFB_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$XVFB_PID" 2>/dev/null && [ -e "/tmp/.X11-unix/X$n" ]; then
      export DISPLAY=":$n"
      trap 'kill $XVFB_PID 2>/dev/null; wait $XVFB_PID 2>/dev/null' EXIT
      return 0
    fi
  done
  echo "could not start Xvfb"
  return 1
}

# Runs a command that opens a real GL window. In the sanitizer build (ASAN_OPTIONS set by
# the "sanitize" test preset) LeakSanitizer is off for that one process: under Xvfb, Mesa's
# software GL driver threads leave 3 glibc TLS blocks (240 bytes) allocated by ld.so, and
# neither is built with frame pointers, so the recorded stacks end in a bogus frame and no
# suppression can name the library (docs/fuzzing.md). ASan and UBSan stay on, and every
# other run of the binaries in these scripts is leak-checked.
with_gl() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$@"; }
