import ProsperAnalytics

extension ExactShare {
    /// As written (`0.3`).
    package var text: String { Cell.decimal(value, scale: scale).plain }
}
