import ProsperModel

/// Churn scores of every customer.
public struct ChurnScores: Sendable {
    /// 1 when the customer is eligible (valuable enough to watch).
    public let eligible: [UInt8]
    /// Sum of the weights of the signals that hold (at the rules' weight scale).
    public let score: [Int64]
    /// Index into `ChurnRules.levels` (highest first), -1 below the lowest level.
    public let level: [Int8]
    /// Bit k set when signal k holds.
    public let signals: [UInt64]
    public let faults: [FaultReport]
}

/// Compiled churn rules bound to one dataset; `run()` scores every customer.
public final class ChurnProgram {
    let rules: ChurnRules
    let driver: BatchDriver
    let eligible: BoolK?
    let signalKernels: [BoolK]

    public init(rules: ChurnRules, columns: BoundColumns) throws(Diagnostic) {
        guard rules.signals.count <= 64 else {
            throw Diagnostic(file: rules.header.path, range: nil, code: "too-many-entries", message: "at most 64 signals are supported")
        }
        self.rules = rules
        let d = BatchDriver(columns: columns)
        driver = d
        eligible = try rules.eligible.map { c throws(Diagnostic) in try d.condition(c) }
        var ks: [BoolK] = []
        for s in rules.signals { ks.append(try d.condition(s.when)) }
        signalKernels = ks
    }

    /// Scores every customer (one core).
    public func run() -> ChurnScores {
        let n = driver.count
        var eligibleOut = [UInt8](repeating: 0, count: n)
        var score = [Int64](repeating: 0, count: n)
        var level = [Int8](repeating: -1, count: n)
        var signals = [UInt64](repeating: 0, count: n)
        let weights = rules.signals.map(\.weight)
        let minimums = rules.levels.map(\.minimum)
        let ruleName = rules.header.name
        eligibleOut.withUnsafeMutableBufferPointer { eb in
            score.withUnsafeMutableBufferPointer { sb in
                level.withUnsafeMutableBufferPointer { lb in
                    signals.withUnsafeMutableBufferPointer { gb in
                        driver.forEachBatch { start, count in
                            let e = eb.baseAddress.unsafelyUnwrapped + start
                            let s = sb.baseAddress.unsafelyUnwrapped + start
                            let l = lb.baseAddress.unsafelyUnwrapped + start
                            let g = gb.baseAddress.unsafelyUnwrapped + start
                            if let eligible {
                                let v = driver.run(eligible, rule: ruleName + ": eligible", expression: rules.eligible?.source.text ?? "")
                                for i in 0..<count { e[i] = v[i] >> 1 }
                            } else {
                                for i in 0..<count { e[i] = 1 }
                            }
                            for (k, kernel) in signalKernels.enumerated() {
                                let v = driver.run(kernel, rule: rules.signals[k].name, expression: rules.signals[k].when.source.text)
                                let w = weights[k], bit = UInt64(1) << UInt64(k)
                                for i in 0..<count {
                                    let hit = Int64(v[i] >> 1) & Int64(e[i])
                                    s[i] &+= w &* hit
                                    g[i] |= bit & (0 &- UInt64(hit))
                                }
                            }
                            for i in 0..<count where e[i] == 1 {
                                let sc = s[i]
                                for (k, m) in minimums.enumerated() where sc >= m {
                                    l[i] = Int8(k)
                                    break
                                }
                            }
                        }
                    }
                }
            }
        }
        return ChurnScores(eligible: eligibleOut, score: score, level: level, signals: signals, faults: driver.state.faults)
    }
}
