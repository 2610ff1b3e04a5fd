#!/usr/bin/env bash
# Runs the WMO WIS2 Global Cache test suite, unchanged, against a GC on this machine (millrace),
# with the WMO infrastructure it expects emulated locally.
#
#   ./run.sh [functional|performance|all]      (default: functional)
#
# Start the GC yourself (the command is printed); see README.md for every setting.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODE="${1:-functional}"
case "$MODE" in functional|performance|all) ;; *) echo "usage: $0 [functional|performance|all]" >&2; exit 2;; esac

# Optional settings file (KEY=value lines), e.g. to point at the GC's TLS broker.
if [[ -n "${HARNESS_ENV:-}" ]]; then set -a; source "$HARNESS_ENV"; set +a; fi

export WMO_GC_OUT="${WMO_GC_OUT:-$HERE/out}"
OUT="$WMO_GC_OUT"
PY="$HERE/.venv/bin/python"
SUITE="$HERE/suite/tests/global_cache"
mkdir -p "$OUT"

# --- preconditions ------------------------------------------------------------------------------
[[ -x "$HERE/.venv/bin/pytest" && -f "$HERE/suite/MANIFEST" ]] || { echo "run ./setup.sh first" >&2; exit 2; }
if ! (cd "$HERE/suite" && while read -r sum f; do [[ "$(git hash-object "$f")" == "$sum" ]] || { echo "changed: $f"; exit 1; }; done < MANIFEST); then
  echo "the suite copy under suite/tests differs from $(cat "$HERE/suite/SOURCE"); re-run ./setup.sh" >&2; exit 2
fi
[[ -f "$HOME/.pywis-pubsub/wis2-notification-message/wis2-notification-message-bundled.json" ]] \
  || { echo "WNM schema missing in ~/.pywis-pubsub (run ./setup.sh as this user)" >&2; exit 2; }

# --- the emulated infrastructure ----------------------------------------------------------------
EMU_PID=""
cleanup() {
  if [[ -n "$EMU_PID" ]] && kill -0 "$EMU_PID" 2>/dev/null; then
    kill -TERM -- "-$EMU_PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$EMU_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$EMU_PID" 2>/dev/null
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
RUN_START=$(date +%s)
running=$("$PY" -c 'import json,os,sys
try:
    pid = json.load(open(sys.argv[1]))["pid"]; os.kill(pid, 0); print(pid)
except Exception:
    pass' "$OUT/emulator.ready" 2>/dev/null)
if [[ -n "$running" ]]; then
  # started separately (./emulator.py run): reuse it and leave it running
  echo "== reusing the running emulator (pid $running)"
else
  setsid "$PY" "$HERE/emulator.py" run >>"$OUT/emulator.stderr" 2>&1 &
  EMU_PID=$!
  for _ in $(seq 1 100); do [[ -f "$OUT/emulator.ready" ]] && break; kill -0 "$EMU_PID" 2>/dev/null || break; sleep 0.2; done
  [[ -f "$OUT/emulator.ready" ]] || { echo "emulator did not start:" >&2; tail -20 "$OUT/emulator.stderr" >&2; exit 2; }
fi

# The suite's environment. Real environment variables win over the suite's .env files
# (load_dotenv does not override), so exporting them is enough; test_global_cache.sh itself is
# not used because its `source ./global-cache.env` would overwrite these exported values.
eval "$("$PY" "$HERE/emulator.py" env)"
echo "== emulated infrastructure (logs in $OUT)"
"$PY" "$HERE/emulator.py" env | sed 's/^export /   /'
echo "== the GC must subscribe to the fake GB; start millrace with, e.g.:"
echo "   $("$PY" -c "import sys; sys.path.insert(0, '$HERE'); from wmogc.config import Config; print(Config().millrace_command())")"

"$PY" "$HERE/emulator.py" wait-gc --timeout "${GC_WAIT:-900}" || { echo "the GC did not come up" >&2; exit 3; }

if [[ "${WARMUP:-1}" == 1 ]]; then
  echo "== warm-up: one datatest per centre ${WARMUP_CENTRES:-11-15} (contradiction C1, README)"
  if ! "$PY" "$HERE/emulator.py" warmup; then
    echo "warm-up failed: the GC did not cache a plain datatest; is it subscribed to tcp://127.0.0.1:${GB_PORT:-18830}?" >&2
    [[ "${WARMUP_REQUIRED:-1}" == 1 ]] && exit 3
  fi
fi

# --- the suite, as tests/global_cache/test_global_cache.sh runs it --------------------------------
export PATH="$HERE/.venv/bin:$PATH"
DATETIME=$(date -u '+%Y-%m-%dT%H:%M:%SZ')
LOG_FILE="$OUT/gc_tests_${DATETIME}_${GC_METRICS_REPORT_BY}.log"
rc=0
run_pytest() {  # $1 = functional|performance
  local xml="$OUT/gc_tests_${DATETIME}_${GC_METRICS_REPORT_BY}_$1.xml"
  echo -e "Running $1 tests\n" | tee -a "$LOG_FILE"
  (cd "$SUITE" && pytest "test_global_cache_$1.py" --junitxml="$xml" -l -rA --log-cli-level=DEBUG \
      --log-cli-format='-%(funcName)s - %(message)s') 2>&1 | tee -a "$LOG_FILE"
  local r=${PIPESTATUS[0]}
  echo "== $1: pytest exit $r, junit $xml"
  ((r > rc)) && rc=$r
}
[[ "$MODE" == functional || "$MODE" == all ]] && run_pytest functional
[[ "$MODE" == performance || "$MODE" == all ]] && run_pytest performance

REPORT="$OUT/report_${DATETIME}.txt"
"$PY" "$HERE/emulator.py" report --since "$RUN_START" > "$REPORT" 2>&1
echo "== log $LOG_FILE"
echo "== traffic/metrics report $REPORT"
exit $rc
