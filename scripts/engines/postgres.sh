#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the engine tests (issue 9; docs/engines-setup.md).
#
#   scripts/engines/postgres.sh start     # create + start (or reuse a running one); prints the env lines
#   scripts/engines/postgres.sh status    # exit 0 when running, 3 when not
#   scripts/engines/postgres.sh selftest  # select version() over TCP with the password; a wrong one is refused
#   scripts/engines/postgres.sh stop      # stop the server and delete the cluster
#
# The cluster: initdb as an unprivileged OS user (as root: the system user prosper-pg, made
# when missing, or $PROSPER_PG_OS_USER; initdb refuses root), locale C, UTF8, listening on
# 127.0.0.1 only on a free port, its unix socket in the state dir, fsync/synchronous_commit/
# full_page_writes off, timezone UTC. The test role `prosper` (LOGIN CREATEDB, no superuser)
# logs in over TCP with a scram-sha-256 password and owns the database `prosper`; the
# superuser `postgres` has no password and is reachable only through the private socket.
#
# State: $PROSPER_ENGINES_DIR/postgres (default: the repository's .engines/postgres) holds
# env.sh (PROSPER_TEST_POSTGRES_URL and PGPASSWORD), the password, and the cluster itself
# (data/, run/ with the socket, postgres.log). Where the unprivileged user cannot reach that
# folder (e.g. a clone under /root) or the socket path would be too long, the cluster goes to
# a private folder under /tmp, named in the state dir's cluster-dir file.
#
# Binaries: $PROSPER_PG_BINDIR, else the first PostgreSQL 15 among pg_config --bindir,
# /usr/lib/postgresql/15/bin and initdb on PATH; as root, apt installs postgresql-15 and
# postgresql-client-15 when none is found (without the packaged main cluster).
set -euo pipefail
ENGINE_NAME=postgres.sh
. "$(dirname "$0")/common.sh"

STATE=$ENGINES_DIR/postgres
ROLE=prosper
DATABASE=prosper

# find_bindir: the folder with initdb, pg_ctl, postgres and psql of PostgreSQL 15.
is_pg15() { [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ] && "$1/postgres" --version 2>/dev/null | grep -q ' 15\.'; }
find_bindir() {
  if [ -n "${PROSPER_PG_BINDIR:-}" ]; then
    [ -x "$PROSPER_PG_BINDIR/initdb" ] || die "PROSPER_PG_BINDIR=$PROSPER_PG_BINDIR has no initdb"
    echo "$PROSPER_PG_BINDIR"; return
  fi
  local d candidates=()
  command -v pg_config >/dev/null 2>&1 && candidates+=("$(pg_config --bindir 2>/dev/null || true)")
  candidates+=(/usr/lib/postgresql/15/bin)
  command -v initdb >/dev/null 2>&1 && candidates+=("$(dirname "$(readlink -f "$(command -v initdb)")")")
  for d in "${candidates[@]}"; do
    [ -n "$d" ] && is_pg15 "$d" && { echo "$d"; return; }
  done
  return 1
}
ensure_binaries() {
  BINDIR=$(find_bindir) || {
    # The Debian package would create and start a cluster "15/main" on port 5432: not wanted.
    if [ "$(id -u)" -eq 0 ] && [ ! -e /etc/postgresql-common/createcluster.conf ]; then
      mkdir -p /etc/postgresql-common
      echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf
    fi
    apt_install postgresql-15 postgresql-client-15
    BINDIR=$(find_bindir) || die "PostgreSQL 15 installed but initdb/pg_ctl not found (set PROSPER_PG_BINDIR)"
  }
  PSQL=$BINDIR/psql
  [ -x "$PSQL" ] || PSQL=$(command -v psql) || die "psql not found (apt-get install postgresql-client-15)"
}

# os_user [create]: the OS user that owns and runs the cluster, the caller unless that is root.
os_user() {
  if [ "$(id -u)" -ne 0 ]; then PG_OS_USER=""; return; fi
  PG_OS_USER=${PROSPER_PG_OS_USER:-prosper-pg}
  if [ "${1:-}" = create ] && ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
    say "creating the system user $PG_OS_USER (initdb refuses to run as root)"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_OS_USER" \
      || die "cannot create the system user $PG_OS_USER"
  fi
}
# as_pg CMD…: CMD as the cluster's OS user, from / (the caller's folder may be closed to it).
as_pg() {
  if [ -n "$PG_OS_USER" ]; then (cd / && runuser -u "$PG_OS_USER" -- "$@")
  else (cd / && "$@"); fi
}

# Where the cluster lives (set by start, remembered in $STATE/cluster-dir).
cluster_dir() {
  if [ -f "$STATE/cluster-dir" ]; then cat "$STATE/cluster-dir"; else echo "$STATE/cluster"; fi
}
# server_running: the cluster's postmaster answers pg_ctl status.
server_running() {
  local c; c=$(cluster_dir)
  [ -f "$c/data/postmaster.pid" ] && [ -f "$STATE/env.sh" ] && as_pg "$BINDIR/pg_ctl" -D "$c/data" status >/dev/null 2>&1
}

do_stop() {
  local c pid; c=$(cluster_dir)
  if [ -f "$c/data/postmaster.pid" ]; then
    as_pg "$BINDIR/pg_ctl" -D "$c/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    pid=$(head -n 1 "$c/data/postmaster.pid" 2>/dev/null || true)
    if [ -f "$c/data/postmaster.pid" ] && [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
      say "pg_ctl stop failed; sending SIGQUIT to the postmaster $pid"
      kill -QUIT "$pid" 2>/dev/null || true
      sleep 1
    fi
  fi
  rm -rf "$c" "$STATE"
}

do_start() {
  local t0 c port password socket_len log attempt
  t0=$(now_ms)
  if server_running; then
    say "already running; reusing it"
    cat "$STATE/env.sh"; return
  fi
  [ -e "$STATE" ] && { say "removing a stale cluster in $STATE"; do_stop; }
  os_user create
  mkdir -p "$STATE"; chmod 755 "$STATE"
  c=$STATE/cluster
  socket_len=$(( ${#c} + 20 ))   # + "/run/.s.PGSQL.NNNNN"; the kernel's limit is 107 bytes
  if { [ -n "$PG_OS_USER" ] && ! runuser -u "$PG_OS_USER" -- test -x "$STATE" -a -w /tmp 2>/dev/null; } \
     || [ "$socket_len" -gt 100 ]; then
    c=$(mktemp -d /tmp/prosper-pg.XXXXXX)
    echo "$c" > "$STATE/cluster-dir"
    say "the cluster goes to $c ($STATE is out of reach of ${PG_OS_USER:-this user} or too deep for a socket)"
  fi
  mkdir -p "$c/run"
  [ -n "$PG_OS_USER" ] && chown -R "$PG_OS_USER:" "$c"
  chmod 700 "$c"
  log=$c/postgres.log

  password=$(random_secret)
  (umask 077 && printf '%s\n' "$password" > "$STATE/password")

  as_pg "$BINDIR/initdb" -D "$c/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --locale=C --encoding=UTF8 --no-sync --no-instructions > "$c/initdb.log" 2>&1 \
    || { tail_logs "$c/initdb.log"; do_stop; die "initdb failed"; }

  for attempt in 1 2 3; do
    port=$(free_port)
    as_pg tee -a "$c/data/postgresql.conf" > /dev/null <<CONF

# prosper-rules engine tests (scripts/engines/postgres.sh)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$c/run'
fsync = off
synchronous_commit = off
full_page_writes = off
password_encryption = 'scram-sha-256'
timezone = 'UTC'
CONF
    if as_pg "$BINDIR/pg_ctl" -D "$c/data" -l "$log" -w -t 30 start > /dev/null 2>&1; then break; fi
    if [ "$attempt" -lt 3 ] && grep -q 'could not bind\|Address already in use' "$log" 2>/dev/null; then
      say "port $port was taken meanwhile; trying another"; continue
    fi
    tail_logs "$log"; do_stop; die "the server did not start"
  done

  # The password is alphanumeric (random_secret), so it needs no quoting in SQL or a shell line.
  if ! printf '%s\n' \
      "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$password';" \
      "CREATE DATABASE $DATABASE OWNER $ROLE TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C';" \
    | as_pg "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$c/run" -p "$port" -U postgres -d postgres > /dev/null 2> "$c/setup.log"; then
    tail_logs "$c/setup.log" "$log"; do_stop; die "creating the role $ROLE and database $DATABASE failed"
  fi

  umask 077
  printf 'export %s\n' "PROSPER_TEST_POSTGRES_URL=postgresql://$ROLE@127.0.0.1:$port/$DATABASE" \
    "PGPASSWORD=$password" > "$STATE/env.sh"
  say "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $c/data, started in $(( $(now_ms) - t0 )) ms; source $STATE/env.sh"
  cat "$STATE/env.sh"
}

do_status() {
  if server_running; then
    local c; c=$(cluster_dir)
    say "running: $(grep PROSPER_TEST_POSTGRES_URL "$STATE/env.sh" | cut -d= -f2-) (postmaster $(head -n 1 "$c/data/postmaster.pid"), data $c/data)"
    return 0
  fi
  say "not running"
  return 3
}

do_selftest() {
  server_running || die "not running (scripts/engines/postgres.sh start)"
  # shellcheck disable=SC1091
  . "$STATE/env.sh"
  local version
  version=$("$PSQL" -X -w -At "$PROSPER_TEST_POSTGRES_URL" -c 'select version()') \
    || die "select version() over TCP with the password failed"
  say "$version"
  [[ $version == "PostgreSQL 15."* ]] || die "expected PostgreSQL 15, got: $version"
  [ "$("$PSQL" -X -w -At "$PROSPER_TEST_POSTGRES_URL" -c 'select current_user || pg_encoding_to_char(encoding) || datcollate from pg_database where datname = current_database()')" = "${ROLE}UTF8C" ] \
    || die "expected user $ROLE, encoding UTF8 and collation C"
  if PGPASSWORD=wrong-password "$PSQL" -X -w -At "$PROSPER_TEST_POSTGRES_URL" -c 'select 1' > /dev/null 2>&1; then
    die "a wrong password was accepted: TCP logins are not password-checked"
  fi
  say "selftest passed: TCP login with the scram password works, a wrong password is refused"
}

# stop and status never install anything: without binaries there is no server to ask.
known_binaries() { BINDIR=$(find_bindir) || BINDIR=/nonexistent; PSQL=$BINDIR/psql; [ -x "$PSQL" ] || PSQL=psql; }

case ${1:-} in
  start) ensure_binaries; os_user; do_start ;;
  stop) known_binaries; os_user; do_stop; say "stopped and removed" ;;
  status) known_binaries; os_user; do_status ;;
  selftest) known_binaries; os_user; do_selftest ;;
  *) echo "usage: $0 start|stop|status|selftest" >&2; exit 2 ;;
esac
