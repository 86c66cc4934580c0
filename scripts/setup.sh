#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian/Ubuntu machine, and
# nothing that is already there. Safe to run again. Needs root (or sudo)
# for apt-get, and the network for what is missing (the Go modules, the npm
# package that validates CTRF reports); with everything present it needs
# neither.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
# The tcp-chat fixture grades Debian's netcat-openbsd (`nc -l 3000`) itself.
{ nc -h 2>&1 || true; } | grep -q OpenBSD || need+=(netcat-openbsd)
# CTRF reports are judged by the format's own validator, an npm package.
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)

if [ ${#need[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q "${need[@]}"
fi

go mod download

# The CTRF validator (npm ctrf, pinned by package-lock.json) goes into a
# git-ignored node_modules inside the repository; npm ls is offline and
# fails when what is installed is not what the lock file asks for.
validator=report/reporttest/ctrf
if ! npm ls --prefix "$validator" --silent >/dev/null 2>&1; then
  npm ci --prefix "$validator" --no-audit --no-fund --silent
fi
