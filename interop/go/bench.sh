#!/usr/bin/env bash
# grpc-go yardstick: builds src/hello/bench, starts its server on a free 127.0.0.1 port, runs its
# client over one Channel stream of N messages (first argument, default 1000000), prints the
# client's result line and stops the server. Exits 77 if the Go toolchain cannot be installed.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

MESSAGES=${1:-1000000}
build_go bench=hello/bench
mkdir -p "$HERE/logs"
LOG=$HERE/logs/bench-server.log
: >"$LOG"

"$BUILD/bin/bench" server -host 127.0.0.1 -port 0 >"$LOG" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; true' EXIT
trap 'exit 130' INT TERM

ADDR=""
for _ in $(seq 100); do
  ADDR=$(sed -n 's/^listening on //p' "$LOG")
  [ -n "$ADDR" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
[ -n "$ADDR" ] || { echo "bench server did not start within 10 s" >&2; exit 1; }

timeout 600 "$BUILD/bin/bench" client -target "$ADDR" -messages "$MESSAGES"
