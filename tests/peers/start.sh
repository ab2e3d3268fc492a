#!/usr/bin/env bash
# Installs and starts the real peers the integration tests use, all on 127.0.0.1:
#   PostgreSQL 15 (Debian), Redis 7 (Debian), telegram-test-api (npm).
# Also installs (not starts) anvil and the Uniswap artifacts: EVM tests start their own anvil per test class from
# VANTABOT_TEST_ANVIL_BIN and deploy with tests/peers/evm/deploy-uniswap.mjs.
# Source it (". tests/peers/start.sh") to get the VANTABOT_TEST_* variables; stop everything with
# tests/peers/stop.sh, which kills exactly the pids recorded here.
set -euo pipefail

PEERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="${VANTABOT_PEERS_DIR:-/tmp/vantabot-peers}"
PG_PORT="${VANTABOT_PG_PORT:-55432}"
REDIS_PORT="${VANTABOT_REDIS_PORT:-56379}"
TELEGRAM_PORT="${VANTABOT_TELEGRAM_PORT:-59000}"

log() { echo "[peers] $*" >&2; }

install_packages() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if ! command -v node >/dev/null 2>&1; then
    log "apt-get install nodejs npm"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
  local anvil="$PEERS_DIR/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
  if [ ! -d "$PEERS_DIR/node_modules/telegram-test-api" ] || [ ! -x "$anvil" ] \
     || [ ! -d "$PEERS_DIR/node_modules/@uniswap/v3-periphery" ] || [ ! -d "$PEERS_DIR/node_modules/ethers" ]; then
    log "npm ci in tests/peers"
    (cd "$PEERS_DIR" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

wait_for_port() { # host port seconds
  local deadline=$((SECONDS + $3))
  until (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { log "nothing listens on $1:$2 after $3 s"; return 1; }
    sleep 0.2
  done
}

start_postgres() {
  local pgbin data="$RUN_DIR/pg"
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  mkdir -p "$RUN_DIR"; chmod 755 "$RUN_DIR"
  rm -rf "$data"; mkdir -p "$data"; chown postgres:postgres "$data"
  su postgres -c "$pgbin/initdb -D $data -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8" >/dev/null
  # Test databases are throwaway: durability off makes them fast without changing semantics the tests check.
  su postgres -c "$pgbin/pg_ctl -D $data -l $data/server.log -w -o '-k /tmp -p $PG_PORT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300' start" >/dev/null
  head -1 "$data/postmaster.pid" > "$RUN_DIR/postgres.pid"
  psql -q -h /tmp -p "$PG_PORT" -U postgres \
    -c "CREATE USER vantabot WITH PASSWORD 'vantabot' CREATEDB;" \
    -c "CREATE DATABASE vantabot OWNER vantabot;" >/dev/null
  log "postgres on 127.0.0.1:$PG_PORT (pid $(cat "$RUN_DIR/postgres.pid"))"
}

start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --pidfile "$RUN_DIR/redis.pid" \
    --save '' --appendonly no --dir "$RUN_DIR" --logfile "$RUN_DIR/redis.log"
  wait_for_port 127.0.0.1 "$REDIS_PORT" 10
  log "redis on 127.0.0.1:$REDIS_PORT (pid $(cat "$RUN_DIR/redis.pid"))"
}

start_telegram() {
  node "$PEERS_DIR/telegram-emulator.js" "$TELEGRAM_PORT" 600 > "$RUN_DIR/telegram.log" 2>&1 &
  echo $! > "$RUN_DIR/telegram.pid"
  wait_for_port 127.0.0.1 "$TELEGRAM_PORT" 20
  log "telegram-test-api on 127.0.0.1:$TELEGRAM_PORT (pid $(cat "$RUN_DIR/telegram.pid"))"
}

if [ -f "$RUN_DIR/postgres.pid" ] || [ -f "$RUN_DIR/redis.pid" ] || [ -f "$RUN_DIR/telegram.pid" ]; then
  log "stopping peers left over from an earlier run"
  bash "$PEERS_DIR/stop.sh"
fi
install_packages
mkdir -p "$RUN_DIR"
start_postgres
start_redis
start_telegram

export VANTABOT_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=vantabot;Password=vantabot;Database=vantabot"
export VANTABOT_TEST_REDIS="127.0.0.1:$REDIS_PORT"
export VANTABOT_TEST_TELEGRAM_URL="http://127.0.0.1:$TELEGRAM_PORT"
# The raw binary: the node_modules/.bin wrapper always exits 0, so it cannot report a failed start.
export VANTABOT_TEST_ANVIL_BIN="$PEERS_DIR/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
export VANTABOT_TEST_UNISWAP_DEPLOY="$PEERS_DIR/evm/deploy-uniswap.mjs"
cat > "$RUN_DIR/env" <<ENV
export VANTABOT_TEST_PG="$VANTABOT_TEST_PG"
export VANTABOT_TEST_REDIS="$VANTABOT_TEST_REDIS"
export VANTABOT_TEST_TELEGRAM_URL="$VANTABOT_TEST_TELEGRAM_URL"
export VANTABOT_TEST_ANVIL_BIN="$VANTABOT_TEST_ANVIL_BIN"
export VANTABOT_TEST_UNISWAP_DEPLOY="$VANTABOT_TEST_UNISWAP_DEPLOY"
ENV
log "peers up; variables in $RUN_DIR/env"
