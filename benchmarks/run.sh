#!/usr/bin/env bash
# Runs the whole comparison and writes results/:
#   machine.txt   go version, cores, CPU model
#   bench.txt     raw `go test -bench` output of this module (6 interleaved rounds, -benchmem)
#   internal.txt  raw output of the main module's signing benchmarks
#   *.txt         benchstat tables per group; ratios.md; footprint.md
# and prints the tables. About 6 minutes on 2 cores.
#
# Environment: COUNT (default 6), BENCHTIME (default 200ms), SKIP_FOOTPRINT=1.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$PATH:$(go env GOPATH)/bin"
COUNT=${COUNT:-6}
BENCHTIME=${BENCHTIME:-200ms}
out=results
mkdir -p "$out" bin

if ! command -v benchstat >/dev/null; then
  echo "== installing benchstat"
  go install golang.org/x/perf/cmd/benchstat@latest
fi

{
  go version
  echo "nproc: $(nproc)"
  grep -m1 'model name' /proc/cpuinfo || true
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"

echo "== checks (every implementation's request is accepted by the verifying server)"
go vet ./...
go test -count=1 ./...

echo "== benchmarks: $COUNT interleaved rounds, -benchtime $BENCHTIME -benchmem"
# One binary each, run COUNT times: every round times every implementation,
# so that a slow spell of the shared machine hits all of them alike.
go test -c -o bin/bench.test .
(cd .. && go test -c -o benchmarks/bin/internal.test .)
: > "$out/bench.txt"
: > "$out/internal.txt"
for round in $(seq "$COUNT"); do
  echo "   round $round of $COUNT"
  ./bin/bench.test -test.run '^$' -test.bench 'EndToEnd|InProcess|Sign' -test.count 1 -test.benchtime "$BENCHTIME" -test.benchmem >> "$out/bench.txt"
  (cd .. && benchmarks/bin/internal.test -test.run '^$' -test.bench 'EncodeOnce|SignAttempt' -test.count 1 -test.benchtime "$BENCHTIME" -test.benchmem) >> "$out/internal.txt"
done
grep -c '^Benchmark' "$out/bench.txt" | sed 's/$/ results/'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"

for g in InProcess EndToEnd Sign; do
  benchstat -filter ".name:$g" -col /impl -row /N "$out/bench.txt" > "$out/$g.txt"
done
benchstat -col /step -row /N "$out/internal.txt" > "$out/internal-stat.txt"
go run ./internal/ratios "$out/bench.txt" "$out/internal.txt" > "$out/ratios.md"

if [ "${SKIP_FOOTPRINT:-}" != 1 ]; then
  echo "== footprint: one call per program (non-standard packages, stripped size, clean-cache build)"
  {
    echo "| program | non-std packages linked | stripped binary | vs stdlib | clean-cache build |"
    echo "|---|---|---|---|---|"
    base=""
    for p in stdlib alidomain api-one api-all official-v1 official-v2; do
      pkg=./footprint/$p
      deps=$(go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' "$pkg" | grep -v '/benchmarks/footprint/' || true)
      ndeps=$(printf '%s' "$deps" | grep -c . || true)
      cache=$(mktemp -d)
      start=$(date +%s.%N)
      GOCACHE=$cache go build -ldflags='-s -w' -trimpath -o "bin/$p" "$pkg"
      end=$(date +%s.%N)
      rm -rf "$cache"
      size=$(stat -c %s "bin/$p")
      [ -n "$base" ] || base=$size
      awk -v p="$p" -v n="$ndeps" -v s="$size" -v b="$base" -v t0="$start" -v t1="$end" \
        'BEGIN { printf "| %s | %s | %.2f MiB | %+.2f MiB | %.1f s |\n", p, n, s/1048576, (s-b)/1048576, t1-t0 }'
      if [ "$p" = alidomain ]; then
        echo "$deps" | sed 's/^/    /' > "$out/alidomain-deps.txt"
      fi
    done
  } > "$out/footprint.md"
fi

for f in InProcess EndToEnd Sign internal-stat; do
  echo; echo "== $f"; cat "$out/$f.txt"
done
echo; cat "$out/ratios.md"
if [ -f "$out/footprint.md" ]; then
  echo; cat "$out/footprint.md"
  echo "non-standard packages of the alidomain program:"; cat "$out/alidomain-deps.txt"
fi
