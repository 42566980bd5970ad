import ProsperModel

/// What can be seen about a condition without reading any customer: that it can never
/// hold (`employees < 0`, `mrr > 100 and mrr < 50`) or always holds (a catch-all).
///
/// Conditions are reduced to intervals per number field (at 6 decimal places); anything
/// else is "unknown", so the analysis never warns wrongly.
enum StaticAnalysis {
    /// Known value ranges of contract fields, at scale 6.
    static let domains: [String: ClosedRange<Int64>] = [
        "employees": 0...Int64.max, "users": 1_000_000...Int64.max,
        "support_tickets_90d": 0...Int64.max, "failed_payments_90d": 0...Int64.max,
        "nps": 0...10_000_000, "mrr": 0...Int64.max,
        "product_count": 0...64_000_000,
    ]
    static let nullableFields: Set<String> = ["nps"]
    static let scale = 6

    /// True when `e` can never be true.
    static func neverHolds(_ e: TypedExpr) -> Bool {
        if let c = e.constant { return c != .boolean(true) }
        guard let constraints = conjunction(e) else { return false }
        return constraints.values.contains { $0 == nil }
    }

    /// True when `e` holds for every customer.
    static func alwaysHolds(_ e: TypedExpr) -> Bool {
        if let c = e.constant { return c == .boolean(true) }
        // `conjunction` keeps what it understands of an `and` and drops the rest, which
        // is sound for "never" but not for "always": both sides must always hold.
        if case .and(let a, let b) = e.node { return alwaysHolds(a) && alwaysHolds(b) }
        guard let constraints = conjunction(e), constraints.count == 1, let (field, range) = constraints.first,
              let r = range, !nullableFields.contains(field), let domain = domains[field] else { return false }
        return r.lowerBound <= domain.lowerBound && r.upperBound >= domain.upperBound
    }

    /// Per-field intervals that all hold when `e` holds; a nil interval is empty. nil
    /// when `e` contains nothing this analysis understands.
    static func conjunction(_ e: TypedExpr) -> [String: ClosedRange<Int64>?]? {
        switch e.node {
        case .and(let a, let b):
            let x = conjunction(a), y = conjunction(b)
            guard var merged = x ?? y else { return nil }
            if let x, let y {
                for (k, r) in y {
                    if let existing = merged[k] { merged[k] = intersect(existing, r) } else { merged[k] = r }
                }
                _ = x
            }
            return merged
        case .comparison(let op, let a, let b):
            if case .field(let f) = a.node, case .number(let v, let s)? = b.constant, case .number(let fs) = a.type {
                return constraint(f, op, v, s, fs)
            }
            if case .field(let f) = b.node, case .number(let v, let s)? = a.constant, case .number(let fs) = b.type {
                return constraint(f, KernelCompiler.flipped(op), v, s, fs)
            }
            return nil
        case .between(let a, let low, let high):
            guard case .field(let f) = a.node, case .number(let fs) = a.type,
                  case .number(let lv, let ls)? = low.constant, case .number(let hv, let hs)? = high.constant,
                  let x = constraint(f, .greaterEqual, lv, ls, fs), let y = constraint(f, .lessEqual, hv, hs, fs),
                  let rx = x[f], let ry = y[f] else { return nil }
            return [f: intersect(rx, ry)]
        default:
            return nil
        }
    }

    static func intersect(_ a: ClosedRange<Int64>?, _ b: ClosedRange<Int64>?) -> ClosedRange<Int64>? {
        guard let a, let b else { return nil }
        let lo = max(a.lowerBound, b.lowerBound), hi = min(a.upperBound, b.upperBound)
        return lo <= hi ? lo...hi : nil
    }

    private static func constraint(_ field: String, _ op: BinaryOperator, _ v: Int64, _ s: Int, _ fieldScale: Int) -> [String: ClosedRange<Int64>?]? {
        guard s <= scale, fieldScale <= scale else { return nil }
        let c = Decimal64.rescaleSaturating(v, by: Decimal64.power(scale - s))
        let step = Decimal64.power(scale - fieldScale)
        // Multiples of `step` are the values the field can take.
        // Near ±Int64.max (a saturated constant) the next multiple does not fit: saturate.
        func floorTo(_ x: Int64) -> Int64 {
            let q = x / step, (r, o) = (x % step != 0 && x < 0 ? q - 1 : q).multipliedReportingOverflow(by: step)
            return o ? -Int64.max : r
        }
        func ceilTo(_ x: Int64) -> Int64 {
            let q = x / step, (r, o) = (x % step != 0 && x > 0 ? q + 1 : q).multipliedReportingOverflow(by: step)
            return o ? Int64.max : r
        }
        let full: ClosedRange<Int64> = (-Int64.max)...Int64.max
        let domain = domains[field] ?? full
        var range: ClosedRange<Int64>?
        switch op {
        case .less: let hi = floorTo(c == -Int64.max ? c : c - 1); range = intersect(domain, full.lowerBound <= hi ? full.lowerBound...hi : nil)
        case .lessEqual: let hi = floorTo(c); range = intersect(domain, full.lowerBound...hi)
        case .greater: let lo = ceilTo(c == Int64.max ? c : c + 1); range = intersect(domain, lo...full.upperBound)
        case .greaterEqual: let lo = ceilTo(c); range = intersect(domain, lo...full.upperBound)
        case .equal: range = c % step == 0 ? intersect(domain, c...c) : nil
        default: return nil
        }
        return [field: range]
    }
}
