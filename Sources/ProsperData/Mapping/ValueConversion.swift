import ProsperModel

/// Applies a `ValueRule` to one source row.
enum ValueConversion {
    /// The converted text (nil = null), or a problem message.
    /// `rowNumber` is the 1-based number of the data row (for `row_number:`); `column`
    /// names the source column in messages.
    static func apply(_ rule: ValueRule, cell: String?, asOf: Day?, rowNumber: Int = 0, column: String? = nil) -> Result<String?, MappingProblem> {
        switch rule.source {
        case .fixed(let v):
            return .success(v)
        case .rowNumber(let width):
            let digits = String(rowNumber)
            return .success(rule.prefix + String(repeating: "0", count: max(width - digits.count, 0)) + digits + rule.suffix)
        case .beforeAsOf(let months, let column, let amount):
            guard let asOf else { return .failure(MappingProblem("needs an as-of date")) }
            var n = amount
            if column != nil {
                let t = (cell ?? "").trimmingASCIIWhitespace()
                if t.isEmpty {
                    guard let d = rule.defaultValue else { return .success(nil) }
                    return .success(d)
                }
                guard let v = wholeNumber(t), v >= 0 else { return .failure(MappingProblem("expected a whole number of \(months ? "months" : "days"), got \(quoted(t))")) }
                n = v
            }
            // At most 9999 years back, so the arithmetic below cannot overflow.
            guard n >= 0, n <= (months ? 120_000 : 3_652_500), let day = months ? monthsBefore(asOf, n) : daysBefore(asOf, n) else {
                return .failure(MappingProblem("\(n) \(months ? "months" : "days") before \(asOf) is not a date"))
            }
            return .success(day.description)
        case .column:
            var raw = cell ?? ""
            var t = raw.trimmingASCIIWhitespace()
            if t.isEmpty { return .success(rule.defaultValue) }
            if let lookup = rule.lookup {
                let label: String?
                if let found = lookup.labels[t] { label = found } else if let fallback = lookup.fallback { label = fallback } else {
                    let shownColumn = column.map { " of column \(ColumnName.shown($0))" } ?? ""
                    return .failure(MappingProblem("code \(quoted(t))\(shownColumn) is not in the map at \(lookup.origin); add it there or give 'map_default:'"))
                }
                guard let label else { return .success(nil) }
                raw = label
                t = label.trimmingASCIIWhitespace()
                if t.isEmpty { return .success(rule.defaultValue) }
            }
            switch rule.conversion {
            case .text:
                return .success(rule.prefix + raw + rule.suffix)
            case .boolean:
                // The user's `true:` / `false:` lists, when given, decide alone: a status
                // coded 1/2 must not have "1" read as true by the built-in words.
                let l = t.lowercased()
                if !rule.trueWords.isEmpty || !rule.falseWords.isEmpty {
                    if rule.trueWords.contains(where: { $0.lowercased() == l }) { return .success("true") }
                    if rule.falseWords.contains(where: { $0.lowercased() == l }) { return .success("false") }
                    return .failure(MappingProblem("cannot read \(quoted(t)) as a boolean: expected one of \(listed(rule.trueWords)) (true) or \(listed(rule.falseWords)) (false)"))
                }
                if ["yes", "y", "true", "t", "1"].contains(l) { return .success("true") }
                if ["no", "n", "false", "f", "0"].contains(l) { return .success("false") }
                return .failure(MappingProblem("cannot read \(quoted(t)) as a boolean (yes/no, true/false, 1/0)"))
            case .money:
                var s = t
                s.removeAll { $0 == "$" || $0 == "," || $0 == " " }
                var bytes = Array(s.utf8)
                switch bytes.withUnsafeMutableBufferPointer({ FieldParsers.decimal(UnsafeBufferPointer($0)) }) {
                case .success(let cents): return .success(Money.plain(cents))
                case .failure(.tooManyDecimals): return .failure(MappingProblem("more than 2 decimal places in \(quoted(t)); money is exact to the cent (an attribute without 'convert: money' and without 'type:' keeps up to 6 decimals)"))
                case .failure(.negativeMoney): return .failure(MappingProblem("negative amount \(quoted(t))"))
                case .failure: return .failure(MappingProblem("cannot read \(quoted(t)) as an amount of money"))
                }
            case .integer:
                guard let v = wholeNumber(t) else { return .failure(MappingProblem("expected a whole number, got \(quoted(t))")) }
                return .success(String(v))
            }
        }
    }

    /// `"a", "b"` for a message (`none` when empty).
    static func listed(_ words: [String]) -> String {
        words.isEmpty ? "none" : words.map(quoted).joined(separator: ", ")
    }

    /// `12`, `12.0`, `12.00` → 12.
    static func wholeNumber(_ t: String) -> Int? {
        if let v = Int(t) { return v }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let v = Int(parts[0]), parts[1].allSatisfy({ $0 == "0" }) else { return nil }
        return v
    }

    /// `n` days earlier, when that is a day of years 1…9999.
    static func daysBefore(_ day: Day, _ n: Int) -> Day? {
        let v = Int64(day.number) - Int64(n)
        guard let first = Day(year: 1, month: 1, day: 1), v >= Int64(first.number) else { return nil }
        return Day(number: Int32(v))
    }

    /// The same day of the month `n` months earlier, clamped to the month's last day.
    /// The expressions' `add_months` uses the same rule (`Day.addingMonths`).
    static func monthsBefore(_ day: Day, _ n: Int) -> Day? {
        Day.addingMonths(day.number, -Int64(n)).map(Day.init(number:))
    }

    /// Splits `total` cents over `weights` in proportion, exactly (largest remainder;
    /// ties go to the earlier product).
    static func split(total: Int64, weights: [Int64]) -> [Int64] {
        guard !weights.isEmpty else { return [] }
        let w = weights.map { max($0, 0) }
        let sum = w.reduce(0, +)  // weights are amounts below 10^16 each: no overflow
        guard sum > 0 else {
            return split(total: total, weights: [Int64](repeating: 1, count: weights.count))
        }
        var shares: [Int64] = []
        var remainders: [(Int64, Int)] = []
        var given: Int64 = 0
        for (i, wi) in w.enumerated() {
            let (high, low) = total.multipliedFullWidth(by: wi)
            let (q, r) = sum.dividingFullWidth((high, low))
            shares.append(q)
            remainders.append((r, i))
            given += q
        }
        var left = total - given
        for (_, i) in remainders.sorted(by: { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }) where left > 0 {
            shares[i] += 1
            left -= 1
        }
        return shares
    }
}

/// Why a source value could not be mapped.
struct MappingProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
