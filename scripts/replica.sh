#!/usr/bin/env bash
# A local streaming replica of the PostgreSQL server on 127.0.0.1:5432, for DATABASE_READ_URL
# (docs/decisions/045) and tests/integration/read-replica.test.ts.
#
#   scripts/replica.sh [start]   set up (first time: pg_basebackup) and start it; idempotent
#   scripts/replica.sh status    is it up, and how far behind
#   scripts/replica.sh stop      stop it (the data directory stays: `start` is quick again)
#   scripts/replica.sh destroy   stop it and delete its data directory
#
# What it changes on the primary, once: a `host replication all 127.0.0.1/32 trust` line in its
# pg_hba.conf (then a reload), and only if replication connections are refused. It checks that
# wal_level is replica (or logical) and max_wal_senders > 0, and stops with a message if not
# (both need a restart of the primary, which a script shared by others should not do).
# No replication slot is kept: a replica that stays stopped must never make the primary keep WAL
# forever. A replica that fell too far behind is rebuilt with `destroy` then `start`.
#
# Settings: REPLICA_PORT (5433), REPLICA_DIR (/tmp/paydesk-replica), PRIMARY_HOST/PRIMARY_PORT
# (127.0.0.1:5432), PRIMARY_USER (postgres). Run it as root or as the postgres OS user.
set -euo pipefail

REPLICA_PORT="${REPLICA_PORT:-5433}"
REPLICA_DIR="${REPLICA_DIR:-/tmp/paydesk-replica}"
PRIMARY_HOST="${PRIMARY_HOST:-127.0.0.1}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
PRIMARY_USER="${PRIMARY_USER:-postgres}"
DATA="$REPLICA_DIR/data"
LOG="$REPLICA_DIR/postgres.log"

bin_dir() {
  local version
  version="$(psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" -Atc 'show server_version_num')"
  echo "/usr/lib/postgresql/$((version / 10000))/bin"
}

# Runs a command as the postgres OS user when we are root (PostgreSQL refuses to run as root).
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

primary() { psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" -v ON_ERROR_STOP=1 -Atc "$1"; }
replica() { psql -h 127.0.0.1 -p "$REPLICA_PORT" -U "$PRIMARY_USER" -d postgres -Atc "$1"; }

running() { [ -f "$DATA/postmaster.pid" ] && as_postgres "$(bin_dir)/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

ensure_primary_allows_replication() {
  local wal_level senders
  wal_level="$(primary 'show wal_level')"
  senders="$(primary 'show max_wal_senders')"
  if [ "$wal_level" = minimal ] || [ "$senders" = 0 ]; then
    echo "The primary has wal_level=$wal_level and max_wal_senders=$senders: set wal_level=replica and" >&2
    echo "max_wal_senders=10 in its postgresql.conf and restart it, then run this again." >&2
    exit 1
  fi
  if psql "host=$PRIMARY_HOST port=$PRIMARY_PORT user=$PRIMARY_USER replication=true" -Atc 'IDENTIFY_SYSTEM' >/dev/null 2>&1; then
    return
  fi
  local hba
  hba="$(primary 'show hba_file')"
  echo "Allowing replication connections from 127.0.0.1 in $hba (then reloading the primary)"
  printf '\n# Added by paydesk scripts/replica.sh: a local streaming replica\nhost replication all 127.0.0.1/32 trust\n' >>"$hba"
  primary 'select pg_reload_conf()' >/dev/null
  for _ in $(seq 1 20); do
    psql "host=$PRIMARY_HOST port=$PRIMARY_PORT user=$PRIMARY_USER replication=true" -Atc 'IDENTIFY_SYSTEM' >/dev/null 2>&1 && return
    sleep 0.25
  done
  echo "The primary still refuses replication connections; see $hba" >&2
  exit 1
}

base_backup() {
  echo "Copying the primary into $DATA (pg_basebackup)"
  mkdir -p "$REPLICA_DIR"
  chown postgres: "$REPLICA_DIR" 2>/dev/null || true
  # -R writes standby.signal and primary_conninfo; -X stream copies the WAL the copy needs.
  as_postgres "$(bin_dir)/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" \
    -D "$DATA" -R -X stream --checkpoint=fast
  # Debian keeps the configuration outside the data directory: the replica gets its own, small one.
  cat >"$DATA/postgresql.conf" <<CONF
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$REPLICA_DIR'
hot_standby = on
hot_standby_feedback = on
max_connections = 100
shared_buffers = 64MB
# Tests delay or pause the replay (read-your-writes); queries on the standby must not be cancelled
# for it meanwhile.
max_standby_streaming_delay = -1
CONF
  cat >"$DATA/pg_hba.conf" <<CONF
local all all trust
host all all 127.0.0.1/32 trust
CONF
  chown postgres: "$DATA/postgresql.conf" "$DATA/pg_hba.conf" 2>/dev/null || true
}

start() {
  if running; then
    echo "The replica is already running on 127.0.0.1:$REPLICA_PORT"
    return
  fi
  ensure_primary_allows_replication
  [ -f "$DATA/standby.signal" ] || { rm -rf "$DATA"; base_backup; }
  as_postgres "$(bin_dir)/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
  # Streaming has begun when the replica has replayed up to where the primary was just now.
  local target
  target="$(primary 'select pg_current_wal_lsn()')"
  for _ in $(seq 1 120); do
    [ "$(replica "select coalesce(pg_last_wal_replay_lsn() >= '$target', false)" 2>/dev/null)" = t ] && break
    sleep 0.5
  done
  echo "Replica streaming from $PRIMARY_HOST:$PRIMARY_PORT on 127.0.0.1:$REPLICA_PORT"
  echo "  DATABASE_READ_URL=postgres://$PRIMARY_USER@127.0.0.1:$REPLICA_PORT/<database>"
}

stop() {
  if running; then as_postgres "$(bin_dir)/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
  echo "Replica stopped"
}

status() {
  if ! running; then
    echo "The replica is not running"
    exit 3
  fi
  echo "Replica on 127.0.0.1:$REPLICA_PORT: in recovery $(replica 'select pg_is_in_recovery()'), replay $(replica \
    'select pg_last_wal_replay_lsn()'), paused $(replica 'select pg_is_wal_replay_paused()'); primary at $(primary \
    'select pg_current_wal_lsn()')"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  destroy)
    stop
    rm -rf "$REPLICA_DIR"
    echo "Replica data removed"
    ;;
  *)
    echo "usage: $0 [start|status|stop|destroy]" >&2
    exit 2
    ;;
esac
