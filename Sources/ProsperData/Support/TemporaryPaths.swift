#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files and folders being written right now, so that a run ended by
/// SIGINT, SIGTERM or SIGHUP removes them instead of leaving `<out>.tmp-…` files behind.
///
/// The paths are kept as C strings in a fixed table allocated once, so the signal
/// handler only reads memory and calls `unlink`/`rmdir` (both async-signal-safe) and then
/// re-raises the signal with its default action (the process ends as it would have).
/// Changes to the table block those signals, so the handler never sees a half-made entry.
package enum TemporaryPaths {
    /// At most this many paths at once (a CSV folder registers its folder and one file
    /// at a time); more are written but not cleaned up on a signal.
    static let capacity = 64
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Slot k: a C string (strdup), or nil. A folder slot is marked in `isFolder`.
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()
    nonisolated(unsafe) private static let isFolder: UnsafeMutablePointer<Bool> = {
        let p = UnsafeMutablePointer<Bool>.allocate(capacity: capacity)
        p.initialize(repeating: false, count: capacity)
        return p
    }()

    /// Installs the handler for SIGINT, SIGTERM and SIGHUP (the executable calls this
    /// once at start, before any other thread exists). Signals that are ignored (a
    /// `nohup` run) stay ignored; handled ones that the parent left blocked are unblocked.
    package static func installSignalHandlers() {
        _ = slots
        _ = isFolder
        for s in signals {
            var action = sigaction()
            var old = sigaction()
            guard sigaction(s, nil, &old) == 0 else { continue }
            #if canImport(Glibc)
            if isIgnore(old.__sigaction_handler.sa_handler) { continue }
            action.__sigaction_handler.sa_handler = TemporaryPaths_handleSignal
            #else
            if isIgnore(old.__sigaction_u.__sa_handler) { continue }
            action.__sigaction_u.__sa_handler = TemporaryPaths_handleSignal
            #endif
            sigemptyset(&action.sa_mask)
            for t in signals { sigaddset(&action.sa_mask, t) }
            action.sa_flags = 0
            sigaction(s, &action, nil)
            // A parent may start the tool with signals blocked (Foundation's Process
            // does): the handled ones are unblocked, so Ctrl-C and kill still work.
            var unblock = sigset_t()
            sigemptyset(&unblock)
            sigaddset(&unblock, s)
            pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        }
    }

    private static func isIgnore(_ h: (@convention(c) (Int32) -> Void)?) -> Bool {
        guard let h else { return false }
        let ignore: @convention(c) (Int32) -> Void = SIG_IGN
        return unsafeBitCast(h, to: Int.self) == unsafeBitCast(ignore, to: Int.self)
    }

    /// Records `path` as temporary; returns its slot (nil when the table is full).
    static func register(_ path: String, folder: Bool = false) -> Int? {
        blockingSignals {
            for k in 0..<capacity where slots[k] == nil {
                guard let copy = strdup(path) else { return nil }
                isFolder[k] = folder
                slots[k] = copy
                return k
            }
            return nil
        }
    }

    /// Forgets a slot (the path was renamed into place or removed).
    static func unregister(_ slot: Int?) {
        guard let slot, slot >= 0, slot < capacity else { return }
        let old: UnsafeMutablePointer<CChar>? = blockingSignals {
            let p = slots[slot]
            slots[slot] = nil
            return p
        }
        free(old)
    }

    /// Removes every registered path: files first, then folders (newest first). Called
    /// from the signal handler: reads the table only, calls only unlink and rmdir.
    static func removeAllForSignal() {
        var k = capacity
        while k > 0 {
            k -= 1
            if let p = slots[k], !isFolder[k] { unlink(p) }
        }
        k = capacity
        while k > 0 {
            k -= 1
            if let p = slots[k], isFolder[k] { rmdir(p) }
        }
    }

    /// Runs `body` with SIGINT, SIGTERM and SIGHUP held until it returns.
    static func blockingSignals<T>(_ body: () -> T) -> T {
        var set = sigset_t(), old = sigset_t()
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        pthread_sigmask(SIG_BLOCK, &set, &old)
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
        return body()
    }
}

/// The signal handler: removes the temporary paths, then ends the process the way the
/// signal would have (default action, re-raised).
private func TemporaryPaths_handleSignal(_ signal: Int32) {
    TemporaryPaths.removeAllForSignal()
    var action = sigaction()
    #if canImport(Glibc)
    action.__sigaction_handler.sa_handler = SIG_DFL
    #else
    action.__sigaction_u.__sa_handler = SIG_DFL
    #endif
    sigemptyset(&action.sa_mask)
    sigaction(signal, &action, nil)
    var unblock = sigset_t()
    sigemptyset(&unblock)
    sigaddset(&unblock, signal)
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    raise(signal)
}
