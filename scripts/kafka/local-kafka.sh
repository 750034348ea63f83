#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft, combined broker+controller) for development and tests,
# run straight from Maven Central jars: no Docker needed. Requires Java 17+ and Maven.
#
# Usage: scripts/kafka/local-kafka.sh fetch|start|stop|status|reset
#   fetch   download the broker jars into the cache (no-op when already cached)
#   start   fetch if needed, format storage once, start the broker in the background and wait
#           until it accepts connections; prints `KAFKA_BROKERS=127.0.0.1:<port>` on stdout.
#           Idempotent: if the broker of this state dir already runs, only prints the line.
#   stop    SIGTERM the broker (SIGKILL after 30 s) and wait for it to exit
#   status  exit 0 (and print the KAFKA_BROKERS line) if the broker is running, 1 otherwise
#   reset   stop, then delete the state dir (topics, offsets, logs)
#
# Environment:
#   KAFKA_PORT             broker (PLAINTEXT) port, default 9092
#   KAFKA_CONTROLLER_PORT  KRaft controller port, default 9093
#   KAFKA_STATE_DIR        config, data, logs and pid file; default <repo>/.local/kafka
#   STOCKD_CACHE_DIR       jar cache root; default ~/.cache/stockd (jars: kafka-<version>/libs)
#   KAFKA_VERSION          override the version pinned in pom.xml (3.9.x only)
#   KAFKA_START_TIMEOUT    seconds to wait for the port to open, default 120
#   KAFKA_STARTED_MARKER   if set, `start` writes the broker PID to this file only when it
#                          actually started the broker (not when it was already running), so
#                          callers know whether they own it (test/support/kafka-broker.ts)
#
# The only line `start`/`status` print on stdout is the KAFKA_BROKERS line; everything else
# goes to stderr, so `export "$(scripts/kafka/local-kafka.sh start)"` works.
#
# Version: pinned in pom.xml (kafka.version), 3.9.x. 3.9 is the last line that still accepts
# every protocol version kafkajs 2.2.4 knows (4.0 removed the oldest ones, KIP-896). kafkajs
# 2.2.4 was verified against 3.9.2 and also 4.0.0 / 4.3.1 (produce/consume, consumer groups,
# offsets, idempotent and transactional producers, admin ops); 3.9 stays pinned as the lowest-
# risk choice for an unmaintained client, and 4.x would need the log4j2 backend.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"
LOG4J_CONFIG="$SCRIPT_DIR/log4j.properties"

# Pinned in pom.xml; KAFKA_VERSION may override it within 3.9.x (e.g. 3.9.1). 4.x would need
# the log4j2 backend instead of reload4j.
KAFKA_VERSION="${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n1)}"
[[ -n "$KAFKA_VERSION" ]] || { echo "cannot read kafka.version from $POM" >&2; exit 1; }
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
CACHE_DIR="${STOCKD_CACHE_DIR:-$HOME/.cache/stockd}"
KAFKA_HOME="$CACHE_DIR/kafka-$KAFKA_VERSION"
LIBS_DIR="$KAFKA_HOME/libs"
STATE_DIR="${KAFKA_STATE_DIR:-$REPO_DIR/.local/kafka}"
STATE_DIR="${STATE_DIR%/}"
DATA_DIR="$STATE_DIR/data"
LOG_DIR="$STATE_DIR/logs"
CONFIG_FILE="$STATE_DIR/server.properties"
PID_FILE="$STATE_DIR/kafka.pid"
PORT_FILE="$STATE_DIR/kafka.port"
# Next to (not inside) the state dir, so `reset` can delete the dir while holding the lock.
LOCK_FILE="$STATE_DIR.lock"

log() { printf '[local-kafka] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# Serialize start/stop/reset: parallel test workers may all call `start` at once.
lock() {
  mkdir -p "$(dirname "$LOCK_FILE")"
  exec 9>"$LOCK_FILE"
  flock 9
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# PID of our broker if it is alive (guards against PID reuse by checking the command line).
broker_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(<"$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$CONFIG_FILE" || return 1
  echo "$pid"
}

running_port() { if [[ -f "$PORT_FILE" ]]; then cat "$PORT_FILE"; else echo "$KAFKA_PORT"; fi; }

java_cmd() {
  java -cp "$LIBS_DIR/*" -Djava.awt.headless=true \
    "-Dlog4j.configuration=file:$LOG4J_CONFIG" "$@"
}

cmd_fetch() {
  if [[ -f "$LIBS_DIR/.complete" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (needed once to download Kafka $KAFKA_VERSION)"
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central into $LIBS_DIR"
  local tmp="$KAFKA_HOME/libs.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$KAFKA_HOME"
  # Output kept in a file and shown only on failure (Maven 3.8 -q still prints ANSI resets).
  local mvn_log="$KAFKA_HOME/mvn.log"
  if ! mvn -q -B -Dstyle.color=never -f "$POM" package \
    "-Dkafka.version=$KAFKA_VERSION" \
    "-Dkafka.libs.dir=$tmp" \
    "-Dkafka.build.dir=$KAFKA_HOME/build" </dev/null >"$mvn_log" 2>&1; then
    tail -n 60 "$mvn_log" >&2
    rm -rf "$tmp"
    die "mvn failed to fetch Kafka $KAFKA_VERSION (full log: $mvn_log)"
  fi
  ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || die "kafka_2.13 jar missing in $tmp"
  touch "$tmp/.complete"
  rm -rf "$LIBS_DIR" "$KAFKA_HOME/build"
  mv "$tmp" "$LIBS_DIR"
  log "fetched $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars"
}

write_config() {
  cat >"$CONFIG_FILE" <<EOF
# Generated by scripts/kafka/local-kafka.sh; rewritten on every start.
process.roles=broker,controller
node.id=1
# Static voters: storage is formatted without --standalone.
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
# 127.0.0.1, not localhost: localhost may resolve to ::1 while the listener is IPv4.
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA_DIR

# Single node: every internal topic has one replica.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
default.replication.factor=1
min.insync.replicas=1

# Topics are NOT auto-created: code and tests create them explicitly with the partition count
# they rely on (kafkajs admin.createTopics with waitForLeaders: true). Auto-creation would hide
# a missing topic and create it with num.partitions, and racing producers/consumers would see
# transient LEADER_NOT_AVAILABLE errors.
auto.create.topics.enable=false
num.partitions=1

# Tests join consumer groups constantly: no 3 s wait for more members.
group.initial.rebalance.delay.ms=0

# Small footprint (the cleaner's default 128 MiB dedupe buffer is allocated on the heap).
log.cleaner.dedupe.buffer.size=2097152
log.cleaner.threads=1
num.network.threads=2
num.io.threads=2
background.threads=2
num.recovery.threads.per.data.dir=1
num.replica.fetchers=1
EOF
}

# Returns 1 (after printing the log tails) if the broker exits or the port stays closed.
wait_until_ready() {
  local pid="$1" deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  until port_open "$KAFKA_PORT"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_logs
      log "error: broker (pid $pid) exited during startup"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      show_logs
      log "error: broker (pid $pid) did not open 127.0.0.1:$KAFKA_PORT within ${KAFKA_START_TIMEOUT}s"
      return 1
    fi
    sleep 0.5
  done
}

# SIGTERM (clean shutdown), SIGKILL after 30 s; waits until the process is gone.
terminate() {
  local pid="$1"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "pid $pid still running after 30s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 10))
    fi
    sleep 0.2
  done
}

show_logs() {
  local f
  for f in "$LOG_DIR/kafka.out" "$LOG_DIR/server.log"; do
    if [[ -s "$f" ]]; then
      log "--- tail of $f ---"
      tail -n 40 "$f" >&2
    fi
  done
}

cmd_start() {
  lock
  local pid
  if pid="$(broker_pid)"; then
    local port
    port="$(running_port)"
    [[ "$port" == "$KAFKA_PORT" ]] ||
      die "the broker of $STATE_DIR already runs on port $port (pid $pid); stop it first"
    # Started by someone else and still starting up, or already up: either way wait.
    wait_until_ready "$pid" || die "the running broker (pid $pid) is not ready; see $LOG_DIR"
    log "already running (pid $pid)"
    echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
    return 0
  fi
  rm -f "$PID_FILE" "$PORT_FILE"
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$p"; then
      die "port $p is already in use by another process (set KAFKA_PORT / KAFKA_CONTROLLER_PORT)"
    fi
  done

  cmd_fetch
  command -v java >/dev/null || die "java not found (Java 17+ needed)"
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  write_config

  if [[ ! -f "$DATA_DIR/meta.properties" ]]; then
    local cluster_id
    cluster_id="$(java_cmd kafka.tools.StorageTool random-uuid | tail -n1)"
    [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] || die "unexpected cluster id: '$cluster_id'"
    log "formatting KRaft storage in $DATA_DIR (cluster id $cluster_id)"
    java_cmd kafka.tools.StorageTool format -t "$cluster_id" -c "$CONFIG_FILE" \
      --ignore-formatted >&2
    echo "$cluster_id" >"$STATE_DIR/cluster.id"
  fi

  # Keep one previous generation of the logs, so a failure tail shows only this run.
  local f
  for f in kafka.out server.log; do
    if [[ -f "$LOG_DIR/$f" ]]; then mv -f "$LOG_DIR/$f" "$LOG_DIR/$f.prev"; fi
  done
  log "starting Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (logs: $LOG_DIR)"
  # setsid: own session, so Ctrl-C in the terminal or test runner that called `start` does not
  # kill the broker (it stays up for reuse; `stop` ends it). Without job control the background
  # child is not a process-group leader, so setsid execs in place and $! is the JVM's PID.
  setsid java -Xms256m -Xmx512m -XX:+ExitOnOutOfMemoryError \
    -cp "$LIBS_DIR/*" -Djava.awt.headless=true \
    "-Dlog4j.configuration=file:$LOG4J_CONFIG" \
    -Dstockd.log.appender=file "-Dstockd.log.file=$LOG_DIR/server.log" \
    "-Dkafka.logs.dir=$LOG_DIR" \
    kafka.Kafka "$CONFIG_FILE" </dev/null >>"$LOG_DIR/kafka.out" 2>&1 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"
  echo "$KAFKA_PORT" >"$PORT_FILE"

  local started=$SECONDS
  if ! wait_until_ready "$pid"; then
    # Do not leave a half-started broker behind that nobody owns.
    terminate "$pid"
    rm -f "$PID_FILE" "$PORT_FILE"
    die "Kafka failed to start (logs: $LOG_DIR)"
  fi
  log "ready after $((SECONDS - started))s (pid $pid)"
  if [[ -n "${KAFKA_STARTED_MARKER:-}" ]]; then
    echo "$pid" >"$KAFKA_STARTED_MARKER"
  fi
  echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
}

cmd_stop() {
  lock
  local pid
  if ! pid="$(broker_pid)"; then
    rm -f "$PID_FILE" "$PORT_FILE"
    log "not running"
    return 0
  fi
  log "stopping broker (pid $pid)"
  terminate "$pid"
  rm -f "$PID_FILE" "$PORT_FILE"
  log "stopped"
}

cmd_status() {
  local pid port
  if pid="$(broker_pid)"; then
    port="$(running_port)"
    if port_open "$port"; then
      log "running (pid $pid)"
      echo "KAFKA_BROKERS=127.0.0.1:$port"
      return 0
    fi
    log "starting (pid $pid), port $port not open yet"
    return 1
  fi
  log "not running"
  return 1
}

cmd_reset() {
  cmd_stop
  [[ -n "$STATE_DIR" && "$STATE_DIR" != "/" && "$STATE_DIR" != "$HOME" ]] ||
    die "refusing to delete '$STATE_DIR'"
  rm -rf "$STATE_DIR"
  log "deleted $STATE_DIR"
}

case "${1:-}" in
fetch) cmd_fetch ;;
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
reset) cmd_reset ;;
*)
  echo "usage: $0 fetch|start|stop|status|reset" >&2
  exit 2
  ;;
esac
