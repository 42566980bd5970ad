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
    package static func assign(_ rules: SegmentRules, to data: Dataset) throws(Diagnostic) -> SegmentAssignment {
        let driver = BatchDriver(columns: BoundColumns(dataset: data))
        var kernels: [BoolK] = []
        for s in rules.segments { kernels.append(try driver.condition(s.when)) }
        var codes = [Int32](repeating: StringColumn.null, count: data.count)
        let otherwise: Int32 = rules.otherwise == nil ? StringColumn.null : Int32(rules.segments.count)
        codes.withUnsafeMutableBufferPointer { out in
            driver.forEachBatch { start, n in
                let o = out.baseAddress.unsafelyUnwrapped + start
                for i in 0..<n { o[i] = otherwise }
                for (k, kernel) in kernels.enumerated() {
                    let v = driver.run(kernel, rule: rules.segments[k].name, expression: rules.segments[k].when.source.text)
                    let code = Int32(k)
                    for i in 0..<n where v[i] == 2 && (o[i] == otherwise) { o[i] = code }
                }
            }
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
                                 unmatchedCount: unmatchedCount, counts: counts, faults: driver.state.faults)
    }
}
