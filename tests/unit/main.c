/* main.c - the unit-test binary: every suite that registered itself. */
#include "harness/suites.h"

int main(void)
{
	return retort_test_run_all();
}
