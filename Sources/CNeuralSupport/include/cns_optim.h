/*
 * The fused optimiser updates of NeuralKit's FusedAdam and FusedSGD (Optim/Optimizers.swift): one
 * pass over each parameter, vectorised for the CPU found at run time (AVX-512, AVX2, or the
 * portable loop, which the compiler vectorises with NEON on arm64).
 *
 * Every path does the same IEEE single-precision operations in the same order, with no fused
 * multiply-add (contraction is off in optim_kernel.c): the results are bit-identical on every CPU
 * and equal to the same update written with NeuralKit's tensor operations.
 */
#ifndef CNS_OPTIM_H
#define CNS_OPTIM_H

/*
 * Adam, for `count` entries: with b1c = 1 − β1, b2c = 1 − β2,
 *     m ← β1·m + b1c·g;  v ← β2·v + (b2c·g)·g;  θ ← θ − (step_size·m) / (√v·root_scale + ε)
 * where the caller passes step_size = η / (1 − β1ᵗ) and root_scale = 1 / √(1 − β2ᵗ): one square
 * root and one division per entry (the textbook order, m/c1 and v/c2 first, takes three divisions).
 */
void cns_adam_update(long count, float *theta, const float *gradient, float *m, float *v,
                     float beta1, float beta2, float one_minus_beta1, float one_minus_beta2,
                     float step_size, float root_scale, float epsilon);

/* SGD with momentum, for `count` entries:  u ← μ·u − η·g;  θ ← θ + u. */
void cns_momentum_update(long count, float *theta, const float *gradient, float *velocity,
                         float momentum, float learning_rate);

/* Which loop the two functions above use on this CPU: "AVX-512", "AVX2" or "portable". */
const char *cns_optim_path_name(void);

/* For tests: makes the two updates use `path` (2 = AVX-512, 1 = AVX2, 0 = portable, −1 = the best
 * the CPU supports). Returns 0, changing nothing, when the CPU lacks that path. Not thread-safe. */
int cns_optim_force_path(int path);

/* Spins for a moment (the CPU's pause/yield hint): for busy-waiting loops that are about to see
 * another thread's write, without a system call. */
void cns_cpu_relax(void);

/* An acquire load and a release store of a long, for a flag that one thread publishes under a
 * lock and others poll without taking it. */
long cns_atomic_load(const long *cell);
void cns_atomic_store(long *cell, long value);

#endif /* CNS_OPTIM_H */
