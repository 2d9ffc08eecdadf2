#!/bin/sh
# t-suites: every integration suite except the round-trip property test,
# which t-roundtrip runs beside it so `make -j2 check` uses both cores.
RETORT_SUITES='!schema_roundtrip' exec ${RETORT_TEST_WRAPPER:-} "$RETORT_BUILDDIR/tests/integration/check_integration"
