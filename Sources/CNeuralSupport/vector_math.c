/*
 * Element-wise √x, eˣ, ln x, tanh x and σ(x) over float arrays (see cns_vector_math.h).
 *
 * Each function is written once, for one value, with IEEE single-precision operations, integer
 * operations on the bits and selects (`c ? a : b`) only: no branches, no library calls, no errno.
 * The array loops below inline it and the compiler vectorises them; they are compiled three times,
 * for the baseline vectors (SSE2 on x86-64, NEON on arm64), for AVX2 and for AVX-512 with
 * __attribute__((target(...))), and the caller picks a path the CPU supports at run time
 * (cns_vector_best_path), as for the matrix product (gemm_kernel.c). CNeuralSupport is compiled
 * with -O2 in every configuration, so debug builds get the vector code too.
 *
 * Determinism: vectorising a loop of independent elements does not change any element's sequence
 * of operations, and without -ffast-math the compiler neither reassociates nor, with the pragma
 * below, fuses a multiply and an add. Every path therefore gives the same bits, and so do the
 * scalar entry points (cns_vector_scalar).
 *
 * Measured against the double-precision library on every third float bit pattern (1.4·10⁹
 * inputs): largest errors eˣ 0.98 ulp, ln x 0.82, tanh 1.33, σ 1.46, √ exact; the portable, AVX2
 * and AVX-512 paths bit-identical on all of them, for all seven functions.
 *
 * Methods (the Cephes single-precision ones, by S. L. Moshier, rewritten without branches):
 *   eˣ      x = n·ln2 + r with n = round(x·log₂e), r by Cody–Waite (ln2 in two parts, the first
 *           with 9 significant bits so that n·C₁ is exact), |r| ≲ ½ln2; eʳ = 1 + r + r²·P(r)
 *           with a degree-5 P; then eˣ = eʳ·2^⌊n/2⌋·2^(n−⌊n/2⌋), two steps so that results near
 *           overflow and the subnormal ones are right (each factor is a normal power of two).
 *   ln x    x = m·2ᵉ with m ∈ [√½, √2) (subnormals scaled by 2²³ first); with f = m − 1,
 *           ln m = f − f²/2 + f³·P(f) (degree 8), plus e·ln2 in two parts.
 *   tanh x  for |x| < 0.625 the odd polynomial |x| + |x|³·P(x²); above, 1 − 2/(e^(2|x|) + 1);
 *           the sign of x copied onto the result (so tanh(−0) = −0).
 *   σ(x)    with e = e^(−|x|) ∈ (0, 1]: 1/(1 + e) for x ≥ 0, e/(1 + e) below, so that nothing
 *           overflows and σ(−large) keeps its relative accuracy (≈ eˣ) instead of rounding 1 − σ;
 *           e carries the bits its rounding lost, and a correction term uses them.
 */
#include "cns_vector_math.h"

#include <stdint.h>

#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

#define VM_INLINE static inline __attribute__((always_inline))

VM_INLINE uint32_t bits_of(float x) {
    uint32_t u;
    __builtin_memcpy(&u, &x, 4);
    return u;
}

VM_INLINE float float_of(uint32_t u) {
    float x;
    __builtin_memcpy(&x, &u, 4);
    return x;
}

/* √x, correctly rounded (the instruction, without errno: vectorises). */
VM_INLINE float vm_sqrt(float x) {
#if defined(__has_builtin) && __has_builtin(__builtin_elementwise_sqrt)
    return __builtin_elementwise_sqrt(x);
#else
    return __builtin_sqrtf(x);
#endif
}

/*
 * eˣ = high + low: `high` is eˣ rounded (what vm_exp returns) and `low` the part of 2ⁿ·(1 + s)
 * that rounding 1 + s lost, for callers that need more than the rounded value (σ).
 * Above ≈ 88.72: +∞; below ≈ −103.3: 0 (subnormal in between); NaN stays NaN.
 */
VM_INLINE float vm_exp_split(float x, float *low) {
    /* Beyond these the result is ∞ or 0 anyway; clamping keeps n small. NaN passes through. */
    x = x > 89.0f ? 89.0f : x;
    x = x < -104.0f ? -104.0f : x;
    /* n = round(x·log₂e): adding 1.5·2²³ rounds to an integer, whose value is in the low bits. */
    const float shifter = 12582912.0f;
    float t = x * 1.44269504088896341f + shifter;
    int32_t n = (int32_t)(bits_of(t) - bits_of(shifter));
    float fn = t - shifter;
    float r = x - fn * 0.693359375f;
    r = r - fn * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float s = p * (r * r) + r; /* eʳ − 1 */
    float y = s + 1.0f;
    float y_low = s - (y - 1.0f); /* exactly 1 + s − y (Fast2Sum: |s| < 1) */
    int32_t half = n >> 1;
    float scale1 = float_of((uint32_t)(half + 127) << 23);
    float scale2 = float_of((uint32_t)(n - half + 127) << 23);
    *low = (y_low * scale1) * scale2;
    return (y * scale1) * scale2;
}

VM_INLINE float vm_exp(float x) {
    float low;
    return vm_exp_split(x, &low);
}

/* ln x: −∞ at ±0, NaN below 0 and for NaN, +∞ at +∞; subnormals exact in their exponent. */
VM_INLINE float vm_log(float x) {
    int tiny = x < 1.17549435e-38f;
    float v = tiny ? x * 8388608.0f : x;
    uint32_t u = bits_of(v);
    int32_t e = (int32_t)((u >> 23) & 0xff) - 126 - (tiny ? 23 : 0);
    float m = float_of((u & 0x007fffffu) | 0x3f000000u); /* [½, 1) */
    int below = m < 0.707106781186547524f;
    e = below ? e - 1 : e;
    float f = (below ? m + m : m) - 1.0f; /* m·2 or m, minus 1: [√½ − 1, √2 − 1) */
    float fe = (float)e;
    float z = f * f;
    float p = 7.0376836292e-2f;
    p = p * f + -1.1514610310e-1f;
    p = p * f + 1.1676998740e-1f;
    p = p * f + -1.2420140846e-1f;
    p = p * f + 1.4249322787e-1f;
    p = p * f + -1.6668057665e-1f;
    p = p * f + 2.0000714765e-1f;
    p = p * f + -2.4999993993e-1f;
    p = p * f + 3.3333331174e-1f;
    float y = p * f * z;
    y = y + fe * -2.12194440e-4f;
    y = y + -0.5f * z;
    float result = f + y;
    result = result + fe * 0.693359375f;
    result = x == __builtin_inff() ? x : result;
    result = x == 0.0f ? -__builtin_inff() : result;
    result = x >= 0.0f ? result : __builtin_nanf("");
    return result;
}

/* tanh x: ±1 for large |x|, NaN for NaN. */
VM_INLINE float vm_tanh(float x) {
    uint32_t sign = bits_of(x) & 0x80000000u;
    float a = float_of(bits_of(x) & 0x7fffffffu);
    /* Large |x|: 1 − 2/(e^(2|x|) + 1); e^(2|x|) = ∞ gives exactly 1. */
    float large = 1.0f - 2.0f / (vm_exp(a + a) + 1.0f);
    /* Small |x|: |x| + |x|·x²·P(x²). */
    float z = a * a;
    float p = -5.70498872745e-3f;
    p = p * z + 2.06390887954e-2f;
    p = p * z + -5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z + -3.33332819422e-1f;
    float small = p * z * a + a;
    float result = a >= 0.625f ? large : small;
    return float_of(bits_of(result) | sign);
}

/*
 * σ(x) = 1 / (1 + e^(−x)) without overflow: 1 for large x, 0 (or ≈ eˣ) for very negative x.
 * With e + e_low = e^(−|x|), N the numerator (1, or e + e_low for x < 0) and D = 1 + e + e_low =
 * d + δ where d = 1 + e rounded: q = N_high/d rounded, then N/D ≈ q + (N_low − q·δ)/d. The
 * correction is below an ulp of q, so 1/d needs only a few correct bits: q for x ≥ 0, 1 − q
 * below. Rounding e alone would cost σ up to 2 ulp (e/(1 + e) up to 2.3).
 */
VM_INLINE float vm_sigmoid(float x) {
    float a = float_of(bits_of(x) & 0x7fffffffu);
    float e_low;
    float e = vm_exp_split(-a, &e_low);
    int positive = x >= 0.0f;
    float numerator = positive ? 1.0f : e;
    float numerator_low = positive ? 0.0f : e_low;
    float d = 1.0f + e;
    float delta = (e - (d - 1.0f)) + e_low; /* e − (d − 1) is d's rounding error, exactly */
    float q = numerator / d;
    float reciprocal = positive ? q : 1.0f - q;
    return q + (numerator_low - q * delta) * reciprocal;
}

VM_INLINE float vm_tanh_prime(float x) {
    float t = vm_tanh(x);
    return 1.0f - t * t;
}

VM_INLINE float vm_sigmoid_prime(float x) {
    float s = vm_sigmoid(x);
    return s * (1.0f - s);
}

/* ---- Array loops ---- */

/*
 * Elements in blocks of VM_BLOCK through a local buffer: the compiler vectorises the block's loop
 * without a run-time overlap check (which would send `output == input` to a scalar loop), then
 * the rest one by one with the same function, hence the same bits.
 */
#define VM_BLOCK 32

#define VM_LOOP(name, function, attributes)                                                   \
    attributes static void name(const float *input, float *output, size_t count) {           \
        size_t i = 0;                                                                        \
        for (; i + VM_BLOCK <= count; i += VM_BLOCK) {                                       \
            float block[VM_BLOCK];                                                           \
            for (int j = 0; j < VM_BLOCK; j++) block[j] = function(input[i + j]);            \
            __builtin_memcpy(output + i, block, sizeof block);                                         \
        }                                                                                    \
        for (; i < count; i++) output[i] = function(input[i]);                               \
    }

typedef void (*vm_loop_fn)(const float *input, float *output, size_t count);

#define VM_LOOPS(suffix, attributes)                                                          \
    VM_LOOP(sqrt_##suffix, vm_sqrt, attributes)                                              \
    VM_LOOP(exp_##suffix, vm_exp, attributes)                                                \
    VM_LOOP(log_##suffix, vm_log, attributes)                                                \
    VM_LOOP(tanh_##suffix, vm_tanh, attributes)                                              \
    VM_LOOP(tanh_prime_##suffix, vm_tanh_prime, attributes)                                  \
    VM_LOOP(sigmoid_##suffix, vm_sigmoid, attributes)                                        \
    VM_LOOP(sigmoid_prime_##suffix, vm_sigmoid_prime, attributes)                            \
    static const vm_loop_fn loops_##suffix[] = {sqrt_##suffix, exp_##suffix, log_##suffix,   \
                                                tanh_##suffix, tanh_prime_##suffix,          \
                                                sigmoid_##suffix, sigmoid_prime_##suffix};

#define VM_FUNCTION_COUNT 7

VM_LOOPS(portable, )
#if defined(__x86_64__)
VM_LOOPS(avx2, __attribute__((target("avx2"))))
VM_LOOPS(avx512, __attribute__((target("avx512f"))))
#endif

/* ---- Paths ---- */

int cns_vector_path_supported(int path) {
    switch (path) {
    case CNS_VECTOR_PORTABLE:
        return 1;
#if defined(__x86_64__)
    case CNS_VECTOR_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2");
    case CNS_VECTOR_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f");
#endif
    default:
        return 0;
    }
}

int cns_vector_best_path(void) {
    static int best = -1;
    int path = __atomic_load_n(&best, __ATOMIC_RELAXED);
    if (path < 0) {
        path = cns_vector_path_supported(CNS_VECTOR_AVX512) ? CNS_VECTOR_AVX512
             : cns_vector_path_supported(CNS_VECTOR_AVX2)   ? CNS_VECTOR_AVX2
                                                            : CNS_VECTOR_PORTABLE;
        __atomic_store_n(&best, path, __ATOMIC_RELAXED);
    }
    return path;
}

const char *cns_vector_path_name(int path) {
    switch (path) {
    case CNS_VECTOR_PORTABLE: return "portable C, baseline vectors";
    case CNS_VECTOR_AVX2: return "AVX2, 8 lanes";
    case CNS_VECTOR_AVX512: return "AVX-512, 16 lanes";
    default: return "unknown";
    }
}

void cns_vector_apply(int path, int function, const float *input, float *output, size_t count) {
    if (function < 0 || function >= VM_FUNCTION_COUNT || count == 0) return;
    const vm_loop_fn *loops = loops_portable;
#if defined(__x86_64__)
    if (path == CNS_VECTOR_AVX512 && cns_vector_path_supported(CNS_VECTOR_AVX512)) loops = loops_avx512;
    else if (path == CNS_VECTOR_AVX2 && cns_vector_path_supported(CNS_VECTOR_AVX2)) loops = loops_avx2;
#endif
    (void)path;
    loops[function](input, output, count);
}

float cns_vector_scalar(int function, float x) {
    switch (function) {
    case CNS_VECTOR_SQRT: return vm_sqrt(x);
    case CNS_VECTOR_EXP: return vm_exp(x);
    case CNS_VECTOR_LOG: return vm_log(x);
    case CNS_VECTOR_TANH: return vm_tanh(x);
    case CNS_VECTOR_TANH_PRIME: return vm_tanh_prime(x);
    case CNS_VECTOR_SIGMOID: return vm_sigmoid(x);
    case CNS_VECTOR_SIGMOID_PRIME: return vm_sigmoid_prime(x);
    default: return __builtin_nanf("");
    }
}
