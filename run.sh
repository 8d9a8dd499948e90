#!/usr/bin/env bash
# Install what is missing, build, and start the main job.
set -euo pipefail
cd "$(dirname "$0")"
./deps.sh
if [ -x build/player/signpost-player ]; then
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec build/player/signpost-player --library trees trees/internet-outage.xml "$@"
  fi
  exec build/player/signpost-player --console --library trees trees/internet-outage.xml "$@"
fi
exec build/cli/signpost check trees/
