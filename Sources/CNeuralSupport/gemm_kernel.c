/*
 * The packed, cache-blocked single-precision matrix product of NeuralKit (see CNeuralSupport.h).
 *
 * Shape letters: C (M, N) = op(A) (M, K) · op(B) (K, N), row-major; MR × NR is the register tile,
 * MC, KC, NC the cache blocks. The loop nest is the GotoBLAS / BLIS one:
 *
 *     for jc in columns by NC:
 *       for pc in 0..<K by KC:        pack B̃ = op(B)(pc..<pc+KC, jc..<jc+NC), NR-column slivers
 *         for ic in rows by MC:       pack Ã = op(A)(ic..<ic+MC, pc..<pc+KC), MR-row slivers
 *           for jr by NR, ir by MR:   C tile (+)= Ã sliver · B̃ sliver   (the micro-kernel)
 *
 * Why C: Swift has no per-function target attribute, so a Swift kernel only uses FMA, AVX2 or
 * AVX-512 when the whole program is built with `-target-cpu native`. Here each micro-kernel is
 * compiled for its instruction set with __attribute__((target(...))) and the caller picks one
 * that the CPU supports at run time (cns_gemm_best_path). CNeuralSupport is compiled with -O2
 * in every build configuration, so debug builds run these kernels at full speed too.
 *
 * Determinism: every element of C is the sum of its products in increasing p, in KC panels of a
 * size that depends only on K, whatever the thread partition. A given path therefore gives the
 * same bits on every run; the FMA paths (AVX2, AVX-512, and the portable path where the compiler
 * fuses multiply-adds, as on arm64) round once per multiply-add and may differ from the others in
 * the last bits.
 */
#include "CNeuralSupport.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define GEMM_MR 6
/* Rows of op(A) per packed block (a multiple of MR). */
#define GEMM_MC 120
/* Depth of the packed panels. */
#define GEMM_KC 256
/* Columns of op(B) per packed block. */
#define GEMM_NC 1024

typedef void (*gemm_kernel_fn)(long depth, const float *a, const float *b, float *c, long row_stride,
                               int rows, int columns, int accumulate);

static long ceil_divide(long x, long y) { return (x + y - 1) / y; }
static long round_up(long x, long multiple) { return ceil_divide(x, multiple) * multiple; }
/* The size of each of the fewest equal parts of `count` that are at most `limit`. */
static long even_part(long count, long limit) { return ceil_divide(count, ceil_divide(count, limit)); }

/* Writes a finished MR × NR tile (held row by row in `tile`, NR floats apart) to C. */
static void store_tile(const float *tile, int nr, float *c, long row_stride, int rows, int columns,
                       int accumulate) {
    for (int r = 0; r < rows; r++) {
        float *row = c + r * row_stride;
        const float *source = tile + r * nr;
        if (accumulate) {
            for (int j = 0; j < columns; j++) row[j] += source[j];
        } else {
            for (int j = 0; j < columns; j++) row[j] = source[j];
        }
    }
}

/* ---- Portable micro-kernel: 6 × 16, with the compiler's 4-lane vectors (NEON on arm64, SSE on x86) ---- */

typedef float gemm_v4 __attribute__((vector_size(16), aligned(4)));

static void kernel_portable(long depth, const float *a, const float *b, float *c, long row_stride,
                            int rows, int columns, int accumulate) {
    gemm_v4 acc[GEMM_MR][4];
    memset(acc, 0, sizeof acc);
    for (long p = 0; p < depth; p++) {
        gemm_v4 b0, b1, b2, b3;
        memcpy(&b0, b, 16);
        memcpy(&b1, b + 4, 16);
        memcpy(&b2, b + 8, 16);
        memcpy(&b3, b + 12, 16);
        for (int r = 0; r < GEMM_MR; r++) {
            gemm_v4 x = {a[r], a[r], a[r], a[r]};
            acc[r][0] += x * b0;
            acc[r][1] += x * b1;
            acc[r][2] += x * b2;
            acc[r][3] += x * b3;
        }
        a += GEMM_MR;
        b += 16;
    }
    float tile[GEMM_MR * 16];
    memcpy(tile, acc, sizeof tile);
    store_tile(tile, 16, c, row_stride, rows, columns, accumulate);
}

#if defined(__x86_64__)

/* ---- AVX2 + FMA micro-kernel: 6 × 16, twelve 8-lane accumulators ---- */

__attribute__((target("avx2,fma")))
static void kernel_avx2(long depth, const float *a, const float *b, float *c, long row_stride,
                        int rows, int columns, int accumulate) {
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
    for (long p = 0; p < depth; p++) {
        __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
        __m256 x;
        x = _mm256_broadcast_ss(a + 0); c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
        x = _mm256_broadcast_ss(a + 1); c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
        x = _mm256_broadcast_ss(a + 2); c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
        x = _mm256_broadcast_ss(a + 3); c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
        x = _mm256_broadcast_ss(a + 4); c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);
        x = _mm256_broadcast_ss(a + 5); c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);
        a += GEMM_MR;
        b += 16;
    }
    if (rows == GEMM_MR && columns == 16) {
#define GEMM_STORE_ROW(r, lo, hi)                                                            \
        do {                                                                                 \
            float *row = c + (r) * row_stride;                                               \
            if (accumulate) {                                                                \
                _mm256_storeu_ps(row, _mm256_add_ps(_mm256_loadu_ps(row), lo));              \
                _mm256_storeu_ps(row + 8, _mm256_add_ps(_mm256_loadu_ps(row + 8), hi));      \
            } else {                                                                         \
                _mm256_storeu_ps(row, lo);                                                   \
                _mm256_storeu_ps(row + 8, hi);                                               \
            }                                                                                \
        } while (0)
        GEMM_STORE_ROW(0, c00, c01);
        GEMM_STORE_ROW(1, c10, c11);
        GEMM_STORE_ROW(2, c20, c21);
        GEMM_STORE_ROW(3, c30, c31);
        GEMM_STORE_ROW(4, c40, c41);
        GEMM_STORE_ROW(5, c50, c51);
#undef GEMM_STORE_ROW
    } else {
        float tile[GEMM_MR * 16];
        _mm256_storeu_ps(tile + 0, c00);  _mm256_storeu_ps(tile + 8, c01);
        _mm256_storeu_ps(tile + 16, c10); _mm256_storeu_ps(tile + 24, c11);
        _mm256_storeu_ps(tile + 32, c20); _mm256_storeu_ps(tile + 40, c21);
        _mm256_storeu_ps(tile + 48, c30); _mm256_storeu_ps(tile + 56, c31);
        _mm256_storeu_ps(tile + 64, c40); _mm256_storeu_ps(tile + 72, c41);
        _mm256_storeu_ps(tile + 80, c50); _mm256_storeu_ps(tile + 88, c51);
        store_tile(tile, 16, c, row_stride, rows, columns, accumulate);
    }
}

/* ---- AVX-512 micro-kernel: 6 × 32, twelve 16-lane accumulators ---- */

__attribute__((target("avx512f")))
static void kernel_avx512(long depth, const float *a, const float *b, float *c, long row_stride,
                          int rows, int columns, int accumulate) {
    __m512 c00 = _mm512_setzero_ps(), c01 = _mm512_setzero_ps();
    __m512 c10 = _mm512_setzero_ps(), c11 = _mm512_setzero_ps();
    __m512 c20 = _mm512_setzero_ps(), c21 = _mm512_setzero_ps();
    __m512 c30 = _mm512_setzero_ps(), c31 = _mm512_setzero_ps();
    __m512 c40 = _mm512_setzero_ps(), c41 = _mm512_setzero_ps();
    __m512 c50 = _mm512_setzero_ps(), c51 = _mm512_setzero_ps();
    for (long p = 0; p < depth; p++) {
        __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
        __m512 x;
        x = _mm512_set1_ps(a[0]); c00 = _mm512_fmadd_ps(x, b0, c00); c01 = _mm512_fmadd_ps(x, b1, c01);
        x = _mm512_set1_ps(a[1]); c10 = _mm512_fmadd_ps(x, b0, c10); c11 = _mm512_fmadd_ps(x, b1, c11);
        x = _mm512_set1_ps(a[2]); c20 = _mm512_fmadd_ps(x, b0, c20); c21 = _mm512_fmadd_ps(x, b1, c21);
        x = _mm512_set1_ps(a[3]); c30 = _mm512_fmadd_ps(x, b0, c30); c31 = _mm512_fmadd_ps(x, b1, c31);
        x = _mm512_set1_ps(a[4]); c40 = _mm512_fmadd_ps(x, b0, c40); c41 = _mm512_fmadd_ps(x, b1, c41);
        x = _mm512_set1_ps(a[5]); c50 = _mm512_fmadd_ps(x, b0, c50); c51 = _mm512_fmadd_ps(x, b1, c51);
        a += GEMM_MR;
        b += 32;
    }
    if (rows == GEMM_MR && columns == 32) {
#define GEMM_STORE_ROW(r, lo, hi)                                                            \
        do {                                                                                 \
            float *row = c + (r) * row_stride;                                               \
            if (accumulate) {                                                                \
                _mm512_storeu_ps(row, _mm512_add_ps(_mm512_loadu_ps(row), lo));              \
                _mm512_storeu_ps(row + 16, _mm512_add_ps(_mm512_loadu_ps(row + 16), hi));    \
            } else {                                                                         \
                _mm512_storeu_ps(row, lo);                                                   \
                _mm512_storeu_ps(row + 16, hi);                                              \
            }                                                                                \
        } while (0)
        GEMM_STORE_ROW(0, c00, c01);
        GEMM_STORE_ROW(1, c10, c11);
        GEMM_STORE_ROW(2, c20, c21);
        GEMM_STORE_ROW(3, c30, c31);
        GEMM_STORE_ROW(4, c40, c41);
        GEMM_STORE_ROW(5, c50, c51);
#undef GEMM_STORE_ROW
    } else {
        float tile[GEMM_MR * 32];
        _mm512_storeu_ps(tile + 0, c00);   _mm512_storeu_ps(tile + 16, c01);
        _mm512_storeu_ps(tile + 32, c10);  _mm512_storeu_ps(tile + 48, c11);
        _mm512_storeu_ps(tile + 64, c20);  _mm512_storeu_ps(tile + 80, c21);
        _mm512_storeu_ps(tile + 96, c30);  _mm512_storeu_ps(tile + 112, c31);
        _mm512_storeu_ps(tile + 128, c40); _mm512_storeu_ps(tile + 144, c41);
        _mm512_storeu_ps(tile + 160, c50); _mm512_storeu_ps(tile + 176, c51);
        store_tile(tile, 32, c, row_stride, rows, columns, accumulate);
    }
}

/* ---- AVX-512 micro-kernel for narrow blocks (N ≤ 16, e.g. an output layer): 6 × 16 ----
 * Six 16-lane accumulators. It computes every element with the same fused multiply-adds in the
 * same order as the 6 × 32 kernel, so the two give identical bits. */

/* Ã(r, p) is read at a[r·row_stride + p·depth_stride]: (1, MR) for a packed sliver, or straight
 * from the stored A, which a block of a single column sliver uses only once and need not pack. */
__attribute__((target("avx512f")))
static void kernel_avx512_narrow(long depth, const float *a, long a_row_stride, long a_depth_stride,
                                 const float *b, float *c, long row_stride, int rows, int columns,
                                 int accumulate) {
    __m512 c0 = _mm512_setzero_ps(), c1 = _mm512_setzero_ps(), c2 = _mm512_setzero_ps();
    __m512 c3 = _mm512_setzero_ps(), c4 = _mm512_setzero_ps(), c5 = _mm512_setzero_ps();
    const float *a0 = a, *a1 = a0 + a_row_stride, *a2 = a1 + a_row_stride, *a3 = a2 + a_row_stride,
                *a4 = a3 + a_row_stride, *a5 = a4 + a_row_stride;
    for (long p = 0; p < depth; p++) {
        __m512 b0 = _mm512_loadu_ps(b);
        long q = p * a_depth_stride;
        c0 = _mm512_fmadd_ps(_mm512_set1_ps(a0[q]), b0, c0);
        c1 = _mm512_fmadd_ps(_mm512_set1_ps(a1[q]), b0, c1);
        c2 = _mm512_fmadd_ps(_mm512_set1_ps(a2[q]), b0, c2);
        c3 = _mm512_fmadd_ps(_mm512_set1_ps(a3[q]), b0, c3);
        c4 = _mm512_fmadd_ps(_mm512_set1_ps(a4[q]), b0, c4);
        c5 = _mm512_fmadd_ps(_mm512_set1_ps(a5[q]), b0, c5);
        b += 16;
    }
    float tile[GEMM_MR * 16];
    _mm512_storeu_ps(tile + 0, c0);
    _mm512_storeu_ps(tile + 16, c1);
    _mm512_storeu_ps(tile + 32, c2);
    _mm512_storeu_ps(tile + 48, c3);
    _mm512_storeu_ps(tile + 64, c4);
    _mm512_storeu_ps(tile + 80, c5);
    store_tile(tile, 16, c, row_stride, rows, columns, accumulate);
}

/* Twelve full rows at once: twelve independent accumulators hide the latency of the fused
 * multiply-add that six leave exposed. Same operations per element as kernel_avx512_narrow. */
__attribute__((target("avx512f")))
static void kernel_avx512_narrow12(long depth, const float *a, long a_row_stride, long a_depth_stride,
                                   const float *b, float *c, long row_stride, int columns, int accumulate) {
    __m512 acc[12];
    for (int r = 0; r < 12; r++) acc[r] = _mm512_setzero_ps();
    for (long p = 0; p < depth; p++) {
        __m512 b0 = _mm512_loadu_ps(b + p * 16);
        const float *column = a + p * a_depth_stride;
        for (int r = 0; r < 12; r++) {
            acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(column[r * a_row_stride]), b0, acc[r]);
        }
    }
    float tile[12 * 16];
    for (int r = 0; r < 12; r++) _mm512_storeu_ps(tile + r * 16, acc[r]);
    store_tile(tile, 16, c, row_stride, 12, columns, accumulate);
}

#endif /* __x86_64__ */

/* ---- Paths ---- */

int cns_gemm_path_supported(int path) {
    switch (path) {
    case CNS_GEMM_PORTABLE:
        return 1;
#if defined(__x86_64__)
    case CNS_GEMM_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case CNS_GEMM_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f");
#endif
    default:
        return 0;
    }
}

int cns_gemm_best_path(void) {
    if (cns_gemm_path_supported(CNS_GEMM_AVX512)) return CNS_GEMM_AVX512;
    if (cns_gemm_path_supported(CNS_GEMM_AVX2)) return CNS_GEMM_AVX2;
    return CNS_GEMM_PORTABLE;
}

const char *cns_gemm_path_name(int path) {
    switch (path) {
    case CNS_GEMM_PORTABLE: return "portable C, 6 × 16 register tile";
    case CNS_GEMM_AVX2: return "AVX2 + FMA, 6 × 16 register tile";
    case CNS_GEMM_AVX512: return "AVX-512, 6 × 32 register tile";
    default: return "unknown";
    }
}

int cns_gemm_tile_rows(int path) {
    (void)path;
    return GEMM_MR;
}

int cns_gemm_tile_columns(int path) {
    return path == CNS_GEMM_AVX512 ? 32 : 16;
}

static gemm_kernel_fn kernel_for(int path) {
#if defined(__x86_64__)
    if (path == CNS_GEMM_AVX512 && cns_gemm_path_supported(CNS_GEMM_AVX512)) return kernel_avx512;
    if (path == CNS_GEMM_AVX2 && cns_gemm_path_supported(CNS_GEMM_AVX2)) return kernel_avx2;
#endif
    (void)path;
    return kernel_portable;
}

/* ---- Packing ---- */

/* Ã[s·MR·kc + p·MR + r] = op(A)(i0 + s·MR + r, p0 + p), zeros past the last row. */
static void pack_a(long m, long k, const float *a, int transpose_a, long i_begin, long i_end,
                   long p0, long kc, float *packed) {
    for (long i0 = i_begin; i0 < i_end; i0 += GEMM_MR) {
        int valid = (int)(i_end - i0 < GEMM_MR ? i_end - i0 : GEMM_MR);
        if (transpose_a && valid == GEMM_MR) {
            /* op(A)(i, p) = a[p·M + i]: the MR values of one depth are contiguous. */
            const float *source = a + p0 * m + i0;
            for (long p = 0; p < kc; p++) {
                memcpy(packed, source, GEMM_MR * sizeof(float));
                source += m;
                packed += GEMM_MR;
            }
        } else if (transpose_a) {
            const float *source = a + p0 * m + i0;
            for (long p = 0; p < kc; p++) {
                int r = 0;
                for (; r < valid; r++) packed[r] = source[r];
                for (; r < GEMM_MR; r++) packed[r] = 0;
                source += m;
                packed += GEMM_MR;
            }
        } else {
            const float *source = a + i0 * k + p0;
            if (valid == GEMM_MR) {
                const float *r0 = source, *r1 = r0 + k, *r2 = r1 + k, *r3 = r2 + k, *r4 = r3 + k, *r5 = r4 + k;
                long p = 0;
                /* Four depths at a time: a 6 × 4 block read as six vectors, transposed in registers
                 * and written as six vectors (SSE2 or NEON shuffles), instead of 24 single moves. */
                for (; p + 4 <= kc; p += 4) {
                    gemm_v4 x0, x1, x2, x3, x4, x5;
                    memcpy(&x0, r0 + p, 16);
                    memcpy(&x1, r1 + p, 16);
                    memcpy(&x2, r2 + p, 16);
                    memcpy(&x3, r3 + p, 16);
                    memcpy(&x4, r4 + p, 16);
                    memcpy(&x5, r5 + p, 16);
                    gemm_v4 t0 = __builtin_shufflevector(x0, x1, 0, 4, 1, 5);
                    gemm_v4 t1 = __builtin_shufflevector(x0, x1, 2, 6, 3, 7);
                    gemm_v4 t2 = __builtin_shufflevector(x2, x3, 0, 4, 1, 5);
                    gemm_v4 t3 = __builtin_shufflevector(x2, x3, 2, 6, 3, 7);
                    gemm_v4 t4 = __builtin_shufflevector(x4, x5, 0, 4, 1, 5);   /* r4p0 r5p0 r4p1 r5p1 */
                    gemm_v4 t5 = __builtin_shufflevector(x4, x5, 2, 6, 3, 7);   /* r4p2 r5p2 r4p3 r5p3 */
                    gemm_v4 column0 = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);  /* r0..r3 at p */
                    gemm_v4 column1 = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
                    gemm_v4 column2 = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
                    gemm_v4 column3 = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
                    gemm_v4 o0 = column0;
                    gemm_v4 o1 = __builtin_shufflevector(t4, column1, 0, 1, 4, 5);
                    gemm_v4 o2 = __builtin_shufflevector(column1, t4, 2, 3, 6, 7);
                    gemm_v4 o3 = column2;
                    gemm_v4 o4 = __builtin_shufflevector(t5, column3, 0, 1, 4, 5);
                    gemm_v4 o5 = __builtin_shufflevector(column3, t5, 2, 3, 6, 7);
                    memcpy(packed, &o0, 16);
                    memcpy(packed + 4, &o1, 16);
                    memcpy(packed + 8, &o2, 16);
                    memcpy(packed + 12, &o3, 16);
                    memcpy(packed + 16, &o4, 16);
                    memcpy(packed + 20, &o5, 16);
                    packed += 4 * GEMM_MR;
                }
                for (; p < kc; p++) {
                    packed[0] = r0[p];
                    packed[1] = r1[p];
                    packed[2] = r2[p];
                    packed[3] = r3[p];
                    packed[4] = r4[p];
                    packed[5] = r5[p];
                    packed += GEMM_MR;
                }
            } else {
                for (long p = 0; p < kc; p++) {
                    int r = 0;
                    for (; r < valid; r++) packed[r] = source[r * k + p];
                    for (; r < GEMM_MR; r++) packed[r] = 0;
                    packed += GEMM_MR;
                }
            }
        }
    }
}

/* B̃[s·NR·kc + p·NR + j] = op(B)(p0 + p, j0 + s·NR + j), zeros past the last column. */
static void pack_b(long n, long k, const float *b, int transpose_b, long p0, long kc,
                   long j_begin, long j_end, int nr, float *packed) {
    for (long j0 = j_begin; j0 < j_end; j0 += nr) {
        int valid = (int)(j_end - j0 < nr ? j_end - j0 : nr);
        if (transpose_b) {
            /* op(B)(p, j) = b[j·K + p]: read each stored row along its length. */
            const float *source = b + j0 * k + p0;
            if (valid == nr) {
                /* 4 × 4 blocks transposed in registers; the NR rows read stay in L1. */
                long p = 0;
                for (; p + 4 <= kc; p += 4) {
                    for (int j = 0; j < nr; j += 4) {
                        gemm_v4 x0, x1, x2, x3;
                        memcpy(&x0, source + j * k + p, 16);
                        memcpy(&x1, source + (j + 1) * k + p, 16);
                        memcpy(&x2, source + (j + 2) * k + p, 16);
                        memcpy(&x3, source + (j + 3) * k + p, 16);
                        gemm_v4 t0 = __builtin_shufflevector(x0, x1, 0, 4, 1, 5);
                        gemm_v4 t1 = __builtin_shufflevector(x0, x1, 2, 6, 3, 7);
                        gemm_v4 t2 = __builtin_shufflevector(x2, x3, 0, 4, 1, 5);
                        gemm_v4 t3 = __builtin_shufflevector(x2, x3, 2, 6, 3, 7);
                        gemm_v4 y0 = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
                        gemm_v4 y1 = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
                        gemm_v4 y2 = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
                        gemm_v4 y3 = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
                        memcpy(packed + p * nr + j, &y0, 16);
                        memcpy(packed + (p + 1) * nr + j, &y1, 16);
                        memcpy(packed + (p + 2) * nr + j, &y2, 16);
                        memcpy(packed + (p + 3) * nr + j, &y3, 16);
                    }
                }
                for (; p < kc; p++) {
                    for (int j = 0; j < nr; j++) packed[p * nr + j] = source[j * k + p];
                }
            } else {
                for (int j = 0; j < valid; j++) {
                    const float *row = source + j * k;
                    for (long p = 0; p < kc; p++) packed[p * nr + j] = row[p];
                }
                for (int j = valid; j < nr; j++) {
                    for (long p = 0; p < kc; p++) packed[p * nr + j] = 0;
                }
            }
        } else {
            const float *source = b + p0 * n + j0;
            if (valid == nr && nr == 32) {
                /* Constant sizes, so the copies are inlined vector moves, not calls. */
                for (long p = 0; p < kc; p++) {
                    memcpy(packed + p * 32, source, 32 * sizeof(float));
                    source += n;
                }
            } else if (valid == nr && nr == 16) {
                for (long p = 0; p < kc; p++) {
                    memcpy(packed + p * 16, source, 16 * sizeof(float));
                    source += n;
                }
            } else {
                for (long p = 0; p < kc; p++) {
                    int j = 0;
                    for (; j < valid; j++) packed[p * nr + j] = source[j];
                    for (; j < nr; j++) packed[p * nr + j] = 0;
                    source += n;
                }
            }
        }
        packed += kc * nr;
    }
}

/* Each thread keeps its packing buffer (at most MC·KC + KC·NC floats, 1.1 MB) between products:
 * a fresh allocation of that size is mapped and faulted in again on every call. It is freed when
 * the thread exits. */
static pthread_key_t buffer_key;
static pthread_once_t buffer_key_once = PTHREAD_ONCE_INIT;

typedef struct gemm_buffer {
    float *floats;
    long capacity;
} gemm_buffer;

static void free_buffer(void *value) {
    gemm_buffer *buffer = value;
    free(buffer->floats);
    free(buffer);
}

static void make_buffer_key(void) {
    if (pthread_key_create(&buffer_key, free_buffer) != 0) abort();
}

/* The calling thread's buffer, grown to at least `count` floats, aligned to 64 bytes. */
static float *thread_buffer(long count) {
    pthread_once(&buffer_key_once, make_buffer_key);
    gemm_buffer *buffer = pthread_getspecific(buffer_key);
    if (buffer == NULL) {
        buffer = calloc(1, sizeof *buffer);
        if (buffer == NULL || pthread_setspecific(buffer_key, buffer) != 0) abort();
    }
    if (buffer->capacity < count) {
        free(buffer->floats);
        void *memory = NULL;
        if (posix_memalign(&memory, 64, (size_t)count * sizeof(float)) != 0) abort();
        buffer->floats = memory;
        buffer->capacity = count;
    }
    return buffer->floats;
}

#if defined(__x86_64__)
/*
 * A block of at most 16 columns with the AVX-512 path (an output layer, say): one B̃ sliver per
 * KC panel, so each value of op(A) is used once and A is read where it is stored, unpacked;
 * only a last sliver of fewer than MR rows is copied, padded with zeros. Every element of C gets
 * the same fused multiply-adds in the same order as with the 6 × 32 kernel: identical bits.
 */
static void narrow_block_avx512(long m, long n, long k, const float *a, int transpose_a,
                                const float *b, int transpose_b, float *c,
                                long row_begin, long row_end, long column_begin, long column_end) {
    const long columns = column_end - column_begin;
    const long kc_max = even_part(k, GEMM_KC);
    float *packed_b = thread_buffer(round_up(kc_max * 16, 16) + GEMM_MR * kc_max);
    float *edge = packed_b + round_up(kc_max * 16, 16);
    for (long pc = 0; pc < k; pc += kc_max) {
        const long kc = pc + kc_max < k ? kc_max : k - pc;
        pack_b(n, k, b, transpose_b, pc, kc, column_begin, column_end, 16, packed_b);
        long i = row_begin;
        for (; i + 12 <= row_end; i += 12) {
            float *tile_c = c + i * n + column_begin;
            if (transpose_a) {
                kernel_avx512_narrow12(kc, a + pc * m + i, 1, m, packed_b, tile_c, n, (int)columns, pc > 0);
            } else {
                kernel_avx512_narrow12(kc, a + i * k + pc, k, 1, packed_b, tile_c, n, (int)columns, pc > 0);
            }
        }
        for (; i < row_end; i += GEMM_MR) {
            const int rows = (int)(row_end - i < GEMM_MR ? row_end - i : GEMM_MR);
            float *tile_c = c + i * n + column_begin;
            if (rows < GEMM_MR) {
                pack_a(m, k, a, transpose_a, i, row_end, pc, kc, edge);
                kernel_avx512_narrow(kc, edge, 1, GEMM_MR, packed_b, tile_c, n, rows, (int)columns, pc > 0);
            } else if (transpose_a) {
                kernel_avx512_narrow(kc, a + pc * m + i, 1, m, packed_b, tile_c, n, rows, (int)columns, pc > 0);
            } else {
                kernel_avx512_narrow(kc, a + i * k + pc, k, 1, packed_b, tile_c, n, rows, (int)columns, pc > 0);
            }
        }
    }
}
#endif

void cns_gemm_block(int path, long m, long n, long k,
                    const float *a, int transpose_a, const float *b, int transpose_b, float *c,
                    long row_begin, long row_end, long column_begin, long column_end) {
    if (row_end <= row_begin || column_end <= column_begin) return;
    if (k <= 0) {
        for (long i = row_begin; i < row_end; i++) {
            memset(c + i * n + column_begin, 0, (size_t)(column_end - column_begin) * sizeof(float));
        }
        return;
    }
    gemm_kernel_fn kernel = kernel_for(path);
    const int mr = GEMM_MR;
    const int nr = kernel == kernel_portable ? 16 : cns_gemm_tile_columns(path);
    const long rows = row_end - row_begin, columns = column_end - column_begin;
#if defined(__x86_64__)
    if (kernel == kernel_avx512 && columns <= 16) {
        narrow_block_avx512(m, n, k, a, transpose_a, b, transpose_b, c, row_begin, row_end,
                            column_begin, column_end);
        return;
    }
#endif
    /* Equal blocks no larger than MC, KC, NC: 784 = 4 × 196 rather than 3 × 256 + 16. */
    const long mc = round_up(even_part(rows, GEMM_MC), mr);
    const long kc_max = even_part(k, GEMM_KC);
    const long nc = round_up(even_part(columns, GEMM_NC), nr);
    /* Ã first, then B̃ at a 64-byte boundary. */
    const long a_floats = round_up(mc * kc_max, 16);
    float *packed_a = thread_buffer(a_floats + kc_max * nc);
    float *packed_b = packed_a + a_floats;
    for (long jc = column_begin; jc < column_end; jc += nc) {
        const long j_end = jc + nc < column_end ? jc + nc : column_end;
        const long columns_here = j_end - jc;
        for (long pc = 0; pc < k; pc += kc_max) {
            const long kc = pc + kc_max < k ? kc_max : k - pc;
            pack_b(n, k, b, transpose_b, pc, kc, jc, j_end, nr, packed_b);
            for (long ic = row_begin; ic < row_end; ic += mc) {
                const long i_end = ic + mc < row_end ? ic + mc : row_end;
                const long rows_here = i_end - ic;
                pack_a(m, k, a, transpose_a, ic, i_end, pc, kc, packed_a);
                for (long jr = 0; jr < columns_here; jr += nr) {
                    const int tile_columns = (int)(columns_here - jr < nr ? columns_here - jr : nr);
                    for (long ir = 0; ir < rows_here; ir += mr) {
                        const int tile_rows = (int)(rows_here - ir < mr ? rows_here - ir : mr);
                        kernel(kc, packed_a + ir * kc, packed_b + jr * kc,
                               c + (ic + ir) * n + jc + jr, n, tile_rows, tile_columns, pc > 0);
                    }
                }
            }
        }
    }
}
