import ProsperModel

extension Dataset {
    /// Active subscriptions of all customers (the report header's `active_subscriptions`).
    package var activeSubscriptionCount: Int { subscriptions.active.elements.reduce(0) { $0 + Int($1) } }
}
