#!/usr/bin/env bash
# Repeats josei's performance figures: generates the data, then times batch
# evaluation against its baseline and the simulator on a national-scale
# population. Usage: bash bench/run.sh   (env: CASES=100000 EMPLOYERS=3400000)
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${CASES:-100000}
EMPLOYERS=${EMPLOYERS:-3400000}
DATA=target/bench-data
SHARED=${JOSEI_SHARED_DIR:-../shared}
mkdir -p "$DATA"

cargo build --release -p josei-cli
J=target/release/josei
timed() { # label, command...
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null 2> "$DATA/last.err" || { cat "$DATA/last.err" >&2; exit 1; }
  end=$(date +%s.%N)
  printf '%-52s %6.2f s\n' "$label" "$(echo "$end - $start" | bc)"
}
command -v bc > /dev/null || { echo "bench/run.sh needs bc (apt-get install bc)" >&2; exit 1; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(uname -m)"

# 1. Batch: the shared cases, one per line, repeated to $CASES lines.
one="$DATA/one.jsonl"
: > "$one"
for f in "$SHARED"/cases/*.json; do
  case "$f" in *.expected.json) ;; *) tr -d '\n' < "$f" >> "$one"; echo >> "$one" ;; esac
done
per=$(wc -l < "$one")
reps=$(( (CASES + per - 1) / per ))
# `head` closes the pipe once it has $CASES lines; the writer's SIGPIPE is expected.
{ for _ in $(seq 1 "$reps"); do cat "$one"; done || true; } | head -n "$CASES" | "$J" jsonl-roundtrip - > "$DATA/cases.jsonl" 2> /dev/null
echo "batch input: $CASES cases, $(du -h "$DATA/cases.jsonl" | cut -f1)"
for jobs in 1 $(nproc); do
  timed "parse + re-serialise JSON (baseline), $jobs thread(s)" "$J" jsonl-roundtrip "$DATA/cases.jsonl" --jobs "$jobs"
  timed "evaluate --batch, $jobs thread(s)" "$J" evaluate --batch "$DATA/cases.jsonl" --jobs "$jobs"
done

# 2. Simulator: a synthetic population of $EMPLOYERS employers.
timed "synth $EMPLOYERS employers to Parquet" "$J" synth --employers "$EMPLOYERS" --seed 1 --output "$DATA/pop.parquet"
timed "synth $EMPLOYERS employers to CSV" "$J" synth --employers "$EMPLOYERS" --seed 1 --output "$DATA/pop.csv"
echo "population: Parquet $(du -h "$DATA/pop.parquet" | cut -f1), CSV $(du -h "$DATA/pop.csv" | cut -f1)"
timed "simulate Parquet: read + validate only" "$J" simulate "$DATA/pop.parquet" --parse-only
timed "simulate Parquet (end to end)" "$J" simulate "$DATA/pop.parquet" --format json
timed "simulate CSV: read + validate only" "$J" simulate "$DATA/pop.csv" --parse-only
timed "simulate CSV (end to end)" "$J" simulate "$DATA/pop.csv" --format json
printf '[reform]\nbase = "R6"\n[values]\nequipment_rate_percent = 40\n' > "$DATA/reform.toml"
timed "simulate Parquet with a reform (2 scenarios)" "$J" simulate "$DATA/pop.parquet" --regime R6 --reform "$DATA/reform.toml" --format json
timed "simulate Parquet --compare-years (7 regimes)" "$J" simulate "$DATA/pop.parquet" --compare-years --format json

echo
echo "per-employer evaluation and engine hot paths: cargo bench -p josei-rules --bench evaluate"
