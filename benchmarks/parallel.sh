#!/usr/bin/env bash
# Runs BenchmarkParallel (parallel_test.go) at GOMAXPROCS 1 and at every
# core, in ROUNDS rounds. With COMMIT, each round also runs the same
# benchmark built on that commit's library (before.sh), right after this
# tree's (the order alternating), so that both see the same load. Each round's lines follow a
# comment with the load average when it started.
#
# Usage: benchmarks/parallel.sh [COMMIT]
# Environment: ROUNDS (default 6), BENCHTIME (default 200ms).
# Writes results/parallel.txt and, with COMMIT, results/before/parallel.txt.
set -euo pipefail
cd "$(dirname "$0")"
commit=${1:-}
rounds=${ROUNDS:-6}
benchtime=${BENCHTIME:-200ms}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go test -c -o "$work/after.test" .
outs=(results/parallel.txt)
bins=("$work/after.test")
if [ -n "$commit" ]; then
	./before.sh "$commit" go test -c -o "$work/before.test" .
	mkdir -p results/before
	outs+=(results/before/parallel.txt)
	bins+=("$work/before.test")
fi
revs=(HEAD "$commit")
for i in "${!outs[@]}"; do
	{
		echo "# gincors $(git -C .. rev-parse --short "${revs[$i]}")"
		echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(go version), $(nproc) cores"
	} >"${outs[$i]}"
done
for round in $(seq "$rounds"); do
	order=("${!bins[@]}")
	if [ $((round % 2)) = 0 ] && [ "${#bins[@]}" = 2 ]; then
		order=(1 0) # alternate which tree runs first
	fi
	for i in "${order[@]}"; do
		echo "# round $round, load average$(cut -d' ' -f1-3 /proc/loadavg | sed 's/^/ /')" >>"${outs[$i]}"
		"${bins[$i]}" -test.run='^$' -test.bench='^BenchmarkParallel$' -test.benchmem \
			-test.cpu="1,$(nproc)" -test.benchtime="$benchtime" | grep '^Benchmark' | tee -a "${outs[$i]}"
	done
done
