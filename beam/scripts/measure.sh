#!/usr/bin/env bash
# Prism figures for docs/performance.md: the whole UNGDC sample through `framealign
# run` and through framealign-beam on in-process Prism (isolated), with peak RSS, CPU
# time and a CPU profile of where the time goes; then the same rows. Run it on an idle
# machine: wall times move with the load.
# usage: beam/scripts/measure.sh [CORPUS]   (default: the whole UNGDC sample)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN="$HERE/../bin"
bash "$HERE/build.sh" > /dev/null
SHARED=${FRAMEALIGN_SHARED:-"$HERE/../../../shared"}
CORPUS=${1:-"$SHARED/corpora/ungdc"}
PATTERN='{country}_{session}_{year}.txt'
W=$(mktemp -d "${TMPDIR:-/tmp}/framealign-measure.XXXXXX")
summary() { # label, time -v output
  awk -v l="$1" -F': ' '/Elapsed/ {e=$2} /User time/ {u=$2} /System time/ {s=$2} /Maximum resident/ {m=$2}
    END {printf "%-34s wall %s  user %s s  sys %s s  peak RSS %.0f MB\n", l, e, u, s, m/1024}' "$2"
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
/usr/bin/time -v -o "$W/run.time" "$BIN/framealign" run --quiet --full --meta-pattern "$PATTERN" --out "$W/run" --cpuprofile "$W/run.pprof" "$CORPUS"
summary "framealign run (workers $(nproc))" "$W/run.time"
V=$("$BIN/fabeam-compare" -version "$W/run")
for P in "$(nproc)" 1; do
  /usr/bin/time -v -o "$W/beam$P.time" "$BIN/framealign-beam" --parallel "$P" --fa-version "$V" --meta-pattern "$PATTERN" \
    --out "$W/beam$P" --cpuprofile "$W/beam$P.pprof" "$CORPUS" > "$W/beam$P.log" 2>&1
  summary "framealign-beam, Prism, --parallel $P" "$W/beam$P.time"
  grep -E '^counter analyse|tokens/s' "$W/beam$P.log" | sed 's/^/    /'
done
echo "== same rows as framealign run:"
"$BIN/fabeam-compare" "$W/run" "$W/beam$(nproc)" | tail -1
echo "== where the time goes (framealign-beam --parallel $(nproc), cumulative CPU seconds):"
go tool pprof -top -cum "$BIN/framealign-beam" "$W/beam$(nproc).pprof" 2>/dev/null |
  grep -E 'Duration|Analyzer\)\.(Document|Annotate|Analyse)|fastprose.*Annotate$|ElementManager|refreshWatermarks|analyzeWriteFn\)\.write|DocumentsWriter|TableWriter|readFn\)\.ProcessElement|corpus\.Read$|runtime\.gcBgMarkWorker|coder|dedupFn|grpc' | head -25
echo "work folder: $W"
