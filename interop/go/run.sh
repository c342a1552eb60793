#!/usr/bin/env bash
# Interop check: the seed tutorial's Go client and server (src/hello), generated from our .proto,
# against the Java programs in examples/target/hello-examples.jar, unchanged on both sides.
#   A. Java server + Go seed client: "From Server:  hello:Hello Service", stream replies, exit 0.
#   B. Go seed server (:1234) + Java client, 10,000 stream messages: exit 0, "all in order".
# Run from anywhere: bash interop/go/run.sh. Exits 0 if both pass, 1 if not, 77 if Go can't be had.
# shellcheck source-path=SCRIPTDIR disable=SC2317  # (scenarios are called through check())
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

JAR=$REPO/examples/target/hello-examples.jar
LOGS=$HERE/logs
PID=""   # the one server running in the background, if any
trap '[ -z "$PID" ] || kill -KILL "$PID" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

if [ ! -f "$JAR" ]; then
  echo "FAIL: $JAR is missing; build it first: mvn -B -q -DskipTests install" >&2
  exit 1
fi
build_go seed-client=hello seed-server=hello/server
mkdir -p "$LOGS"

port_1234_busy() { (exec 3<>/dev/tcp/127.0.0.1/1234) 2>/dev/null; }

# start_server LOG TEXT CMD...: starts CMD in the background and waits (60 s at most)
# until LOG shows TEXT; returns non-zero if it exits or times out first.
start_server() {
  local log=$1 text=$2; shift 2
  if port_1234_busy; then echo "  port 1234 is already in use"; return 1; fi
  : >"$log"
  "$@" >"$log" 2>&1 &
  PID=$!
  for _ in $(seq 600); do
    grep -qF "$text" "$log" && return 0
    kill -0 "$PID" 2>/dev/null || { echo "  server exited before listening (see $log)"; return 1; }
    sleep 0.1
  done
  echo "  server did not listen within 60 s (see $log)"; return 1
}

# stop_server: SIGTERM, then waits (30 s at most) for the server to exit; SIGKILL if it doesn't.
stop_server() {
  local rc=0
  kill -TERM "$PID" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$PID" 2>/dev/null; then
    echo "  server still running 30 s after SIGTERM; killed"; kill -KILL "$PID"; rc=1
  fi
  wait "$PID" 2>/dev/null || echo "  server exit status after SIGTERM: $?"
  PID=""
  return "$rc"
}

scenario_a() {
  local log=$LOGS/a-go-client.log rc=0 ok=0
  start_server "$LOGS/a-java-server.log" "HelloService listening on port 1234" \
    java -jar "$JAR" server --port 1234 --host 127.0.0.1 || return 1
  timeout 30 "$BUILD/bin/seed-client" >"$log" 2>&1 || rc=$?
  local replies; replies=$(grep -cF "Stream server : hello:Hello server" "$log" || true)
  echo "  Go client exit status $rc, $replies stream replies (log: $log)"
  grep -m1 -F "From Server:" "$log" | sed 's/^/  /' || true
  [ "$rc" = 0 ] && grep -qF "From Server:  hello:Hello Service" "$log" && [ "$replies" -ge 1 ] || ok=1
  stop_server || ok=1
  return "$ok"
}

scenario_b() {
  local log=$LOGS/b-java-client.log rc=0 ok=0
  start_server "$LOGS/b-go-server.log" "HelloService listening on :1234" "$BUILD/bin/seed-server" || return 1
  timeout 180 java -jar "$JAR" client --target localhost:1234 --messages 10000 >"$log" 2>&1 || rc=$?
  echo "  Java client exit status $rc (log: $log)"
  sed 's/^/  | /' "$log" | tail -5
  [ "$rc" = 0 ] && grep -qF "all in order" "$log" || ok=1
  stop_server || ok=1
  return "$ok"
}

# check NAME FUNCTION: runs one scenario and prints its PASS/FAIL line.
failed=0
check() {
  echo "== $1"
  if "$2"; then echo "PASS $1"; else echo "FAIL $1"; failed=1; fi
}
check "Scenario A: Java server + Go seed client" scenario_a
check "Scenario B: Go seed server + Java client" scenario_b
exit "$failed"
