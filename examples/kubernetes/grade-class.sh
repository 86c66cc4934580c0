#!/usr/bin/env bash
# Grades the class in grader-submissions on the cluster kubectl points at,
# and copies the class report here: ./class/index.html.
#   bash grade-class.sh [NAMESPACE]
set -euo pipefail
cd "$(dirname "$0")"
ns=(--namespace "${1:-default}")

kubectl "${ns[@]}" apply -f volumes.yaml
kubectl "${ns[@]}" delete job grade-class merge-class --ignore-not-found
kubectl "${ns[@]}" apply -f grade-job.yaml
kubectl "${ns[@]}" wait --for=condition=complete --timeout=2h job/grade-class
kubectl "${ns[@]}" apply -f merge-job.yaml
kubectl "${ns[@]}" wait --for=condition=complete --timeout=10m job/merge-class

# A pod that mounts the results, to copy them out.
kubectl "${ns[@]}" run grader-fetch --restart=Never --image=busybox:1.36 \
  --overrides='{"spec":{"volumes":[{"name":"r","persistentVolumeClaim":{"claimName":"grader-results"}}],"containers":[{"name":"grader-fetch","image":"busybox:1.36","command":["sleep","600"],"volumeMounts":[{"name":"r","mountPath":"/results"}]}]}}'
kubectl "${ns[@]}" wait --for=condition=ready --timeout=5m pod/grader-fetch
kubectl "${ns[@]}" cp grader-fetch:/results/class ./class
kubectl "${ns[@]}" delete pod grader-fetch
echo "class report: $PWD/class/index.html"
