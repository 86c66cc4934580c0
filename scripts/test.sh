#!/usr/bin/env bash
# The test command of the README: installs what the suites need
# (scripts/setup.sh), then runs every suite. Arguments go to `go test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
go test "${@:-./...}"
