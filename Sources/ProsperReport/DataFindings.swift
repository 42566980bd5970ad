import ProsperAnalytics
import ProsperModel
import ProsperRules

/// Rules that say nothing about the data: a signal or recommendation that never fires
/// or fires for everyone, a segment that catches nobody or everybody, customers in no
/// segment, a field the rules read that is the same for every customer, a product to
/// offer that the data never has. Computed from the results the modules already have
/// (counts the batch engine keeps as it runs); nothing is evaluated a second time.
/// `check --data` prints them as warnings, `report` and the dashboard as notes.
enum DataFindings {
    /// Customer ids listed in a message.
    static let listedIDs = 5

    /// `7,043 customers`, `1 customer`.
    static func customers(_ n: Int, _ noun: String = "customer") -> String {
        "\(grouped(n)) \(noun)\(n == 1 ? "" : "s")"
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }

    /// The whole of a condition as a range (when a rule's name has no position).
    static func whole(_ c: CheckedCondition) -> SourceRange {
        c.source.range(Span(0, c.source.text.utf8.count))
    }

    // MARK: Segments

    /// Segments that catch nobody (`otherwise` excepted: a catch-all may stay empty) or
    /// everybody, and customers in no segment.
    static func segments(_ r: SegmentRules, _ a: SegmentAssignment, customers n: Int) -> [Diagnostic] {
        guard n > 0 else { return [] }
        var out: [Diagnostic] = []
        let path = r.header.path
        for (k, s) in r.segments.enumerated() where k < a.counts.count {
            let range = s.nameRange ?? whole(s.when)
            if a.counts[k] == 0 {
                out.append(Diagnostic(file: path, range: range, .segmentEmptyOnData(s.name, customers: customers(n))))
            } else if a.counts[k] == n, n > 1 {
                out.append(Diagnostic(file: path, range: range, .segmentEveryoneOnData(s.name, customers: customers(n))))
            }
        }
        if let o = r.otherwise, r.segments.count < a.counts.count, a.counts[r.segments.count] == n, n > 1 {
            out.append(Diagnostic(file: path, range: r.otherwiseRange, .segmentEveryoneOnData(o, customers: customers(n))))
        }
        if a.unmatchedCount > 0 {
            var ids = a.unmatched.prefix(listedIDs).map { "'" + VisibleText.of($0) + "'" }.joined(separator: ", ")
            if a.unmatchedCount > listedIDs { ids += ", …" }
            out.append(Diagnostic(file: path, range: nil, .customersWithoutSegment(grouped(a.unmatchedCount), of: customers(n), ids: ids)))
        }
        return out
    }

    // MARK: Churn

    /// Signals that never fire, or fire for every eligible customer; no one eligible.
    static func churn(_ r: ChurnRules, _ d: ChurnResult, customers n: Int) -> [Diagnostic] {
        guard n > 0 else { return [] }
        let path = r.header.path
        guard d.eligible > 0 else {
            let range = r.eligible.map(whole)
            return [Diagnostic(file: path, range: range, .noneEligibleOnData(customers: customers(n)))]
        }
        let population = r.eligible == nil ? "the \(customers(n))" : "the \(customers(d.eligible, "eligible customer")) of \(grouped(n))"
        var out: [Diagnostic] = []
        for (k, s) in r.signals.enumerated() where k < d.signalCounts.count {
            let range = s.nameRange ?? whole(s.when)
            let what = "signal '\(VisibleText.of(s.name))'"
            if d.signalCounts[k] == 0 {
                out.append(Diagnostic(file: path, range: range, .neverFiresOnData(what, of: "evaluated for \(population)", why: "",
                                                                                  suggestion: "it adds to no score: check its condition and thresholds against the data")))
            } else if d.signalCounts[k] == d.eligible, d.eligible > 1 {
                out.append(Diagnostic(file: path, range: range, .alwaysFiresOnData(what, of: population,
                                                                                   suggestion: "it adds the same weight to every score and tells nobody apart; check its condition and thresholds")))
            }
        }
        return out
    }

    // MARK: Upsell

    /// Recommendations that never make an offer (and why), or make one to everybody;
    /// products to offer that no customer has or ever had.
    static func upsell(_ r: UpsellRules, _ e: UpsellResult, dataset: Dataset) -> [Diagnostic] {
        let n = dataset.count
        guard n > 0 else { return [] }
        let path = r.header.path
        var out: [Diagnostic] = []
        var absent: Set<String> = []
        for (k, rec) in r.recommendations.enumerated() where k < e.offersPerRule.count {
            let range = rec.nameRange ?? whole(rec.when)
            let what = "recommendation '\(VisibleText.of(rec.name))'"
            let product = "'" + VisibleText.of(rec.product) + "'"
            if e.offersPerRule[k] == 0 {
                let holds = k < e.conditionHolds.count ? e.conditionHolds[k] : 0
                let without = k < e.conditionHoldsWithoutProduct.count ? e.conditionHoldsWithoutProduct[k] : 0
                let why: String
                if holds == 0 {
                    why = ": its condition holds for no customer"
                } else if without == 0 {
                    why = ": its condition holds for \(customers(holds)), \(holds == 1 ? "who already has" : "all of whom already have") \(product)"
                } else if r.strategy == .first {
                    why = ": its condition holds for \(customers(holds)) without \(product), but an earlier recommendation makes their offer first (strategy: first)"
                } else {
                    why = ": its condition holds for \(customers(holds)) without \(product), but an earlier recommendation of \(product) makes that offer"
                }
                out.append(Diagnostic(file: path, range: range, .neverFiresOnData(what, of: customers(n), why: why,
                                                                                  suggestion: "check its condition and thresholds against the data")))
            } else if e.offersPerRule[k] == n, n > 1 {
                out.append(Diagnostic(file: path, range: range, .alwaysFiresOnData(what, of: "the \(customers(n))",
                                                                                   suggestion: "it offers \(product) to everybody; check its condition and thresholds")))
            }
            // Only a product known without the data (priced in the file, or of the built-in
            // catalogue when the project declares none) that the data never has: an action
            // is no product, a product the project's catalogue declares may be new (nobody
            // has it yet), and an unknown one already has the checker's warning.
            let builtin = r.catalogueProducts.isEmpty ? RuleLoader.catalogue : []
            let knownWithoutData = r.prices.keys.contains { ExactText.equal($0, rec.product) } || builtin.contains { ExactText.equal($0, rec.product) }
            if !rec.isAction, knownWithoutData, !r.catalogueProducts.contains(where: { ExactText.equal($0, rec.product) }),
               !dataset.products.contains(where: { ExactText.equal($0, rec.product) }), absent.insert(rec.product).inserted {
                out.append(Diagnostic(file: path, range: rec.offerRange ?? range,
                                      .productNotInData(rec.product, suggestion: Suggestion.phrase(for: rec.product, in: dataset.products))))
            }
        }
        return out
    }

    // MARK: Constant fields

    /// Fields the file's conditions read (through derived fields too) that have one
    /// value for every customer. `segment` is left to the segment findings.
    static func constantFields(_ file: RuleFile, dataset: Dataset) -> [Diagnostic] {
        guard dataset.count > 1 else { return [] }
        // Field → (the rules reading it, where the first one reads it).
        var order: [String] = []
        var readers: [String: (labels: [String], range: SourceRange)] = [:]
        for rc in file.ruleConditions {
            for (name, span) in rc.condition.typed.fieldsRead() where name != "segment" {
                if var r = readers[name] {
                    if !r.labels.contains(rc.label) { r.labels.append(rc.label) }
                    readers[name] = r
                } else {
                    order.append(name)
                    readers[name] = ([rc.label], rc.condition.source.range(span))
                }
            }
        }
        var out: [Diagnostic] = []
        for name in order {
            // A product fact (price_of("X"), count_of([…])) naming a product nobody in the
            // data has or had: its value is the same (null, 0) for every customer.
            if dataset.column(name) == nil, let r = readers[name], let fact = ProductFact(fieldName: name) {
                for p in fact.products where !dataset.products.contains(where: { ExactText.equal($0, p) }) {
                    out.append(Diagnostic(file: file.header.path, range: r.range,
                                          .productFactNotInData(p, fact: name, isCount: fact.isCount, suggestion: Suggestion.phrase(for: p, in: dataset.products))))
                }
                continue
            }
            guard let r = readers[name], let column = dataset.column(name), let value = constant(column) else { continue }
            let shownValue: String? = value == .null ? nil : value.literal
            out.append(Diagnostic(file: file.header.path, range: r.range,
                                  .constantFieldOnData(name, value: shownValue, readers: r.labels, customers: customers(dataset.count))))
        }
        return out
    }

    /// The one value of `column` when every row has it (`.null` when every row is
    /// empty), nil when two rows differ (`ConstantColumn`).
    static func constant(_ column: Column) -> Value? { ConstantColumn.value(of: column) }
}
