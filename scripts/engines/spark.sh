#!/usr/bin/env bash
# A standalone Spark cluster on loopback for the engine tests (issue 9; docs/engines-setup.md).
#
#   scripts/engines/spark.sh start     # venv + master + one worker (or reuse running ones); prints the env lines
#   scripts/engines/spark.sh status    # exit 0 when master and worker are up, 3 when not
#   scripts/engines/spark.sh selftest  # a spark-submit job that must run on the cluster's executor
#   scripts/engines/spark.sh stop      # kill master, worker and their executors; remove the state
#
# Spark comes from PyPI: pyspark 4.3.0, the newest 4.x that `pip index versions pyspark`
# listed (November 2026), pinned here. Its package folder is a Spark distribution
# (bin/spark-class, spark-submit, spark-sql, jars/), used as SPARK_HOME. It needs Java 17 or
# later (as root, apt installs openjdk-17-jre-headless when java is missing or older).
#
# State: the venv in $PROSPER_SPARK_VENV (default $PROSPER_ENGINES_DIR/spark-venv, i.e. the
# repository's .engines/spark-venv; kept by stop, reused by start while it holds that
# pyspark); the cluster in $PROSPER_ENGINES_DIR/spark: spark-env.sh, pids, ports, logs/
# (master.log, worker.log, selftest.log), work/ (executors' folders), local/ and tmp/.
# Master and worker listen on 127.0.0.1 only (SPARK_LOCAL_IP), on free ports; the worker
# offers 2 cores and 2g. start waits until the worker has registered (the master's JSON
# says aliveworkers >= 1), at most $PROSPER_SPARK_START_TIMEOUT seconds (default 120).
set -euo pipefail
ENGINE_NAME=spark.sh
. "$(dirname "$0")/common.sh"

PYSPARK_VERSION=4.3.0
STATE=$ENGINES_DIR/spark
VENV=${PROSPER_SPARK_VENV:-$ENGINES_DIR/spark-venv}
case $VENV in /*) ;; *) VENV=$PWD/$VENV ;; esac
PY=$VENV/bin/python
START_TIMEOUT=${PROSPER_SPARK_START_TIMEOUT:-120}

ensure_java() {
  local major
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1 || true)
  if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    apt_install openjdk-17-jre-headless
    major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1 || true)
    [ -n "$major" ] && [ "$major" -ge 17 ] || die "Java 17 or later is needed; java -version says: $(java -version 2>&1 | head -n 1)"
  fi
}

# pyspark_ready: the venv holds the pinned pyspark.
pyspark_ready() { [ -x "$PY" ] && "$PY" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; }
ensure_venv() {
  pyspark_ready && return
  local t0; t0=$(now_ms)
  if [ ! -x "$PY" ]; then
    python3 -m venv "$VENV" 2>/dev/null || {
      apt_install python3-venv
      python3 -m venv --clear "$VENV"
    } || die "cannot create the venv $VENV (python3 -m venv)"
  fi
  say "installing pyspark==$PYSPARK_VERSION into $VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "pyspark==$PYSPARK_VERSION" >&2 \
    || die "pip install pyspark==$PYSPARK_VERSION into $VENV failed"
  pyspark_ready || die "pyspark $PYSPARK_VERSION is not importable from $PY after the install"
  say "pyspark installed in $(( ($(now_ms) - t0) / 1000 )) s"
}
find_spark_home() {
  SPARK_HOME=$("$PY" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))') \
    || die "cannot locate the pyspark package in $VENV"
  local b
  for b in spark-class spark-submit spark-sql; do
    [ -f "$SPARK_HOME/bin/$b" ] || die "$SPARK_HOME/bin/$b missing: the pyspark install is incomplete"
    [ -x "$SPARK_HOME/bin/$b" ] || { say "making $SPARK_HOME/bin/$b executable"; chmod +x "$SPARK_HOME/bin/$b"; }
  done
  export SPARK_HOME
}

# The environment of the daemons and of selftest's spark-submit.
spark_env() {
  export SPARK_LOCAL_IP=127.0.0.1
  export SPARK_LOCAL_DIRS=$STATE/local
  export SPARK_WORKER_DIR=$STATE/work
  export SPARK_DAEMON_JAVA_OPTS="-Djava.io.tmpdir=$STATE/tmp"
  export PYSPARK_PYTHON=$PY
  export PYSPARK_DRIVER_PYTHON=$PY
}

# master_json EXPR: EXPR (Python, over the dict d) on the master's /json/; fails when unreachable.
master_json() {
  local port; port=$(cat "$STATE/master-webui-port" 2>/dev/null) || return 1
  "$PY" - "http://127.0.0.1:$port/json/" "$1" <<'PY' 2>/dev/null
import json, sys, urllib.request
d = json.load(urllib.request.urlopen(sys.argv[1], timeout=3))
print(eval(sys.argv[2], {"d": d}))
PY
}
# alive NAME: the daemon whose pid is in $STATE/NAME.pid runs (and is still a Spark JVM).
alive() {
  local pid; pid=$(cat "$STATE/$1.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "org.apache.spark.deploy"
}
cluster_up() {
  alive master && alive worker && [ -f "$STATE/spark-env.sh" ] && [ "$(master_json 'd.get("aliveworkers", 0) >= 1')" = True ]
}

# launch NAME CLASS ARGS…: a daemon in its own session (so stop can end it with its children).
launch() {
  local name=$1; shift
  nohup setsid "$SPARK_HOME/bin/spark-class" "$@" > "$STATE/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE/$name.pid"
}

do_stop() {
  local name pid pgid i
  for name in worker master; do
    alive "$name" || continue
    pid=$(cat "$STATE/$name.pid")
    pgid=$(ps -o pgid= -p "$pid" | tr -d ' ')
    # setsid made the daemon its group's leader: the group holds it and the executors it forked.
    if [ "$pgid" = "$pid" ]; then kill -TERM -- "-$pgid" 2>/dev/null || true; else kill -TERM "$pid" 2>/dev/null || true; fi
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      say "$name ($pid) ignored SIGTERM for 10 s; SIGKILL"
      if [ "$pgid" = "$pid" ]; then kill -KILL -- "-$pgid" 2>/dev/null || true; else kill -KILL "$pid" 2>/dev/null || true; fi
    fi
  done
  rm -rf "$STATE"
}

do_start() {
  local t0 master_port master_ui worker_port worker_ui i
  if cluster_up; then
    say "already running; reusing it"
    cat "$STATE/spark-env.sh"; return
  fi
  [ -e "$STATE" ] && { say "removing a stale cluster in $STATE"; do_stop; }
  t0=$(now_ms)
  mkdir -p "$STATE/logs" "$STATE/work" "$STATE/local" "$STATE/tmp"
  spark_env
  master_port=$(free_port); master_ui=$(free_port); worker_port=$(free_port); worker_ui=$(free_port)
  echo "$master_ui" > "$STATE/master-webui-port"

  launch master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$master_port" --webui-port "$master_ui"
  for i in $(seq $(( START_TIMEOUT * 5 ))); do
    [ "$(master_json 'd.get("status")')" = ALIVE ] && break
    alive master || { tail_logs "$STATE/logs/master.log"; do_stop; die "the master exited while starting"; }
    [ "$i" -eq $(( START_TIMEOUT * 5 )) ] && { tail_logs "$STATE/logs/master.log"; do_stop; die "the master did not come up within $START_TIMEOUT s"; }
    sleep 0.2
  done

  launch worker org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$master_port" --host 127.0.0.1 \
    --port "$worker_port" --webui-port "$worker_ui" --cores 2 --memory 2g --work-dir "$STATE/work"
  for i in $(seq $(( START_TIMEOUT * 5 ))); do
    [ "$(master_json 'd.get("aliveworkers", 0) >= 1')" = True ] && break
    for d in master worker; do
      alive "$d" || { tail_logs "$STATE/logs/master.log" "$STATE/logs/worker.log"; do_stop; die "the $d exited while the worker registered"; }
    done
    [ "$i" -eq $(( START_TIMEOUT * 5 )) ] && { tail_logs "$STATE/logs/master.log" "$STATE/logs/worker.log"; do_stop; die "the worker did not register with the master within $START_TIMEOUT s"; }
    sleep 0.2
  done

  printf 'export %s\n' "PROSPER_TEST_SPARK_URL=spark://127.0.0.1:$master_port" \
    "PROSPER_SPARK_HOME=$SPARK_HOME" "PROSPER_SPARK_PYTHON=$PY" \
    "PROSPER_SPARK_MASTER_WEBUI=http://127.0.0.1:$master_ui" > "$STATE/spark-env.sh"
  say "Spark $PYSPARK_VERSION master spark://127.0.0.1:$master_port (web UI $master_ui), worker registered (2 cores, 2g), started in $(( $(now_ms) - t0 )) ms; source $STATE/spark-env.sh"
  cat "$STATE/spark-env.sh"
}

do_status() {
  if cluster_up; then
    say "running: $(grep PROSPER_TEST_SPARK_URL "$STATE/spark-env.sh" | cut -d= -f2-) (master $(cat "$STATE/master.pid"), worker $(cat "$STATE/worker.pid"), $(master_json 'd["aliveworkers"]') worker alive)"
    return 0
  fi
  say "not running"
  return 3
}

# selftest: SELECT 1+1, a sum over 4 partitions and a Python map, submitted to the master;
# the Python tasks must have run in an executor the worker launched (their working folder is
# under the worker's work/), and the master must list the application as FINISHED.
do_selftest() {
  cluster_up || die "not running (scripts/engines/spark.sh start)"
  # shellcheck disable=SC1091
  . "$STATE/spark-env.sh"
  spark_env
  local app t0 out state
  app="prosper-selftest-$$-$RANDOM"
  cat > "$STATE/selftest.py" <<'PY'
import os, sys
from pyspark.sql import SparkSession
spark = SparkSession.builder.appName(sys.argv[1]).getOrCreate()
sc = spark.sparkContext
assert sc.master.startswith("spark://"), "not on a standalone master: " + sc.master
two = spark.sql("SELECT 1 + 1 AS two").collect()[0]["two"]
assert two == 2, two
total = spark.sql("SELECT sum(id) AS s FROM range(0, 100000, 1, 4)").collect()[0]["s"]
assert total == 4999950000, total
cwds = sorted(set(sc.parallelize(range(4), 2).map(lambda _: os.getcwd()).collect()))
spark.stop()
print("SELFTEST two=%d sum=%d executor_cwds=%s" % (two, total, ",".join(cwds)))
PY
  t0=$(now_ms)
  if ! (cd "$STATE/tmp" && "$PROSPER_SPARK_HOME/bin/spark-submit" --master "$PROSPER_TEST_SPARK_URL" \
      --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
      --conf spark.ui.enabled=false --conf spark.executor.memory=1g \
      --conf "spark.pyspark.python=$PY" --conf "spark.pyspark.driver.python=$PY" \
      "$STATE/selftest.py" "$app" > "$STATE/logs/selftest.out" 2> "$STATE/logs/selftest.log"); then
    tail_logs "$STATE/logs/selftest.out" "$STATE/logs/selftest.log"; die "spark-submit of the selftest job failed"
  fi
  out=$(grep '^SELFTEST ' "$STATE/logs/selftest.out") || { tail_logs "$STATE/logs/selftest.out" "$STATE/logs/selftest.log"; die "the selftest job printed no result"; }
  say "${out#SELFTEST } ($(( $(now_ms) - t0 )) ms)"
  case ${out##*executor_cwds=} in
    "$STATE/work/"*) ;;
    *) die "the Python tasks did not run in an executor of the worker (cwd ${out##*executor_cwds=})" ;;
  esac
  state=""
  for _ in $(seq 50); do
    state=$(master_json "[a['state'] for a in d.get('completedapps', []) if a.get('name') == '$app']") || true
    [ "$state" = "['FINISHED']" ] && break
    sleep 0.2
  done
  [ "$state" = "['FINISHED']" ] || die "the master does not list $app as FINISHED (got: ${state:-nothing})"
  say "selftest passed: $app ran on $PROSPER_TEST_SPARK_URL and the master lists it as FINISHED"
}

case ${1:-} in
  start) ensure_java; ensure_venv; find_spark_home; do_start ;;
  stop) do_stop; say "stopped and removed (the venv $VENV stays)" ;;
  status) [ -x "$PY" ] || { say "not running"; exit 3; }; do_status ;;
  selftest) [ -x "$PY" ] || die "no venv at $VENV (scripts/engines/spark.sh start)"; do_selftest ;;
  *) echo "usage: $0 start|stop|status|selftest" >&2; exit 2 ;;
esac
