import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProsperModel

/// The parts of a CSV header that reading its records needs.
struct CSVRecordLayout: Sendable {
    let mapping: HeaderMapping
    /// The header's column names (for messages about a field).
    let names: [String]
    /// The fields of the custom attribute columns that are kept.
    let customField: [Int]
}

/// What reading the tail of a file left: the rows in a sink of their own, with lines
/// counted from 1 at the tail's first record.
struct CSVTailPart<S: TableSink & ~Copyable>: ~Copyable {
    var sink: S
    /// The line counter after the last record (1 + the lines read).
    var endLine: Int
    var blankLines: Int
}

/// Lets a second thread read the tail of one CSV file while the first thread (the
/// head) reads the beginning, so that two tables of unequal cost still finish together.
///
/// The two files of a data set are read on two threads; the customers file costs more
/// per byte (13 fields, 3 interned texts) and its thread finished 70–140 ms after the
/// subscriptions thread on the 1M bench, with a core idle all that time. When the
/// other thread is done it calls `stealTail()`: it picks a byte offset half-way
/// through what the head has not read yet, moves to the first record start it can
/// see there (just after a line feed) and reads from there to the end into a sink of
/// its own.
///
/// The guess could be wrong: the line feed may sit inside a quoted value. The head
/// checks it: it reads records one after another, and when its next record starts
/// exactly at the tail's offset the guess was right and everything from there on is
/// the tail's; when a record of the head spans that offset it was wrong, the tail is
/// dropped and the head reads on alone. Reading from a true record start gives the
/// same rows as reading through to it, so the only difference is line numbers, which
/// the merge (`TableSink.absorb`) shifts. When the merge is not possible (e.g. ids out of
/// order across the two parts) the head reads the tail again itself: the result never
/// depends on whether a split happened.
final class CSVTailSplit<S: TableSink & ~Copyable>: @unchecked Sendable {
    let chunkSize: Int
    /// Leave the tail alone unless the head has at least this many bytes left.
    let minimumBytes: Int64
    /// `CSVTableReader.maxRecordBytes` unless a test sets less.
    let maxRecordBytes: Int
    /// Tests: when the head is about to read its buffer number this, another thread
    /// steals the tail as a thread done with its own file would (whatever the timing).
    let stealAfterReads: Int?
    private let makeSink: @Sendable (_ bytes: Int64) -> S
    private let lock = PThreadLock()
    private let finished = DispatchSemaphore(value: 0)

    // Guarded by `lock`.
    private var layout: CSVRecordLayout?
    /// The head's open file (the tail reads the same file even if another is renamed over
    /// its path meanwhile) and its size.
    private var source: ChunkedFileReader?
    private var fileSize: Int64 = 0
    private var headReadBound: Int64 = 0
    private var headReads = 0
    private var start: Int64?
    private var cancelled = false
    private var part: CSVTailPart<S>?
    private var failure: DataFileError?

    /// - Parameters:
    ///   - minimumBytes: split only when the head has at least this much left to read.
    ///   - makeSink: an empty sink for a tail of about this many bytes.
    init(chunkSize: Int, minimumBytes: Int64, maxRecordBytes: Int = CSVTableReader.maxRecordBytes, stealAfterReads: Int? = nil,
         makeSink: @escaping @Sendable (_ bytes: Int64) -> S) {
        self.chunkSize = chunkSize
        self.minimumBytes = max(1, minimumBytes)
        self.maxRecordBytes = maxRecordBytes
        self.stealAfterReads = stealAfterReads
        self.makeSink = makeSink
    }

    // MARK: The head's side

    /// The head read the header and `reader` holds the file up to where it has read: the
    /// tail may start (unless the table cannot be split).
    func headerRead(_ layout: CSVRecordLayout, splittable: Bool, reader: ChunkedFileReader) {
        let copy = splittable ? try? ChunkedFileReader(duplicating: reader, chunkSize: 4) : nil
        lock.withLock {
            headReadBound = max(headReadBound, reader.fileOffset + Int64(reader.count))
            if let copy {
                self.layout = layout
                source = copy
                fileSize = copy.fileSize
            } else {
                cancelled = true
            }
        }
    }

    /// The head is about to read more: nothing it reads before its next call reaches
    /// past `bound`. Returns where the tail starts, once one does.
    func headWillRead(upTo bound: Int64) -> Int64? {
        let (tailStart, steal): (Int64?, Bool) = lock.withLock {
            headReads += 1
            if start == nil, !cancelled { headReadBound = max(headReadBound, bound) }
            return (cancelled ? nil : start, headReads == stealAfterReads)
        }
        if steal { DispatchQueue(label: "prosper.csv-steal").async { self.stealTail() } }
        return tailStart
    }

    /// The head's next record starts at `offset`, at or past the tail's start. Returns
    /// the tail when it starts there and was read to the end; nil when the head must read
    /// on itself.
    func headArrived(at offset: Int64) -> CSVTailPart<S>? {
        let wait: Bool = lock.withLock {
            guard !cancelled, let start else { return false }
            if offset != start { cancelled = true; return false }
            return true
        }
        guard wait else { return nil }
        finished.wait()
        var taken: CSVTailPart<S>?
        lock.withLock {
            if !cancelled, failure == nil { taken = part.take() }
        }
        return taken
    }

    /// The head reached the end of the file without meeting the tail's start.
    func headFinished() {
        lock.withLock { cancelled = true }
    }

    // MARK: The tail's side

    /// Called by a thread with nothing left to do: reads the second half of what the head
    /// has not read yet, when that is worth it. Returns at once otherwise.
    func stealTail() {
        let from: Int64? = lock.withLock {
            guard layout != nil, !cancelled, start == nil else { return nil }
            let left = fileSize - headReadBound
            guard left >= minimumBytes else { return nil }
            // A little more than half: the head also merges the tail's rows when both are done.
            return headReadBound + left * 4 / 9
        }
        guard let from, let claimed = claim(from: from, beyondHead: true) else { return }
        readTail(from: claimed.start, layout: claimed.layout)
    }

    /// Starts a tail at the first record start after `offset` on another thread, whatever
    /// the head has read: called by the head before it reads its first record (tests split
    /// at fixed offsets this way).
    func startTail(from offset: Int64) {
        guard let claimed = claim(from: offset, beyondHead: false) else { return }
        // A queue of its own runs on a thread of its own even when every worker of the
        // global pool is busy (the head will wait for it).
        DispatchQueue(label: "prosper.csv-tail").async { self.readTail(from: claimed.start, layout: claimed.layout) }
    }

    /// Fixes the tail's start at the first line start after `offset`; with `beyondHead`
    /// only past what the head may have read.
    private func claim(from offset: Int64, beyondHead: Bool) -> (start: Int64, layout: CSVRecordLayout)? {
        guard let (source, size) = lock.withLock({ self.source.map { ($0, fileSize) } }),
              let recordStart = Self.firstLineStart(after: offset, in: source, size: size) else { return nil }
        return lock.withLock {
            guard let layout, !cancelled, start == nil, !beyondHead || recordStart > headReadBound else { return nil }
            start = recordStart
            return (recordStart, layout)
        }
    }

    /// Reads from `recordStart` to the end into a sink of its own, then lets the head know.
    private func readTail(from recordStart: Int64, layout: CSVRecordLayout) {
        var timer = PhaseTimer()
        let source = lock.withLock { self.source }
        defer {
            timer.lap("  tail of \(DataSource.displayName(source?.path ?? "")) from byte \(recordStart)")
            finished.signal()
        }
        guard let source else { cancel(); return }
        do throws(DataFileError) {
            let reader = try ChunkedFileReader(duplicating: source, chunkSize: chunkSize)
            reader.seek(to: recordStart)
            var sink = makeSink(max(0, reader.fileSize - recordStart))
            var info = CSVReadInfo()
            // The head reports the tail's rows once it has merged them: a tail that is
            // dropped (and read again by the head) is never counted twice.
            let end = try CSVTableReader.readRecords(reader: reader, from: 0, line: 1, layout: layout, file: sink.file, into: &sink,
                                                     info: &info, progress: nil, maxRecordBytes: maxRecordBytes, role: .tail(self))
            guard let end else { cancel(); return }
            var done: CSVTailPart<S>? = CSVTailPart(sink: sink, endLine: end, blankLines: info.blankLines)
            lock.withLock { part = done.take() }
        } catch {
            lock.withLock { failure = error; cancelled = true }
        }
    }

    /// Whether the tail should stop: the head found the guess wrong, or the tail can no
    /// longer be merged.
    func tailShouldStop(mergeable: Bool) -> Bool {
        lock.withLock {
            if !mergeable { cancelled = true }
            return cancelled
        }
    }

    func cancel() { lock.withLock { cancelled = true } }

    /// The offset just past the first line feed at or after `offset` (within 1 MiB),
    /// when one is there and more of the file follows it.
    private static func firstLineStart(after offset: Int64, in source: ChunkedFileReader, size: Int64) -> Int64? {
        guard offset > 0, offset < size else { return nil }
        let bytes = source.readAt(offset: offset, length: 1 << 20)
        guard let i = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let start = offset + Int64(i) + 1
        return start < size ? start : nil
    }
}
