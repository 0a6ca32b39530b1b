# Source this file: pg_start starts a throwaway PostgreSQL cluster (installing PostgreSQL when missing) and exports
# ORDERSTREAM_TEST_PG and ConnectionStrings__Postgres; pg_stop stops and removes it. Set PGDATA_KEEP to a folder to keep
# the data between runs (the run script does).
pg_start() {
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  if [ ! -x "$PGBIN/initdb" ]; then
    echo "Installing PostgreSQL (apt-get)..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
  fi
  # First free port from 55432 (bash /dev/tcp probe, no extra tools); honours a preset PGPORT.
  [ -n "${PGPORT:-}" ] || for p in $(seq 55432 55531); do (: <>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { PGPORT=$p; break; }; done
  if [ -n "${PGDATA_KEEP:-}" ]; then
    PGROOT="$PGDATA_KEEP"; mkdir -p "$PGROOT"
  else
    PGROOT="$(mktemp -d "${PGROOT_PARENT:-/tmp}/pg-test.XXXXXX")"
  fi
  chown postgres:postgres "$PGROOT"
  if [ ! -f "$PGROOT/data/PG_VERSION" ]; then
    su postgres -s /bin/sh -c "'$PGBIN/initdb' -D '$PGROOT/data' -U postgres -A trust -E UTF8 --no-locale" >/dev/null || return 1
  fi
  # A throwaway cluster for tests may lose its data in a crash, and runs faster for it; a kept one (PGDATA_KEEP: the run
  # script's real data) and the benches' (PG_DURABLE=1, so figures are a durable PostgreSQL's) keep the durable defaults.
  local fast=""
  [ -n "${PGDATA_KEEP:-}${PG_DURABLE:-}" ] || fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  su postgres -s /bin/sh -c "'$PGBIN/pg_ctl' -D '$PGROOT/data' -l '$PGROOT/server.log' -w -t 60 start -o \"-p $PGPORT -k '$PGROOT' -c listen_addresses=127.0.0.1 -c max_connections=300 $fast\"" >/dev/null \
    || { cat "$PGROOT/server.log"; return 1; }
  for _ in $(seq 1 60); do "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" && break; sleep 0.5; done
  "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "select 1 from pg_database where datname='orderstream'" | grep -q 1 \
    || "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc 'CREATE DATABASE orderstream' || return 1
  export PGBIN PGPORT PGROOT
  export ORDERSTREAM_TEST_PG="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=orderstream"
  export ConnectionStrings__Postgres="$ORDERSTREAM_TEST_PG"
}

pg_stop() {
  [ -n "${PGROOT:-}" ] || return 0
  su postgres -s /bin/sh -c "'$PGBIN/pg_ctl' -D '$PGROOT/data' -m fast -w stop" >/dev/null 2>&1 || true
  [ -n "${PGDATA_KEEP:-}" ] || rm -rf "$PGROOT"
  unset PGROOT
}
