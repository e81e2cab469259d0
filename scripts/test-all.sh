#!/usr/bin/env bash
# `pnpm test`: every test of the project, in the order a failure is cheapest to read.
# System tools the tests need (tshark, gobgpd, exabgp, chromium, Java/Maven for Kafka) are
# checked first; scripts/ensure-system-deps.sh installs what is missing when it can.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-deps.sh
pnpm run typecheck
pnpm run lint
pnpm exec vitest run "$@"
