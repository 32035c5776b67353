#!/usr/bin/env bash
# Runs a command in this benchmarks module grafted onto an earlier commit's
# library: a temporary git worktree at COMMIT gets this tree's benchmark
# code (*.go, *.sh, go.mod, go.sum; the module's replace directive then
# points at COMMIT's root package), the command runs in its benchmarks
# directory, and the worktree is removed. Nothing is committed there.
#
# Usage: benchmarks/before.sh COMMIT COMMAND [ARG...]
#   e.g. ./before.sh fc5133f ./instructions.sh '^BenchmarkCORS$/./^lib=gincors$' "$PWD/results/before/instructions.tsv"
# Output paths given to COMMAND must be absolute.
set -euo pipefail
cd "$(dirname "$0")"
commit=$1
shift
tree=$(mktemp -d)/before
git worktree add --detach --quiet "$tree" "$commit"
trap 'git worktree remove --force "$tree"; rmdir "$(dirname "$tree")"' EXIT
rm -f "$tree"/benchmarks/*_test.go
cp ./*.go ./*.sh go.mod go.sum "$tree/benchmarks/"
(cd "$tree/benchmarks" && "$@")
