import ProsperModel

/// Runs one checked expression of any type through the compiled kernels over every
/// customer, for differential checks against `ScalarEvaluator` (the fuzz targets and
/// their replay tests). Reports and rules never need it: they run conditions through
/// the engines.
package enum ExpressionProbe {
    /// The kernels' value for every row (null where the row faulted, unless
    /// `nullingFaultedRows` is off: then the raw lane value) and the faults the run
    /// recorded under `expression`. Throws when the expression cannot be bound to `columns`.
    package static func kernelValues(_ t: TypedExpr, columns: BoundColumns, expression: String = "",
                                    nullingFaultedRows: Bool = true) throws(BindingError) -> (values: [Value], faults: [FaultReport]) {
        let driver = BatchDriver(columns: columns)
        let compiled = try driver.compiler.compile(t)
        var out: [Value] = []
        out.reserveCapacity(driver.count)
        driver.state.context = FaultContext(rule: "probe", expression: expression)
        driver.forEachBatch { _, n in
            driver.state.beginRun()
            let base = out.count
            switch compiled {
            case .number(let k, let scale):
                let p = k.run()
                for i in 0..<n { out.append(p[i] == numNull ? .null : .number(p[i], scale: scale)) }
            case .boolean(let k):
                let p = k.run()
                for i in 0..<n { out.append(p[i] == boolNull ? .null : .boolean(p[i] == boolTrue)) }
            case .date(let k):
                let p = k.run()
                for i in 0..<n { out.append(p[i] == dateNull ? .null : .date(Day(number: p[i]))) }
            case .text(let k, let dict):
                let p = k.run()
                for i in 0..<n {
                    let c = Int(p[i])
                    out.append(c >= 0 && c < dict.count ? .string(dict[c]) : .null)
                }
            case .set(let k, let universe):
                let p = k.run()
                for i in 0..<n {
                    out.append(.list(universe.indices.filter { $0 < 64 && p[i] >> UInt64($0) & 1 == 1 }.map { .string(universe[$0]) }))
                }
            case .list(let values):
                for _ in 0..<n { out.append(.list(values)) }
            }
            if nullingFaultedRows, driver.state.faultedAny {
                let f = driver.state.faulted.pointer
                for i in 0..<n where f[i] != 0 { out[base + i] = .null }
            }
        }
        return (out, driver.state.faults)
    }
}
