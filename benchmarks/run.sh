#!/usr/bin/env bash
# Runs the comparison benchmarks, summarises them with benchstat, counts
# instructions per request under callgrind, runs the parallel benchmark at
# 1 and every core, and prints the tables of BENCHMARKS.md and its charts.
#
# Usage: benchmarks/run.sh [BENCH_REGEXP]
# Environment: COUNT (runs of each benchmark and rounds of the parallel
# one, default 6), BENCHTIME (default 200ms), INSTR=0 to skip the callgrind
# counts, BEFORE=COMMIT to measure gincors at an earlier commit too
# (before.sh) into results/before/.
#
# Writes results/bench.txt (raw go test output), results/benchstat.txt,
# results/instructions.tsv, results/parallel.txt, results/tables.md and the
# charts results/scenarios.svg and results/scaling.svg. On shared 2-core
# machines single timings swing by 20-40%: compare medians, and trust the
# instruction counts more than the nanoseconds.
set -euo pipefail
cd "$(dirname "$0")"

serial='^Benchmark(CORS|Scale.*|MemoMiss)$'
bench=${1:-$serial}
count=${COUNT:-6}
benchtime=${BENCHTIME:-200ms}
before=${BEFORE:-}
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
	echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
	go test -timeout 0 -run '^$' -bench "$bench" -benchmem -count "$count" -benchtime "$benchtime" .
} | tee results/bench.txt

# One table per benchmark group, libraries side by side.
"$benchstat" -col /lib results/bench.txt | tee results/benchstat.txt

# gincors at the earlier commit: allocations and instructions (bare Gin
# and the peers are the same code in both trees).
mine="${serial%\$}/./^lib=gincors\$"
if [ -n "$before" ]; then
	mkdir -p results/before
	{
		echo "# gincors $(git -C .. rev-parse --short "$before"), $(date -u +%Y-%m-%dT%H:%MZ), gincors only (before.sh)"
		./before.sh "$before" go test -timeout 0 -run '^$' -bench "$mine" -benchmem -count 1 -benchtime "$benchtime" .
	} | tee results/before/bench.txt
fi

# Throughput at 1 and every core, from every P at once.
ROUNDS=$count BENCHTIME=$benchtime ./parallel.sh "$before"

if [ "${INSTR:-1}" != 0 ]; then
	./instructions.sh "$bench" results/instructions.tsv
	if [ -n "$before" ]; then
		./before.sh "$before" ./instructions.sh "$mine" "$PWD/results/before/instructions.tsv"
	fi
fi
args=(-bench results/bench.txt -instr results/instructions.tsv -parallel results/parallel.txt -svg results)
if [ -n "$before" ]; then
	args+=(-before-bench results/before/bench.txt -before-instr results/before/instructions.tsv -before-parallel results/before/parallel.txt)
fi
go run ./cmd/report "${args[@]}" | tee results/tables.md
