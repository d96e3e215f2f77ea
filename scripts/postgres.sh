# Source this file: start_postgres / stop_postgres run a throwaway PostgreSQL server on
# loopback for the store tests and export SEGMENTOR_TEST_PG_URL. Without Debian's
# postgresql package the functions do nothing and the PostgreSQL tests are skipped.
PG_PORT="${PG_PORT:-54329}"

_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

start_postgres() {
  local bin; bin="$(_pg_bin)"
  if [ -z "$bin" ]; then echo "postgres.sh: PostgreSQL not installed; skipping its tests" >&2; return 0; fi
  PG_DIR="$(mktemp -d /tmp/segmentor-pg.XXXXXX)"
  local run=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR" start >/dev/null
  "${run[@]}" "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres segmentor_test
  export SEGMENTOR_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/segmentor_test"
  PG_RUN=("${run[@]}"); PG_BIN="$bin"
}

stop_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
