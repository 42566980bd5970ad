import CProsperKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tunes glibc's allocator for one batch run (`report`, `eval`, `compare`, …), which
/// builds a few hundred MiB of columns, drops the builders' copies and exits.
///
/// By default glibc maps each block over 128 KiB on its own, returns it to the kernel
/// when freed, and trims the heap top: the next column of that size is faulted in again,
/// page by page. With blocks up to 32 MiB taken from the heap and a freed heap kept, the
/// memory that one phase frees is reused by the next. Measured on the 1M bench files
/// (`report --no-cache`, `scripts/bench-ab.py`, same run): 83k page faults became 61k and
/// the wall time fell by 20–30 ms (BENCHMARKS.md, "Issue 14, seventh pass").
///
/// The first GiB of that heap is also asked for transparent huge pages (where the kernel
/// grants them on request, the usual `madvise` mode): each fault then fills 2 MiB instead
/// of 4 KiB. Every thread allocates from that one heap (one arena), so the columns that
/// worker threads build get the huge pages too. Measured (`scripts/bench-ab.py`, same
/// run, 1M customers): a two-folder `compare` from the snapshot took 20k page faults and
/// 0.163 s, now 1.3k and 0.114 s; a cached `report` 0.117 s, now 0.101 s; a cold `report`
/// 59k faults, now 1.1k (wall time within the noise, 14 MiB more peak memory).
/// `PROSPER_NO_HUGE_HEAP=1` turns the huge-page request off.
///
/// Not for `serve`, which runs for days: there freed memory goes back to the kernel.
enum AllocatorTuning {
    static func forBatchRun() {
        // A setting that does not take leaves glibc's default: correct, only slower.
        _ = prosper_tune_allocator_for_batch()
        if getenv("PROSPER_NO_HUGE_HEAP") == nil { _ = prosper_reserve_huge_heap(1 << 30) }
    }
}
