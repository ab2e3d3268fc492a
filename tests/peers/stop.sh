#!/usr/bin/env bash
# Stops the peers started by start.sh, by the pids it recorded (never by process name).
set -u
RUN_DIR="${VANTABOT_PEERS_DIR:-/tmp/vantabot-peers}"
for name in telegram redis postgres; do
  file="$RUN_DIR/$name.pid"
  [ -f "$file" ] || continue
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$file"
  echo "[peers] stopped $name (pid $pid)" >&2
done
