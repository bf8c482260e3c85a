#!/usr/bin/env bash
# Builds everything with a sanitizer and runs the whole test suite under it:
#   scripts/sanitize.sh asan   # AddressSanitizer + LeakSanitizer + UBSan -> build-asan
#   scripts/sanitize.sh tsan   # ThreadSanitizer -> build-tsan
# Extra arguments go to ctest (e.g. -R hostile); OPINIA_TARGETS="a_test b_test"
# builds only those (and opinia-server), for a part. A full sanitizer build takes
# long on 2 cores: it runs niced with OPINIA_JOBS (default 2) jobs. Exits 0
# only when every test passed AND no sanitized process (test binaries and the
# opinia-server processes they spawn) wrote a report.
#
# Suppressions (scripts/sanitizers/*.supp) cover only third-party code that
# is not built with the sanitizer (Debian's gRPC, protobuf, abseil, ...), see
# the comments in each file. Our own code is never suppressed. For TSan,
# scripts/sanitizers/tsan_absl_sync.cc makes abseil's mutexes visible.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-}
case "$kind" in
  asan|tsan) shift ;;
  *) echo "usage: scripts/sanitize.sh asan|tsan [ctest args]" >&2; exit 2 ;;
esac
start=$(date +%s)
dir=build-$kind
supp=$(pwd)/scripts/sanitizers
# -O1 -g1: about half the compile time of -O2 -g, stacks still have file:line.
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPINIA_SANITIZE="$kind" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DOPINIA_BUILD_BENCH=OFF >/dev/null
if [ -n "${OPINIA_TARGETS:-}" ]; then
  # A part only: these targets (and the server the integration tests spawn).
  # shellcheck disable=SC2086
  nice -n 10 cmake --build "$dir" -j"${OPINIA_JOBS:-2}" --target opinia-server $OPINIA_TARGETS
else
  nice -n 10 cmake --build "$dir" -j"${OPINIA_JOBS:-2}"
fi
built=$(date +%s)

# Every report goes to $reports/<kind>.<executable>.<pid> (log_exe_name), not
# to stderr: the servers spawned by the integration tests log into temp dirs
# that are deleted, and a report from a server (or one that does not make a
# test fail) must still fail the run. Reports do not stop the process where
# the sanitizer can continue (UBSan, TSan), so one run shows them all.
reports=$(pwd)/$dir/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
log="log_path=$reports/$kind:log_exe_name=1"
export ASAN_OPTIONS="$log:detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0:check_initialization_order=1:strict_init_order=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="$log:print_stacktrace=1:halt_on_error=0:suppressions=$supp/ubsan.supp"
export TSAN_OPTIONS="$log:suppressions=$supp/tsan.supp:halt_on_error=0:second_deadlock_stack=1:history_size=7:print_suppressions=0"

# Test cases that cannot run meaningfully under a sanitizer (asserted
# wall-clock bounds meant for optimised builds) are skipped with a reason.
skip=()
skip_reason=()
if ((${#skip[@]})); then
  for i in "${!skip[@]}"; do echo "sanitize.sh: skipping ${skip[$i]}: ${skip_reason[$i]}"; done
  export GTEST_FILTER="-$(IFS=:; echo "${skip[*]}")"
fi

cd "$dir"
# Sanitized servers are slow: tests run one at a time (the per-test timeouts
# are scaled up for sanitizer builds in cmake/opinia.cmake).
status=0
nice -n 10 ctest --output-on-failure -j1 "$@" || status=$?
end=$(date +%s)

shopt -s nullglob
found=("$reports"/*)
if ((${#found[@]})); then
  echo
  echo "sanitize.sh: ${#found[@]} sanitizer report file(s) in $reports:"
  for f in "${found[@]}"; do
    echo "===== $(basename "$f")"
    head -c 20000 "$f"
  done
  status=1
fi
echo "sanitize.sh $kind: build $((built - start)) s, tests $((end - built)) s," \
  "$( ((status == 0)) && echo PASS || echo FAIL)"
exit "$status"
