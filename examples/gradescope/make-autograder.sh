#!/usr/bin/env bash
# Makes the zip to upload as a Gradescope programming assignment's
# autograder, from a checkout of the grader:
#
#   examples/gradescope/make-autograder.sh problem1            # a built-in exercise
#   examples/gradescope/make-autograder.sh ./my-exercise.yaml  # an exercise file
#
# The zip holds setup.sh and run_autograder at its root (as Gradescope
# requires), a static Linux build of the grader, and the exercise's name
# (or file) in `exercise`. Needs Go and python3 (for the zip).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 EXERCISE|EXERCISE.yaml" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${OUT:-$PWD/autograder.zip}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

# The version every report names: the checkout's tag or commit.
version="$(git -C "$repo" describe --tags --always --dirty 2>/dev/null || echo devel)"
(cd "$repo" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -ldflags "-X main.version=$version" -o "$stage/grader" ./cmd/grader)
cp "$here/setup.sh" "$here/run_autograder" "$stage/"
files=(setup.sh run_autograder grader exercise)
if [ -f "$1" ]; then
  cp "$1" "$stage/$(basename "$1")"
  basename "$1" >"$stage/exercise"
  files+=("$(basename "$1")")
else
  "$stage/grader" show "$1" >/dev/null # fails now, not on Gradescope, for an unknown name
  echo "$1" >"$stage/exercise"
fi
chmod +x "$stage/setup.sh" "$stage/run_autograder" "$stage/grader"
rm -f "$out"
(cd "$stage" && python3 -m zipfile -c "$out" "${files[@]}")
echo "wrote $out"
