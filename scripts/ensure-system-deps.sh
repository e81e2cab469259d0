#!/usr/bin/env bash
# Installs the Debian packages the tests drive (real routers, tshark, a browser) if they are missing.
# Needs root or sudo; prints what it would install otherwise.
set -euo pipefail
need=()
command -v tshark  >/dev/null 2>&1 || need+=(tshark)
command -v gobgpd  >/dev/null 2>&1 || need+=(gobgpd)
command -v exabgp  >/dev/null 2>&1 || need+=(exabgp)
command -v socat   >/dev/null 2>&1 || need+=(socat)
command -v kcat    >/dev/null 2>&1 || need+=(kcat)
command -v ip      >/dev/null 2>&1 || need+=(iproute2)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v dumpcap >/dev/null 2>&1 || need+=(tshark)
command -v java    >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn     >/dev/null 2>&1 || need+=(maven)
# A RIS Live client outside this code base (apps/server/test/rislive-python.test.ts): Debian's websocket-client.
/usr/bin/python3 -c 'import websocket' >/dev/null 2>&1 || need+=(python3-websocket)
command -v cargo   >/dev/null 2>&1 || echo "note: cargo (Rust) is not installed: pnpm bench:decode will print our figures without the bgpkit-parser peer" >&2
[ ${#need[@]} -eq 0 ] && exit 0
# De-duplicate (tshark covers dumpcap).
mapfile -t need < <(printf "%s\n" "${need[@]}" | sort -u)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "missing system packages: ${need[*]} (run as root: apt-get install -y ${need[*]})" >&2
    exit 1
  fi
fi
echo "installing system packages: ${need[*]}" >&2
# Keep Debian from starting package services (gobgpd, exabgp) during the install.
printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
$SUDO chmod +x /usr/sbin/policy-rc.d
trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
