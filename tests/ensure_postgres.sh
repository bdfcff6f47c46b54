#!/bin/sh
# Fault tests (restart, failover) run Debian's PostgreSQL under pg_ctl. Install it once if missing.
[ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/pg_ctl" ] && exit 0
ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing PostgreSQL for the fault tests (apt-get install postgresql)..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null && exit 0
fi
echo "Fault tests need PostgreSQL's server binaries: run 'sudo apt-get install postgresql' or set PG_BIN." >&2
exit 1
