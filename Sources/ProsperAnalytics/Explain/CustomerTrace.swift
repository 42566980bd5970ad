import ProsperModel
import ProsperRules

/// Why one customer got the results of a rule set: every input the rules read, and for
/// each rule file every rule in order with the trace of its condition. Built by
/// `CustomerExplainer`; it agrees with the batch modules (same values, same null rules,
/// same faults). Rendered by the report layer (`ExplainText`, `ExplainJSON`).
public struct CustomerTrace: Sendable {
    public let customerID: String
    /// The customer's row in the dataset.
    public let row: Int
    public let asOf: Day
    /// The dataset fields the rules read, in schema order (`as_of` last when read).
    public let inputs: [InputField]
    /// One trace per rule file, in the order of the files.
    public let files: [FileTrace]

    /// The upsell recommendations of `product` in every upsell file, with why each was
    /// or was not offered (`explain --why-not`).
    public func recommendations(for product: String) -> [(file: UpsellTrace, recommendation: UpsellTrace.Recommendation)] {
        var out: [(UpsellTrace, UpsellTrace.Recommendation)] = []
        for case .upsell(let u) in files {
            for r in u.recommendations where ExactText.equal(r.product, product) { out.append((u, r)) }
        }
        return out
    }

    /// Every product the upsell files of this trace can recommend, in file order.
    public var recommendableProducts: [String] {
        var out: [String] = []
        for case .upsell(let u) in files {
            for r in u.recommendations where !out.contains(where: { ExactText.equal($0, r.product) }) { out.append(r.product) }
        }
        return out
    }
}

/// One field a rule reads, with the customer's value and where it comes from.
public struct InputField: Sendable {
    public enum Origin: String, Sendable {
        /// A column of the customer data.
        case data
        /// Computed from the data when it was read (mrr, products, days_inactive, …).
        case derived
        /// A column beyond the contract (a custom attribute).
        case custom = "custom attribute"
        /// The dataset's as-of date.
        case asOf = "as-of date"
        /// A fixed value of the mapping file, the same for every customer (the note says
        /// where it is written: `FILE:LINE`).
        case mappingConstant = "mapping constant"
    }
    public let name: String
    public let value: Value
    public let origin: Origin
    /// What else is known about the origin, e.g. "constant of mapping telco-mapping.yaml".
    public let note: String?
}

/// A `fields:` entry of a rule file with its value for the customer.
public struct RuleFieldValue: Sendable {
    public let name: String
    public let outcome: TraceOutcome
}

/// A condition of a rule file, where it is written and its trace.
public struct TracedCondition: Sendable {
    /// The rule file.
    public let file: String
    /// Position of the condition's first character.
    public let line: Int
    public let column: Int
    public let trace: ConditionTrace

    /// The condition holds (true; null and faults do not hold).
    public var holds: Bool { trace.holds }
}

/// One rule file's part of a trace.
public enum FileTrace: Sendable {
    case segments(SegmentTrace)
    case churn(ChurnTrace)
    case upsell(UpsellTrace)
    case analytics(AnalyticsTrace)

    public var header: RuleFileHeader {
        switch self {
        case .segments(let t): t.header
        case .churn(let t): t.header
        case .upsell(let t): t.header
        case .analytics(let t): t.header
        }
    }
}

/// The segment of the customer: the rules tried in order up to the first that holds.
public struct SegmentTrace: Sendable {
    public struct Step: Sendable {
        public let name: String
        public let condition: TracedCondition
    }
    public let header: RuleFileHeader
    public let fields: [RuleFieldValue]
    /// The segments tried, in file order, up to and including the one that matched.
    public let tried: [Step]
    /// The segment's name; nil when none matched and the file has no `otherwise`.
    public let segment: String?
    /// True when `otherwise` caught the customer.
    public let byOtherwise: Bool
}

/// The churn score of the customer.
public struct ChurnTrace: Sendable {
    public struct Signal: Sendable {
        public let name: String
        /// At `ChurnTrace.scoreScale`.
        public let weight: Int64
        public let condition: TracedCondition
        /// The signal holds and the customer is eligible: its weight is in the score.
        public let counts: Bool
        /// The reason text for this customer, when the signal holds.
        public let reason: String?
    }
    public let header: RuleFileHeader
    /// The segment `segment` reads in this file (nil: the file reads none).
    public let segment: SegmentTrace?
    public let fields: [RuleFieldValue]
    /// nil when the file has no `eligible:` (everyone is).
    public let eligible: TracedCondition?
    public let isEligible: Bool
    public let signals: [Signal]
    /// Sum of the weights of the signals that count, at `scoreScale`.
    public let score: Int64
    public let scoreScale: Int
    /// Levels, highest minimum first.
    public let levels: [(name: String, minimum: Int64)]
    /// Index into `levels`; nil below the lowest level or when not eligible (no alert).
    public let level: Int?

    /// The level's name, if there is an alert.
    public var levelName: String? { level.map { levels[$0].name } }
}

/// The upsell recommendations of the customer, in file order, and the offers made.
public struct UpsellTrace: Sendable {
    /// Why a recommendation was or was not offered.
    public enum Status: Hashable, Sendable {
        case offered
        /// The condition did not hold (false, null or a fault).
        case conditionFailed
        /// The condition holds but the customer already has the product.
        case alreadyHas
        /// Strategy `first`: an earlier recommendation (named) was offered.
        case earlierRuleWon(String)
        /// Strategy `all`: an earlier recommendation (named) already offers the product.
        case sameProductEarlier(String)
        /// The condition holds but the computed value faulted or was negative (the text says which).
        case valueFailed(String)
    }
    public struct Recommendation: Sendable {
        public let name: String
        public let product: String
        public let condition: TracedCondition
        /// The customer already has the product (whatever the condition says).
        public let owned: Bool
        public let status: Status
        /// The first part of the condition that did not hold (nil when it holds).
        public var firstFailure: ConditionTrace? { condition.trace.firstFailure }
    }
    public struct Offer: Sendable {
        public let rule: String
        public let product: String
        /// The MRR the offer adds at list price, in cents (nil: the product has no price).
        public let addedMRR: Int64?
        public let reason: String
        /// For an offer with a computed value or `replaces:`: how the added MRR was
        /// computed (`addedMRR` = `value` − `replaced`); nil for a plain offer.
        public var computation: Computation? = nil
    }
    /// How a computed or replacing offer's added MRR came about.
    public struct Computation: Sendable {
        /// The offer's value: the `value:` expression's result, else the usual price.
        public let value: Int64
        /// The `value:` expression (nil: a fixed value or the list price).
        public let expression: String?
        /// What the customer pays now for the replaced products, and those products.
        public let replaced: Int64
        public let replaces: [String]
    }
    public let header: RuleFileHeader
    public let segment: SegmentTrace?
    public let fields: [RuleFieldValue]
    public let strategy: UpsellRules.Strategy
    public let recommendations: [Recommendation]
    public let offers: [Offer]
}

/// The analytics settings applied to the customer: the `where` filter and the tier.
public struct AnalyticsTrace: Sendable {
    public let header: RuleFileHeader
    public let segment: SegmentTrace?
    public let fields: [RuleFieldValue]
    /// nil when the file has no `where` (every customer counts).
    public let filter: TracedCondition?
    public let included: Bool
    /// Tiers tried in order up to and including the one that matched.
    public let tiersTried: [SegmentTrace.Step]
    public let tier: String
    /// True when no tier matched and `otherwise` gave the tier.
    public let tierByOtherwise: Bool
}
