import ProsperModel
import ProsperRules

/// Explains the results of checked rule files for single customers of one dataset.
///
/// Everything that does not depend on the customer (list prices, the fields each file
/// reads) is prepared once here; `explain(row:)` then costs one scalar evaluation of each
/// rule for that customer, whatever the size of the dataset.
package struct CustomerExplainer: Sendable {
    package let dataset: Dataset
    package let files: [RuleFile]
    /// Per upsell file (by index into `files`): list prices as the upsell module uses them.
    private let prices: [Int: [String: Int64]]
    /// Notes on where fields come from (e.g. a mapping constant), by field name.
    private let fieldNotes: [String: String]

    /// Fields a mapping file fills with a constant: field name → where (`FILE:LINE`).
    private let mappingConstants: [String: String]
    /// The dataset's columns, shared by every customer explained (thresholds computed
    /// from the data are computed once, on first use).
    private let plain: BoundColumns
    /// Per segments file path: the columns with its `segment`, for the files that have
    /// thresholds computed from the data (`by: segment` needs every customer's segment).
    private let segmentColumns: [String: BoundColumns]

    /// `fieldNotes`: what is known about a field's origin beyond the dataset, e.g.
    /// `"nps": "given"` for an inline customer. `mappingConstants`: the fields a mapping
    /// file fills with a fixed value, by name, with where it is written (`FILE:LINE`);
    /// they are shown with the origin "mapping constant" and that place as the note.
    package init(dataset: Dataset, files: [RuleFile], fieldNotes: [String: String] = [:], mappingConstants: [String: String] = [:]) {
        self.dataset = dataset
        self.files = files
        self.fieldNotes = fieldNotes
        self.mappingConstants = mappingConstants
        var prices: [Int: [String: Int64]] = [:]
        for (k, f) in files.enumerated() {
            if case .upsell(let r) = f { prices[k] = UpsellModule.listPrices(dataset, r) }
        }
        self.prices = prices
        plain = BoundColumns(dataset: dataset)
        var bound: [String: BoundColumns] = [:]
        for f in files where !f.dataThresholds.isEmpty {
            guard let s = f.segments, bound[s.header.path] == nil, let a = try? SegmentEngine.assign(s, to: dataset) else { continue }
            bound[s.header.path] = BoundColumns(dataset: dataset, extra: ["segment": .string(a.column)])
        }
        segmentColumns = bound
    }

    // MARK: Customers

    /// The row of the customer with id `id` (compared byte for byte), nil when none.
    package func row(of id: String) -> Int? {
        guard case .string(let ids)? = dataset.column("customer_id") else { return nil }
        let wanted = Array(id.utf8)
        if ids.codes == nil {
            return ids.dictionary.firstIndex(ofUTF8: wanted)
        }
        guard let code = ids.dictionary.firstIndex(ofUTF8: wanted) else { return nil }
        return (0..<ids.count).first { Int(ids.code($0)) == code }
    }

    /// Up to `limit` customer ids close to `id` (likely typos), closest first.
    package func closeIDs(to id: String, limit: Int = 3) -> [String] {
        guard case .string(let ids)? = dataset.column("customer_id") else { return [] }
        var candidates = ids.dictionary.strings
        var out: [String] = []
        while out.count < limit, let best = Suggestion.closest(to: id, in: candidates) {
            out.append(best)
            candidates.removeAll { $0 == best }
        }
        return out
    }

    // MARK: Tracing

    /// The trace of the customer in `row` (0 ..< dataset.count).
    package func explain(row: Int) -> CustomerTrace {
        let base = RowReader(columns: plain, row: row)
        var segmentCache: [String: SegmentTrace] = [:]
        var traces: [FileTrace] = []
        var references = ExpressionReferences()
        for (k, file) in files.enumerated() {
            let segment = file.segments.map { s in
                if let known = segmentCache[s.header.path] { return known }
                let t = segmentTrace(s, base)
                segmentCache[s.header.path] = t
                references.addAll(conditions(of: .segments(s)))
                return t
            }
            references.addAll(conditions(of: file))
            if case .analytics(let r) = file { for f in r.groupedFields { references.add(f) } }
            // A file without a segments definition reads the dataset's own columns only.
            let withSegment = file.segments.flatMap { segmentColumns[$0.header.path] }.map { RowReader(columns: $0, row: row) }
            let row: any RowValues = segment.map { t in SegmentRow(base: base, segment: t.segment.map(Value.string) ?? .null, withSegment: withSegment) } ?? base
            switch file {
            case .segments:
                if let segment { traces.append(.segments(segment)) }
            case .churn(let r): traces.append(.churn(churnTrace(r, segment, row)))
            case .upsell(let r): traces.append(.upsell(upsellTrace(r, segment, row, prices: prices[k] ?? [:], dataRow: base.row)))
            case .analytics(let r): traces.append(.analytics(analyticsTrace(r, segment, row)))
            }
        }
        return CustomerTrace(customerID: base.value(of: "customer_id").stringValue ?? "row \(row + 1)",
                             row: row, asOf: dataset.asOf, inputs: inputs(references, base), files: traces)
    }

    private func inputs(_ refs: ExpressionReferences, _ row: RowReader) -> [InputField] {
        var out: [InputField] = []
        for f in dataset.schema.fields where refs.fields.contains(f.name) {
            let origin: InputField.Origin
            switch f.origin {
            case .contract: origin = .data
            case .derived: origin = .derived
            case .custom: origin = .custom
            }
            if let place = mappingConstants[f.name] {
                out.append(InputField(name: f.name, value: row.value(of: f.name), origin: .mappingConstant, note: place))
                continue
            }
            out.append(InputField(name: f.name, value: row.value(of: f.name), origin: origin, note: fieldNotes[f.name]))
        }
        // Product facts (price_of("X"), cancelled, …), from the customer's subscriptions.
        let names = Set(dataset.schema.fields.map(\.name))
        for name in refs.fields where !names.contains(name) && ProductFact(fieldName: name) != nil {
            out.append(InputField(name: name, value: row.value(of: name), origin: .derived, note: "from the subscriptions"))
        }
        if refs.readsAsOf { out.append(InputField(name: "as_of", value: .date(dataset.asOf), origin: .asOf, note: nil)) }
        return out
    }

    private func conditions(of file: RuleFile) -> [TypedExpr] {
        switch file {
        case .segments(let r): return r.segments.map(\.when.typed)
        case .churn(let r): return (r.eligible.map { [$0.typed] } ?? []) + r.signals.map(\.when.typed)
        case .upsell(let r): return r.recommendations.map(\.when.typed)
        case .analytics(let r): return (r.filter.map { [$0.typed] } ?? []) + r.tiers.map(\.when.typed)
        }
    }

    private func traced(_ c: CheckedCondition, _ tracer: ConditionTracer) -> TracedCondition {
        let at = c.source.range(Span(0, 0)).start
        return TracedCondition(file: c.source.file, line: at.line, column: at.column, trace: tracer.trace(c))
    }

    private func fieldValues(_ file: RuleFile, _ tracer: ConditionTracer) -> [RuleFieldValue] {
        var refs = ExpressionReferences()
        refs.addAll(conditions(of: file))
        // The derived fields an analytics file groups by: the customer's group.
        if case .analytics(let r) = file { for f in r.groupedFields { refs.add(f) } }
        return refs.derived.map { RuleFieldValue(name: $0.name, outcome: tracer.outcome($0.tree)) }
    }

    func segmentTrace(_ r: SegmentRules, _ row: any RowValues) -> SegmentTrace {
        let tracer = ConditionTracer(row: row)
        var tried: [SegmentTrace.Step] = []
        for s in r.segments {
            let c = traced(s.when, tracer)
            tried.append(.init(name: s.name, condition: c))
            if c.holds {
                return SegmentTrace(header: r.header, fields: fieldValues(.segments(r), tracer), tried: tried, segment: s.name, byOtherwise: false)
            }
        }
        return SegmentTrace(header: r.header, fields: fieldValues(.segments(r), tracer), tried: tried, segment: r.otherwise, byOtherwise: r.otherwise != nil)
    }

    func churnTrace(_ r: ChurnRules, _ segment: SegmentTrace?, _ row: any RowValues) -> ChurnTrace {
        let tracer = ConditionTracer(row: row)
        let eligible = r.eligible.map { traced($0, tracer) }
        let isEligible = eligible?.holds ?? true
        var score: Int64 = 0
        var signals: [ChurnTrace.Signal] = []
        for s in r.signals {
            let c = traced(s.when, tracer)
            let counts = isEligible && c.holds
            // The batch engine adds weights with wrapping arithmetic; the loader bounds them.
            if counts { score = score &+ s.weight }
            signals.append(.init(name: s.name, weight: s.weight, condition: c, counts: counts, reason: c.holds ? s.reason?.render(row) ?? s.name : nil))
        }
        let level = isEligible ? r.levels.firstIndex { score >= $0.minimum } : nil
        return ChurnTrace(header: r.header, segment: segment, fields: fieldValues(.churn(r), tracer), eligible: eligible, isEligible: isEligible,
                          signals: signals, score: isEligible ? score : 0, scoreScale: r.weightScale,
                          levels: r.levels.map { ($0.name, $0.minimum) }, level: level)
    }

    func upsellTrace(_ r: UpsellRules, _ segment: SegmentTrace?, _ row: any RowValues, prices: [String: Int64], dataRow: Int? = nil) -> UpsellTrace {
        let tracer = ConditionTracer(row: row)
        let owned: [Value]
        if case .list(let items) = row.value(of: "products") { owned = items } else { owned = [] }
        var recommendations: [UpsellTrace.Recommendation] = []
        var offers: [UpsellTrace.Offer] = []
        for rec in r.recommendations {
            let c = traced(rec.when, tracer)
            let has = owned.contains { $0.stringValue.map { ExactText.equal($0, rec.product) } ?? false }
            let status: UpsellTrace.Status
            if !c.holds {
                status = .conditionFailed
            } else if has {
                status = .alreadyHas
            } else if r.strategy == .first, let winner = offers.first {
                status = .earlierRuleWon(winner.rule)
            } else if let same = offers.first(where: { ExactText.equal($0.product, rec.product) }) {
                status = .sameProductEarlier(same.rule)
            } else if rec.valueExpression == nil, rec.replaces.isEmpty {
                status = .offered
                // A fixed value (an action's, or a product's own `value:`) is what the offer adds.
                let added = rec.isAction || rec.value != nil ? r.addedPrice(rec, dataPrices: prices) : prices[rec.product]
                offers.append(.init(rule: rec.name, product: rec.product, addedMRR: added, reason: rec.reason?.render(row) ?? rec.name))
            } else {
                switch computation(r, rec, row, prices: prices, dataRow: dataRow) {
                case .success(let c):
                    status = .offered
                    offers.append(.init(rule: rec.name, product: rec.product, addedMRR: UpsellModule.difference(c.value, c.replaced), reason: rec.reason?.render(row) ?? rec.name,
                                        computation: c))
                case .failure(let why):
                    status = .valueFailed(why.text)
                }
            }
            recommendations.append(.init(name: rec.name, product: rec.product, condition: c, owned: has, status: status))
        }
        return UpsellTrace(header: r.header, segment: segment, fields: fieldValues(.upsell(r), tracer), strategy: r.strategy,
                           recommendations: recommendations, offers: offers)
    }

    /// The value, replaced amount and difference of an offer with `value:` or `replaces:`,
    /// as the upsell module computes them; a failure says why the offer is not made.
    func computation(_ r: UpsellRules, _ rec: UpsellRules.Recommendation, _ row: any RowValues, prices: [String: Int64], dataRow: Int?) -> Result<UpsellTrace.Computation, ValueFailure> {
        var value = r.addedPrice(rec, dataPrices: prices) ?? 0
        if let seat = r.seatPrice(rec), case .number(let u, 0) = row.value(of: "users") { value = UpsellModule.seatTotal(list: value, seat: seat, users: u) }
        if let e = rec.valueExpression {
            do {
                switch try ScalarEvaluator.evaluate(e.typed, row: row) {
                case .number(let v, let scale):
                    guard let cents = Decimal64.rescale(v, from: scale, to: 2) else { return .failure(ValueFailure(EvaluationFault.Kind.overflow.rawValue)) }
                    guard cents >= 0 else { return .failure(ValueFailure(EvaluationFault.Kind.negativeValue.rawValue)) }
                    value = cents
                default: break  // null: the usual value
                }
            } catch {
                return .failure(ValueFailure(error.kind.rawValue))
            }
        }
        var replaced: Int64 = 0
        if let dataRow, let codes = UpsellModule.productCodes(rec.replaces, dataset.subscriptions) {
            replaced = UpsellModule.pays(row: dataRow, codes: codes, dataset.subscriptions)
        }
        return .success(.init(value: value, expression: rec.valueExpression?.source.text, replaced: replaced, replaces: rec.replaces))
    }

    /// Why a computed value takes the offer away (a fault's or negative value's text).
    struct ValueFailure: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    func analyticsTrace(_ r: AnalyticsRules, _ segment: SegmentTrace?, _ row: any RowValues) -> AnalyticsTrace {
        let tracer = ConditionTracer(row: row)
        let filter = r.filter.map { traced($0, tracer) }
        var tried: [SegmentTrace.Step] = []
        var tier: String?
        for t in r.tiers {
            let c = traced(t.when, tracer)
            tried.append(.init(name: t.name, condition: c))
            if c.holds {
                tier = t.name
                break
            }
        }
        return AnalyticsTrace(header: r.header, segment: segment, fields: fieldValues(.analytics(r), tracer), filter: filter,
                              included: filter?.holds ?? true, tiersTried: tried, tier: tier ?? r.tierOtherwise, tierByOtherwise: tier == nil)
    }
}

/// One customer's values with the `segment` of the rule file being explained.
struct SegmentRow: RowValues {
    let base: RowReader
    let segment: Value
    /// The same customer in columns that hold every customer's segment, when known.
    var withSegment: RowReader? = nil

    func value(of field: String) -> Value { field == "segment" ? segment : base.value(of: field) }
    var asOf: Day { base.asOf }
    func value(of t: DataThreshold) -> Value { (withSegment ?? base).value(of: t) }
}

extension ExpressionReferences {
    mutating func addAll(_ trees: [TypedExpr]) { trees.forEach { add($0) } }
}

extension Value {
    /// The text of a string value.
    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
}
