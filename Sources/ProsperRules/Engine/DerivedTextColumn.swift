import ProsperModel

/// A text-valued derived field (`fields:`) computed for every customer as a
/// dictionary-encoded column, so that analytics can group by it (`by: size_band`) like
/// a data field. Null values, and customers whose evaluation faults, get no value
/// (the "(none)" group); the faults are returned for the report's notes.
package enum DerivedTextColumn {
    package static func compute(_ field: DerivedField, rule: String, columns: BoundColumns) throws(Diagnostic) -> (column: StringColumn, faults: [FaultReport]) {
        let driver = BatchDriver(columns: columns)
        let compiled: Compiled
        do {
            compiled = try driver.compiler.compile(field.expression.typed)
        } catch {
            throw Diagnostic(file: field.expression.source.file, range: field.expression.source.range(error.span), .binding(error.description))
        }
        guard case .text(let kernel, let dictionary) = compiled else {
            throw Diagnostic(file: field.expression.source.file, range: field.expression.source.range(field.expression.typed.span), .fieldNotText(field.name))
        }
        // Only the values some customer has become groups, numbered in order of appearance.
        var remap = [Int32](repeating: StringColumn.null, count: dictionary.count)
        var used = StringInterner()
        var codes = [Int32](repeating: StringColumn.null, count: driver.count)
        codes.withUnsafeMutableBufferPointer { out in
            driver.forEachBatch { start, n in
                driver.state.context = FaultContext(rule: rule, expression: field.expression.source.text, groupValue: true)
                driver.state.beginRun()
                let v = kernel.run()
                let faulted = driver.state.faultedAny ? driver.state.faulted.pointer : nil
                let o = out.baseAddress.unsafelyUnwrapped + start
                for i in 0..<n {
                    let c = Int(v[i])
                    guard c >= 0, c < dictionary.count, faulted?[i] ?? 0 == 0 else { continue }
                    if remap[c] == StringColumn.null { remap[c] = used.code(dictionary[c]) }
                    o[i] = remap[c]
                }
            }
        }
        return (StringColumn(codes: codes, dictionary: used.dictionary), driver.state.faults)
    }
}
