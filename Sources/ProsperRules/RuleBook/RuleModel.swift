import ProsperModel

/// The four kinds of rule file.
public enum RuleKind: String, CaseIterable, Sendable {
    case segments, churn, upsell, analytics
}

/// What every report prints about the rules that produced it.
public struct RuleFileHeader: Sendable {
    public let kind: RuleKind
    public let name: String
    public let description: String?
    /// As written (`3`, `"2026-11"`); nil when the file gives none.
    public let version: String?
    /// The file path as given.
    public let path: String
}

/// An expression as written in a rule file, and where: for messages and fault reports.
package struct ExpressionSource: Sendable {
    package let text: String
    package let file: String
    let scalar: YAMLScalar
    /// Byte offset of `text` inside the scalar's value (non-zero inside reason texts).
    let offset: Int

    /// The file range of bytes `span` of `text`.
    package func range(_ span: Span) -> SourceRange {
        scalar.range(fromUTF8: offset + span.start, to: offset + span.end)
    }
}

/// A checked boolean expression with its source.
package struct CheckedCondition: Sendable {
    package let typed: TypedExpr
    package let source: ExpressionSource
}

/// A checked expression of any type with its source.
package struct CheckedExpression: Sendable {
    package let typed: TypedExpr
    package let source: ExpressionSource
}

/// A reason text with `{expression}` holes.
package struct ReasonTemplate: Sendable {
    package enum Part: Sendable {
        case text(String)
        case value(CheckedExpression)
    }
    package let parts: [Part]
    package let raw: String
}

/// A named constant of a rule file.
package struct Threshold: Sendable {
    package let name: String
    package let value: Value
    /// Where it is defined.
    package let range: SourceRange
    /// Set for a threshold computed from the data (`{ quantile: 0.9, of: mrr }`); its
    /// `value` is then null (the value is known only when the rules run).
    package internal(set) var computed: DataThreshold? = nil
}

/// A `fields:` entry.
package struct DerivedField: Sendable {
    package let name: String
    package let expression: CheckedExpression
}

/// `kind: segments`: first match wins, `otherwise` catches the rest.
public struct SegmentRules: Sendable {
    public struct Segment: Sendable {
        public let name: String
        package let when: CheckedCondition
        /// Where the name is written (data-relative warnings point at it).
        public var nameRange: SourceRange? = nil
    }
    public let header: RuleFileHeader
    package let thresholds: [Threshold]
    package let fields: [DerivedField]
    public let segments: [Segment]
    public let otherwise: String?
    /// Where the `otherwise` name is written.
    public var otherwiseRange: SourceRange? = nil

    /// Segment names in order, `otherwise` last.
    public var names: [String] { segments.map(\.name) + (otherwise.map { [$0] } ?? []) }
}

/// `kind: churn`: who is eligible, which warning signs hold, what level the score reaches.
public struct ChurnRules: Sendable {
    public struct Signal: Sendable {
        public let name: String
        package let when: CheckedCondition
        /// Weight as an exact decimal at `ChurnRules.weightScale`.
        public let weight: Int64
        package let reason: ReasonTemplate?
        /// Where the name is written (data-relative warnings point at it).
        public var nameRange: SourceRange? = nil
    }
    public struct Level: Sendable {
        public let name: String
        /// Minimum score at `ChurnRules.weightScale`.
        public let minimum: Int64
    }
    public let header: RuleFileHeader
    package let thresholds: [Threshold]
    package let fields: [DerivedField]
    package let eligible: CheckedCondition?
    public let signals: [Signal]
    /// Highest minimum first.
    public let levels: [Level]
    /// Decimal places of weights and level minimums.
    public let weightScale: Int
    public let segments: SegmentRules?

    /// Whether level `k` of these rules and level `j` of `other` are the same level
    /// (equal names, by bytes): `compare` counts a change of level otherwise.
    public func sameLevel(_ k: Int, as other: ChurnRules, _ j: Int) -> Bool {
        k >= 0 && j >= 0 && k < levels.count && j < other.levels.count && ExactText.equal(levels[k].name, other.levels[j].name)
    }
}

/// `kind: upsell`: the next product to offer.
public struct UpsellRules: Sendable {
    public enum Strategy: String, Sendable { case first, all }
    public struct Recommendation: Sendable {
        public let name: String
        package let when: CheckedCondition
        /// The product offered, or for an action its text ("upgrade to a two-year contract").
        public let product: String
        package let reason: ReasonTemplate?
        /// True for an offer that is an action (`action:`), not a product: it is made
        /// whatever the customer owns and adds its `value:` (nothing without one).
        public internal(set) var isAction: Bool = false
        /// The monthly value of an action in cents (`value:`), nil when not given.
        /// On a `recommend:` offer a fixed `value:` replaces the list price.
        public internal(set) var value: Int64? = nil
        /// A computed monthly value (`value:` written as an expression, e.g. `users * 4.50`):
        /// a number with at most 2 decimals, checked at load. For each customer it replaces
        /// `value` (a null result: the offer's usual value; a fault or a negative result: no offer).
        package internal(set) var valueExpression: CheckedExpression? = nil
        /// The products the offer replaces (`replaces:`): an accepted offer adds its value
        /// minus what the customer pays now for them (active subscriptions' prices).
        public internal(set) var replaces: [String] = []
        /// Where `replaces:` is written.
        public internal(set) var replacesRange: SourceRange? = nil
        /// Where `recommend:` or `action:` is written.
        public internal(set) var offerRange: SourceRange? = nil
        /// Where the recommendation's name is written.
        public internal(set) var nameRange: SourceRange? = nil
    }
    public let header: RuleFileHeader
    package let thresholds: [Threshold]
    package let fields: [DerivedField]
    public let strategy: Strategy
    public let recommendations: [Recommendation]
    /// List prices per product in cents (`prices:`), for the MRR an accepted offer adds.
    public let prices: [String: Int64]
    public let segments: SegmentRules?
    /// Prices per seat (user) in cents of the project catalogue's per-seat products that
    /// `prices:` does not price: an accepted offer adds the list price plus this times
    /// the customer's `users`.
    public internal(set) var seatPrices: [String: Int64] = [:]
    /// The products of the project's catalogue (`products:`): known to the business even
    /// when no customer has them yet.
    public internal(set) var catalogueProducts: [String] = []

    /// The per-seat price of `rec`'s product, nil for an action or a flat-priced product.
    /// An offer with its own `value:` has no per-seat price.
    public func seatPrice(_ rec: Recommendation) -> Int64? {
        rec.isAction || rec.value != nil || rec.valueExpression != nil ? nil : seatPrices[rec.product]
    }

    /// The distinct products the rules offer, in byte order: how an offer of several
    /// products is written (`compare`: joined by `+`).
    /// The offer of a customer with none (`compare`).
    public static let noOffer = "(none)"

    /// The MRR an accepted offer of `rec` adds, in cents: an action's value (0 without
    /// one), else the file's price (`prices:`, else the project catalogue's), else the
    /// data's list price (`dataPrices`); nil for a product none of them prices.
    public func addedPrice(_ rec: Recommendation, dataPrices: [String: Int64]) -> Int64? {
        if rec.isAction { return rec.value ?? 0 }
        return rec.value ?? prices[rec.product] ?? dataPrices[rec.product]
    }

    /// True when some recommendation computes its value or replaces products: the offer
    /// lists then carry the offer's value and the replaced amount beside the added MRR.
    public var hasComputedOffers: Bool {
        recommendations.contains { $0.valueExpression != nil || !$0.replaces.isEmpty }
    }

    public var offeredProducts: [String] {
        var out: [String] = []
        for rec in recommendations where !out.contains(where: { ExactText.equal($0, rec.product) }) { out.append(rec.product) }
        return out.sorted(by: ExactText.less)
    }
}

/// `kind: analytics`: settings of modules A, B, C and F.
public struct AnalyticsRules: Sendable {
    public struct Tier: Sendable {
        public let name: String
        package let when: CheckedCondition
    }
    public let header: RuleFileHeader
    package let thresholds: [Threshold]
    package let fields: [DerivedField]
    package let filter: CheckedCondition?
    public let tiers: [Tier]
    public let tierOtherwise: String
    /// Module B's grouping: `product` and/or customer fields.
    public let revenueBy: [String]
    public let bundleTop: Int
    public let bundleMinCustomers: Int
    public let pairTop: Int
    public let profitabilityBy: String
    public let segments: SegmentRules?
}

/// One loaded and checked rule file.
public enum RuleFile: Sendable {
    case segments(SegmentRules)
    case churn(ChurnRules)
    case upsell(UpsellRules)
    case analytics(AnalyticsRules)

    /// The segments definition the file reads `segment` from (a segments file: itself).
    public var segments: SegmentRules? {
        switch self {
        case .segments(let s): s
        case .churn(let r): r.segments
        case .upsell(let r): r.segments
        case .analytics(let r): r.segments
        }
    }

    /// The file's own `thresholds:` (not those of the segments file it reads).
    package var thresholds: [Threshold] {
        switch self {
        case .segments(let r): r.thresholds
        case .churn(let r): r.thresholds
        case .upsell(let r): r.thresholds
        case .analytics(let r): r.thresholds
        }
    }

    /// The file's thresholds computed from the data, in file order.
    package var dataThresholds: [DataThreshold] { thresholds.compactMap(\.computed) }

    public var header: RuleFileHeader {
        switch self {
        case .segments(let r): r.header
        case .churn(let r): r.header
        case .upsell(let r): r.header
        case .analytics(let r): r.header
        }
    }
}
