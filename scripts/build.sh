#!/bin/sh
# build.sh - configure and build retort out of tree.
#
#   scripts/build.sh [BUILDDIR] [configure options...]
#
# BUILDDIR defaults to build/.  Regenerates the autotools files when
# configure is missing or older than configure.ac.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-build}
[ $# -gt 0 ] && shift

cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ]; then
	autoreconf -fi >/dev/null
fi
mkdir -p "$builddir"
cd "$builddir"
if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ] || [ -n "${RECONFIGURE:-}" ]; then
	"$top/configure" -q "$@"
fi
make -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
