/*
 * Fused optimiser updates (see cns_optim.h). Each update is one loop body, written once as an
 * always-inlined function and compiled three times: for AVX-512, for AVX2 and for the baseline
 * CPU. Contraction is off, so no path fuses a multiply and an add: every path rounds after each
 * operation exactly as the scalar Swift code does, and all give the same bits. The square root
 * is the correctly rounded instruction (the target is built with -fno-math-errno, which lets the
 * compiler use it on whole vectors).
 */
#include "CNeuralSupport.h"

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#pragma clang fp contract(off)

#define ADAM_BODY                                                                                  \
    for (long k = 0; k < count; k++) {                                                            \
        float g = gradient[k];                                                                    \
        float mk = beta1 * m[k] + one_minus_beta1 * g;                                            \
        float vk = beta2 * v[k] + one_minus_beta2 * g * g;                                        \
        m[k] = mk;                                                                                \
        v[k] = vk;                                                                                \
        theta[k] = theta[k] - step_size * mk / (sqrtf(vk) * root_scale + epsilon);               \
    }

#define MOMENTUM_BODY                                                                              \
    for (long k = 0; k < count; k++) {                                                            \
        float u = momentum * velocity[k] - learning_rate * gradient[k];                           \
        velocity[k] = u;                                                                          \
        theta[k] = theta[k] + u;                                                                  \
    }

#define ADAM_PARAMETERS                                                                            \
    long count, float *restrict theta, const float *restrict gradient, float *restrict m,         \
    float *restrict v, float beta1, float beta2, float one_minus_beta1, float one_minus_beta2,    \
    float step_size, float root_scale, float epsilon
#define MOMENTUM_PARAMETERS                                                                        \
    long count, float *restrict theta, const float *restrict gradient,                            \
    float *restrict velocity, float momentum, float learning_rate

static void adam_portable(ADAM_PARAMETERS) { ADAM_BODY }
static void momentum_portable(MOMENTUM_PARAMETERS) { MOMENTUM_BODY }

#if defined(__x86_64__)
__attribute__((target("avx2"))) static void adam_avx2(ADAM_PARAMETERS) { ADAM_BODY }
__attribute__((target("avx2"))) static void momentum_avx2(MOMENTUM_PARAMETERS) { MOMENTUM_BODY }
__attribute__((target("avx512f"))) static void adam_avx512(ADAM_PARAMETERS) { ADAM_BODY }
__attribute__((target("avx512f"))) static void momentum_avx512(MOMENTUM_PARAMETERS) { MOMENTUM_BODY }
#endif

static int forced_path = -1;

int cns_optim_force_path(int path) {
    if (path > 0) {
#if defined(__x86_64__)
        __builtin_cpu_init();
        if (path == 2 && !__builtin_cpu_supports("avx512f")) return 0;
        if (path == 1 && !__builtin_cpu_supports("avx2")) return 0;
#else
        return 0;
#endif
    }
    forced_path = path;
    return 1;
}

/* 2 = AVX-512, 1 = AVX2, 0 = portable; found once (or forced by a test). */
static int optim_path(void) {
    if (forced_path >= 0) return forced_path;
#if defined(__x86_64__)
    static int path = -1;
    if (path < 0) {
        __builtin_cpu_init();
        path = __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    return path;
#else
    return 0;
#endif
}

const char *cns_optim_path_name(void) {
    switch (optim_path()) {
    case 2: return "AVX-512";
    case 1: return "AVX2";
    default: return "portable";
    }
}

void cns_adam_update(long count, float *theta, const float *gradient, float *m, float *v,
                     float beta1, float beta2, float one_minus_beta1, float one_minus_beta2,
                     float step_size, float root_scale, float epsilon) {
#if defined(__x86_64__)
    int path = optim_path();
    if (path == 2) { adam_avx512(count, theta, gradient, m, v, beta1, beta2, one_minus_beta1, one_minus_beta2, step_size, root_scale, epsilon); return; }
    if (path == 1) { adam_avx2(count, theta, gradient, m, v, beta1, beta2, one_minus_beta1, one_minus_beta2, step_size, root_scale, epsilon); return; }
#endif
    adam_portable(count, theta, gradient, m, v, beta1, beta2, one_minus_beta1, one_minus_beta2, step_size, root_scale, epsilon);
}

void cns_momentum_update(long count, float *theta, const float *gradient, float *velocity,
                         float momentum, float learning_rate) {
#if defined(__x86_64__)
    int path = optim_path();
    if (path == 2) { momentum_avx512(count, theta, gradient, velocity, momentum, learning_rate); return; }
    if (path == 1) { momentum_avx2(count, theta, gradient, velocity, momentum, learning_rate); return; }
#endif
    momentum_portable(count, theta, gradient, velocity, momentum, learning_rate);
}

void cns_cpu_relax(void) {
#if defined(__x86_64__)
    _mm_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

long cns_atomic_load(const long *cell) { return __atomic_load_n(cell, __ATOMIC_ACQUIRE); }

void cns_atomic_store(long *cell, long value) { __atomic_store_n(cell, value, __ATOMIC_RELEASE); }
