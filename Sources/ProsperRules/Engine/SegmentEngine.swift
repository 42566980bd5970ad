import ProsperModel

/// The segment of every customer, from a segments file.
package struct SegmentAssignment: Sendable {
    /// Dictionary-encoded segment names (the file's order, `otherwise` last); null for
    /// customers no segment matched when the file has no `otherwise`.
    package let column: StringColumn
    /// Customers without a segment (first few ids) and how many.
    package let unmatched: [String]
    package let unmatchedCount: Int
    /// Customers per segment name (`column.dictionary` order, `otherwise` last).
    package let counts: [Int]
    package let faults: [FaultReport]
}

package enum SegmentEngine {
    /// Assigns segments: first match in file order wins.
    ///
    /// Large datasets are walked as two halves on two threads (`SplitBatches`); `split`
    /// false walks them as one (the tests' reference).
    package static func assign(_ rules: SegmentRules, to data: Dataset, split: Bool = true) throws(Diagnostic) -> SegmentAssignment {
        var codes = [Int32](repeating: StringColumn.null, count: data.count)
        let otherwise: Int32 = rules.otherwise == nil ? StringColumn.null : Int32(rules.segments.count)
        let faults = try codes.withUnsafeMutableBufferPointer { (out) throws(Diagnostic) -> [FaultReport] in
            let base = out.baseAddress.unsafelyUnwrapped
            return try SplitBatches.run(columns: BoundColumns(dataset: data), split: split, compile: { (driver) throws(Diagnostic) -> [BoolK] in
                var kernels: [BoolK] = []
                for s in rules.segments { kernels.append(try driver.condition(s.when)) }
                return kernels
            }, walk: { driver, kernels, rows in
                driver.forEachBatch(in: rows) { start, n in
                    let o = base + start
                    for i in 0..<n { o[i] = otherwise }
                    for (k, kernel) in kernels.enumerated() {
                        let v = driver.run(kernel, rule: rules.segments[k].name, expression: rules.segments[k].when.source.text)
                        let code = Int32(k)
                        // A select, not a branch: which segment holds is data, and a
                        // mispredicted branch per row cost more than the whole test.
                        for i in 0..<n {
                            let current = o[i]
                            o[i] = v[i] == 2 && current == otherwise ? code : current
                        }
                    }
                }
            })
        }
        // `o[i] == otherwise` above lets a later segment overwrite only unassigned rows;
        // an earlier segment's code is never equal to `otherwise`, so first match wins.
        var counts = [Int](repeating: 0, count: rules.names.count)
        for c in codes where c >= 0 && Int(c) < counts.count { counts[Int(c)] += 1 }
        var unmatched: [String] = []
        var unmatchedCount = 0
        if rules.otherwise == nil, case .string(let ids)? = data.column("customer_id") {
            for (row, c) in codes.enumerated() where c == StringColumn.null {
                unmatchedCount += 1
                if unmatched.count < 10 { unmatched.append(ids.value(row) ?? "row \(row + 1)") }
            }
        }
        return SegmentAssignment(column: StringColumn(codes: codes, dictionary: rules.names), unmatched: unmatched,
                                 unmatchedCount: unmatchedCount, counts: counts, faults: faults)
    }
}
