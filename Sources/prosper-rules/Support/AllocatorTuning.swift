import CProsperKernels

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
/// Not for `serve`, which runs for days: there freed memory goes back to the kernel.
enum AllocatorTuning {
    static func forBatchRun() {
        // A setting that does not take leaves glibc's default: correct, only slower.
        _ = prosper_tune_allocator_for_batch()
    }
}
