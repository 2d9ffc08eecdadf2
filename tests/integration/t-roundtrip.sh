#!/bin/sh
# t-roundtrip: the schema engine's seeded round-trip property test alone.
RETORT_SUITES='schema_roundtrip' exec ${RETORT_TEST_WRAPPER:-} "$RETORT_BUILDDIR/tests/integration/check_integration"
