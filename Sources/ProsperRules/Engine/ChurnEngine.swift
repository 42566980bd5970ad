import ProsperModel

/// Churn scores of every customer.
package struct ChurnScores: Sendable {
    /// 1 when the customer is eligible (valuable enough to watch).
    package let eligible: [UInt8]
    /// Sum of the weights of the signals that hold (at the rules' weight scale).
    package let score: [Int64]
    /// Index into `ChurnRules.levels` (highest first), -1 below the lowest level.
    package let level: [Int8]
    /// Bit k set when signal k holds.
    package let signals: [UInt64]
    package let faults: [FaultReport]
}

/// Compiled churn rules bound to one dataset; `run()` scores every customer.
package final class ChurnProgram {
    let rules: ChurnRules
    let driver: BatchDriver
    let eligible: BoolK?
    let signalKernels: [BoolK]
    /// Who is evaluated, for fault reports: built once, not once per batch.
    let eligibleContext: FaultContext
    let signalContexts: [FaultContext]
    /// With at most 8 signals, the signals that hold for a customer fit in one byte: the
    /// score and the level of each of the 256 combinations are computed here once (with
    /// the same arithmetic as the row loop), so a row costs a byte OR per signal and two
    /// table reads. Entry `b` of `levelTable` is the level of an ineligible customer
    /// (-1), entry `256 + b` that of an eligible one. Nil with more signals.
    let scoreTable: [Int64]?
    let levelTable: [Int8]?
    /// The batch's signal bits (byte path).
    let bits = Scratch<UInt8>(repeating: 0)

    package init(rules: ChurnRules, columns: BoundColumns) throws(Diagnostic) {
        guard rules.signals.count <= 64 else {
            throw Diagnostic(file: rules.header.path, range: nil, .tooManyEntries("signals", limit: 64))
        }
        self.rules = rules
        let d = BatchDriver(columns: columns)
        driver = d
        eligible = try rules.eligible.map { c throws(Diagnostic) in try d.condition(c) }
        var ks: [BoolK] = []
        for s in rules.signals { ks.append(try d.condition(s.when)) }
        signalKernels = ks
        eligibleContext = FaultContext(rule: rules.header.name + ": eligible", expression: rules.eligible?.source.text ?? "")
        signalContexts = rules.signals.map { FaultContext(rule: $0.name, expression: $0.when.source.text) }
        if rules.signals.count <= 8 {
            let weights = rules.signals.map(\.weight), minimums = rules.levels.map(\.minimum)
            var scores = [Int64](repeating: 0, count: 256)
            var levels = [Int8](repeating: -1, count: 512)
            for b in 0..<256 {
                var sc: Int64 = 0
                for (k, w) in weights.enumerated() where (b >> k) & 1 == 1 { sc &+= w }
                scores[b] = sc
                levels[256 + b] = Self.level(sc, minimums)
            }
            scoreTable = scores
            levelTable = levels
        } else {
            scoreTable = nil
            levelTable = nil
        }
    }

    /// The first level (highest first) whose minimum `score` reaches, -1 below them all.
    static func level(_ score: Int64, _ minimums: [Int64]) -> Int8 {
        for (k, m) in minimums.enumerated() where score >= m { return Int8(truncatingIfNeeded: k) }
        return -1
    }

    /// Scores every customer (one core).
    package func run() -> ChurnScores {
        let n = driver.count
        guard n > 0 else { return ChurnScores(eligible: [], score: [], level: [], signals: [], faults: driver.state.faults) }
        // The four vectors are written once, batch by batch, every row of every batch
        // (`runBytes` and `runWide` both write all four for rows 0..<count): no zero fill
        // first, which halved the memory written.
        var score: [Int64] = [], level: [Int8] = [], signals: [UInt64] = []
        let eligibleOut = [UInt8](unsafeUninitializedCapacity: n) { eb, ec in
            score = [Int64](unsafeUninitializedCapacity: n) { sb, sc in
                level = [Int8](unsafeUninitializedCapacity: n) { lb, lc in
                    signals = [UInt64](unsafeUninitializedCapacity: n) { gb, gc in
                        let out = Outputs(e: eb.baseAddress.unsafelyUnwrapped, s: sb.baseAddress.unsafelyUnwrapped,
                                          l: lb.baseAddress.unsafelyUnwrapped, g: gb.baseAddress.unsafelyUnwrapped)
                        if let scoreTable, let levelTable {
                            scoreTable.withUnsafeBufferPointer { st in
                                levelTable.withUnsafeBufferPointer { lt in
                                    runBytes(out, st.baseAddress.unsafelyUnwrapped, lt.baseAddress.unsafelyUnwrapped)
                                }
                            }
                        } else {
                            runWide(out)
                        }
                        gc = n
                    }
                    lc = n
                }
                sc = n
            }
            ec = n
        }
        return ChurnScores(eligible: eligibleOut, score: score, level: level, signals: signals, faults: driver.state.faults)
    }

    /// The four result vectors, from row 0.
    struct Outputs {
        let e: UnsafeMutablePointer<UInt8>
        let s: UnsafeMutablePointer<Int64>
        let l: UnsafeMutablePointer<Int8>
        let g: UnsafeMutablePointer<UInt64>
    }

    /// Writes whether each customer of the batch is eligible (0/1) to `e`.
    private func eligibleBatch(_ e: UnsafeMutablePointer<UInt8>, _ count: Int) {
        if let eligible {
            let v = driver.run(eligible, context: eligibleContext)
            for i in 0..<count { e[i] = v[i] &>> 1 }
        } else {
            for i in 0..<count { e[i] = 1 }
        }
    }

    /// At most 8 signals: one byte of signal bits per row, score and level by table.
    private func runBytes(_ out: Outputs, _ scores: UnsafePointer<Int64>, _ levels: UnsafePointer<Int8>) {
        let b = bits.pointer
        driver.forEachBatch { start, count in
            let e = out.e + start, s = out.s + start, l = out.l + start, g = out.g + start
            eligibleBatch(e, count)
            if signalKernels.isEmpty { for i in 0..<count { b[i] = 0 } }
            for (k, kernel) in signalKernels.enumerated() {
                let v = driver.run(kernel, context: signalContexts[k])
                // k < 8 here: a masking shift (`&<<`, no overshift test) keeps this one
                // byte instruction per 16 rows; the first signal sets the byte.
                let shift = UInt8(truncatingIfNeeded: k)
                if k == 0 {
                    for i in 0..<count { b[i] = v[i] &>> 1 }
                } else {
                    for i in 0..<count { b[i] |= (v[i] &>> 1) &<< shift }
                }
            }
            for i in 0..<count {
                let el = Int(e[i] & 1)
                let x = Int(b[i]) & (0 &- el)
                s[i] = scores[x]
                g[i] = UInt64(truncatingIfNeeded: x)
                l[i] = levels[el << 8 | x]
            }
        }
    }

    /// More than 8 signals: the weights summed row by row.
    private func runWide(_ out: Outputs) {
        let weights = rules.signals.map(\.weight)
        let minimums = rules.levels.map(\.minimum)
        driver.forEachBatch { start, count in
            let e = out.e + start, s = out.s + start, l = out.l + start, g = out.g + start
            eligibleBatch(e, count)
            for i in 0..<count { s[i] = 0; g[i] = 0; l[i] = -1 }
            for (k, kernel) in signalKernels.enumerated() {
                let v = driver.run(kernel, context: signalContexts[k])
                let w = weights[k], bit = UInt64(1) << UInt64(k)
                for i in 0..<count {
                    let hit = Int64(v[i] >> 1) & Int64(e[i])
                    s[i] &+= w & (0 &- hit)
                    g[i] |= bit & (0 &- UInt64(hit))
                }
            }
            for i in 0..<count where e[i] == 1 { l[i] = Self.level(s[i], minimums) }
        }
    }
}
