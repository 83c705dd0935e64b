/*
 * SHA-256 as specified in FIPS 180-4, section 6.2.
 *
 * The message is processed in 512-bit blocks M. For each block, the message schedule is
 *     W_t = M_t (big-endian words)                                   for 0 ≤ t < 16,
 *     W_t = σ1(W_{t−2}) + W_{t−7} + σ0(W_{t−15}) + W_{t−16}           for 16 ≤ t < 64,
 * and 64 rounds update the working variables a … h:
 *     T1 = h + Σ1(e) + Ch(e, f, g) + K_t + W_t,   T2 = Σ0(a) + Maj(a, b, c),
 *     h = g, g = f, f = e, e = d + T1, d = c, c = b, b = a, a = T1 + T2,
 * after which H_i += (a … h)_i. All additions are modulo 2^32.
 * Padding: a 1 bit, zeros, then the message length in bits as a 64-bit big-endian number.
 */
#include "CNeuralSupport.h"

#include <string.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))   /* Σ0 */
#define BSIG1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))   /* Σ1 */
#define SSIG0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))    /* σ0 */
#define SSIG1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))  /* σ1 */

/* Processes `count` consecutive 64-byte blocks. */
static void cns_sha256_blocks(uint32_t H[8], const uint8_t *M, size_t count) {
    uint32_t W[64];
    for (; count > 0; count--, M += 64) {
        for (int t = 0; t < 16; t++)
            W[t] = (uint32_t)M[4 * t] << 24 | (uint32_t)M[4 * t + 1] << 16
                 | (uint32_t)M[4 * t + 2] << 8 | (uint32_t)M[4 * t + 3];
        for (int t = 16; t < 64; t++)
            W[t] = SSIG1(W[t - 2]) + W[t - 7] + SSIG0(W[t - 15]) + W[t - 16];

        uint32_t a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
        for (int t = 0; t < 64; t++) {
            uint32_t T1 = h + BSIG1(e) + CH(e, f, g) + K[t] + W[t];
            uint32_t T2 = BSIG0(a) + MAJ(a, b, c);
            h = g; g = f; f = e; e = d + T1; d = c; c = b; b = a; a = T1 + T2;
        }
        H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += h;
    }
}

void cns_sha256_init(cns_sha256_context *context) {
    static const uint32_t H0[8] = {   /* FIPS 180-4, 5.3.3 */
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    memcpy(context->state, H0, sizeof H0);
    context->length = 0;
    context->block_used = 0;
}

void cns_sha256_update(cns_sha256_context *context, const void *data, size_t size) {
    const uint8_t *bytes = data;
    context->length += size;
    if (context->block_used > 0) {                  /* complete a partial block first */
        size_t take = 64 - context->block_used;
        if (take > size) take = size;
        memcpy(context->block + context->block_used, bytes, take);
        context->block_used += take;
        bytes += take;
        size -= take;
        if (context->block_used < 64) return;
        cns_sha256_blocks(context->state, context->block, 1);
        context->block_used = 0;
    }
    size_t whole = size / 64;                       /* then whole blocks straight from the input */
    cns_sha256_blocks(context->state, bytes, whole);
    bytes += whole * 64;
    size -= whole * 64;
    if (size > 0) memcpy(context->block, bytes, size);   /* keep the rest */
    context->block_used = size;
}

void cns_sha256_final(cns_sha256_context *context, uint8_t digest[CNS_SHA256_DIGEST_SIZE]) {
    uint64_t bits = context->length * 8;
    size_t used = context->block_used;
    context->block[used++] = 0x80;
    if (used > 56) {                                /* no room for the length: pad another block */
        memset(context->block + used, 0, 64 - used);
        cns_sha256_blocks(context->state, context->block, 1);
        used = 0;
    }
    memset(context->block + used, 0, 56 - used);
    for (int i = 0; i < 8; i++) context->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    cns_sha256_blocks(context->state, context->block, 1);
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(context->state[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(context->state[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(context->state[i] >> 8);
        digest[4 * i + 3] = (uint8_t)context->state[i];
    }
}

void cns_sha256_digest(const void *data, size_t size, uint8_t digest[CNS_SHA256_DIGEST_SIZE]) {
    cns_sha256_context context;
    cns_sha256_init(&context);
    cns_sha256_update(&context, data, size);
    cns_sha256_final(&context, digest);
}
