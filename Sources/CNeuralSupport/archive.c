/*
 * Raw deflate streams (zip entries, method 8) and streamed gzip inflation through the system zlib,
 * for reading and writing submission archives. Unlike gzip.c, inflation here goes step by step, so
 * that the caller can count what comes out and stop a zip bomb as soon as it exceeds its limits.
 */
#include "CNeuralSupport.h"
#include "zlib_support.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct cns_inflater {
    z_stream z;
    int format;
};

uint32_t cns_crc32(uint32_t crc, const uint8_t *data, size_t size) {
    uLong c = crc;
    while (size > 0) {
        uInt n = cns_window(size);
        c = crc32(c, data, n);
        data += n;
        size -= n;
    }
    return (uint32_t)c;
}

cns_inflater *cns_inflater_create(int format) {
    cns_inflater *inflater = calloc(1, sizeof(cns_inflater));
    if (inflater == NULL) return NULL;
    inflater->format = format;
    /* windowBits −15: raw deflate, no wrapper; 15 + 16: a gzip wrapper only. */
    int bits = format == CNS_FORMAT_GZIP ? 15 + 16 : -15;
    if (inflateInit2(&inflater->z, bits) != Z_OK) { free(inflater); return NULL; }
    return inflater;
}

void cns_inflater_destroy(cns_inflater *inflater) {
    if (inflater == NULL) return;
    inflateEnd(&inflater->z);
    free(inflater);
}

int cns_inflater_step(cns_inflater *inflater, const uint8_t *input, size_t input_size, size_t *consumed,
                      uint8_t *output, size_t output_capacity, size_t *produced, int *finished,
                      char *message, size_t message_capacity) {
    static const uint8_t empty = 0;
    z_stream *z = &inflater->z;
    *consumed = 0;
    *produced = 0;
    *finished = 0;
    if (input == NULL) { input = &empty; input_size = 0; }
    if (output == NULL || output_capacity == 0)
        return cns_fail(CNS_OUTPUT_TOO_SMALL, message, message_capacity, "no room for the output");
    z->next_in = (Bytef *)input;
    z->avail_in = cns_window(input_size);
    z->next_out = output;
    z->avail_out = cns_window(output_capacity);
    int result = inflate(z, Z_NO_FLUSH);
    *consumed = (size_t)(z->next_in - input);
    *produced = (size_t)(z->next_out - output);
    if (result == Z_OK) return CNS_OK;
    if (result == Z_STREAM_END) {
        size_t left = input_size - *consumed;
        /* Another gzip member follows: go on with it, as gzip does. */
        if (inflater->format == CNS_FORMAT_GZIP && cns_is_gzip(input + *consumed, left)) inflateReset(z);
        else *finished = 1;
        return CNS_OK;
    }
    if (result == Z_BUF_ERROR) {
        if (z->avail_in == 0)
            return cns_fail(CNS_TRUNCATED, message, message_capacity,
                                    "the compressed data ends before its end marker");
        return cns_fail(CNS_OUTPUT_TOO_SMALL, message, message_capacity, "no room for the output");
    }
    if (result == Z_MEM_ERROR)
        return cns_fail(CNS_OUT_OF_MEMORY, message, message_capacity, "zlib ran out of memory");
    const char *reason = z->msg != NULL ? z->msg : "unknown zlib error";
    if (strcmp(reason, "incorrect data check") == 0)
        reason = "incorrect data check (the CRC-32 of the inflated data differs from the one recorded)";
    else if (strcmp(reason, "incorrect length check") == 0)
        reason = "incorrect length check (the inflated length differs from the one recorded)";
    return cns_fail(CNS_CORRUPT, message, message_capacity, "invalid compressed data: %s", reason);
}

size_t cns_raw_deflate_bound(size_t input_size) {
    return (size_t)compressBound((uLong)input_size) + 64 + 5 * (input_size / CNS_WINDOW + 1);
}

int cns_raw_deflate(const uint8_t *input, size_t input_size, int level,
                    uint8_t *output, size_t output_capacity, size_t *output_size,
                    char *message, size_t message_capacity) {
    /* windowBits −15: raw deflate, as zip entries store it. */
    return cns_deflate_stream(input, input_size, level, -15, "cns_raw_deflate_bound",
                              output, output_capacity, output_size, message, message_capacity);
}
