# shellcheck shell=bash
# Throw-away PostgreSQL 15 server for tests. Source this file, then:
#
#   keel_pg_start   initdb in a fresh temp dir, start on a free 127.0.0.1 port, create
#                   database keel_test; sets and exports
#                     KEEL_TEST_POSTGRES_URL  postgresql://keel@127.0.0.1:PORT/keel_test
#                     KEEL_PG_DIR             temp dir (data in $KEEL_PG_DIR/data,
#                                             server log in $KEEL_PG_DIR/log)
#                     KEEL_PG_PORT            port
#   keel_pg_stop    stop the server (fast) and remove the temp dir; safe to call twice
#                   or when nothing was started.
#
# As root, the server runs as the `postgres` system user (created by the Debian package);
# otherwise as the current user. KEEL_PG_BIN overrides /usr/lib/postgresql/15/bin.

KEEL_PG_BIN="${KEEL_PG_BIN:-/usr/lib/postgresql/15/bin}"

# Run a command as the user that owns the cluster.
_keel_pg_as_owner() {
  if ((EUID == 0)); then
    # From a directory postgres can enter, or pg_ctl/initdb warn about the cwd.
    (cd "$KEEL_PG_DIR" && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

_keel_pg_free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
    return
  fi
  # Fallback: probe ports from a random start; a refused connection means it is free.
  local port=$((20000 + RANDOM % 30000)) i
  for ((i = 0; i < 200; i++, port++)); do
    if ! (: >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  return 1
}

keel_pg_start() {
  local dir port attempt started=0
  if [[ ! -x "$KEEL_PG_BIN/initdb" ]]; then
    echo "postgres: $KEEL_PG_BIN/initdb not found (run scripts/deps --test)" >&2
    return 1
  fi

  dir="$(mktemp -d -t keel-pg.XXXXXXXX)" || return 1
  KEEL_PG_DIR="$dir"
  export KEEL_PG_DIR
  if ((EUID == 0)); then
    chown postgres: "$dir" || return 1
  fi

  echo "postgres: initdb in $dir/data"
  if ! _keel_pg_as_owner "$KEEL_PG_BIN/initdb" -D "$dir/data" -U keel --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    return 1
  fi

  # The free port can be taken between probing and binding; retry a few times.
  for attempt in 1 2 3 4 5; do
    port="$(_keel_pg_free_port)" || return 1
    if _keel_pg_as_owner "$KEEL_PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -s \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start; then
      started=1
      break
    fi
    echo "postgres: start on port $port failed (attempt $attempt)" >&2
  done
  if ((!started)); then
    cat "$dir/log" >&2 2>/dev/null
    return 1
  fi

  KEEL_PG_PORT="$port"
  export KEEL_PG_PORT
  "$KEEL_PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U keel keel_test || return 1
  KEEL_TEST_POSTGRES_URL="postgresql://keel@127.0.0.1:$port/keel_test"
  export KEEL_TEST_POSTGRES_URL
  echo "postgres: running at $KEEL_TEST_POSTGRES_URL"
}

keel_pg_stop() {
  local dir="${KEEL_PG_DIR:-}" pid=""
  [[ -n "$dir" ]] || return 0
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    pid="$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)"
    if ! _keel_pg_as_owner "$KEEL_PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -s stop; then
      # Last resort: immediate shutdown of the postmaster we started.
      if [[ -n "$pid" ]]; then kill -QUIT "$pid" 2>/dev/null || true; fi
    fi
  fi
  rm -rf -- "$dir"
  unset KEEL_PG_DIR KEEL_PG_PORT KEEL_TEST_POSTGRES_URL
  echo "postgres: stopped${pid:+ (pid $pid)}"
}
