#!/usr/bin/env bash
# Builds what the scripts run into beam/bin (not committed): framealign (the main
# module's), framealign-beam, fabeam-compare and Beam's Prism job server (cmd/prism,
# from the module cache at the version beam/go.mod requires).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
mkdir -p bin
(cd .. && go build -o beam/bin/framealign ./cmd/framealign)
go build -o bin/framealign-beam ./cmd/framealign-beam
go build -o bin/fabeam-compare ./cmd/fabeam-compare
go build -o bin/prism github.com/apache/beam/sdks/v2/go/cmd/prism
# Beam's Go boot loader, which a PROCESS or DOCKER environment starts on each worker.
go build -o bin/beam-boot github.com/apache/beam/sdks/v2/go/container
echo "built into $(pwd)/bin"
