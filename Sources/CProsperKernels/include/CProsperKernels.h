#ifndef C_PROSPER_KERNELS_H
#define C_PROSPER_KERNELS_H

// Small C kernels that Swift cannot express as directly: a vector compare whose result is
// one bit per byte (x86-64's pmovmskb), and glibc's allocator settings (malloc.h is not
// part of Swift's Glibc module). Everything is `static inline`, so Swift inlines it.

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <emmintrin.h>
#endif

#if defined(__GLIBC__)
#include <malloc.h>
#include <stdlib.h>
#include <sys/mman.h>
#endif

/// Bit i of the result is set when byte p[i] (0 <= i < 64) may end an unquoted CSV field:
/// a comma, or a byte <= 0x0D (line feed, carriage return, NUL, and the control
/// characters below them, which the caller tells apart and skips). The 64 bytes at `p`
/// must be readable.
static inline uint64_t prosper_csv_candidates64(const uint8_t *p) {
#if defined(__x86_64__) || defined(_M_X64)
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i thirteen = _mm_set1_epi8(0x0D);
    uint64_t bits = 0;
    for (int i = 0; i < 4; i++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
        // v <= 13 (unsigned) exactly when min(v, 13) == v.
        __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, thirteen), v);
        __m128i hit = _mm_or_si128(low, _mm_cmpeq_epi8(v, comma));
        bits |= (uint64_t)(uint16_t)_mm_movemask_epi8(hit) << (16 * i);
    }
    return bits;
#else
    uint64_t bits = 0;
    for (int i = 0; i < 64; i++) {
        if (p[i] == ',' || p[i] <= 0x0D) bits |= (uint64_t)1 << i;
    }
    return bits;
#endif
}

/// Tunes glibc's allocator for a batch run: blocks up to 32 MiB from the heap, a freed
/// heap kept for reuse (see AllocatorTuning.swift). Returns 1 when every setting took.
static inline int prosper_tune_allocator_for_batch(void) {
#if defined(__GLIBC__)
    int ok = mallopt(M_MMAP_THRESHOLD, 32 << 20);
    ok &= mallopt(M_TRIM_THRESHOLD, 0x7FFFFFFF);
    ok &= mallopt(M_TOP_PAD, 32 << 20);
    // One arena for every thread: the columns that worker threads build come from the
    // same heap (and its huge pages, `prosper_reserve_huge_heap`), not from arenas of
    // their own. The threads allocate few, large blocks, so they rarely wait on its lock.
    ok &= mallopt(M_ARENA_MAX, 1);
    return ok;
#else
    return 0;
#endif
}

/// Grows the heap by `bytes` at once and asks the kernel for transparent huge pages on
/// that range (where it allows them on request: `madvise` mode), then frees the block to
/// the heap top, where the next allocations are carved from. A column filled there takes
/// one fault per 2 MiB instead of one per 4 KiB. Returns 1 when the request took.
static inline int prosper_reserve_huge_heap(size_t bytes) {
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (bytes < 2 * huge) return 0;
    // From the heap (brk), not a mapping of its own, whatever the size.
    mallopt(M_MMAP_MAX, 0);
    char *p = malloc(bytes);
    mallopt(M_MMAP_MAX, 65536);
    if (p == NULL) return 0;
    uintptr_t start = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t end = ((uintptr_t)p + bytes) & ~(huge - 1);
    int ok = end > start && madvise((void *)start, end - start, MADV_HUGEPAGE) == 0;
    free(p);
    return ok;
#else
    (void)bytes;
    return 0;
#endif
}

#endif
