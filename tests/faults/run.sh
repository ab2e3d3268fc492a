#!/usr/bin/env bash
# Runs the whole fault suite (issue #9 item 2) against peers of its own: every test starts its own PostgreSQL,
# Redis and Telegram emulator (tests/VantaBot.IntegrationTests/Faults/PrivatePeers.cs) and stops them by pid, so
# the shared peers (VANTABOT_TEST_PG / _REDIS / _TELEGRAM_URL) are never touched.
#
#   bash tests/faults/run.sh            # the long variants: VANTABOT_FAULT_ROUNDS=10 (kills / outages / fault rounds)
#   VANTABOT_FAULT_ROUNDS=1 bash tests/faults/run.sh          # CI size
#   VANTABOT_FAULT_SEED=123 bash tests/faults/run.sh          # replay another random schedule
#   VANTABOT_FAULT_PORT_BASE=58800 bash tests/faults/run.sh   # pin the peers' ports (base, base+1, base+2)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# The same installs tests/peers/start.sh makes, without starting (or stopping) the shared peers.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1 || {
  echo "[faults] installing postgresql and redis-server" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >/dev/null
}
[ -d tests/peers/node_modules/telegram-test-api ] || (cd tests/peers && npm ci --no-audit --no-fund --loglevel=error)

export VANTABOT_FAULT_ROUNDS="${VANTABOT_FAULT_ROUNDS:-10}"
echo "[faults] rounds=$VANTABOT_FAULT_ROUNDS seed=${VANTABOT_FAULT_SEED:-20260909}" >&2
dotnet test tests/VantaBot.IntegrationTests -c "${CONFIGURATION:-Debug}" \
  --filter "FullyQualifiedName~VantaBot.IntegrationTests.Faults." \
  --logger "console;verbosity=normal" "$@"
