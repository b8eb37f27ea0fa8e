#!/usr/bin/env bash
# Runs the whole test suite. It makes sure a PostgreSQL with pgvector is
# reachable first, because the Postgres tests run for real and fail (never
# skip) without one:
#   1. DATABASE_URL when set;
#   2. else the server on 127.0.0.1:5432 (started if its cluster is down);
#   3. else a throwaway cluster made with initdb/pg_ctl in a temp dir.
# Likewise a NATS server with JetStream for the event bus and the
# several-server tests: NATS_URL when set, else 127.0.0.1:4222 (started,
# or installed from Debian's nats-server package, when missing).
# Extra arguments go to `go test` (default: ./...).
set -euo pipefail
cd "$(dirname "$0")/.."

"$(dirname "$0")/install-pgvector.sh"

# The browser tests drive Debian's Chromium; without Korean fonts its
# screenshots show empty boxes.
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi nanum; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-nanum >/dev/null
fi

pgbin=/usr/lib/postgresql/$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)/bin
cleanup=""
if [ -z "${DATABASE_URL:-}" ]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main start || true
      for _ in $(seq 1 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
    fi
  fi
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
  else
    dir=$(mktemp -d)
    chown postgres "$dir" 2>/dev/null || true
    runas=""; [ "$(id -u)" -eq 0 ] && runas="runuser -u postgres --"
    $runas "$pgbin/initdb" -A trust -U postgres -D "$dir/data" >/dev/null
    $runas "$pgbin/pg_ctl" -D "$dir/data" -o "-p 55432 -k $dir -c listen_addresses=127.0.0.1" -l "$dir/log" -w start >/dev/null
    cleanup="$runas $pgbin/pg_ctl -D $dir/data -m fast stop"
    export DATABASE_URL="postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable"
  fi
fi

nats_up() { (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; }
if [ -z "${NATS_URL:-}" ]; then
  if ! nats_up; then
    if ! command -v nats-server >/dev/null && [ ! -x /usr/sbin/nats-server ]; then
      sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
      $sudo apt-get update -qq
      $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
    fi
    natsdir=$(mktemp -d)
    natsbin=$(command -v nats-server || echo /usr/sbin/nats-server)
    "$natsbin" -a 127.0.0.1 -p 4222 -js -sd "$natsdir" -l "$natsdir/log" &
    natspid=$!
    cleanup="${cleanup:+$cleanup; }kill $natspid"
    for _ in $(seq 1 40); do nats_up && break; sleep 0.25; done
  fi
fi
# Only the tests see it: a server a test starts uses NATS when it says so.
export SODAM_TEST_NATS_URL="${NATS_URL:-nats://127.0.0.1:4222}"

trap '[ -n "$cleanup" ] && eval "$cleanup" >/dev/null 2>&1; true' EXIT
# The Postgres tests create their own databases from this one and drop them.
export SODAM_TEST_DATABASE_URL="$DATABASE_URL"

if [ $# -eq 0 ]; then set -- ./...; fi
go vet ./...
go test -race -count=1 -timeout 20m "$@"
