import ProsperModel

/// Everything a name in an expression can refer to.
package struct NameEnvironment: Sendable {
    /// Per-customer fields: the dataset's, plus `segment` when a segments file is known.
    package var fields: [String: (type: ValueType, nullable: Bool)] = [:]
    /// The rule file's thresholds (after command-line overrides).
    package var thresholds: [String: Value] = [:]
    /// The rule file's thresholds computed from the data.
    package var dataThresholds: [String: DataThreshold] = [:]
    /// The rule file's derived fields, checked in file order.
    package var derived: [String: TypedExpr] = [:]
    /// Known product names, for "is this a product?" warnings (empty: no check).
    package var products: [String] = []
    /// Known segment names, for warnings (empty: no check).
    package var segments: [String] = []

    package init() {}

    /// The fields of `schema`, plus `segment` when `withSegment`.
    package init(schema: Schema, withSegment: Bool) {
        for f in schema.fields { fields[f.name] = (ValueType(f.kind), f.nullable) }
        if withSegment { fields["segment"] = (.string, false) }
    }

    /// Every name, for suggestions.
    var allNames: [String] {
        Array(fields.keys) + Array(thresholds.keys) + Array(dataThresholds.keys) + Array(derived.keys) + ["as_of", ProductFact.cancelledName]
    }
}
