/* Shared by gzip.c and archive.c (not part of the public header): zlib takes sizes as 32-bit
 * `uInt`, so long buffers are fed in windows of 1 GiB; and a failure's explanation is written into
 * the caller's message buffer. */
#ifndef CNS_ZLIB_SUPPORT_H
#define CNS_ZLIB_SUPPORT_H

#include <stdarg.h>
#include <stdio.h>
#include <zlib.h>

#define CNS_WINDOW ((size_t)1 << 30)

static inline uInt cns_window(size_t remaining) {
    return remaining > CNS_WINDOW ? (uInt)CNS_WINDOW : (uInt)remaining;
}

/* Writes the explanation (printf-style) into `message` when there is one, and returns `status`. */
static inline int cns_fail(int status, char *message, size_t capacity, const char *format, ...) {
    if (message != NULL && capacity > 0) {
        va_list arguments;
        va_start(arguments, format);
        vsnprintf(message, capacity, format, arguments);
        va_end(arguments);
    }
    return status;
}

#endif
