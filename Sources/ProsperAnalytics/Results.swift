import ProsperModel
import ProsperRules

/// An exact share: `part / whole` (formatters choose the rounding for display).
public struct Share: Hashable, Sendable {
    public let part: Int64
    public let whole: Int64
    public init(_ part: Int64, of whole: Int64) {
        self.part = part
        self.whole = whole
    }
    /// Basis points (1/100 of a percent), rounded half up; 0 when `whole` is 0.
    public var basisPoints: Int64 { whole == 0 ? 0 : Money.average(part &* 10_000, count: Int(whole)) }
}

/// A: loyalty.
public struct LoyaltyResult: Sendable {
    public struct Group: Sendable {
        public let label: String
        public let customers: Int
        public let share: Share
        public let totalMRR: Int64
        public let averageMRR: Int64
    }
    /// By number of active products, ascending.
    public let byProductCount: [(count: Int, group: Group)]
    /// By tier, in the analytics file's order, `otherwise` last.
    public let byTier: [Group]
}

/// B: revenue by product × a customer field.
public struct RevenueResult: Sendable {
    public struct Cell: Sendable {
        public let row: String
        public let column: String
        public let revenue: Int64
        /// Active subscriptions in the cell (a cell can have revenue 0.00 and still count).
        public let subscriptions: Int
    }
    public let rowField: String
    public let columnField: String
    public let rows: [String]
    public let columns: [String]
    public let cells: [Cell]
    public let rowTotals: [Int64]
    public let columnTotals: [Int64]
    public let total: Int64
}

/// C: bundles.
public struct BundleResult: Sendable {
    public struct Combination: Sendable {
        public let products: [String]
        public let customers: Int
        public let mrr: Int64
        public let averageMRR: Int64
    }
    public struct Pair: Sendable {
        public let a: String
        public let b: String
        public let customers: Int
        /// Customers with both / customers with any product.
        public let support: Share
        /// Customers with both / customers with `a`.
        public let confidence: Share
        /// confidence / (customers with `b` / customers with any product), ×1,000,000, rounded.
        public let liftMicros: Int64
        /// The same lift ×100, rounded half up from the exact ratio (not from `liftMicros`).
        public let liftHundredths: Int64
    }
    public let top: [Combination]
    public let combinationsConsidered: Int
    public let pairs: [Pair]
}

/// D: churn alerts.
public struct ChurnResult: Sendable {
    /// One alert, compact: texts are rendered only for the alerts shown
    /// (`ChurnModule.describe`), so a million customers cost no million strings.
    public struct Alert: Sendable {
        public let row: Int
        public let mrr: Int64
        public let score: Int64
        /// Index into the rules' levels (highest first).
        public let level: Int
        /// Bit k set when signal k holds.
        public let signals: UInt64
    }
    /// An alert with its texts, for display.
    public struct AlertDetails: Sendable {
        public let customerID: String
        public let company: String
        public let segment: String
        public let mrr: Int64
        public let score: Int64
        public let level: String
        public let reasons: [String]
        public init(customerID: String, company: String, segment: String, mrr: Int64, score: Int64, level: String, reasons: [String]) {
            self.customerID = customerID
            self.company = company
            self.segment = segment
            self.mrr = mrr
            self.score = score
            self.level = level
            self.reasons = reasons
        }
    }
    public struct Total: Sendable {
        public let label: String
        public let alerts: Int
        public let revenueAtRisk: Int64
        public init(label: String, alerts: Int, revenueAtRisk: Int64) {
            self.label = label
            self.alerts = alerts
            self.revenueAtRisk = revenueAtRisk
        }
    }
    public let eligible: Int
    /// The alerts kept (all of them unless `ChurnModule.run` was given a limit), sorted
    /// by level, then score, then MRR (descending), then customer id.
    public let alerts: [Alert]
    /// How many customers have an alert (all of them, whatever the limit).
    public let alertCount: Int
    public let revenueAtRisk: Int64
    public let byLevel: [Total]
    public let bySegment: [Total]
    /// Against the `churned` label (customers without a label left out).
    public let labelled: Int
    public let churned: Int
    public let truePositives: Int
    public let flaggedLabelled: Int
    public let scoreScale: Int
    /// Per signal: eligible customers for whom it holds.
    public let signalCounts: [Int]
    package let faults: [FaultReport]
    /// Every alert in row order, unranked, when `ChurnModule.run` was asked for them
    /// (`everyAlert`): what `compare` pairs customer by customer.
    package var everyAlert: [Alert]? = nil
}

/// E: upsell offers.
public struct UpsellResult: Sendable {
    /// One offer, compact (texts via `UpsellModule.describe`).
    public struct Offer: Sendable {
        public let row: Int
        /// Index into the rules' recommendations.
        public let rule: Int
        public let addedMRR: Int64
        public let customerMRR: Int64
        /// The offer's monthly value and what the customer pays now for the products it
        /// replaces (`addedMRR` = `value` − `replaced`; 0 without `replaces:`).
        public var value: Int64 = 0
        public var replaced: Int64 = 0
    }
    public struct OfferDetails: Sendable {
        public let customerID: String
        public let company: String
        public let product: String
        public let rule: String
        public let reason: String
        public let addedMRR: Int64
        /// The offer's value and the replaced amount (`addedMRR` = `value` − `replaced`).
        public let value: Int64
        public let replaced: Int64
        public init(customerID: String, company: String, product: String, rule: String, reason: String, addedMRR: Int64, value: Int64? = nil, replaced: Int64 = 0) {
            self.customerID = customerID
            self.company = company
            self.product = product
            self.rule = rule
            self.reason = reason
            self.addedMRR = addedMRR
            self.value = value ?? addedMRR
            self.replaced = replaced
        }
    }
    public struct ProductTotal: Sendable {
        public let product: String
        public let offers: Int
        public let addedMRR: Int64
        public init(product: String, offers: Int, addedMRR: Int64) {
            self.product = product
            self.offers = offers
            self.addedMRR = addedMRR
        }
    }
    /// Per customer, bit k set when recommendation k is offered.
    public let offersPerCustomer: [UInt64]
    /// The best offers first (added MRR, then the customer's MRR, descending, then
    /// customer id), at most the `limit` asked for.
    public let top: [Offer]
    public let offerCount: Int
    public let byProduct: [ProductTotal]
    public let customersWithOffer: Int
    public let customersWithout: Int
    public let addedMRR: Int64
    /// Recommended products with no list price (neither in `prices:` nor in the data):
    /// their offers add 0.00.
    public let unpriced: [String]
    /// Per recommendation: offers made (after `first`/`all` and de-duplication).
    public let offersPerRule: [Int]
    /// Per recommendation: customers whose condition holds, and of those the ones
    /// without the product.
    public let conditionHolds: [Int]
    public let conditionHoldsWithoutProduct: [Int]
    package let faults: [FaultReport]
    /// What the customers offered a replacing offer pay now for the replaced products, in
    /// total (already subtracted from `addedMRR`; 0 without `replaces:`).
    public var replacedMRR: Int64 = 0
}

/// F: profitability.
public struct ProfitabilityResult: Sendable {
    public struct Group: Sendable {
        public let label: String
        public let customers: Int
        public let totalMRR: Int64
        public let averageMRR: Int64
        public let medianMRR: Int64
        public let share: Share
    }
    public let field: String
    /// Ranked by average MRR per customer, highest first.
    public let groups: [Group]
    public let total: Int64
}
