/* Process helpers for the `course` tool's supervised children (see CNeuralSupport.h). */
#include "CNeuralSupport.h"

#if defined(__linux__)
#include <signal.h>
#include <sys/prctl.h>

int cns_set_parent_death_signal(int signal_number) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal_number, 0UL, 0UL, 0UL);
}
#else
int cns_set_parent_death_signal(int signal_number) {
    (void)signal_number;
    return -1;
}
#endif
