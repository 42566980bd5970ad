import ProsperModel
import ProsperRules

/// What `sweep` ranks its rows by (`--objective`, docs/sweep.md).
package enum SweepObjective: String, Sendable, CaseIterable {
    case f1, precision, recall, lift
    case mrrRecall = "mrr_recall"
    case net
    case addedMRR = "added_mrr"
    case expectedAddedMRR = "expected_added_mrr"

    /// The objectives a churn sweep can rank by.
    package static let churn: [SweepObjective] = [.f1, .precision, .recall, .lift, .mrrRecall, .net]
    /// The objectives an upsell sweep can rank by.
    package static let upsell: [SweepObjective] = [.addedMRR, .expectedAddedMRR]
}

/// An exact non-negative share (`0.3` = 3 at scale 1): of the MRR an intervention saves
/// (`--value saved=`), or of the offers accepted (`--value accept=`).
package struct ExactShare: Sendable, Equatable {
    package let value: Int64
    package let scale: Int

    package init(value: Int64, scale: Int) {
        self.value = value
        self.scale = scale
    }

    /// `cents` × the share, rounded half away from zero to a cent (exact, 128-bit).
    package func of(_ cents: Int64) -> Int64? {
        let p = Int128(Decimal64.power(scale))
        let n = Int128(cents) * Int128(value)
        var q = n / p
        let r = n % p
        if r.magnitude * 2 >= p.magnitude { q += n >= 0 ? 1 : -1 }
        return Int64(exactly: q)
    }
}

/// Cost and value settings of a sweep (`--cost alert=`, `--value saved=|accept=`) and
/// the chosen objective.
package struct SweepSettings: Sendable {
    /// Cost of one alert in cents.
    package var costPerAlert: Int64?
    /// Share of the MRR of an alerted churner that an intervention saves.
    package var saved: ExactShare?
    /// Share of offers accepted.
    package var accept: ExactShare?
    /// nil: the default (churn: `net` with a cost, else `f1`; upsell: `expected_added_mrr`
    /// with an acceptance share, else `added_mrr`).
    package var objective: SweepObjective?
    /// Run on all cores (the figures are the same either way).
    package var parallel = true
    /// Bytes of condition results the churn sweep's memo keeps (`ConditionMemo.budget`);
    /// beyond, combinations run one at a time (tests make it small to reach that path).
    package var memoBudget = 512 << 20

    package init(costPerAlert: Int64? = nil, saved: ExactShare? = nil, accept: ExactShare? = nil, objective: SweepObjective? = nil) {
        self.costPerAlert = costPerAlert
        self.saved = saved
        self.accept = accept
        self.objective = objective
    }

    /// The objective used for `kind`.
    package func resolvedObjective(_ kind: RuleKind) -> SweepObjective {
        if let objective { return objective }
        if kind == .upsell { return accept != nil ? .expectedAddedMRR : .addedMRR }
        return costPerAlert != nil ? .net : .f1
    }
}
