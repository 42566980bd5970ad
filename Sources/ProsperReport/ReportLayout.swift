/// The one definition of a report's module sections: which there are, their order, ids
/// and titles, and the column sets more than one layout shows. `report`
/// (`ReportSections`), `compare` (`RuleSetComparison`) and the dashboard all read it, so a
/// section is added, renamed or moved here once.
package enum ReportLayout {
    /// A module section, in report order.
    package enum Kind: String, CaseIterable, Sendable {
        case segments, loyalty, revenue, bundles, churn, upsell, profitability
    }

    /// How a kind of section is titled: `heading` + `joiner` + what it is about
    /// (`D. Churn alerts: churn rules`, `B. Revenue by segment and product`).
    package struct Descriptor: Sendable {
        package let kind: Kind
        package let heading: String
        package let joiner: String
        /// The subject of a section whose title does not depend on its rules.
        package let fixedSubject: String?

        init(_ kind: Kind, _ heading: String, _ joiner: String = ": ", subject: String? = nil) {
            self.kind = kind
            self.heading = heading
            self.joiner = joiner
            self.fixedSubject = subject
        }

        /// The section's title for `subject` (the rule file's name, the fields grouped by).
        package func title(_ subject: String) -> String { heading + joiner + subject }

        /// The title of a section with a fixed subject.
        package var title: String { title(fixedSubject ?? "") }

        /// A comparison's title: one subject when both sides say the same, else `a | b`.
        package func title(_ a: String, _ b: String) -> String { a == b ? title(a) : title(a + " | " + b) }
    }

    /// Every module section, in the order a report and a comparison show them.
    package static let sections: [Descriptor] = [
        Descriptor(.segments, "Segments"),
        Descriptor(.loyalty, "A. Loyalty", subject: "products per customer"),
        Descriptor(.revenue, "B. Revenue", " by "),
        Descriptor(.bundles, "C. Bundles", subject: "top product combinations"),
        Descriptor(.churn, "D. Churn alerts"),
        Descriptor(.upsell, "E. Upsell"),
        Descriptor(.profitability, "F. Profitability", " by "),
    ]

    /// The descriptor of `kind`.
    package static func descriptor(_ kind: Kind) -> Descriptor {
        sections.first { $0.kind == kind } ?? Descriptor(kind, kind.rawValue)
    }

    // MARK: - Ids and order

    /// The id without the number of a second section of one kind (`churn_2` → `churn`).
    package static func baseID(_ id: String) -> String {
        id.split(separator: "_").first.map(String.init) ?? id
    }

    /// Which one of its kind the section is, from 0 (`churn` 0, `churn_2` 1).
    package static func ordinal(_ id: String) -> Int {
        id.split(separator: "_").dropFirst().first.flatMap { Int($0) }.map { $0 - 1 } ?? 0
    }

    /// The module kind of a section id (`churn_2` is a churn section); nil for others
    /// (backtest, sweep, outcomes).
    package static func kind(of id: String) -> Kind? { Kind(rawValue: baseID(id)) }

    /// The place of a section in the order; sections of no module kind come last.
    package static func rank(of id: String) -> Int {
        kind(of: id).flatMap { k in sections.firstIndex { $0.kind == k } } ?? sections.count
    }

    /// `sections` in the fixed order; sections of one place keep their order.
    package static func ordered(_ sections: [Section]) -> [Section] {
        sections.enumerated().sorted { a, b in
            let x = rank(of: a.element.id), y = rank(of: b.element.id)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    /// Two sections of one kind (two churn files in the folder): the second is `churn_2`,
    /// the third `churn_3`, so JSON keys and CSV file names stay unique.
    package static func numbered(_ sections: [Section]) -> [Section] {
        var sections = sections
        var seen: [String: Int] = [:]
        for k in sections.indices {
            let s = sections[k], n = (seen[s.id] ?? 0) + 1
            seen[s.id] = n
            if n > 1 { sections[k] = Section(id: "\(s.id)_\(n)", title: s.title, figures: s.figures, tables: s.tables, notes: s.notes) }
        }
        return sections
    }

    // MARK: - Shared columns

    /// A churn alert, as the report's list and the comparison's lists show it.
    package static let alertColumns: [Table.Column] = [.init("customer_id", "customer"), .init("company", "company"), .init("segment", "segment"), .init("mrr", "MRR"),
                                                      .init("level", "level"), .init("score", "score"), .init("reasons", "reasons")]

    /// A group of customers (a segment, a loyalty tier): `first` names the group.
    package static func groupColumns(_ first: Table.Column) -> [Table.Column] {
        [first, .init("customers", "customers"), .init("share", "share %"), .init("total_mrr", "total MRR"), .init("avg_mrr", "avg MRR")]
    }
}
