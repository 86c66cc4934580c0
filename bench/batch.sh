#!/usr/bin/env bash
# Benchmark of grader batch (issue 10): a class of copies of problem2's good
# fixtures, graded one at a time by `grader check`, then by `grader batch`
# with --jobs 1 and 2; and the grader's own peak memory (VmHWM, the
# programs it runs aside) for classes of 10 to 200.
#
#   bash bench/batch.sh [COPIES]        # default 100
#
# Prints: the sum of the single runs, each batch's wall time, throughput and
# ratio to (sum of single runs ÷ jobs), and the peak RSS per class size.
# Run it on a quiet machine, inside a network namespace of its own (the
# fixtures hard-code ports): unshare -n sh -c 'ip link set lo up && bash bench/batch.sh'.
# BENCH_SIZES="10 50" chooses the class sizes of the memory figures.
# BENCH_OWN_PORTS=1 gives every copy a port of its own, for a grader whose
# programs share one loopback (before the sandbox gave each its own network).
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=0 go build -o "$work/grader" ./cmd/grader
grader=$work/grader

# class N DIR: N copies of the good fixtures, cycling through them.
class() {
  local n=$1 dir=$2 i=0 port
  mkdir -p "$dir"
  while [ "$i" -lt "$n" ]; do
    for f in fixtures/problem2/good-*/; do
      [ "$i" -lt "$n" ] || break
      i=$((i + 1))
      mkdir -p "$dir/student-$i"
      if [ "${BENCH_OWN_PORTS:-0}" = 1 ]; then
        port=$((30000 + i))
        sed -e "s/10001/$port/g; s/21567/$port/g; s/5005\b/$port/g" "$f/rps_server.py" > "$dir/student-$i/rps_server.py"
      else
        cp "$f/rps_server.py" "$dir/student-$i/"
      fi
    done
  done
}

now() { date +%s.%N; }
# cpu sets CPU to the CPU seconds (user + system) of every command this
# shell has waited for so far: the graders and the programs they ran. (In
# the shell itself: a $(…) subshell has waited for nothing.)
cpu() {
  times > "$work/times"
  CPU=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.1f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$work/times")
}
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# peak CMD...: runs the command, prints its peak RSS in MiB on fd 3.
peak() {
  "$@" &
  local pid=$! hwm=0 v
  while kill -0 "$pid" 2>/dev/null; do
    v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$v" ] && hwm=$v
    sleep 0.2
  done
  wait "$pid" || true
  awk -v k="$hwm" 'BEGIN { printf "%.1f\n", k / 1024 }' >&3
}

class "$copies" "$work/class"
goods=(fixtures/problem2/good-*/)
echo "class: $copies copies of ${#goods[@]} good fixtures; $(nproc) cores"

start=$(now)
cpu
cpu0=$CPU
for d in "$work"/class/*/; do
  "$grader" check problem2 --dir "$d" --seed 4242 > /dev/null || true
done
single=$(secs "$start" "$(now)")
cpu
echo "single runs (grader check, one after another): ${single} s in all, $(secs "$cpu0" "$CPU") s of CPU; load average $(cut -d' ' -f1-3 /proc/loadavg)"

for jobs in 1 2; do
  rm -rf "$work/out"
  start=$(now)
  cpu
  cpu0=$CPU
  peak "$grader" batch problem2 "$work/class" --out "$work/out" --jobs "$jobs" --seed 4242 3>"$work/rss" >/dev/null 2>&1
  wall=$(secs "$start" "$(now)")
  cpu
  used=$(secs "$cpu0" "$CPU") rss=$(cat "$work/rss")
  full=$(awk -F, 'NR > 1 && $2 == $3' "$work/out/grades.csv" | wc -l)
  awk -v w="$wall" -v s="$single" -v j="$jobs" -v n="$copies" -v r="$rss" -v f="$full" -v c="$used" 'BEGIN {
    printf "batch --jobs %d: %.1f s wall, %.1f submissions/min, %.2f× (sum of single runs ÷ %d), %.1f s of CPU, peak RSS %.1f MiB, %d/%d full marks\n",
      j, w, n / w * 60, w / (s / j), j, c, r, f, n }'
  echo "  (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  # Every copy is a good submission: say what any that lost points met.
  /usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1]):
    g = json.loads(line)
    for c in g["checks"]:
        if c["status"] != "passed":
            print("  lost:", g["student"], c["id"], c["status"], (c.get("message") or "")[:160])
' "$work/out/results.jsonl"
done

echo "peak RSS of grader batch --jobs 2 by class size:"
for n in ${BENCH_SIZES-10 50 200}; do
  rm -rf "$work/sized" "$work/out"
  class "$n" "$work/sized"
  peak "$grader" batch problem2 "$work/sized" --out "$work/out" --jobs 2 --seed 4242 3>"$work/rss" >/dev/null 2>&1
  echo "  $n submissions: $(cat "$work/rss") MiB"
done
