import ProsperModel
import ProsperRules

/// Why one customer got the results of a rule set: every input the rules read, and for
/// each rule file every rule in order with the trace of its condition. Built by
/// `CustomerExplainer`; it agrees with the batch modules (same values, same null rules,
/// same faults). Rendered by the report layer (`ExplainText`, `ExplainJSON`).
package struct CustomerTrace: Sendable {
    package let customerID: String
    /// The customer's row in the dataset.
    package let row: Int
    package let asOf: Day
    /// The dataset fields the rules read, in schema order (`as_of` last when read).
    package let inputs: [InputField]
    /// One trace per rule file, in the order of the files.
    package let files: [FileTrace]

    /// The upsell recommendations of `product` in every upsell file, with why each was
    /// or was not offered (`explain --why-not`).
    package func recommendations(for product: String) -> [(file: UpsellTrace, recommendation: UpsellTrace.Recommendation)] {
        var out: [(UpsellTrace, UpsellTrace.Recommendation)] = []
        for case .upsell(let u) in files {
            for r in u.recommendations where ExactText.equal(r.product, product) { out.append((u, r)) }
        }
        return out
    }

    /// Every product the upsell files of this trace can recommend, in file order.
    package var recommendableProducts: [String] {
        var out: [String] = []
        for case .upsell(let u) in files {
            for r in u.recommendations where !out.contains(where: { ExactText.equal($0, r.product) }) { out.append(r.product) }
        }
        return out
    }
}

/// One field a rule reads, with the customer's value and where it comes from.
package struct InputField: Sendable {
    package enum Origin: String, Sendable {
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
    package let name: String
    package let value: Value
    package let origin: Origin
    /// What else is known about the origin, e.g. "constant of mapping telco-mapping.yaml".
    package let note: String?
}

/// A `fields:` entry of a rule file with its value for the customer.
package struct RuleFieldValue: Sendable {
    package let name: String
    package let outcome: TraceOutcome
}

/// A condition of a rule file, where it is written and its trace.
package struct TracedCondition: Sendable {
    /// The rule file.
    package let file: String
    /// Position of the condition's first character.
    package let line: Int
    package let column: Int
    package let trace: ConditionTrace

    /// The condition holds (true; null and faults do not hold).
    package var holds: Bool { trace.holds }
}

/// One rule file's part of a trace.
package enum FileTrace: Sendable {
    case segments(SegmentTrace)
    case churn(ChurnTrace)
    case upsell(UpsellTrace)
    case analytics(AnalyticsTrace)

    package var header: RuleFileHeader {
        switch self {
        case .segments(let t): t.header
        case .churn(let t): t.header
        case .upsell(let t): t.header
        case .analytics(let t): t.header
        }
    }
}

/// The segment of the customer: the rules tried in order up to the first that holds.
package struct SegmentTrace: Sendable {
    package struct Step: Sendable {
        package let name: String
        package let condition: TracedCondition
    }
    package let header: RuleFileHeader
    package let fields: [RuleFieldValue]
    /// The segments tried, in file order, up to and including the one that matched.
    package let tried: [Step]
    /// The segment's name; nil when none matched and the file has no `otherwise`.
    package let segment: String?
    /// True when `otherwise` caught the customer.
    package let byOtherwise: Bool
}

/// The churn score of the customer.
package struct ChurnTrace: Sendable {
    package struct Signal: Sendable {
        package let name: String
        /// At `ChurnTrace.scoreScale`.
        package let weight: Int64
        package let condition: TracedCondition
        /// The signal holds and the customer is eligible: its weight is in the score.
        package let counts: Bool
        /// The reason text for this customer, when the signal holds.
        package let reason: String?
    }
    package let header: RuleFileHeader
    /// The segment `segment` reads in this file (nil: the file reads none).
    package let segment: SegmentTrace?
    package let fields: [RuleFieldValue]
    /// nil when the file has no `eligible:` (everyone is).
    package let eligible: TracedCondition?
    package let isEligible: Bool
    package let signals: [Signal]
    /// Sum of the weights of the signals that count, at `scoreScale`.
    package let score: Int64
    package let scoreScale: Int
    /// Levels, highest minimum first.
    package let levels: [(name: String, minimum: Int64)]
    /// Index into `levels`; nil below the lowest level or when not eligible (no alert).
    package let level: Int?

    /// The level's name, if there is an alert.
    package var levelName: String? { level.map { levels[$0].name } }
}

/// The upsell recommendations of the customer, in file order, and the offers made.
package struct UpsellTrace: Sendable {
    /// Why a recommendation was or was not offered.
    package enum Status: Hashable, Sendable {
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
    package struct Recommendation: Sendable {
        package let name: String
        package let product: String
        package let condition: TracedCondition
        /// The customer already has the product (whatever the condition says).
        package let owned: Bool
        package let status: Status
        /// The first part of the condition that did not hold (nil when it holds).
        package var firstFailure: ConditionTrace? { condition.trace.firstFailure }
    }
    package struct Offer: Sendable {
        package let rule: String
        package let product: String
        /// The MRR the offer adds at list price, in cents (nil: the product has no price).
        package let addedMRR: Int64?
        package let reason: String
        /// For an offer with a computed value or `replaces:`: how the added MRR was
        /// computed (`addedMRR` = `value` − `replaced`); nil for a plain offer.
        package var computation: Computation? = nil
    }
    /// How a computed or replacing offer's added MRR came about.
    package struct Computation: Sendable {
        /// The offer's value: the `value:` expression's result, else the usual price.
        package let value: Int64
        /// The `value:` expression (nil: a fixed value or the list price).
        package let expression: String?
        /// What the customer pays now for the replaced products, and those products.
        package let replaced: Int64
        package let replaces: [String]
    }
    package let header: RuleFileHeader
    package let segment: SegmentTrace?
    package let fields: [RuleFieldValue]
    package let strategy: UpsellRules.Strategy
    package let recommendations: [Recommendation]
    package let offers: [Offer]
}

/// The analytics settings applied to the customer: the `where` filter and the tier.
package struct AnalyticsTrace: Sendable {
    package let header: RuleFileHeader
    package let segment: SegmentTrace?
    package let fields: [RuleFieldValue]
    /// nil when the file has no `where` (every customer counts).
    package let filter: TracedCondition?
    package let included: Bool
    /// Tiers tried in order up to and including the one that matched.
    package let tiersTried: [SegmentTrace.Step]
    package let tier: String
    /// True when no tier matched and `otherwise` gave the tier.
    package let tierByOtherwise: Bool
}
