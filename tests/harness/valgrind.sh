#!/bin/sh
# valgrind.sh - run one test under valgrind's memcheck (--enable-valgrind).
# Check forks a child per test; CK_FORK=no keeps them in one traced process.
# Shell tests run as they are: their retort runs are covered by the C tests.
case "$1" in
*.sh) exec sh "$@" ;;
esac
CK_FORK=no exec valgrind --quiet --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --track-origins=yes "$@"
