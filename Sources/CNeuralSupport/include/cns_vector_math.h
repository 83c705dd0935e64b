/*
 * Vectorised element-wise math over float arrays (vector_math.c): √x, eˣ, ln x, tanh x, the
 * logistic σ(x) = 1 / (1 + e^(−x)) and the derivatives tanh′ = 1 − tanh², σ′ = σ(1 − σ).
 *
 * Every CPU path gives bit-identical results: each is the same sequence of IEEE single-precision
 * operations (no fused multiply-add, no reassociation), compiled for a different vector width.
 * Accuracy: within 2 ulp of the exact value (√x correctly rounded, equal to sqrtf).
 */
#ifndef CNS_VECTOR_MATH_H
#define CNS_VECTOR_MATH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The CPU paths: the same results, different vector widths. */
#define CNS_VECTOR_PORTABLE 0 /* the compiler's baseline vectors: SSE2 on x86-64, NEON on arm64 */
#define CNS_VECTOR_AVX2 1     /* x86-64 with AVX2: 8 lanes */
#define CNS_VECTOR_AVX512 2   /* x86-64 with AVX-512F: 16 lanes */

/* The functions. */
#define CNS_VECTOR_SQRT 0
#define CNS_VECTOR_EXP 1
#define CNS_VECTOR_LOG 2
#define CNS_VECTOR_TANH 3
#define CNS_VECTOR_TANH_PRIME 4    /* 1 − tanh²(x) */
#define CNS_VECTOR_SIGMOID 5
#define CNS_VECTOR_SIGMOID_PRIME 6 /* σ(x)(1 − σ(x)) */

/* Whether this CPU (and build) can run `path`: 1 or 0. The portable path always can. */
int cns_vector_path_supported(int path);
/* The fastest path this CPU supports (found once). */
int cns_vector_best_path(void);
/* A short description of `path`, e.g. "AVX2, 8 lanes". */
const char *cns_vector_path_name(int path);

/*
 * output[i] = f(input[i]) for i < count, with `function` (CNS_VECTOR_…) on `path` (the portable
 * one if the CPU does not support it). `output` may equal `input`; other overlaps are not allowed.
 */
void cns_vector_apply(int path, int function, const float *input, float *output, size_t count);

/* One value, f(x), with the same bits as cns_vector_apply gives on every path. */
float cns_vector_scalar(int function, float x);

#ifdef __cplusplus
}
#endif

#endif /* CNS_VECTOR_MATH_H */
