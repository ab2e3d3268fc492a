#!/usr/bin/env bash
# Issue #9: every reliability scenario from one command (docs/reliability.md has the table and the results).
# Builds once in Release, starts peers of its own (never the shared ones), runs each scenario as its own
# `dotnet test --no-build` with a log file, stops the peers by pid at the end (also on failure or Ctrl-C), prints a
# summary table and exits non-zero when any scenario failed.
#
#   bash tests/reliability/run.sh                                # full size: 100,000 fuzz updates per database, 10 fault rounds
#   VANTABOT_RELIABILITY_QUICK=1 bash tests/reliability/run.sh   # CI sizes (the tests' defaults, 1 fault round)
#   VANTABOT_RELIABILITY_ONLY="fuzz-sqlite faults" bash tests/reliability/run.sh   # a subset, by scenario name
#
# Settings (environment):
#   VANTABOT_FUZZ_ITERATIONS     hostile updates per database (full: 100000; quick: the tests' CI figure)
#   VANTABOT_FUZZ_SEED           replay a fuzz run (the tests print the seed they used)
#   VANTABOT_FAULT_ROUNDS        outages / fault rounds / kills per fault scenario (full: 10; quick: 1)
#   VANTABOT_FAULT_SEED          replay a fault schedule
#   VANTABOT_FAULT_PORT_BASE     ports of the fault suite's private peers (base, +1, +2); unset: free ports
#   VANTABOT_PEERS_DIR           where this run's peers live (default /tmp/vantabot-reliability-peers)
#   VANTABOT_PG_PORT, VANTABOT_REDIS_PORT, VANTABOT_TELEGRAM_PORT   this run's peers (unset: the first free port
#                                from 58432 / 58479 / 58950)
#   VANTABOT_RELIABILITY_LOGS    directory for the per-scenario logs (default /tmp/vantabot-reliability-<time>)
#   VANTABOT_RELIABILITY_NO_BUILD=1  skip the Release build (it must already be there)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { echo "[reliability] $*" >&2; }

# ---- sizes ------------------------------------------------------------------------------------------------------
if [ "${VANTABOT_RELIABILITY_QUICK:-0}" = 1 ]; then
  export VANTABOT_FAULT_ROUNDS="${VANTABOT_FAULT_ROUNDS:-1}"
  # VANTABOT_FUZZ_ITERATIONS left as given: unset means the tests' own CI figures (10,000 SQLite, 3,000 PostgreSQL).
else
  export VANTABOT_FUZZ_ITERATIONS="${VANTABOT_FUZZ_ITERATIONS:-100000}"
  export VANTABOT_FAULT_ROUNDS="${VANTABOT_FAULT_ROUNDS:-10}"
fi

# ---- scenarios: name | what dotnet test filter (or "faults" for tests/faults/run.sh) -------------------------------
SCENARIOS=(
  "fuzz-sqlite|FullyQualifiedName~SqliteHostileInputFuzzTests.Invalid_input"
  "fuzz-postgres|FullyQualifiedName~PostgresHostileInputFuzzTests.Invalid_input"
  "mixed-sqlite|FullyQualifiedName~SqliteHostileInputFuzzTests.Valid_and_hostile"
  "mixed-postgres|FullyQualifiedName~PostgresHostileInputFuzzTests.Valid_and_hostile"
  "role-matrix|FullyQualifiedName~RoleMatrixTests"
  "webhook-secret|FullyQualifiedName~WebhookEndToEndTests"
  "faults|faults"
  "update-rehandling|FullyQualifiedName~UpdateRehandlingTests"
  "polling-batches|FullyQualifiedName~PollingConcurrencyTests|FullyQualifiedName~PollingResumeTests"
  "swap-crash|FullyQualifiedName~SwapCrashTests"
  "mirror-crash|FullyQualifiedName~MirrorCrashTests"
  "concurrent-live-swaps|FullyQualifiedName~ConcurrentLiveSwapTests"
  "tx-queue|FullyQualifiedName~TxQueue"
)

selected() { # name
  [ -z "${VANTABOT_RELIABILITY_ONLY:-}" ] && return 0
  [[ " $VANTABOT_RELIABILITY_ONLY " == *" $1 "* ]]
}

# ---- clean-up: the running test (its whole process group) and this run's peers, by pid ----------------------------
PEERS_DIR="${VANTABOT_PEERS_DIR:-/tmp/vantabot-reliability-peers}"
PEERS_STARTED=0
CHILD=""
cleanup() {
  if [ -n "$CHILD" ] && kill -0 "$CHILD" 2>/dev/null; then
    log "stopping the running scenario (process group $CHILD)"
    kill -TERM -- "-$CHILD" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$CHILD" 2>/dev/null
  fi
  if [ "$PEERS_STARTED" = 1 ]; then
    VANTABOT_PEERS_DIR="$PEERS_DIR" bash tests/peers/stop.sh
  fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
# Each scenario runs as a background job in its own process group, so the clean-up can stop the test host and
# everything it started (bot processes, anvil) without touching anything else.
set -m

# ---- build once ---------------------------------------------------------------------------------------------------
LOGS="${VANTABOT_RELIABILITY_LOGS:-/tmp/vantabot-reliability-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$LOGS"
if [ "${VANTABOT_RELIABILITY_NO_BUILD:-0}" != 1 ]; then
  log "dotnet build VantaBot.sln -c Release (log: $LOGS/build.log)"
  dotnet build VantaBot.sln -c Release > "$LOGS/build.log" 2>&1 &
  CHILD=$!
  wait "$CHILD" || { tail -30 "$LOGS/build.log" >&2; log "build failed"; exit 1; }
  CHILD=""
fi

# ---- peers of our own ---------------------------------------------------------------------------------------------
free_port() { # first port from $1 nothing listens on
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}
PG_PORT="${VANTABOT_PG_PORT:-$(free_port 58432)}"
REDIS_PORT="${VANTABOT_REDIS_PORT:-$(free_port 58479)}"
TELEGRAM_PORT="${VANTABOT_TELEGRAM_PORT:-$(free_port 58950)}"
log "peers in $PEERS_DIR: PostgreSQL $PG_PORT, Redis $REDIS_PORT, Telegram emulator $TELEGRAM_PORT"
PEERS_STARTED=1 # from here on the clean-up stops whatever start.sh got to record
VANTABOT_PEERS_DIR="$PEERS_DIR" VANTABOT_PG_PORT="$PG_PORT" VANTABOT_REDIS_PORT="$REDIS_PORT" \
  VANTABOT_TELEGRAM_PORT="$TELEGRAM_PORT" bash -c '. tests/peers/start.sh' > "$LOGS/peers.log" 2>&1 \
  || { cat "$LOGS/peers.log" >&2; log "peers failed to start"; exit 1; }
# shellcheck disable=SC1091
. "$PEERS_DIR/env"

# ---- run ----------------------------------------------------------------------------------------------------------
log "fuzz updates per database: ${VANTABOT_FUZZ_ITERATIONS:-test default}, seed ${VANTABOT_FUZZ_SEED:-20260909}; fault rounds: $VANTABOT_FAULT_ROUNDS; logs: $LOGS"
RESULTS=()
FAILED=0

run_scenario() { # name filter
  local name=$1 filter=$2 logfile="$LOGS/$1.log" start status result
  start=$SECONDS
  log "$name: running (log: $logfile, load $(cut -d' ' -f1-3 /proc/loadavg))"
  if [ "$filter" = faults ]; then
    # The fault suite has its own script (it starts private peers per test); it passes extra arguments to dotnet test.
    CONFIGURATION=Release bash tests/faults/run.sh --no-build > "$logfile" 2>&1 &
  else
    dotnet test tests/VantaBot.IntegrationTests -c Release --no-build --filter "$filter" \
      --logger "console;verbosity=detailed" > "$logfile" 2>&1 &
  fi
  CHILD=$!
  wait "$CHILD"
  status=$?
  CHILD=""
  # The console logger's closing lines ("Test Run Successful.", "Total tests: N", "Passed: N", "Failed: N").
  # A filter that matches nothing also exits 0: a scenario passes only when tests ran and none failed.
  local passed failed summary
  passed=$(grep -E '^ +Passed: [0-9]+$' "$logfile" | tail -1 | grep -oE '[0-9]+')
  failed=$(grep -E '^ +Failed: [0-9]+$' "$logfile" | tail -1 | grep -oE '[0-9]+')
  summary="${passed:-0} passed, ${failed:-0} failed"
  if [ "$status" -eq 0 ] && grep -q '^Test Run Successful\.' "$logfile" && [ "${passed:-0}" -gt 0 ] && [ "${failed:-0}" -eq 0 ]; then
    result=passed
  else
    result="FAILED (exit $status)"
    FAILED=$((FAILED + 1))
  fi
  local took=$((SECONDS - start))
  RESULTS+=("$name|$result|$((took / 60))m $((took % 60))s|$summary")
  log "$name: $result in $((took / 60))m $((took % 60))s"
}

for entry in "${SCENARIOS[@]}"; do
  name=${entry%%|*}
  selected "$name" && run_scenario "$name" "${entry#*|}"
done

# ---- summary ------------------------------------------------------------------------------------------------------
echo
printf '%-22s %-16s %-9s %s\n' SCENARIO RESULT DURATION TESTS
for row in "${RESULTS[@]}"; do
  IFS='|' read -r name result took summary <<<"$row"
  printf '%-22s %-16s %-9s %s\n' "$name" "$result" "$took" "$summary"
done
echo "logs: $LOGS"
[ "${#RESULTS[@]}" -gt 0 ] || { log "no scenario selected"; exit 1; }
[ "$FAILED" -eq 0 ] || { log "$FAILED scenario(s) failed"; exit 1; }
log "all ${#RESULTS[@]} scenarios passed"
