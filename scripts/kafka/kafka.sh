#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, broker+controller in one JVM) for development and tests.
#
#   bash scripts/kafka/kafka.sh start              start (idempotent), wait until it serves Kafka requests
#   bash scripts/kafka/kafka.sh stop [--keep-data] stop it; wipes its state unless --keep-data
#   bash scripts/kafka/kafka.sh status             exit 0 if running and listening, 1 otherwise
#   bash scripts/kafka/kafka.sh wait [SECONDS]     wait until a started broker serves requests
#   bash scripts/kafka/kafka.sh pause|resume       SIGSTOP / SIGCONT the broker (a "hung broker")
#   bash scripts/kafka/kafka.sh kill               SIGKILL the broker (a crash); the next start reuses its data
#
# On success `start` and `wait` print exactly one line on stdout, `KAFKA_BROKERS=127.0.0.1:<port>`;
# every other message goes to stderr. See scripts/kafka/README.md for the environment variables.
# With KAFKA_SASL=1 the broker also listens on SASL_PLAINTEXT://127.0.0.1:<port+2> (PLAIN, SCRAM-SHA-256/512)
# and a second line follows, `KAFKA_SASL_BROKERS=127.0.0.1:<port+2>`. With KAFKA_TLS=1 it also listens on
# SSL://127.0.0.1:<port+3> (self-signed cert) and prints `KAFKA_TLS_BROKERS=...` and `KAFKA_TLS_CA=<pem>`.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$SCRIPT_DIR/pom.xml"
PROBE_SRC="$SCRIPT_DIR/KafkaReady.java"

KAFKA_PORT="${KAFKA_PORT:-19092}"
CACHE_ROOT="${BMPWATCH_CACHE:-$HOME/.cache/bmpwatch}"
STATE_ROOT="${BMPWATCH_STATE:-$HOME/.cache/bmpwatch/state}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms128m}"

say() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

usage() {
  sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

if ! [[ "$KAFKA_PORT" =~ ^[0-9]+$ ]] || ((KAFKA_PORT < 1024 || KAFKA_PORT > 65534)); then
  die "KAFKA_PORT must be a number in 1024..65534 (got '$KAFKA_PORT')"
fi
CONTROLLER_PORT=$((KAFKA_PORT + 1))
BROKERS="127.0.0.1:$KAFKA_PORT"

# Optional SASL_PLAINTEXT client listener (off by default). The PLAINTEXT listener stays the inter-broker and
# probe path, so everything else is the same with or without it.
KAFKA_SASL="${KAFKA_SASL:-0}"
SASL_USER="${KAFKA_SASL_USER:-bmpwatch}"
SASL_PASSWORD="${KAFKA_SASL_PASSWORD:-bmpwatch-secret}"
SASL_PORT=$((KAFKA_PORT + 2))
SASL_BROKERS="127.0.0.1:$SASL_PORT"
case "$KAFKA_SASL" in
  0 | '') KAFKA_SASL=0 ;;
  1) ;;
  *) die "KAFKA_SASL must be 0 or 1 (got '$KAFKA_SASL')" ;;
esac
KAFKA_TLS="${KAFKA_TLS:-0}"
TLS_PORT=$((KAFKA_PORT + 3))
TLS_BROKERS="127.0.0.1:$TLS_PORT"
case "$KAFKA_TLS" in
  0 | '') KAFKA_TLS=0 ;;
  1) ((TLS_PORT <= 65535)) || die "KAFKA_PORT + 3 must be a port number (KAFKA_TLS=1 uses it)" ;;
  *) die "KAFKA_TLS must be 0 or 1 (got '$KAFKA_TLS')" ;;
esac
if ((KAFKA_SASL)); then
  ((SASL_PORT <= 65535)) || die "KAFKA_PORT + 2 must be a port number (KAFKA_SASL=1 uses it)"
  # Both end up inside JAAS and SCRAM strings: keep them to characters that need no quoting there.
  [[ "$SASL_USER" =~ ^[A-Za-z0-9._-]+$ ]] || die "KAFKA_SASL_USER may use only A-Z a-z 0-9 . _ -"
  [[ "$SASL_PASSWORD" =~ ^[A-Za-z0-9._-]+$ ]] || die "KAFKA_SASL_PASSWORD may use only A-Z a-z 0-9 . _ -"
fi

KAFKA_VERSION="$(sed -n 's:.*<kafka\.version>\([^<]*\)</kafka\.version>.*:\1:p' "$POM" | head -n 1)"
[[ -n "$KAFKA_VERSION" ]] || die "cannot read <kafka.version> from $POM"
DIST="$CACHE_ROOT/kafka-$KAFKA_VERSION"
LIBS="$DIST/libs"

STATE_DIR="$STATE_ROOT/kafka-$KAFKA_PORT"
PID_FILE="$STATE_DIR/kafka.pid"
DATA_DIR="$STATE_DIR/data"
LOG_DIR="$STATE_DIR/logs"
LOG_FILE="$LOG_DIR/server.log"
OUT_FILE="$LOG_DIR/kafka.out"
KEEP_MARK="$STATE_DIR/keep-data"
LOCK_FILE="$STATE_ROOT/kafka-$KAFKA_PORT.lock"
TLS_DIR="$STATE_DIR/tls"
TLS_CA="$TLS_DIR/ca.pem"
TLS_STORE_PASSWORD="bmpwatch-dev-keystore"

# ---------------------------------------------------------------------------------------------------
# helpers

need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"; }

now_ms() { date +%s%3N; }

# Milliseconds since $1 as seconds with one decimal ("4.3s").
since() {
  local ms=$(($(now_ms) - $1))
  printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100))
}

# One command at a time per port (two test files starting the same broker, or start racing stop).
# fd 9 is closed for the broker JVM so the lock is released when this script exits. A full `stop`
# deletes the lock file; whoever was waiting on the deleted file notices (inode check) and retries.
take_lock() {
  mkdir -p "$STATE_ROOT"
  while :; do
    exec 9>>"$LOCK_FILE"
    flock -w 600 9 || die "another kafka.sh is busy on port $KAFKA_PORT (lock $LOCK_FILE)"
    [[ "$(stat -c %i "$LOCK_FILE" 2>/dev/null)" == "$(stat -L -c %i "/proc/$$/fd/9")" ]] && return 0
    exec 9>&-
  done
}

# A live process (zombies count as dead: a reparented broker may wait a moment to be reaped).
alive() {
  local pid="$1" state
  kill -0 "$pid" 2>/dev/null || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  [[ "$state" != "Z" ]]
}

# The PID from the PID file, if that process is really our broker for this port.
broker_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $STATE_DIR/server.properties" ||
    return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

show_log_tail() {
  local f
  for f in "$OUT_FILE" "$LOG_FILE"; do
    if [[ -s "$f" ]]; then
      say "--- last lines of $f ---"
      tail -n 25 "$f" >&2 || true
    fi
  done
}

# Jars: fetched once with Maven into $DIST/libs; later runs use the cache and never touch the network.
# The cache is refetched only when pom.xml changes (its checksum is kept in $DIST/.complete).
ensure_libs() {
  local sum
  sum="$(sha256sum "$POM" | cut -d' ' -f1)"
  if [[ -f "$DIST/.complete" && "$(cat "$DIST/.complete")" == "$sum" ]]; then return 0; fi
  mkdir -p "$DIST"
  exec 8>"$DIST.lock"
  flock -w 900 8 || die "timed out waiting for another download of Kafka $KAFKA_VERSION"
  if [[ -f "$DIST/.complete" && "$(cat "$DIST/.complete")" == "$sum" ]]; then
    exec 8>&-
    return 0
  fi
  need mvn "install Maven (apt-get install -y maven) to fetch the Kafka jars once"
  local t0
  t0="$(now_ms)"
  say "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $LIBS (once)"
  rm -rf "$DIST/libs.tmp" "$DIST/.complete"
  cp "$POM" "$DIST/pom.xml"
  if ! (cd "$DIST" && mvn -q -B -f "$DIST/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$DIST/libs.tmp") >"$DIST/mvn.log" 2>&1 </dev/null; then
    tail -n 30 "$DIST/mvn.log" >&2 || true
    die "Maven could not fetch the Kafka jars (full output: $DIST/mvn.log)"
  fi
  rm -rf "$LIBS"
  mv "$DIST/libs.tmp" "$LIBS"
  echo "$sum" >"$DIST/.complete"
  say "fetched $(find "$LIBS" -name '*.jar' | wc -l) jars in $(since "$t0")"
  exec 8>&-
}

# The readiness probe (KafkaReady.java), compiled once per source version next to the jars.
PROBE_DIR=""
ensure_probe() {
  local sum tmp
  sum="$(sha256sum "$PROBE_SRC" | cut -c1-12)"
  PROBE_DIR="$DIST/probe-$sum"
  [[ -f "$PROBE_DIR/KafkaReady.class" ]] && return 0
  need javac "a JDK 17+ is needed (apt-get install -y openjdk-17-jdk-headless)"
  tmp="$(mktemp -d "$DIST/probe-build.XXXXXX")"
  javac -nowarn -d "$tmp" -cp "$LIBS/*" "$PROBE_SRC" >&2 || die "could not compile $PROBE_SRC"
  printf 'log4j.rootLogger=OFF\n' >"$tmp/log4j.properties"
  if ! mv -T "$tmp" "$PROBE_DIR" 2>/dev/null; then rm -rf "$tmp"; fi
}

# probe TIMEOUT_MS [PID] -> 0 ready, 1 timeout, 2 broker exited
probe() {
  local rc=0
  java -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
    -Dlog4j.configuration="file:$PROBE_DIR/log4j.properties" \
    -cp "$PROBE_DIR:$LIBS/*" KafkaReady "$BROKERS" "$@" 9>&- 8>&- || rc=$?
  return "$rc"
}

write_config() {
  local listeners advertised protocols
  listeners="PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT"
  advertised="PLAINTEXT://127.0.0.1:$KAFKA_PORT"
  protocols="CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
  if ((KAFKA_SASL)); then
    listeners+=",SASL_PLAINTEXT://127.0.0.1:$SASL_PORT"
    advertised+=",SASL_PLAINTEXT://127.0.0.1:$SASL_PORT"
    protocols+=",SASL_PLAINTEXT:SASL_PLAINTEXT"
  fi
  if ((KAFKA_TLS)); then
    listeners+=",SSL://127.0.0.1:$TLS_PORT"
    advertised+=",SSL://127.0.0.1:$TLS_PORT"
    protocols+=",SSL:SSL"
  fi
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  cat >"$STATE_DIR/server.properties" <<EOF
# Written by scripts/kafka/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=$listeners
advertised.listeners=$advertised
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=$protocols
log.dirs=$DATA_DIR

num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1

auto.create.topics.enable=true
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=5
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=5
group.initial.rebalance.delay.ms=0

log.retention.hours=24
log.retention.check.interval.ms=60000
log.segment.bytes=67108864
EOF
  if ((KAFKA_SASL)); then
    # PLAIN users come from the listener's JAAS config; SCRAM credentials live in the cluster metadata and
    # are created by format_storage (StorageTool --add-scram).
    cat >>"$STATE_DIR/server.properties" <<EOF

# KAFKA_SASL=1: SASL_PLAINTEXT client listener, PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512
listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$SASL_USER="$SASL_PASSWORD";
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
EOF
  fi
  if ((KAFKA_TLS)); then
    cat >>"$STATE_DIR/server.properties" <<EOF

# KAFKA_TLS=1: SSL client listener with a self-signed certificate for 127.0.0.1 (CA file: $TLS_CA)
listener.name.ssl.ssl.keystore.type=PKCS12
listener.name.ssl.ssl.keystore.location=$TLS_DIR/broker.p12
listener.name.ssl.ssl.keystore.password=$TLS_STORE_PASSWORD
listener.name.ssl.ssl.key.password=$TLS_STORE_PASSWORD
listener.name.ssl.ssl.client.auth=none
EOF
  fi
  cat >"$STATE_DIR/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$LOG_FILE
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.authorizer.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
EOF
  # The short-lived tools (storage format) log warnings to stderr, captured in logs/format.log.
  cat >"$STATE_DIR/log4j-tools.properties" <<EOF
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

# A self-signed certificate for 127.0.0.1 (its own CA) and a PKCS12 keystore for the SSL listener, made once
# per state folder (kept across `stop --keep-data`).
ensure_tls() {
  [[ -f "$TLS_DIR/broker.p12" && -f "$TLS_CA" ]] && return 0
  need openssl "openssl is needed for KAFKA_TLS=1"
  mkdir -p "$TLS_DIR"
  if ! openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$TLS_DIR/broker.key" -out "$TLS_CA" >"$LOG_DIR/tls.log" 2>&1 ||
    ! openssl pkcs12 -export -in "$TLS_CA" -inkey "$TLS_DIR/broker.key" -name broker \
      -out "$TLS_DIR/broker.p12" -passout "pass:$TLS_STORE_PASSWORD" >>"$LOG_DIR/tls.log" 2>&1; then
    cat "$LOG_DIR/tls.log" >&2 || true
    die "could not create the TLS certificate in $TLS_DIR"
  fi
}

format_storage() {
  # A KRaft cluster id is 16 random bytes in URL-safe base64 without padding. It can start with "-", so it is
  # passed as --cluster-id=ID (as "-t ID" it would be read as an option).
  local cluster_id
  local -a extra=()
  cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  if ((KAFKA_SASL)); then
    extra=(--add-scram "SCRAM-SHA-256=[name=$SASL_USER,password=$SASL_PASSWORD]"
      --add-scram "SCRAM-SHA-512=[name=$SASL_USER,password=$SASL_PASSWORD]")
  fi
  if ! java -Xmx256m -XX:TieredStopAtLevel=1 -Dlog4j.configuration="file:$STATE_DIR/log4j-tools.properties" \
    -cp "$LIBS/*" kafka.tools.StorageTool format --cluster-id="$cluster_id" -c "$STATE_DIR/server.properties" \
    "${extra[@]}" >"$LOG_DIR/format.log" 2>&1 9>&- 8>&- </dev/null; then
    cat "$LOG_DIR/format.log" >&2 || true
    die "formatting the KRaft storage in $DATA_DIR failed"
  fi
}

# Terminate PID: SIGTERM (Kafka shuts down cleanly), SIGKILL after STOP_TIMEOUT seconds.
terminate() {
  local pid="$1" deadline
  kill -TERM "$pid" 2>/dev/null || true
  kill -CONT "$pid" 2>/dev/null || true # a paused broker must wake up to handle the SIGTERM
  deadline=$(($(now_ms) + STOP_TIMEOUT * 1000))
  while alive "$pid" && (($(now_ms) < deadline)); do sleep 0.1; done
  if alive "$pid"; then
    say "broker (pid $pid) still running after ${STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while alive "$pid"; do sleep 0.1; done
  fi
}

# The stdout lines of `start` and `wait`.
print_brokers() {
  echo "KAFKA_BROKERS=$BROKERS"
  if ((KAFKA_SASL)); then echo "KAFKA_SASL_BROKERS=$SASL_BROKERS"; fi
  if ((KAFKA_TLS)); then
    echo "KAFKA_TLS_BROKERS=$TLS_BROKERS"
    echo "KAFKA_TLS_CA=$TLS_CA"
  fi
}

has_tls_listener() {
  grep -qF "SSL://127.0.0.1:$TLS_PORT" "$STATE_DIR/server.properties" 2>/dev/null
}

# A running broker has the SASL listener only if it was started with KAFKA_SASL=1.
has_sasl_listener() {
  grep -qF "SASL_PLAINTEXT://127.0.0.1:$SASL_PORT" "$STATE_DIR/server.properties" 2>/dev/null
}

# ---------------------------------------------------------------------------------------------------
# commands

cmd_start() {
  local pid t0 rc
  need java "Java 17+ is needed (apt-get install -y openjdk-17-jdk-headless)"
  need flock "flock (util-linux) is needed"
  take_lock

  if pid="$(broker_pid)"; then
    ensure_libs
    ensure_probe
    if probe 30000 "$pid"; then
      if ((KAFKA_SASL)) && ! has_sasl_listener; then
        die "the broker on $BROKERS (pid $pid) runs without the SASL listener; stop it and start with KAFKA_SASL=1"
      fi
      if ((KAFKA_TLS)) && ! has_tls_listener; then
        die "the broker on $BROKERS (pid $pid) runs without the TLS listener; stop it and start with KAFKA_TLS=1"
      fi
      say "already running on $BROKERS (pid $pid)"
      print_brokers
      return 0
    fi
    die "a broker process (pid $pid) exists for port $KAFKA_PORT but does not answer; see $LOG_FILE" \
      "(run 'kafka.sh stop' to clear it)"
  fi
  rm -f "$PID_FILE"

  local -a ports=("$KAFKA_PORT" "$CONTROLLER_PORT")
  if ((KAFKA_SASL)); then ports+=("$SASL_PORT"); fi
  if ((KAFKA_TLS)); then ports+=("$TLS_PORT"); fi
  for p in "${ports[@]}"; do
    if port_open "$p"; then
      die "port $p on 127.0.0.1 is taken by another process; pick another KAFKA_PORT" \
        "(controller uses port+1, the SASL listener port+2)"
    fi
  done

  t0="$(now_ms)"
  ensure_libs
  ensure_probe

  if [[ -f "$KEEP_MARK" && -f "$DATA_DIR/meta.properties" ]]; then
    say "reusing kept data in $DATA_DIR"
    if ((KAFKA_SASL)) && ! has_sasl_listener; then
      say "warning: the kept data was formatted without KAFKA_SASL=1: SCRAM logins will fail (PLAIN works)"
    fi
    rm -f "$KEEP_MARK"
    write_config
  else
    rm -rf "$STATE_DIR"
    write_config
    format_storage
  fi
  if ((KAFKA_TLS)); then ensure_tls; fi

  say "starting Kafka $KAFKA_VERSION on $BROKERS (controller 127.0.0.1:$CONTROLLER_PORT), log $LOG_FILE"
  if ((KAFKA_SASL)); then
    say "SASL_PLAINTEXT listener on $SASL_BROKERS (PLAIN, SCRAM-SHA-256/512; user $SASL_USER)"
  fi
  # shellcheck disable=SC2086 # HEAP_OPTS is a list of JVM flags
  (
    cd "$STATE_DIR"
    exec nohup java $HEAP_OPTS -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError \
      -Djava.awt.headless=true -Dkafka.logs.dir="$LOG_DIR" \
      -Dlog4j.configuration="file:$STATE_DIR/log4j.properties" \
      -cp "$LIBS/*" kafka.Kafka "$STATE_DIR/server.properties" \
      >>"$OUT_FILE" 2>&1 </dev/null 9>&- 8>&-
  ) &
  pid=$!
  echo "$pid" >"$PID_FILE"

  rc=0
  probe "$((START_TIMEOUT * 1000))" "$pid" || rc=$?
  case "$rc" in
    0)
      say "ready on $BROKERS (pid $pid) after $(since "$t0")"
      if ((KAFKA_SASL)); then say "SASL_PLAINTEXT listener: $SASL_BROKERS"; fi
      if ((KAFKA_TLS)); then say "SSL listener: $TLS_BROKERS (CA $TLS_CA)"; fi
      print_brokers
      ;;
    2)
      show_log_tail
      rm -f "$PID_FILE"
      die "the broker exited while starting; logs in $LOG_DIR"
      ;;
    *)
      show_log_tail
      terminate "$pid"
      rm -f "$PID_FILE"
      die "the broker did not serve requests within ${START_TIMEOUT}s (KAFKA_START_TIMEOUT); logs in $LOG_DIR"
      ;;
  esac
}

cmd_stop() {
  local keep=0 pid
  for arg in "$@"; do
    case "$arg" in
      --keep-data) keep=1 ;;
      *) die "stop: unknown option '$arg'" ;;
    esac
  done
  take_lock
  if pid="$(broker_pid)"; then
    say "stopping broker on $BROKERS (pid $pid)"
    terminate "$pid"
    say "stopped"
  else
    say "no broker running on $BROKERS"
  fi
  rm -f "$PID_FILE"
  if ((keep)); then
    if [[ -f "$DATA_DIR/meta.properties" ]]; then
      touch "$KEEP_MARK"
      say "data kept in $DATA_DIR; the next start on port $KAFKA_PORT reuses it"
    fi
  else
    rm -rf "$STATE_DIR"
    rm -f "$LOCK_FILE"
  fi
}

cmd_status() {
  local pid
  if pid="$(broker_pid)" && port_open "$KAFKA_PORT"; then
    say "running on $BROKERS (pid $pid), log $LOG_FILE"
    return 0
  fi
  say "not running on $BROKERS"
  return 1
}

cmd_wait() {
  local secs="${1:-$START_TIMEOUT}" pid rc=0
  [[ "$secs" =~ ^[0-9]+$ ]] || die "wait: timeout must be whole seconds"
  pid="$(broker_pid)" || die "no broker started on $BROKERS (run 'kafka.sh start')"
  ensure_libs
  ensure_probe
  probe "$((secs * 1000))" "$pid" || rc=$?
  ((rc == 0)) || die "broker on $BROKERS not ready (probe exit $rc); see $LOG_FILE"
  if ((KAFKA_SASL)) && ! has_sasl_listener; then die "the broker on $BROKERS runs without the SASL listener"; fi
  if ((KAFKA_TLS)) && ! has_tls_listener; then die "the broker on $BROKERS runs without the TLS listener"; fi
  print_brokers
}

# SIGKILL: the broker dies as in a crash (no clean shutdown, logs recovered on the next start). The data is
# kept for that start, as after `stop --keep-data`.
cmd_kill() {
  local pid
  take_lock
  pid="$(broker_pid)" || die "no broker running on $BROKERS"
  kill -KILL "$pid"
  while alive "$pid"; do sleep 0.05; done
  rm -f "$PID_FILE"
  touch "$KEEP_MARK"
  say "killed broker pid $pid (SIGKILL); data kept in $DATA_DIR"
}

cmd_signal() {
  local sig="$1" pid
  pid="$(broker_pid)" || die "no broker running on $BROKERS"
  kill "-$sig" "$pid"
  say "sent SIG$sig to broker pid $pid"
}

case "${1:-}" in
  start) cmd_start ;;
  stop)
    shift
    cmd_stop "$@"
    ;;
  status) cmd_status ;;
  wait)
    shift
    cmd_wait "$@"
    ;;
  pause) cmd_signal STOP ;;
  resume) cmd_signal CONT ;;
  kill) cmd_kill ;;
  *) usage ;;
esac
