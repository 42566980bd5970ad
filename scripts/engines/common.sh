# Shared by scripts/engines/postgres.sh and spark.sh (sourced, not run).
#
# ENGINES_DIR: where the engines keep their state, $PROSPER_ENGINES_DIR or the repository's
# .engines/ (git-ignored). Messages go to stderr; stdout carries only the env lines that
# `start` prints, so `eval "$(scripts/engines/postgres.sh start)"` works.

ENGINES_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ENGINES_DIR=${PROSPER_ENGINES_DIR:-$ENGINES_REPO/.engines}
case $ENGINES_DIR in /*) ;; *) ENGINES_DIR=$PWD/$ENGINES_DIR ;; esac

say() { printf '%s: %s\n' "$ENGINE_NAME" "$*" >&2; }
die() { printf '%s: error: %s\n' "$ENGINE_NAME" "$*" >&2; exit 1; }

# now_ms: wall clock in milliseconds (for the start timings the scripts print).
now_ms() { date +%s%3N; }

# free_port: a TCP port on 127.0.0.1 that nothing listens on now (the kernel picks it).
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' && return
  fi
  local p
  for _ in $(seq 50); do
    p=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free TCP port found on 127.0.0.1"
}

# random_secret: 32 alphanumeric characters (safe in a URL and a shell line without quoting).
random_secret() {
  local s=""
  while [ "${#s}" -lt 32 ]; do s+=$(head -c 256 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9'); done
  echo "${s:0:32}"
}

# apt_install PKG…: Debian packages, as root only; one `apt-get update` when the lists are stale.
apt_install() {
  [ "$(id -u)" -eq 0 ] || die "$* missing; install it (apt-get install $*) or run as root"
  command -v apt-get >/dev/null 2>&1 || die "$* missing and this is no Debian-like system (no apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  say "installing $* with apt-get"
  apt-get install -y -q "$@" >&2 || { apt-get update -q >&2 && apt-get install -y -q "$@" >&2; } \
    || die "apt-get install $* failed"
}

# tail_logs FILE…: the last lines of each log, for an error message.
tail_logs() {
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    printf -- '----- last lines of %s -----\n' "$f" >&2
    tail -n 30 "$f" >&2
  done
}
