#!/bin/sh
# build.sh - configure and build retort out of tree.
#
#   scripts/build.sh [BUILDDIR] [configure options...]
#
# BUILDDIR defaults to build/.  Regenerates the autotools files when
# configure is missing or older than configure.ac, and configures BUILDDIR
# again whenever the options differ from the ones it was configured with
# (so `test.sh` after `demo.sh` gets its -Werror).  Says what it does; the
# tools' own chatter goes to BUILDDIR/build.log.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-build}
[ $# -gt 0 ] && shift

# CONFIGURE: another configure script, for tests of this script
configure=${CONFIGURE:-$top/configure}

cd "$top"
mkdir -p "$builddir"
log="$(cd "$builddir" && pwd)/build.log"
: >"$log"
say() { printf 'build: %s\n' "$*"; }
fail() {
	printf 'build: %s failed; the last lines of %s:\n' "$1" "$log" >&2
	tail -n 30 "$log" >&2
	exit 1
}

if [ -z "${CONFIGURE:-}" ] && { [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; }; then
	say "generating configure (autoreconf)"
	autoreconf -fi >>"$log" 2>&1 || fail autoreconf
fi
cd "$builddir"
want="$*"
have=$(cat .retort-configure-args 2>/dev/null || echo "(none)")
if [ ! -f Makefile ] || [ "$configure" -nt Makefile ] || [ -n "${RECONFIGURE:-}" ] || [ "$want" != "$have" ]; then
	say "configuring $builddir/${want:+ with $want}"
	"$configure" -q "$@" >>"$log" 2>&1 || fail configure
	printf '%s' "$want" >.retort-configure-args
fi
jobs=$(nproc 2>/dev/null || echo 2)
say "compiling in $builddir/ ($jobs jobs)"
# one dot per object compiled, so a slow machine shows it is moving
make -j"$jobs" 2>>"$log" | awk '/^  CC|^  CCLD|^  GEN/ { n++; printf "."; fflush() } END { if (n) print "" }' \
	|| true
make -j"$jobs" >>"$log" 2>&1 || fail make
say "built $builddir/retort"
