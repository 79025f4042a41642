#!/usr/bin/env bash
# Workers started by the runner (a PROCESS environment, as a Flink or Spark cluster
# starts them on its machines): Prism as a separate job server, in a private network
# namespace, starting Beam's boot loader (through boot-unquote.sh, see there) for the
# staged framealign-beam binary; then the same rows as `framealign run`.
# usage: beam/scripts/process.sh [CORPUS] [PORT]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=$(cd "$HERE/../bin" 2>/dev/null && pwd || true)
[ -n "$BIN" ] && [ -x "$BIN/beam-boot" ] || { bash "$HERE/build.sh"; BIN=$(cd "$HERE/../bin" && pwd); }
SHARED=${FRAMEALIGN_SHARED:-"$HERE/../../../shared"}
CORPUS=${1:-"$SHARED/corpora/ungdc/Session 66 - 2011"}
PORT=${2:-18075}
W=$(mktemp -d "${TMPDIR:-/tmp}/framealign-process.XXXXXX")
export BIN CORPUS PORT W HERE
inner() {
  set -euo pipefail
  ip link set lo up
  "$BIN/framealign" run --quiet --out "$W/run" "$CORPUS"
  V=$("$BIN/fabeam-compare" -version "$W/run")
  "$BIN/prism" -job_port "$PORT" -serve_http=false > "$W/prism.log" 2>&1 &
  PRISM=$!
  trap 'kill $PRISM 2>/dev/null || true' EXIT
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
  timeout "${TIMEOUT:-300}" "$BIN/framealign-beam" --runner=universal --endpoint="localhost:$PORT" \
    --environment_type=PROCESS --environment_config="{\"command\":\"$HERE/boot-unquote.sh\"}" \
    --worker_binary="$BIN/framealign-beam" --fa-version "$V" --out "$W/beam" "$CORPUS" > "$W/beam.log" 2>&1
  grep -E '^counter|tokens/s' "$W/beam.log" || true
  "$BIN/fabeam-compare" "$W/run" "$W/beam"
}
export -f inner
unshare -rn bash -c inner
echo "work folder: $W"
