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
# The class report (grader batch's index.html) is checked in a real headless
# browser; one that is already there (GitHub's runners have Chrome) will do.
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ||
  command -v google-chrome >/dev/null 2>&1 || need+=(chromium)
# script(1) gives the progress bar spec a terminal.
command -v script >/dev/null 2>&1 || need+=(bsdutils)
# smtp-server grades the real aiosmtpd (Debian's, for /usr/bin/python3) as a
# good fixture; irc-client a real IRC client, sic; http-form compares its
# curl check with what curl itself sends.
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || need+=(python3-aiosmtpd)
command -v sic >/dev/null 2>&1 || need+=(sic)
command -v curl >/dev/null 2>&1 || need+=(curl)
# http-form grades the notes' node server as a good fixture, the
# schema's specs run a real yaml-language-server (an npm package), and
# CTRF reports are judged by the format's own validator (npm ctrf).
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)

if [ ${#need[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q "${need[@]}"
fi

# yaml-language-server, pinned by tools/yamlls/package-lock.json, into
# tools/yamlls/node_modules (git-ignored).
if [ ! -f tools/yamlls/node_modules/yaml-language-server/bin/yaml-language-server ]; then
  npm ci --prefix tools/yamlls --no-audit --no-fund --loglevel=error
fi

go mod download

# The CTRF validator (npm ctrf, pinned by package-lock.json) goes into a
# git-ignored node_modules inside the repository; npm ls is offline and
# fails when what is installed is not what the lock file asks for.
validator=report/reporttest/ctrf
if ! npm ls --prefix "$validator" --silent >/dev/null 2>&1; then
  npm ci --prefix "$validator" --no-audit --no-fund --silent
fi
