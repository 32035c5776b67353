#!/usr/bin/env bash
# Counts the instructions each benchmark spends per request, under
# valgrind --tool=callgrind, by the two-point method: run the benchmark
# binary with -test.benchtime=N1x and N2x and divide the difference of the
# total instruction counts by N2-N1, which cancels start-up, setup and the
# correctness check. Unlike ns/op, the result hardly depends on what else
# the machine is doing (repeat runs agree to about ±10 instructions).
#
# Usage: benchmarks/instructions.sh [BENCH_REGEXP] [OUT_TSV]
#   BENCH_REGEXP  which benchmarks (default: all of them, '.')
#   OUT_TSV       where to write the table (default: results/instructions.tsv)
# Environment: JOBS (parallel valgrind runs, default 2), BUDGET (instructions
# to spend per point, default 40000000), MAXDELTA (default 10000), PKGDIR
# (the package whose benchmarks to count, default this one; .. is the root
# package's own benchmarks).
#
# Columns of OUT_TSV: benchmark name, N1, N2, Ir(N1), Ir(N2), instructions
# per request. report.go subtracts bare Gin's count to get each library's
# added cost.
set -euo pipefail
cd "$(dirname "$0")"

bench=${1:-.}
out=${2:-results/instructions.tsv}
jobs=${JOBS:-2}
budget=${BUDGET:-40000000}
maxdelta=${MAXDELTA:-10000}
pkgdir=${PKGDIR:-.}

command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$pkgdir" && go test -c -o "$work/bench.test" .)

# A short native run lists the benchmarks and gives a rough ns/op, from
# which each gets a number of iterations that keeps its valgrind run short.
"$work/bench.test" -test.run='^$' -test.bench="$bench" -test.benchtime=20x |
	awk '$1 ~ /^Benchmark/ && $4 == "ns/op" { name = $1; sub(/-[0-9]+$/, "", name); print name, $3 }' >"$work/list"

# Anchors every part of a benchmark name for -test.bench.
pattern() { echo "$1" | awk -F/ '{ s = ""; for (i = 1; i <= NF; i++) { gsub(/[][().*+?^$|\\]/, "\\\\&", $i); s = s (i > 1 ? "/" : "") "^" $i "$" } print s }'; }

count() { # name N -> total instructions
	local f="$work/$(echo "$1-$2" | tr '/=' '__').out"
	# GOGC=off: a collection inside the counted window of a few thousand
	# requests would add all its marking to them, and whether one falls
	# there differs between the two points (the memo-miss pools hold 5 MB,
	# and an earlier run counted -3,620 for a library that way). Malloc is
	# still counted; amortised collection is not, which favours the
	# libraries that allocate, that is, the peers.
	GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file="$f" \
		"$work/bench.test" -test.run='^$' -test.bench="$(pattern "$1")" -test.benchtime="$2x" >/dev/null 2>"$f.log" ||
		{ echo "valgrind failed for $1 (see $f.log)" >&2; return 1; }
	awk '/^summary:/ { print $2 }' "$f"
}

measure() { # name ns/op -> one TSV line
	local name=$1 ns=$2
	# Roughly 4 instructions per nanosecond on these machines; at least 1000
	# requests, so that a noisy native timing cannot leave a count resting
	# on a few dozen requests (as ScaleWildcards n=1000 once did).
	local delta
	delta=$(awk -v ns="$ns" -v b="$budget" -v m="$maxdelta" 'BEGIN { d = int(b / (4 * ns)); if (d > m) d = m; if (d < 1000) d = 1000; print d }')
	local n1=10 n2=$((10 + delta))
	local i1 i2
	i1=$(count "$name" "$n1")
	i2=$(count "$name" "$n2")
	awk -v n="$name" -v n1="$n1" -v n2="$n2" -v i1="$i1" -v i2="$i2" \
		'BEGIN { printf "%s\t%d\t%d\t%d\t%d\t%.0f\n", n, n1, n2, i1, i2, (i2 - i1) / (n2 - n1) }'
}
export -f count measure pattern
export work budget maxdelta

echo "$(wc -l <"$work/list") benchmarks, $jobs at a time" >&2
{
	printf "# gincors %s\n" "$(git -C .. rev-parse --short HEAD)$(git -C .. diff --quiet HEAD -- . ":!benchmarks" || echo " plus uncommitted changes")"
	printf 'benchmark\tN1\tN2\tIr(N1)\tIr(N2)\tinstructions/op\n'
	xargs -P "$jobs" -L 1 bash -c 'measure "$0" "$1"' <"$work/list" | sort
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out" >&2
