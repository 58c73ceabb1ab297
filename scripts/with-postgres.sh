#!/usr/bin/env bash
# Runs COMMAND… beside a throw-away PostgreSQL server: Debian's postgresql package, a new
# cluster in a temporary directory listening on 127.0.0.1 (a free port from 18550 on), with
# TEST_POSTGRES_URL naming its database; stops and removes it afterwards, whatever
# COMMAND did. Exits with COMMAND's status. As root, the server runs as the package's
# `postgres` user (initdb refuses root). POSTGRES_DURABLE=1 keeps fsync on (benchmarks).
# Usage: scripts/with-postgres.sh COMMAND [ARGUMENTS…]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: scripts/with-postgres.sh COMMAND [ARGUMENTS…]" >&2; exit 2; }
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "with-postgres: PostgreSQL is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
dir=$(mktemp -d /tmp/dpbridge-postgres.XXXXXX)
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir"
    as_owner=(runuser -u postgres --)
fi
stop() {
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT
port=18550
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U dpbridge --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
# A test server: nothing here must survive a crash of the machine (fsync off), unless
# POSTGRES_DURABLE=1 (benchmarks of durable commits).
fsync=off
[ "${POSTGRES_DURABLE:-}" = 1 ] && fsync=on
"${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=200" >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U dpbridge dpbridge_test
# Not DPBRIDGE_…: the daemons the tests start refuse DPBRIDGE_ variables they do not know.
export TEST_POSTGRES_URL="postgresql://dpbridge@127.0.0.1:$port/dpbridge_test"
export POSTGRES_BINDIR=$bindir  # the server's tools (pgbench), for the benchmarks
status=0
"$@" || status=$?
exit $status
