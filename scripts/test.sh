#!/usr/bin/env bash
# The test command of the README: installs what the suites need
# (scripts/setup.sh), then runs every suite. With arguments, they go to
# `go test` instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ $# -gt 0 ]; then
  exec go test "$@"
fi
ginkgo=(go run github.com/onsi/ginkgo/v2/ginkgo --keep-going)
# The package suites are quick, and some time their programs closely: one
# spec at a time.
status=0
"${ginkgo[@]}" -r --skip-package=cmd/grader || status=1
# The command's suite grades every fixture: in parallel, since in the
# sandbox each graded program has a network of its own and the graders
# mostly wait on sockets (specs that use the machine's own ports are
# Serial). Three processes fit two cores.
"${ginkgo[@]}" -p --procs="${GINKGO_PROCS:-3}" ./cmd/grader || status=1
exit "$status"
