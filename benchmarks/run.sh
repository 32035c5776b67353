#!/usr/bin/env bash
# Runs the comparison benchmarks, summarises them with benchstat, counts
# instructions per request under callgrind, and prints the tables of
# BENCHMARKS.md.
#
# Usage: benchmarks/run.sh [BENCH_REGEXP]
# Environment: COUNT (runs of each benchmark, default 10), BENCHTIME
# (default 200ms), INSTR=0 to skip the callgrind counts.
#
# Writes results/bench.txt (raw go test output), results/benchstat.txt,
# results/instructions.tsv, the root package's parallel slab benchmarks
# (results/slab.txt at GOMAXPROCS 1 and nproc, results/slab-instructions.tsv),
# results/tables.md and the charts results/scenarios.svg and
# results/scaling.svg. On shared 2-core
# machines single timings swing by 20-40%: compare medians, and trust the
# instruction counts more than the nanoseconds.
set -euo pipefail
cd "$(dirname "$0")"

bench=${1:-.}
count=${COUNT:-10}
benchtime=${BENCHTIME:-200ms}
mkdir -p results

go vet ./...
go test ./... # the correctness checks of every scenario

benchstat=$(go env GOPATH)/bin/benchstat
if ! [ -x "$benchstat" ]; then
	go install golang.org/x/perf/cmd/benchstat@latest
fi

{
	echo "# gincors $(git -C .. rev-parse --short HEAD)$(git -C .. diff --quiet HEAD -- . ":!benchmarks" || echo " plus uncommitted changes")"
	echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(go version)"
	echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
	go test -timeout 0 -run '^$' -bench "$bench" -benchmem -count "$count" -benchtime "$benchtime" .
} | tee results/bench.txt

# One table per benchmark group, libraries side by side.
"$benchstat" -col /lib results/bench.txt | tee results/benchstat.txt

# The header-value slab under parallel load (slab_bench_test.go in the
# root package): b.RunParallel at GOMAXPROCS 1 and at every core.
slab='BenchmarkSlabParallel|BenchmarkMiddlewareParallel'
if [ "$bench" = . ]; then
	(cd .. && go test -timeout 0 -run '^$' -bench "$slab" -benchmem -count "$count" -benchtime "$benchtime" -cpu "1,$(nproc)" .) |
		tee results/slab.txt
fi

if [ "${INSTR:-1}" != 0 ]; then
	./instructions.sh "$bench" results/instructions.tsv
	if [ "$bench" = . ]; then
		PKGDIR=.. ./instructions.sh "$slab" results/slab-instructions.tsv
	fi
fi
go run ./cmd/report -bench results/bench.txt -instr results/instructions.tsv \
	-slab results/slab.txt -slab-instr results/slab-instructions.tsv -before results/before/instructions.tsv -svg results | tee results/tables.md
