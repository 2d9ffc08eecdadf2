#!/bin/sh
# t-reliability.sh - the reliability suite's short form for `make check`:
# 20 SIGKILL trials per dialect and transaction mode, 10 connection
# terminations per PostgreSQL mode, 16 concurrent runners each (run.sh
# says what is checked; run it by hand with 100 for the long form).
exec bash "$RETORT_SRCDIR/tests/reliability/run.sh" "${RELIABILITY_TRIALS:-20}" "${RELIABILITY_TERMINATIONS:-10}"
