#!/usr/bin/env bash
# Builds everything with a sanitizer and runs the whole test suite under it:
#   scripts/sanitize.sh asan   # AddressSanitizer + UndefinedBehaviorSanitizer -> build-asan
#   scripts/sanitize.sh tsan   # ThreadSanitizer -> build-tsan
# Extra arguments go to ctest (e.g. -R hostile). A full sanitizer build takes
# long on 2 cores: it runs niced with OPINIA_JOBS (default 2) jobs.
#
# Suppressions (scripts/sanitizers/*.supp) cover only third-party code that
# is not built with the sanitizer (Debian's gRPC, protobuf and abseil), see
# the comments in each file. Our own code is never suppressed.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-}
case "$kind" in
  asan|tsan) shift ;;
  *) echo "usage: scripts/sanitize.sh asan|tsan [ctest args]" >&2; exit 2 ;;
esac
dir=build-$kind
supp=$(pwd)/scripts/sanitizers
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPINIA_SANITIZE="$kind" \
  -DOPINIA_BUILD_BENCH=OFF >/dev/null
nice -n 10 cmake --build "$dir" -j"${OPINIA_JOBS:-2}"

# Errors fail the test that hit them (the server's stderr is in the test log).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0:check_initialization_order=1:strict_init_order=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
export TSAN_OPTIONS="suppressions=$supp/tsan.supp:halt_on_error=1:second_deadlock_stack=1:history_size=4"
cd "$dir"
# Sanitized servers are slow: run tests one at a time with long timeouts.
nice -n 10 ctest --output-on-failure -j1 --timeout 2400 "$@"
