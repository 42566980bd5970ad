import ProsperModel

/// The recommendations of every customer.
public struct UpsellChoices: Sendable {
    /// Bit k set when recommendation k is offered to the customer (with strategy
    /// `first`, at most one bit per customer).
    public let offers: [UInt64]
    /// Per recommendation: customers whose condition holds, and of those the ones who
    /// do not have the product yet (why a rule that never offers anything is silent).
    public let conditionHolds: [Int]
    public let conditionHoldsWithoutProduct: [Int]
    public let faults: [FaultReport]
}

/// Compiled upsell rules bound to one dataset. A product is never offered to a customer
/// who already has it, whatever the rule says (an action is offered whatever they own).
public final class UpsellProgram {
    let rules: UpsellRules
    let driver: BatchDriver
    let kernels: [BoolK]
    let ownedMasks: [UInt64]
    let products: UnsafePointer<UInt64>?

    public init(rules: UpsellRules, columns: BoundColumns) throws(Diagnostic) {
        guard rules.recommendations.count <= 64 else {
            throw Diagnostic(file: rules.header.path, range: nil, code: "too-many-entries", message: "at most 64 recommendations are supported")
        }
        self.rules = rules
        driver = BatchDriver(columns: columns)
        var ks: [BoolK] = []
        for r in rules.recommendations { ks.append(try driver.condition(r.when)) }
        kernels = ks
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
    public func run() -> UpsellChoices {
        let n = driver.count
        var offers = [UInt64](repeating: 0, count: n)
        var holds = [Int](repeating: 0, count: kernels.count)
        var holdsWithout = [Int](repeating: 0, count: kernels.count)
        let first = rules.strategy == .first
        offers.withUnsafeMutableBufferPointer { ob in
            driver.forEachBatch { start, count in
                let o = ob.baseAddress.unsafelyUnwrapped + start
                let owned = products.map { $0 + start }
                for (k, kernel) in kernels.enumerated() {
                    let v = driver.run(kernel, rule: rules.recommendations[k].name, expression: rules.recommendations[k].when.source.text)
                    let bit = UInt64(1) << UInt64(k), mask = ownedMasks[k]
                    var h = 0, w = 0
                    for i in 0..<count where v[i] == 2 {
                        h += 1
                        if let owned, owned[i] & mask != 0 { continue }
                        w += 1
                        if first, o[i] != 0 { continue }
                        o[i] |= bit
                    }
                    holds[k] += h
                    holdsWithout[k] += w
                }
            }
        }
        return UpsellChoices(offers: offers, conditionHolds: holds, conditionHoldsWithoutProduct: holdsWithout, faults: driver.state.faults)
    }
}
