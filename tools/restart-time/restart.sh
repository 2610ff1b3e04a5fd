#!/usr/bin/env bash
# Times restarts of the local stack from outside: starts `./millrace up` on one data dir, waits for
# /health to answer UP, ends the stack with a signal, and again. Prints, for each start, the seconds
# from launch to UP and the CPU seconds the JVM had used by then.
#
#   tools/restart-time/restart.sh [--cycles N] [--signal KILL|TERM] [--data-dir DIR]
#
# /health is polled every 50 ms from one Python process: a curl per poll costs about 40 ms of CPU,
# which on two cores slows the start it measures. JAVA_OPTS passes through to the launcher.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cycles=5
signal=KILL
data=""
while [ $# -gt 0 ]; do
    case "$1" in
        --cycles) cycles="$2"; shift 2 ;;
        --signal) signal="$2"; shift 2 ;;
        --data-dir) data="$2"; shift 2 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
if [ -z "$data" ]; then
    data="$(mktemp -d)/data"
fi
logs="$(dirname "$data")"
health="http://127.0.0.1:8080/health"

wait_up() {
    python3 - "$1" "$health" <<'PY'
import json, sys, time, urllib.request
start, url = float(sys.argv[1]), sys.argv[2]
while time.time() - start < 180:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            if json.load(answer).get("status") == "UP":
                print("%.2f" % (time.time() - start))
                sys.exit(0)
    except Exception:
        pass
    time.sleep(0.05)
print("not UP within 180 s")
sys.exit(1)
PY
}

"$root/millrace" config >/dev/null  # builds and trains the class-data archive once, untimed
for i in $(seq 0 "$cycles"); do
    start="$(date +%s.%N)"
    "$root/millrace" up --data-dir "$data" >"$logs/stack-$i.log" 2>&1 &
    pid=$!
    if up="$(wait_up "$start")"; then
        cpu="$(awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$pid/stat")"
        kind=$([ "$i" -eq 0 ] && echo "start" || echo "restart after SIG$signal")
        echo "$kind: UP after $up s, $cpu s of CPU"
    else
        echo "start $i: $up (log: $logs/stack-$i.log)"
        kill -KILL "$pid" 2>/dev/null || true
        exit 1
    fi
    kill "-$signal" "$pid"
    wait "$pid" 2>/dev/null || true
done
echo "logs and data in $logs"
