/* The C allocator's settings for training loops (glibc on Linux; elsewhere nothing changes).
 *
 * A training step allocates and frees the same large buffers every batch: a convolution's
 * columns and outputs are megabytes each. glibc returns the free top of its heap to the kernel as
 * soon as it exceeds twice the largest buffer seen, so the next batch takes every page again
 * through a page fault that zeroes it: in lesson 04's CNN half of the time went to those faults.
 * Keeping up to 512 MB of freed memory and serving buffers up to 64 MB from the heap makes each
 * batch reuse the last one's pages. The settings run once when the library is loaded; setting
 * COURSE_DEFAULT_MALLOC=1 in the environment keeps glibc's defaults (to compare). */
#include "CNeuralSupport.h"

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <stdlib.h>

static int cns_allocator_tuned = 0;

__attribute__((constructor)) static void cns_tune_allocator(void) {
    const char *keep = getenv("COURSE_DEFAULT_MALLOC");
    if (keep != NULL && keep[0] == '1') return;
    mallopt(M_MMAP_THRESHOLD, 64 << 20);   /* buffers up to 64 MB come from the heap */
    mallopt(M_TRIM_THRESHOLD, 512 << 20);  /* return free heap top only beyond 512 MB */
    mallopt(M_TOP_PAD, 16 << 20);          /* grow the heap 16 MB at a time */
    cns_allocator_tuned = 1;
}

int cns_allocator_is_tuned(void) { return cns_allocator_tuned; }
#else
int cns_allocator_is_tuned(void) { return 0; }
#endif
