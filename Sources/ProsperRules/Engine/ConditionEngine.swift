import ProsperModel

/// Evaluates plain conditions over a dataset: `where` filters and first-match groupings
/// such as loyalty tiers.
package enum ConditionEngine {
    /// For each customer, 1 when `condition` holds.
    package static func mask(_ condition: CheckedCondition, rule: String, columns: BoundColumns) throws(Diagnostic) -> (mask: [UInt8], faults: [FaultReport]) {
        let driver = BatchDriver(columns: columns)
        let kernel = try driver.condition(condition)
        var out = [UInt8](repeating: 0, count: driver.count)
        out.withUnsafeMutableBufferPointer { ob in
            driver.forEachBatch { start, n in
                let v = driver.run(kernel, rule: rule, expression: condition.source.text)
                let o = ob.baseAddress.unsafelyUnwrapped + start
                for i in 0..<n { o[i] = v[i] >> 1 }
            }
        }
        return (out, driver.state.faults)
    }

    /// For each customer, the index of the first condition that holds, or
    /// `conditions.count` when none does.
    /// Large datasets are walked as two halves on two threads (`SplitBatches`).
    package static func firstMatch(_ conditions: [(name: String, when: CheckedCondition)], columns: BoundColumns,
                                   split: Bool = true) throws(Diagnostic) -> (codes: [Int32], faults: [FaultReport]) {
        let none = Int32(conditions.count)
        var out = [Int32](repeating: none, count: columns.dataset.count)
        let faults = try out.withUnsafeMutableBufferPointer { (ob) throws(Diagnostic) -> [FaultReport] in
            let base = ob.baseAddress.unsafelyUnwrapped
            return try SplitBatches.run(columns: columns, split: split, compile: { (driver) throws(Diagnostic) -> [BoolK] in
                var kernels: [BoolK] = []
                for c in conditions { kernels.append(try driver.condition(c.when)) }
                return kernels
            }, walk: { driver, kernels, rows in
                driver.forEachBatch(in: rows) { start, n in
                    let o = base + start
                    for (k, kernel) in kernels.enumerated() {
                        let v = driver.run(kernel, rule: conditions[k].name, expression: conditions[k].when.source.text)
                        let code = Int32(k)
                        // A select, not a branch (see `SegmentEngine.assign`).
                        for i in 0..<n {
                            let current = o[i]
                            o[i] = v[i] == 2 && current == none ? code : current
                        }
                    }
                }
            })
        }
        return (out, faults)
    }
}
