import ProsperModel
import ProsperRules

/// One checked expression as a query over the base view: every customer's value (as
/// text, see `TextValue`) and fault code, in data order. For differential tests of the
/// compiler against `ScalarEvaluator` and the kernels; reports never need it.
package enum ExpressionProbeSQL {
    /// The statements: the base view, then the query (`customer_id`, value, fault).
    /// The base view holds the product facts `e` reads, or `sharedWith`'s when given
    /// (several probes over one base view: pass them all).
    package static func statements(_ e: TypedExpr, dialect: SQLDialect, schema: Schema, tables: SQLTables, asOf: Day,
                                  sharedWith: [TypedExpr]? = nil) throws(SQLRefusal) -> (setup: [String], query: String) {
        let compiler = ExpressionSQL(dialect: dialect, asOf: asOf) { dialect.identifier($0) }
        let v = try compiler.compile(e)
        var facts: [ProductFact] = []
        for t in sharedWith ?? [e] { t.productFacts(into: &facts) }
        let q = dialect.identifier
        let create = dialect == .postgres ? "CREATE OR REPLACE TEMP VIEW " : "CREATE OR REPLACE TEMPORARY VIEW "
        let active = create + q(BaseView.active) + " AS\n" + BaseView.activeSubscriptions(dialect, tables: tables)
        let view = create + q(BaseView.name) + " AS\n" + BaseView.sql(dialect, schema: schema, tables: tables, asOf: asOf, facts: facts)
        let query = "SELECT \(q("customer_id")), \(TextValue.sql(v.sql, type: e.type, dialect)), \(v.fault ?? "CAST(NULL AS INTEGER)") FROM \(q(BaseView.name)) ORDER BY \(q(BaseView.order))"
        return ([active, view], query)
    }
}
