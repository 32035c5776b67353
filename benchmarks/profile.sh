#!/usr/bin/env bash
# Profiles one benchmark under callgrind and prints where its instructions
# go, per function, inclusive and exclusive.
#
# Usage: benchmarks/profile.sh BENCH_NAME [N] [COLLECT]
#   BENCH_NAME  one benchmark, e.g. 'BenchmarkCORS/scenario=PreflightAllowed/lib=gincors'
#   N           iterations (default 20000); setup is a fixed cost, so the
#               per-request figures are the counts divided by N once N is
#               large
#   COLLECT     a function pattern for --toggle-collect (default: the
#               middleware's handler, so only its own work is counted;
#               '' counts the whole process)
# Environment: PKGDIR (default this package), OUT (callgrind output file).
set -euo pipefail
cd "$(dirname "$0")"
name=$1
n=${2:-20000}
collect=${3-'github.com/gincors/gincors.(*Middleware).handle'}
pkgdir=${PKGDIR:-.}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$pkgdir" && go test -c -o "$work/bench.test" .)
pattern=$(echo "$name" | awk -F/ '{ s = ""; for (i = 1; i <= NF; i++) { gsub(/[][().*+?^$|\\]/, "\\\\&", $i); s = s (i > 1 ? "/" : "") "^" $i "$" } print s }')
out=${OUT:-$work/callgrind.out}
args=(--tool=callgrind --dump-instr=no --callgrind-out-file="$out")
if [ -n "$collect" ]; then
	args+=(--toggle-collect="$collect")
fi
GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind "${args[@]}" \
	"$work/bench.test" -test.run='^$' -test.bench="$pattern" -test.benchtime="${n}x" >/dev/null 2>"$work/log"
total=$(awk '/^summary:/ { print $2 }' "$out")
echo "# $name, N=$n, collect=${collect:-everything}: $total instructions, $((total / n)) per request"
# Self cost per function, per request: with the default COLLECT every
# instruction counted is inside the middleware.
callgrind_annotate --threshold=99 "$out" | awk -v n="$n" '
	/^ *[0-9,]+ \(/ && !/PROGRAM TOTALS/ {
		ir = $1; gsub(/,/, "", ir); fn = $0; sub(/^ *[0-9,]+ \( *[0-9.]+%\) +/, "", fn); sub(/ \[.*$/, "", fn)
		sub(/^.*\/src\//, "", fn); sub(/^.*\/pkg\/mod\//, "", fn); sub(/^\/[^:]*\//, "", fn)
		if (ir / n >= 1) printf "%8.0f  %s\n", ir / n, fn
	}' | head -${TOP:-30}
