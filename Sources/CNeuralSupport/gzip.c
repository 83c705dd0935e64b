/*
 * gzip inflation and compression through the system zlib.
 *
 * zlib counts sizes in 32-bit `uInt`, so buffers are fed to it in windows of at most 1 GiB; the
 * pointers `next_in` / `next_out` advance through the caller's whole buffers.
 */
#include "CNeuralSupport.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "zlib_support.h"

int cns_is_gzip(const uint8_t *input, size_t input_size) {
    return input_size >= 2 && input[0] == 0x1f && input[1] == 0x8b;
}

size_t cns_gzip_size_hint(const uint8_t *input, size_t input_size) {
    if (!cns_is_gzip(input, input_size) || input_size < 18) return 0;
    const uint8_t *t = input + input_size - 4;
    return (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
}

int cns_gzip_inflate(const uint8_t *input, size_t input_size,
                     uint8_t *output, size_t output_capacity, size_t *output_size,
                     char *message, size_t message_capacity) {
    uint8_t spare;                       /* zlib refuses a NULL output pointer, even for 0 bytes */
    if (output == NULL) { output = &spare; output_capacity = 0; }
    const uint8_t *input_end = input + input_size;
    uint8_t *output_end = output + output_capacity;
    *output_size = 0;

    z_stream z = {0};
    z.next_in = (Bytef *)input;
    z.next_out = output;
    /* windowBits 15 + 32: 32 KiB window, gzip or zlib header detected automatically. */
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        return cns_fail(CNS_OUT_OF_MEMORY, message, message_capacity, "zlib could not allocate its state");

    int status = CNS_OK;
    for (;;) {
        z.avail_in = cns_window((size_t)(input_end - z.next_in));
        z.avail_out = cns_window((size_t)(output_end - z.next_out));
        int result = inflate(&z, Z_NO_FLUSH);
        if (result == Z_OK) continue;
        if (result == Z_STREAM_END) {
            size_t left = (size_t)(input_end - z.next_in);
            if (left == 0) break;
            if (cns_is_gzip(z.next_in, left)) { inflateReset(&z); continue; }   /* next member */
            status = cns_fail(CNS_TRAILING_DATA, message, message_capacity,
                              "%zu bytes follow the end of the compressed data", left);
            break;
        }
        if (result == Z_BUF_ERROR) {         /* no progress possible: out of output or of input */
            if (z.next_out == output_end)
                status = cns_fail(CNS_OUTPUT_TOO_SMALL, message, message_capacity,
                                  "the output buffer of %zu bytes is full before the end of the data",
                                  output_capacity);
            else
                status = cns_fail(CNS_TRUNCATED, message, message_capacity,
                                  "the compressed data ends early, after %zu bytes (%zu bytes inflated); "
                                  "the file is incomplete", input_size, (size_t)(z.next_out - output));
            break;
        }
        if (result == Z_MEM_ERROR) {
            status = cns_fail(CNS_OUT_OF_MEMORY, message, message_capacity, "zlib ran out of memory");
            break;
        }
        /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR: the data is not valid compressed data. */
        const char *reason = z.msg != NULL ? z.msg : "unknown zlib error";
        if (strcmp(reason, "incorrect data check") == 0)
            reason = "incorrect data check (the CRC-32 of the inflated data differs from the one recorded)";
        else if (strcmp(reason, "incorrect length check") == 0)
            reason = "incorrect length check (the inflated length differs from the one recorded)";
        status = cns_fail(CNS_CORRUPT, message, message_capacity,
                          "invalid compressed data at byte %zu: %s", (size_t)(z.next_in - input), reason);
        break;
    }
    *output_size = (size_t)(z.next_out - output);
    inflateEnd(&z);
    return status;
}

size_t cns_gzip_deflate_bound(size_t input_size) {
    /* zlib's bound for a zlib stream (6 bytes of wrapper) + the gzip wrapper's 18 + a margin for
       the extra empty blocks that windowed feeding may add. */
    return (size_t)compressBound((uLong)input_size) + 18 + 64 + 5 * (input_size / CNS_WINDOW + 1);
}

int cns_deflate_stream(const uint8_t *input, size_t input_size, int level, int window_bits, const char *bound_name,
                       uint8_t *output, size_t output_capacity, size_t *output_size,
                       char *message, size_t message_capacity) {
    static const uint8_t empty = 0;
    if (input == NULL) input = &empty;
    const uint8_t *input_end = input + input_size;
    uint8_t *output_end = output + output_capacity;
    *output_size = 0;

    z_stream z = {0};
    z.next_in = (Bytef *)input;
    z.next_out = output;
    /* Memory level 8 and the default strategy, as gzip uses. */
    int result = deflateInit2(&z, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
    if (result == Z_STREAM_ERROR)
        return cns_fail(CNS_CORRUPT, message, message_capacity, "invalid compression level %d (use -1 to 9)", level);
    if (result != Z_OK)
        return cns_fail(CNS_OUT_OF_MEMORY, message, message_capacity, "zlib could not allocate its state");

    int status = CNS_OK;
    for (;;) {
        size_t input_left = (size_t)(input_end - z.next_in);
        z.avail_in = cns_window(input_left);
        z.avail_out = cns_window((size_t)(output_end - z.next_out));
        int flush = input_left <= CNS_WINDOW ? Z_FINISH : Z_NO_FLUSH;
        result = deflate(&z, flush);
        if (result == Z_STREAM_END) break;
        if (result == Z_OK) continue;
        if (result == Z_BUF_ERROR && z.next_out == output_end) {
            status = cns_fail(CNS_OUTPUT_TOO_SMALL, message, message_capacity,
                              "the output buffer of %zu bytes is too small; use %s",
                              output_capacity, bound_name);
        } else {
            status = cns_fail(CNS_CORRUPT, message, message_capacity, "deflate failed: %s",
                              z.msg != NULL ? z.msg : "unknown zlib error");
        }
        break;
    }
    *output_size = (size_t)(z.next_out - output);
    deflateEnd(&z);
    return status;
}

int cns_gzip_deflate(const uint8_t *input, size_t input_size, int level,
                     uint8_t *output, size_t output_capacity, size_t *output_size,
                     char *message, size_t message_capacity) {
    /* windowBits 15 + 16: a gzip wrapper. */
    return cns_deflate_stream(input, input_size, level, 15 + 16, "cns_gzip_deflate_bound",
                              output, output_capacity, output_size, message, message_capacity);
}
