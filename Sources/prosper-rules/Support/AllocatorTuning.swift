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
/// Every thread allocates from that one heap (one arena). After a snapshot hit, the next
/// GiB of it is also asked for transparent huge pages (where the kernel grants them on
/// request, the usual `madvise` mode): each fault then fills 2 MiB instead of 4 KiB, and
/// the columns the modules build on worker threads get them too. Measured
/// (`scripts/bench-ab.py`, same run, 1M customers): a two-folder `compare` from the
/// snapshot took 20k page faults and 0.163 s, now 1.3k and 0.114 s; a cached `report`
/// 0.117 s, now 0.101 s. Not on a cold run: there, on this project's VM, fresh huge pages
/// made the median wall time worse (0.800 s against 0.646 s, `bench-ab.py` 11 rounds),
/// whatever they saved in faults. `PROSPER_NO_HUGE_HEAP=1` turns the request off.
///
/// Not for `serve`, which runs for days: there freed memory goes back to the kernel.
enum AllocatorTuning {
    /// Set once, on the main thread, before any other thread starts.
    nonisolated(unsafe) private static var batch = false

    static func forBatchRun() {
        // A setting that does not take leaves glibc's default: correct, only slower.
        _ = prosper_tune_allocator_for_batch()
        batch = true
    }

    /// A batch run's dataset came from the snapshot: what it allocates next is the
    /// modules' columns, worth huge pages.
    static func afterSnapshotHit() {
        guard batch, getenv("PROSPER_NO_HUGE_HEAP") == nil else { return }
        _ = prosper_reserve_huge_heap(1 << 30)
    }
}
