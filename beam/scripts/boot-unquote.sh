#!/usr/bin/env bash
# The command of a PROCESS environment on Prism (Beam 2.77.0): Prism starts it with
# --id='<worker id>', the quotes included (no shell strips them), so Beam's boot loader
# announces an id the runner does not know, fails to get its provisioning, and the job
# waits forever instead of failing. This strips the quotes, then runs the boot loader,
# which fetches the staged worker binary and starts it with --worker=true.
args=()
for a in "$@"; do
  case "$a" in
    --id=\'*\') a="--id=${a#--id=\'}"; a="${a%\'}" ;;
  esac
  args+=("$a")
done
exec "${BEAM_BOOT:-$(dirname "$0")/../bin/beam-boot}" "${args[@]}"
