#!/usr/bin/env bash
# Installs what is missing on a Debian 12 machine (nothing is downloaded but Debian packages
# and npm packages). Usage: scripts/deps.sh build|test|bench
set -euo pipefail
what=${1:-build}

build_pkgs=(g++ cmake ninja-build pkg-config ccache libboost1.81-dev nlohmann-json3-dev
  libtomlplusplus-dev libcli11-dev libspdlog-dev libsodium-dev libhowardhinnant-date-dev
  libsqlite3-dev libpq-dev libcurl4-openssl-dev libssl-dev libqrencode-dev zlib1g-dev libgtest-dev tzdata
  libcmark-dev libstemmer-dev libcjose-dev libjansson-dev)
# coturn: tests start their own /usr/bin/turnserver on loopback (tests/e2e/coturn.mjs);
# python3-aiosmtpd: the SMTP server tests deliver mail to (tests/tools/smtp_sink.py).
test_pkgs=(postgresql chromium fonts-dejavu-core coturn python3-aiosmtpd)
bench_pkgs=(wrk nginx)

pkgs=("${build_pkgs[@]}")
[ "$what" = test ] && pkgs+=("${test_pkgs[@]}")
[ "$what" = bench ] && pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js 18+ and npm: use the machine's if present, else Debian's.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # Waits for another apt/dpkg run (e.g. unattended-upgrades) instead of failing at once.
  $SUDO apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 \
    "${missing[@]}" >/dev/null
  # Debian's coturn enables and starts a system-wide turnserver (coturn.service) with the
  # stock /etc/turnserver.conf: no authentication, listening on every address at 3478. Tests
  # never use it (they run their own turnserver on a free loopback port), and an open relay
  # must not be left running on a developer machine: when this run installed coturn, stop it
  # and keep it from starting at boot. A coturn that was already installed is left alone.
  if [[ " ${missing[*]} " == *" coturn "* ]] && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now coturn.service >/dev/null 2>&1 || true
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo "Node.js 18 or newer is needed (found $(node --version))" >&2
  exit 1
fi
