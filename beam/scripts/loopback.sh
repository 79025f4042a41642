#!/usr/bin/env bash
# The portable path that Flink's and Spark's job servers use, on this machine: Prism
# as a separate job server, the pipeline submitted to its job endpoint with
# --runner=universal and LOOPBACK workers (the SDK worker runs in the submitting
# process); then the same rows as `framealign run`, table by table.
#
# Prism's job server listens on every interface (Beam 2.77.0 has no option for the
# address), so the job server and the submitter run in a private network namespace
# (`unshare -rn`: only the loopback interface exists there). NO_NETNS=1 runs them
# here instead, and then the port is open to the network while the job runs.
#
# usage: beam/scripts/loopback.sh [CORPUS] [PORT]   (default: the UNGDC session 66 - 2011)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN="$HERE/../bin"
[ -x "$BIN/prism" ] && [ -x "$BIN/framealign-beam" ] || bash "$HERE/build.sh"
SHARED=${FRAMEALIGN_SHARED:-"$HERE/../../../shared"}
CORPUS=${1:-"$SHARED/corpora/ungdc/Session 66 - 2011"}
PORT=${2:-18073}
PATTERN=${PATTERN:-'{country}_{session}_{year}.txt'}
W=$(mktemp -d "${TMPDIR:-/tmp}/framealign-loopback.XXXXXX")
export BIN CORPUS PORT W PATTERN
inner() {
  set -euo pipefail
  ip link set lo up 2>/dev/null || true
  "$BIN/framealign" run --quiet --meta-pattern "$PATTERN" --out "$W/run" "$CORPUS"
  V=$("$BIN/fabeam-compare" -version "$W/run")
  # The job server ends by itself a while after its last job.
  /usr/bin/time -v -o "$W/prism.time" "$BIN/prism" -job_port "$PORT" -serve_http=false -idle_shutdown_timeout=15s > "$W/prism.log" 2>&1 &
  PRISM=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
  echo "== job server listening (interfaces here: $(ip -o link 2>/dev/null | awk -F": " '{printf "%s ", $2}')):"
  ss -ltn 2>/dev/null | grep ":$PORT " || true
  /usr/bin/time -v -o "$W/submit.time" "$BIN/framealign-beam" --runner=universal --endpoint="localhost:$PORT" \
    --environment_type=LOOPBACK --job_name=framealign-loopback --fa-version "$V" \
    --meta-pattern "$PATTERN" --out "$W/beam" "$CORPUS" > "$W/beam.log" 2>&1
  grep -E '^counter|tokens/s' "$W/beam.log" || true
  echo "== framealign run vs framealign-beam through the job server:"
  "$BIN/fabeam-compare" "$W/run" "$W/beam"
  wait "$PRISM" || true
  echo "== peak RSS: submitter with its loopback worker $(grep 'Maximum resident' "$W/submit.time" | awk '{print $NF}') KB, prism job server $(grep 'Maximum resident' "$W/prism.time" | awk '{print $NF}') KB"
}
export -f inner
if [ "${NO_NETNS:-}" = 1 ]; then inner; else unshare -rn bash -c inner; fi
echo "work folder: $W"
