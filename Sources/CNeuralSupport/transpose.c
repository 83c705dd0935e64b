/* Batched matrix transpose: B matrices (R, C), stored one after the other, each written as (C, R).
 * Tensor.permuted uses it for the layout changes of a convolution ((N, H·W, F) ↔ (N, F, H·W)).
 *
 * 8 × 8 blocks are transposed in registers (three rounds of shuffles, written with clang's
 * portable vector extensions: AVX on x86-64, two NEON registers per vector on arm64); blocks are
 * visited in 64 × 64 tiles so that the rows read and the rows written stay in the cache. The edges
 * are copied one number at a time. A transpose only moves numbers, so every path gives the same
 * bits. */
#include "CNeuralSupport.h"
#include <string.h>

typedef float cns_v8 __attribute__((vector_size(32)));

static inline cns_v8 cns_load8(const float *p) { cns_v8 v; memcpy(&v, p, sizeof v); return v; }
static inline void cns_store8(float *p, cns_v8 v) { memcpy(p, &v, sizeof v); }

/* y[c, r] = x[r, c] for the 8 × 8 block at x (row stride ldx) into y (row stride ldy). */
static inline void cns_transpose_8x8(const float *x, long ldx, float *y, long ldy) {
    cns_v8 r0 = cns_load8(x), r1 = cns_load8(x + ldx), r2 = cns_load8(x + 2 * ldx), r3 = cns_load8(x + 3 * ldx);
    cns_v8 r4 = cns_load8(x + 4 * ldx), r5 = cns_load8(x + 5 * ldx), r6 = cns_load8(x + 6 * ldx), r7 = cns_load8(x + 7 * ldx);
    /* pairs of rows interleaved: t0 = x00 x10 x01 x11 x04 x14 x05 x15, … */
    cns_v8 t0 = __builtin_shufflevector(r0, r1, 0, 8, 1, 9, 4, 12, 5, 13);
    cns_v8 t1 = __builtin_shufflevector(r0, r1, 2, 10, 3, 11, 6, 14, 7, 15);
    cns_v8 t2 = __builtin_shufflevector(r2, r3, 0, 8, 1, 9, 4, 12, 5, 13);
    cns_v8 t3 = __builtin_shufflevector(r2, r3, 2, 10, 3, 11, 6, 14, 7, 15);
    cns_v8 t4 = __builtin_shufflevector(r4, r5, 0, 8, 1, 9, 4, 12, 5, 13);
    cns_v8 t5 = __builtin_shufflevector(r4, r5, 2, 10, 3, 11, 6, 14, 7, 15);
    cns_v8 t6 = __builtin_shufflevector(r6, r7, 0, 8, 1, 9, 4, 12, 5, 13);
    cns_v8 t7 = __builtin_shufflevector(r6, r7, 2, 10, 3, 11, 6, 14, 7, 15);
    /* quadruples: u0 = x00 x10 x20 x30 x04 x14 x24 x34, … */
    cns_v8 u0 = __builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13);
    cns_v8 u1 = __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
    cns_v8 u2 = __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13);
    cns_v8 u3 = __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
    cns_v8 u4 = __builtin_shufflevector(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13);
    cns_v8 u5 = __builtin_shufflevector(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);
    cns_v8 u6 = __builtin_shufflevector(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13);
    cns_v8 u7 = __builtin_shufflevector(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);
    /* halves joined: column c of the block */
    cns_store8(y, __builtin_shufflevector(u0, u4, 0, 1, 2, 3, 8, 9, 10, 11));
    cns_store8(y + ldy, __builtin_shufflevector(u1, u5, 0, 1, 2, 3, 8, 9, 10, 11));
    cns_store8(y + 2 * ldy, __builtin_shufflevector(u2, u6, 0, 1, 2, 3, 8, 9, 10, 11));
    cns_store8(y + 3 * ldy, __builtin_shufflevector(u3, u7, 0, 1, 2, 3, 8, 9, 10, 11));
    cns_store8(y + 4 * ldy, __builtin_shufflevector(u0, u4, 4, 5, 6, 7, 12, 13, 14, 15));
    cns_store8(y + 5 * ldy, __builtin_shufflevector(u1, u5, 4, 5, 6, 7, 12, 13, 14, 15));
    cns_store8(y + 6 * ldy, __builtin_shufflevector(u2, u6, 4, 5, 6, 7, 12, 13, 14, 15));
    cns_store8(y + 7 * ldy, __builtin_shufflevector(u3, u7, 4, 5, 6, 7, 12, 13, 14, 15));
}

void cns_transpose_batched(const float *x, float *y, long batch, long rows, long columns) {
    const long tile = 64, R = rows, C = columns;
    for (long b = 0; b < batch; b++) {
        const float *xb = x + b * R * C;
        float *yb = y + b * R * C;
        for (long r0 = 0; r0 < R; r0 += tile) {
            long r1 = r0 + tile < R ? r0 + tile : R;
            for (long c0 = 0; c0 < C; c0 += tile) {
                long c1 = c0 + tile < C ? c0 + tile : C;
                long r = r0;
                for (; r + 8 <= r1; r += 8) {
                    long c = c0;
                    for (; c + 8 <= c1; c += 8) cns_transpose_8x8(xb + r * C + c, C, yb + c * R + r, R);
                    for (; c < c1; c++)
                        for (long k = r; k < r + 8; k++) yb[c * R + k] = xb[k * C + c];
                }
                for (; r < r1; r++)
                    for (long c = c0; c < c1; c++) yb[c * R + r] = xb[r * C + c];
            }
        }
    }
}
