#!/usr/bin/env bash
# `pnpm test`: every test of the project, cheapest failures first:
#   system tools → typecheck → lint → unit + integration (vitest: decoder, CLI, server with a real Kafka broker
#   and real GoBGP/ExaBGP routers, web logic) → end-to-end (Playwright driving Debian's Chromium).
# The Kafka broker and the router lab are started and stopped by the tests themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
# The router lab needs ip(8) from /usr/sbin, which some non-login shells leave out of PATH.
export PATH="$PATH:/usr/sbin:/sbin"

started=$SECONDS
# Say how long the run took, whether it passed or not (a slow machine shows, and so does a slow test).
trap 'echo "== pnpm test took $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s" >&2' EXIT

bash scripts/ensure-system-deps.sh
# The test command also works as the first command on a fresh clone.
[ -d node_modules ] || pnpm install --frozen-lockfile
echo "== typecheck" >&2
pnpm run typecheck
echo "== lint" >&2
pnpm run lint
echo "== unit and integration tests" >&2
pnpm exec vitest run "$@"
echo "== end-to-end tests" >&2
pnpm run test:e2e
