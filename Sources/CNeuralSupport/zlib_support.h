/* Shared by gzip.c and archive.c (not part of the public header): zlib takes sizes as 32-bit
 * `uInt`, so long buffers are fed in windows of 1 GiB; and a failure's explanation is written into
 * the caller's message buffer. */
#ifndef CNS_ZLIB_SUPPORT_H
#define CNS_ZLIB_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

/* Compresses `input` in one deflate stream with zlib's `window_bits` (15 + 16: gzip; −15: raw, as
 * zip entries store it); `bound_name` names the bound function in the message when the output is
 * too small. Statuses and messages as cns_gzip_deflate (gzip.c). */
int cns_deflate_stream(const uint8_t *input, size_t input_size, int level, int window_bits, const char *bound_name,
                       uint8_t *output, size_t output_capacity, size_t *output_size,
                       char *message, size_t message_capacity);

#endif
