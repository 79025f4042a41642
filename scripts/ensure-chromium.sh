#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium when it is missing, so the report's
# browser test (report/chromium_test.go) runs in CI instead of skipping.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium fonts-dejavu-core
