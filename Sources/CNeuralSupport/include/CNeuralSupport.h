/*
 * CNeuralSupport: the C helpers of NeuralKit: data loading and the fast numeric kernels.
 *
 *   - gzip inflation and compression through the system zlib (Foundation on Linux has no gzip API);
 *   - for the `course` tool's submission archives: raw deflate, CRC-32 and step-by-step inflation
 *     (archive.c), so that a zip bomb is stopped as soon as it passes its limits;
 *   - SHA-256 (FIPS 180-4), written here, to verify dataset files;
 *   - byte → Float conversion to [0, 1];
 *   - the packed matrix product (below), the fused optimiser updates (cns_optim.h) and the
 *     vectorised element-wise math (cns_vector_math.h), each compiled for AVX-512, AVX2 and the
 *     baseline CPU and chosen at run time;
 *   - for the `course` tool: asking the kernel to kill a process when its parent dies (Linux).
 *
 * Why C: zlib is a C library (the system's, always optimised), and plain C loops stay fast in debug
 * builds (SwiftPM compiles them at -O0, about 2–3× slower than -O2, where unoptimised Swift loops are
 * tens of times slower), which the tests use. Swift wrappers live in NeuralKit/Data.
 *
 * Buffers are owned by the caller; nothing here allocates memory that the caller must free.
 */
#ifndef CNEURALSUPPORT_H
#define CNEURALSUPPORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes of the gzip functions ---- */

#define CNS_OK 0
/* The output buffer is full and there is more data: call again with a larger buffer. */
#define CNS_OUTPUT_TOO_SMALL 1
/* The input is not gzip/zlib data, or is damaged (bad header, bad block, CRC-32 or length mismatch). */
#define CNS_CORRUPT 2
/* The compressed stream ends before its end marker and trailer. */
#define CNS_TRUNCATED 3
/* Bytes that are not another gzip member follow the end of the compressed stream. */
#define CNS_TRAILING_DATA 4
/* zlib could not allocate its state. */
#define CNS_OUT_OF_MEMORY 5

/* ---- gzip ---- */

/* Whether the bytes start with the gzip magic number 1f 8b. */
int cns_is_gzip(const uint8_t *input, size_t input_size);

/*
 * The uncompressed size recorded in a gzip file's trailer (ISIZE, the last 4 bytes, little-endian):
 * exact for a single-member file under 4 GiB, a hint otherwise. 0 if the input is not gzip.
 */
size_t cns_gzip_size_hint(const uint8_t *input, size_t input_size);

/*
 * Inflates gzip (one or more members) or zlib data, detected from the header, into `output`.
 * On CNS_OK, `*output_size` is the number of bytes written. zlib checks each member's CRC-32 and
 * length. On any other status, `message` (if not NULL) receives a NUL-terminated explanation of at
 * most `message_capacity` bytes.
 */
int cns_gzip_inflate(const uint8_t *input, size_t input_size,
                     uint8_t *output, size_t output_capacity, size_t *output_size,
                     char *message, size_t message_capacity);

/* An output capacity always large enough for cns_gzip_deflate of `input_size` bytes. */
size_t cns_gzip_deflate_bound(size_t input_size);

/*
 * Compresses `input` into a single gzip member (no file name, modification time 0) at `level`
 * (0 = store … 9 = smallest; −1 = zlib's default, 6). Same status and message conventions as
 * cns_gzip_inflate; with a capacity of cns_gzip_deflate_bound(input_size) it returns CNS_OK.
 */
int cns_gzip_deflate(const uint8_t *input, size_t input_size, int level,
                     uint8_t *output, size_t output_capacity, size_t *output_size,
                     char *message, size_t message_capacity);

/* ---- SHA-256 (FIPS 180-4) ---- */

#define CNS_SHA256_DIGEST_SIZE 32

/* The running state of a SHA-256 computation. */
typedef struct cns_sha256_context {
    uint32_t state[8];   /* H0 … H7 */
    uint64_t length;     /* message bytes processed so far */
    uint8_t block[64];   /* a partial 512-bit block */
    size_t block_used;   /* bytes of `block` filled */
} cns_sha256_context;

void cns_sha256_init(cns_sha256_context *context);
void cns_sha256_update(cns_sha256_context *context, const void *data, size_t size);
/* Pads, processes the last block(s) and writes the 32-byte digest. The context is then spent. */
void cns_sha256_final(cns_sha256_context *context, uint8_t digest[CNS_SHA256_DIGEST_SIZE]);
/* One call: digest = SHA-256(data). */
void cns_sha256_digest(const void *data, size_t size, uint8_t digest[CNS_SHA256_DIGEST_SIZE]);

/* ---- Conversion ---- */

/* output[i] = bytes[i] / 255, correctly rounded to float: 0 ↦ 0.0, 255 ↦ 1.0. */
void cns_bytes_to_unit_floats(const uint8_t *bytes, float *output, size_t count);

/* ---- Processes ---- */

/* Linux: the calling process receives `signal_number` when its parent thread exits (prctl
 * PR_SET_PDEATHSIG), so that a `course` killed with SIGKILL takes its children along.
 * Returns 0 on success, -1 where this is not available (macOS). */
int cns_set_parent_death_signal(int signal_number);

/* The batch grader's sandbox (Linux, as root; elsewhere each returns -1). All return 0 on success,
 * -1 with errno set otherwise.
 * - cns_enter_namespaces: a mount namespace of its own (mounts made private), and a network
 *   namespace with no interface up when isolate_network is non-zero;
 * - cns_hide_folder: lays an empty, read-only tmpfs over `path` (in this mount namespace only);
 * - cns_read_only_except: every mount read-only (recursively, mount_setattr), except a writable
 *   bind mount of `writable` (NULL: none);
 * - cns_limit_sandbox: RLIMIT_NPROC and RLIMIT_FSIZE (0 = leave as is), no core files, and no
 *   privileges gained through exec (PR_SET_NO_NEW_PRIVS);
 * - cns_become_user: drops supplementary groups, then becomes `group` and `user` for good. */
int cns_enter_namespaces(int isolate_network);
int cns_hide_folder(const char *path);
int cns_read_only_except(const char *writable);
int cns_limit_sandbox(unsigned long long max_processes, unsigned long long max_file_bytes);
int cns_become_user(unsigned int user, unsigned int group);

/* ---- Matrix product (gemm_kernel.c) ---- */

/* The CPU paths of the packed matrix product. Each path is deterministic; paths that fuse
 * multiply-adds (AVX2 + FMA, AVX-512, and the portable path on arm64) may differ from the others
 * in the last bits. */
#define CNS_GEMM_PORTABLE 0
#define CNS_GEMM_AVX2 1
#define CNS_GEMM_AVX512 2

/* Whether this CPU (and build) can run `path`: 1 or 0. The portable path always can. */
int cns_gemm_path_supported(int path);
/* The fastest path this CPU supports. */
int cns_gemm_best_path(void);
/* A short description of `path`, e.g. "AVX2 + FMA, 6 × 16 register tile". */
const char *cns_gemm_path_name(int path);
/* The register tile of `path`: MR rows by NR columns. */
int cns_gemm_tile_rows(int path);
int cns_gemm_tile_columns(int path);

/*
 * The block C(row_begin..<row_end, column_begin..<column_end) of C (M, N) = op(A) (M, K) · op(B) (K, N),
 * row-major, C overwritten, on the calling thread with the packed kernel of `path` (the portable
 * one if the CPU does not support it). A is stored (M, K), or (K, M) when `transpose_a`; B is
 * stored (K, N), or (N, K) when `transpose_b`. Threads may compute disjoint blocks of one C at once.
 */
void cns_gemm_block(int path, long m, long n, long k,
                    const float *a, int transpose_a, const float *b, int transpose_b, float *c,
                    long row_begin, long row_end, long column_begin, long column_end);

/* B matrices (R, C) stored one after the other, each written transposed as (C, R) into y
 * (B·R·C floats; x and y must not overlap). Same bits on every path (see transpose.c). */
void cns_transpose_batched(const float *x, float *y, long batch, long rows, long columns);

/* 1 when the allocator's settings for training loops are in force (glibc; see allocator.c). */
int cns_allocator_is_tuned(void);

/* ---- Archives (archive.c): raw deflate for zip entries, streamed inflation ---- */

/* The CRC-32 of zip and gzip, continued from `crc` (0 to start). */
uint32_t cns_crc32(uint32_t crc, const uint8_t *data, size_t size);

/* What an inflater reads: raw deflate (zip method 8) or gzip (one or more members). */
#define CNS_FORMAT_RAW_DEFLATE 0
#define CNS_FORMAT_GZIP 1

/* A decompression in progress. Unlike the rest of this file, it owns zlib's state: create it with
 * cns_inflater_create (NULL when out of memory) and release it with cns_inflater_destroy. */
typedef struct cns_inflater cns_inflater;

cns_inflater *cns_inflater_create(int format);
void cns_inflater_destroy(cns_inflater *inflater);

/*
 * One step: inflates from `input` into `output`, at most `output_capacity` bytes. `*consumed` input
 * bytes are used and `*produced` output bytes written; call again with the input not consumed.
 * `*finished` becomes 1 at the end of the stream (for gzip, of the last member). Returns CNS_OK,
 * CNS_TRUNCATED when the input runs out before the end (pass all the input that remains),
 * CNS_CORRUPT (with zlib's reason in `message`) or CNS_OUT_OF_MEMORY.
 */
int cns_inflater_step(cns_inflater *inflater, const uint8_t *input, size_t input_size, size_t *consumed,
                      uint8_t *output, size_t output_capacity, size_t *produced, int *finished,
                      char *message, size_t message_capacity);

/* An output capacity always large enough for cns_raw_deflate of `input_size` bytes. */
size_t cns_raw_deflate_bound(size_t input_size);

/* Compresses `input` into raw deflate at `level` (−1 … 9), conventions as cns_gzip_deflate. */
int cns_raw_deflate(const uint8_t *input, size_t input_size, int level,
                    uint8_t *output, size_t output_capacity, size_t *output_size,
                    char *message, size_t message_capacity);

#include "cns_optim.h"
#include "cns_vector_math.h"

#ifdef __cplusplus
}
#endif

#endif /* CNEURALSUPPORT_H */
