#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image
# (Ubuntu) from the zip that make-autograder.sh made. The grader is a
# static binary in the zip; the students' servers need python3.
set -euo pipefail

if ! command -v python3 >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q python3
fi
chmod +x /autograder/source/grader /autograder/source/run_autograder
/autograder/source/grader list
