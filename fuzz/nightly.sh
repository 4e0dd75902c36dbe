#!/usr/bin/env bash
# Nightly fuzzing: every target for a time budget, then the corpus merged and
# minimized, each crash minimized and turned into a regression input that
# `cargo test` replays (tests/fuzz_regressions.rs).
#
#   fuzz/nightly.sh [SECONDS_PER_TARGET [TARGET...]]   (default 300, every target)
#
# Seeds live in corpus/fuzz/<target>/ (committed, small). The working corpus
# is fuzz/corpus/<target>/ (ignored by git; cache it between nightly runs):
# it starts from the seeds and is merged and minimized (cmin) after each run.
# Crashes become corpus/regressions/<target>/<name>: commit them with the fix.
# Exit 1 when any target crashed, 0 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
budget="${1:-300}"
shift || true
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
targets="${*:-$(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^gonogo-fuzz$')}"
work=fuzz/corpus
crashed=0
printf '%-20s %10s %8s %8s %s\n' target execs exec/s cov result
for t in $targets; do
  mkdir -p "$work/$t" "corpus/fuzz/$t" fuzz/artifacts/$t
  cp -n corpus/fuzz/$t/* "$work/$t/" 2>/dev/null || true
  log=$(mktemp)
  cargo fuzz run -s none "$t" "$work/$t" -- -max_total_time="$budget" -print_final_stats=1 >"$log" 2>&1
  status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  result=ok
  if [ $status -ne 0 ]; then
    result=CRASH
    crashed=1
    for crash in $(ls fuzz/artifacts/$t/crash-* fuzz/artifacts/$t/timeout-* 2>/dev/null); do
      cargo fuzz tmin -s none "$t" "$crash" -- -runs=10000 >/dev/null 2>&1
      minimized=$(ls -t fuzz/artifacts/$t/minimized-from-* 2>/dev/null | head -1)
      mkdir -p corpus/regressions/$t
      cp "${minimized:-$crash}" "corpus/regressions/$t/$(basename "$crash")"
      echo "  regression: corpus/regressions/$t/$(basename "$crash")"
      echo "  reproduce:  cargo fuzz run -s none $t ${minimized:-$crash}"
    done
  fi
  # Merge and minimize the working corpus.
  cargo fuzz cmin -s none "$t" "$work/$t" >/dev/null 2>&1
  printf '%-20s %10s %8s %8s %s (%s inputs after cmin)\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$result" "$(ls "$work/$t" | wc -l)"
  rm -f "$log"
done
exit $crashed
