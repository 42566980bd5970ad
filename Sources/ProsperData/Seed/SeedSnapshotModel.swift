import ProsperModel

/// How a seeded customer changes from one snapshot to the next (`seed --snapshots`).
/// docs/data.md documents every number here.
///
/// The step into snapshot k draws from the customer's own stream of a seed derived from
/// (seed, k), so customer i at snapshot k depends only on the seed, i and the dates.
enum SeedSnapshotModel {
    /// Share of the customers drawn as churning who are missing from the next snapshot
    /// (deleted from the export); the others are there with every subscription cancelled.
    static let absentShare = 0.25
    /// Share of staying customers with two or more active products who drop one of them.
    static let dropShare = 0.04
    /// Share of staying customers whose price of one active product rises 10 %.
    static let priceRiseShare = 0.05
    /// Share of staying customers who add a product they do not have, started between the dates.
    static let addShare = 0.10
    /// New customers per interval: the first snapshot's count × days between the dates /
    /// 1460 (25 % a year), at least one (so every snapshot has a customer active on its date).
    static let growthDays = 1460

    /// The seed of the step into snapshot `k` (k ≥ 1): distinct from the seed of the
    /// customers' first draw.
    static func stepSeed(_ seed: UInt64, _ k: Int) -> UInt64 {
        seed ^ (0xA076_1D64_78BD_642F &* UInt64(truncatingIfNeeded: k &+ 1)) ^ 0xE703_7ED1_A0B4_28DB
    }
}

extension SeedCustomer {
    /// True when at least one subscription is active.
    var hasActive: Bool { subscriptions.contains { $0.active } }

    /// Moves the customer from the snapshot of `from` to the next one at `to` (step
    /// `k`). Returns false when the customer is missing from the next snapshot (and from
    /// every later one).
    ///
    /// A customer with the `churned` label cancels every active subscription (or, for
    /// `absentShare` of them, is missing); one without it keeps at least one active
    /// product: so the label of a snapshot is exactly the outcome `all` of the next. A
    /// customer without an active subscription stays as it was (label false).
    mutating func advance(seed: UInt64, step k: Int, from: Day, to: Day) -> Bool {
        var rng = SeedRandom(seed: SeedSnapshotModel.stepSeed(seed, k), stream: UInt64(index))
        let gap = Int(to.number - from.number)
        guard hasActive else {
            churned = false
            cancelIntent = false
            return true
        }
        if churned {
            if rng.chance(SeedSnapshotModel.absentShare) { return false }
            // Left on a day between the dates; its last activity is before it left.
            let left = from.number + Int32(rng.int(1...max(gap, 1)))
            lastActive = lastActive + Int32(rng.int(0...Int(max(0, left - lastActive))))
            for s in subscriptions.indices where subscriptions[s].active { subscriptions[s].active = false }
            tickets = rng.chance(0.6) ? Int(rng.exponential(mean: 1.2)) : 0
            failedPayments = 0
            cancelIntent = false
            churned = false
            return true
        }
        var active = subscriptions.indices.filter { subscriptions[$0].active }
        if active.count >= 2, rng.chance(SeedSnapshotModel.dropShare) {
            let d = rng.int(0...(active.count - 1))
            subscriptions[active[d]].active = false
            active.remove(at: d)
        }
        if rng.chance(SeedSnapshotModel.priceRiseShare) {
            let r = active[rng.int(0...(active.count - 1))]
            subscriptions[r].cents = subscriptions[r].cents * 11 / 10
        }
        if rng.chance(SeedSnapshotModel.addShare) {
            var owned: UInt16 = 0
            for r in active { owned |= 1 << UInt16(subscriptions[r].product) }
            let rest = (0..<SeedModel.catalogue.count).filter { owned & (1 << UInt16($0)) == 0 }
            if !rest.isEmpty {
                let p = rest[rng.int(0...(rest.count - 1))]
                var cents = SeedModel.catalogue[p].cents
                if p == SeedModel.payroll { cents += 400 * Int64(max(0, min(users, 200) - 5)) }
                if p == SeedModel.timeTracking { cents += 150 * Int64(max(0, min(users, 200) - 3)) }
                subscriptions.append(SeedSubscription(product: p, cents: cents, start: from.number + Int32(rng.int(1...max(gap, 1))), active: true))
                active.append(subscriptions.count - 1)
            }
        }
        // Activity re-drawn for the new date, as for a first snapshot; never before the
        // activity already seen.
        var inactive: Int
        if rng.chance(0.15) { inactive = rng.int(45...400) } else { inactive = min(44, Int(rng.exponential(mean: 6))) }
        lastActive = max(lastActive, to.number - Int32(min(inactive, Int(to.number - signup))))
        inactive = Int(to.number - lastActive)
        tickets = rng.chance(0.6) ? Int(rng.exponential(mean: 1.2)) : 0
        let f = rng.unit()
        failedPayments = f < 0.88 ? 0 : (f < 0.95 ? 1 : (f < 0.985 ? 2 : rng.int(3...5)))
        nps = rng.chance(0.3) ? -1 : min(10, max(0, Int((7.5 + 2.2 * rng.normal() + 0.5).rounded(.down))))
        cancelIntent = rng.chance(0.02 + (inactive >= 45 ? 0.06 : 0) + (failedPayments >= 2 ? 0.05 : 0))
        let z = SeedModel.churnLogOdds(daysInactive: inactive, cancelIntent: cancelIntent, failedPayments: failedPayments,
                                       productCount: active.count, noise: 0.9 * rng.normal())
        churned = rng.unit() < 1 / (1 + DeterministicMath.exp(-z))
        return true
    }
}
