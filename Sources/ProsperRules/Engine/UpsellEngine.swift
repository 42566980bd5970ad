import ProsperModel

/// The recommendations of every customer.
package struct UpsellChoices: Sendable {
    /// Bit k set when recommendation k is offered to the customer (with strategy
    /// `first`, at most one bit per customer).
    package let offers: [UInt64]
    /// Per recommendation: customers whose condition holds, and of those the ones who
    /// do not have the product yet (why a rule that never offers anything is silent).
    package let conditionHolds: [Int]
    package let conditionHoldsWithoutProduct: [Int]
    package let faults: [FaultReport]
    /// Per recommendation with a computed `value:`, the value of every customer offered it
    /// in cents (`UpsellChoices.noValue` where it was null); empty for the others.
    package let values: [[Int64]]
    /// A null computed value: the offer counts its usual value.
    package static let noValue = Int64.min
}

/// Compiled upsell rules bound to one dataset. A product is never offered to a customer
/// who already has it, whatever the rule says (an action is offered whatever they own).
package final class UpsellProgram {
    let rules: UpsellRules
    let driver: BatchDriver
    let kernels: [BoolK]
    let ownedMasks: [UInt64]
    let products: UnsafePointer<UInt64>?
    /// Per recommendation, its computed value's kernel (cents), nil for a fixed value.
    let valueKernels: [NumK?]
    /// Rows of a batch the value is computed for (the condition holds, the product is new).
    let candidates = Scratch<UInt8>(repeating: 0)
    /// Per recommendation, who is evaluated (condition, computed value), for fault
    /// reports: built once, not once per batch.
    let conditionContexts: [FaultContext]
    let valueContexts: [FaultContext]
    /// Strategy `first` without computed values: per row of a batch, 1 + the index of the
    /// recommendation offered (0: none yet), one byte so the offer steps stay byte loops.
    let chosen = Scratch<UInt8>(repeating: 0)
    /// Whether a row of the batch lacks the product of the recommendation at hand (0/1).
    let lacksProduct = Scratch<UInt8>(repeating: 0)

    package init(rules: UpsellRules, columns: BoundColumns) throws(Diagnostic) {
        guard rules.recommendations.count <= 64 else {
            throw Diagnostic(file: rules.header.path, range: nil, .tooManyEntries("recommendations", limit: 64))
        }
        self.rules = rules
        driver = BatchDriver(columns: columns)
        var ks: [BoolK] = []
        for r in rules.recommendations { ks.append(try driver.condition(r.when)) }
        kernels = ks
        var vs: [NumK?] = []
        for r in rules.recommendations {
            guard let e = r.valueExpression else { vs.append(nil); continue }
            vs.append(try Self.valueKernel(e, driver))
        }
        valueKernels = vs
        conditionContexts = rules.recommendations.map { FaultContext(rule: $0.name, expression: $0.when.source.text) }
        valueContexts = rules.recommendations.map { FaultContext(rule: $0.name, expression: $0.valueExpression?.source.text ?? "", offerValue: true) }
        if case .productSet(let p)? = columns.column("products") {
            products = p.bits.pointer
            // An action is made whatever the customer owns.
            ownedMasks = rules.recommendations.map { r in
                r.isAction ? 0 : p.universe.firstIndex(where: { ExactText.equal($0, r.product) }).map { UInt64(1) << UInt64($0) } ?? 0
            }
        } else {
            products = nil
            ownedMasks = rules.recommendations.map { _ in 0 }
        }
    }

    /// Evaluates the rules for every customer (one core).
    package func run() -> UpsellChoices {
        if rules.strategy == .first, valueKernels.allSatisfy({ $0 == nil }) { return runFirst() }
        let n = driver.count
        var offers = [UInt64](repeating: 0, count: n)
        var holds = [Int](repeating: 0, count: kernels.count)
        var holdsWithout = [Int](repeating: 0, count: kernels.count)
        let first = rules.strategy == .first
        var values: [[Int64]] = valueKernels.map { $0 == nil ? [] : [Int64](repeating: UpsellChoices.noValue, count: n) }
        offers.withUnsafeMutableBufferPointer { ob in
            driver.forEachBatch { start, count in
                let o = ob.baseAddress.unsafelyUnwrapped + start
                let owned = products.map { $0 + start }
                for (k, kernel) in kernels.enumerated() {
                    let v = driver.run(kernel, context: conditionContexts[k])
                    let bit = UInt64(1) << UInt64(k), mask = ownedMasks[k]
                    var h = 0, w = 0
                    if let valueKernel = valueKernels[k] {
                        // The value of the customers the offer is for; a fault or a negative
                        // value takes the offer away from them, like a condition that faults.
                        let c = candidates.pointer
                        for i in 0..<count {
                            let new = v[i] == boolTrue && !(owned.map { $0[i] & mask != 0 } ?? false)
                            c[i] = new ? boolTrue : boolFalse
                        }
                        driver.state.context = valueContexts[k]
                        driver.state.beginRun()
                        let x = driver.state.masked(UnsafePointer(c), wantTrue: true) { valueKernel.run() }
                        let faulted = driver.state.faulted.pointer
                        for i in 0..<count where c[i] == boolTrue {
                            if faulted[i] != 0 { c[i] = boolFalse; continue }
                            if x[i] != numNull, x[i] < 0 {
                                driver.state.fault(.negativeValue, row: i)
                                c[i] = boolFalse
                                continue
                            }
                            values[k][start + i] = x[i] == numNull ? UpsellChoices.noValue : x[i]
                        }
                        for i in 0..<count where v[i] == boolTrue {
                            h += 1
                            if let owned, owned[i] & mask != 0 { continue }
                            w += 1
                            if c[i] != boolTrue { continue }
                            if first, o[i] != 0 { continue }
                            o[i] |= bit
                        }
                    } else {
                        (h, w) = Self.offer(v, owned, mask, bit, first, o, count)
                    }
                    holds[k] += h
                    holdsWithout[k] += w
                }
            }
        }
        return UpsellChoices(offers: offers, conditionHolds: holds, conditionHoldsWithoutProduct: holdsWithout, faults: driver.state.faults, values: values)
    }

    /// Strategy `first`, no computed values: each batch keeps the chosen recommendation
    /// of a row in one byte (`chosen`), and the offers are written once at the end of
    /// the batch (no zero fill of the whole vector first, no 64-bit test per rule).
    private func runFirst() -> UpsellChoices {
        let n = driver.count
        var holds = [Int](repeating: 0, count: kernels.count)
        var holdsWithout = [Int](repeating: 0, count: kernels.count)
        guard n > 0 else {
            return UpsellChoices(offers: [], conditionHolds: holds, conditionHoldsWithoutProduct: holdsWithout, faults: driver.state.faults,
                                 values: valueKernels.map { _ in [] })
        }
        // Offer bits by chosen byte: 0 nothing, k + 1 recommendation k (k < 64).
        var bitOf = [UInt64](repeating: 0, count: 256)
        for k in 0..<kernels.count { bitOf[k + 1] = UInt64(1) << UInt64(k) }
        let c = chosen.pointer, lacks = lacksProduct.pointer
        let offers = [UInt64](unsafeUninitializedCapacity: n) { ob, oc in
            let out = ob.baseAddress.unsafelyUnwrapped
            bitOf.withUnsafeBufferPointer { tb in
                let table = tb.baseAddress.unsafelyUnwrapped
                driver.forEachBatch { start, count in
                    for i in 0..<count { c[i] = 0 }
                    let owned = products.map { $0 + start }
                    for (k, kernel) in kernels.enumerated() {
                        let v = driver.run(kernel, context: conditionContexts[k])
                        let (h, w) = Self.choose(v, owned, ownedMasks[k], UInt8(truncatingIfNeeded: k + 1), c, lacks, count)
                        holds[k] &+= h
                        holdsWithout[k] &+= w
                    }
                    // Every row of the batch written (all of 0..<n over the batches).
                    let o = out + start
                    for i in 0..<count { o[i] = table[Int(c[i])] }
                }
            }
            oc = n
        }
        return UpsellChoices(offers: offers, conditionHolds: holds, conditionHoldsWithoutProduct: holdsWithout, faults: driver.state.faults,
                             values: valueKernels.map { _ in [] })
    }

    /// Strategy `first`: rows of a batch whose condition `v` holds, who lack the product
    /// (`owned & mask`, a single bit or 0) and have no offer yet get `tag` in `c`;
    /// returns how many rows hold and how many of them lack the product. Byte loops
    /// without branches; the counts fit 16 bits (at most `EvalState.batchSize` rows).
    @inline(__always)
    static func choose(_ v: UnsafePointer<UInt8>, _ owned: UnsafePointer<UInt64>?, _ mask: UInt64, _ tag: UInt8,
                       _ c: UnsafeMutablePointer<UInt8>, _ lacks: UnsafeMutablePointer<UInt8>, _ count: Int) -> (holds: Int, holdsWithoutProduct: Int) {
        var h: UInt16 = 0
        for i in 0..<count { h &+= UInt16(v[i] &>> 1) }
        guard let owned, mask != 0 else {
            for i in 0..<count { c[i] = c[i] == 0 ? (0 &- (v[i] &>> 1)) & tag : c[i] }
            return (Int(h), Int(h))
        }
        guard mask.nonzeroBitCount == 1 else {
            var w = 0
            for i in 0..<count {
                let new = (v[i] &>> 1) & (owned[i] & mask == 0 ? 1 : 0)
                w &+= Int(new)
                c[i] = c[i] == 0 ? (0 &- new) & tag : c[i]
            }
            return (Int(h), w)
        }
        // The mask is one product's bit: whether the row lacks it, as bytes first (32-bit
        // lanes), then one byte loop.
        productBit(owned, bit: mask.trailingZeroBitCount, lacks, count, times2: false, flip: 1)
        var w: UInt16 = 0
        for i in 0..<count {
            let new = (v[i] &>> 1) & lacks[i]
            w &+= UInt16(new)
            c[i] = c[i] == 0 ? (0 &- new) & tag : c[i]
        }
        return (Int(h), Int(w))
    }

    /// Offers recommendation `bit` to the rows of a batch whose condition `v` holds and
    /// who do not own the product (`owned & mask`), with strategy `first` only to rows
    /// without an offer yet; returns how many rows hold and how many of them lack the
    /// product. Branch-free, so the loops vectorise whatever the data.
    @inline(__always)
    static func offer(_ v: UnsafePointer<UInt8>, _ owned: UnsafePointer<UInt64>?, _ mask: UInt64, _ bit: UInt64, _ first: Bool,
                      _ o: UnsafeMutablePointer<UInt64>, _ count: Int) -> (holds: Int, holdsWithoutProduct: Int) {
        var h = 0, w = 0
        for i in 0..<count { h &+= Int(v[i] >> 1) }
        guard let owned, mask != 0 else {
            if first {
                for i in 0..<count { o[i] |= bit & (0 &- UInt64(v[i] >> 1)) & (o[i] == 0 ? UInt64.max : 0) }
            } else {
                for i in 0..<count { o[i] |= bit & (0 &- UInt64(v[i] >> 1)) }
            }
            return (h, h)
        }
        if first {
            for i in 0..<count {
                let new = UInt64(v[i] >> 1) & (owned[i] & mask == 0 ? 1 : 0)
                w &+= Int(truncatingIfNeeded: new)
                o[i] |= bit & (0 &- new) & (o[i] == 0 ? UInt64.max : 0)
            }
        } else {
            for i in 0..<count {
                let new = UInt64(v[i] >> 1) & (owned[i] & mask == 0 ? 1 : 0)
                w &+= Int(truncatingIfNeeded: new)
                o[i] |= bit & (0 &- new)
            }
        }
        return (h, w)
    }

    /// The kernel of a computed value, in cents (the loader checked: at most 2 decimals).
    static func valueKernel(_ e: CheckedExpression, _ driver: BatchDriver) throws(Diagnostic) -> NumK {
        let compiled: Compiled
        do {
            compiled = try driver.compiler.compile(e.typed)
        } catch {
            throw Diagnostic(file: e.source.file, range: e.source.range(error.span), .binding(error.description))
        }
        switch compiled {
        case .number(let k, let scale) where scale <= 2:
            return scale == 2 ? k : RescaleK(k, by: 2 - scale, saturating: false, driver.state)
        case .number, .boolean, .date, .text, .set, .list:
            // A null value (`value: null`) compiles to the boolean lane: null for everyone.
            if e.typed.type == .null { return NumConstK(numNull) }
            throw Diagnostic(file: e.source.file, range: e.source.range(Span(0, e.source.text.utf8.count)), .offerValueType)
        }
    }
}
