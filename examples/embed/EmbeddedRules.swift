import ProsperAnalytics
import ProsperData
import ProsperModel
import ProsperRules

/// A program's own customers, evaluated by the rule files of a folder: the churn alerts
/// and the upsell offers they compute, as lines of text. Uses only the public library
/// products (ProsperModel, ProsperData, ProsperRules, ProsperAnalytics); the test
/// `EmbedExampleTests` runs the same steps.
enum EmbeddedRules {
    /// Why the example could not run: rule-file problems (rendered with file:line:column)
    /// or bad records.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The customers of the example, as a program would hold them in memory.
    static func customers(asOf day: Day) -> ([Customer], [Subscription]) {
        func ago(_ days: Int32) -> Day { Day(number: day.number - days) }
        let customers = [
            Customer(id: "C-100", companyName: "Acme Tools", industry: "Manufacturing", region: "EMEA", employees: 35, users: 14,
                     signupDate: ago(900), lastActiveDate: ago(60), failedPayments90d: 2, nps: 6),
            Customer(id: "C-101", companyName: "Blue Fern", industry: "Retail", region: "NA", employees: 12, users: 12,
                     signupDate: ago(400), lastActiveDate: ago(1), nps: 9),
            Customer(id: "C-102", companyName: "Cobalt Labs", industry: "Software", region: "APAC", employees: 80, users: 40,
                     signupDate: ago(1200), lastActiveDate: ago(3), cancelIntent: true),
            Customer(id: "C-103", companyName: "Dune & Co", industry: "Services", region: "EMEA", employees: 4, users: 2,
                     signupDate: ago(200), lastActiveDate: ago(10), nps: 10),
        ]
        let subscriptions = [
            Subscription(customerID: "C-100", product: "Accounting", monthlyPriceCents: 3_000, startDate: ago(900)),
            Subscription(customerID: "C-100", product: "Invoicing", monthlyPriceCents: 1_500, startDate: ago(800)),
            Subscription(customerID: "C-100", product: "Inventory", monthlyPriceCents: 3_500, startDate: ago(700)),
            Subscription(customerID: "C-101", product: "Invoicing", monthlyPriceCents: 1_500, startDate: ago(400)),
            Subscription(customerID: "C-102", product: "Accounting", monthlyPriceCents: 3_000, startDate: ago(1200)),
            Subscription(customerID: "C-102", product: "Payroll", monthlyPriceCents: 4_500, startDate: ago(1100)),
            Subscription(customerID: "C-103", product: "Accounting", monthlyPriceCents: 3_000, startDate: ago(200)),
        ]
        return (customers, subscriptions)
    }

    /// Evaluates the churn and upsell rule files of `rulesFolder` over the example's
    /// customers: one line per alert, then one per offer.
    static func run(rulesFolder: String, asOf: Day) throws -> [String] {
        let (customers, subscriptions) = Self.customers(asOf: asOf)
        let dataset: Dataset
        do {
            dataset = try Dataset.build(customers: customers, subscriptions: subscriptions, asOf: asOf)
        } catch {
            throw Failure(description: error.description)
        }
        // Load and check the rule files against the fields this data set has.
        let check = RuleCheckResult.checking(paths: [rulesFolder], schema: dataset.schema)
        if check.hasErrors { throw Failure(description: check.renderedDiagnostics) }

        var lines: [String] = []
        do throws(Diagnostic) {
            for file in check.files {
                // A rule file reads `segment` from its own segments definition.
                let context = try AnalyticsContext(dataset: dataset, rules: file)
                switch file {
                case .churn(let rules):
                    for alert in try ChurnModule.run(context, rules: rules).alerts {
                        let a = ChurnModule.describe(alert, context, rules: rules)
                        lines.append("churn alert  \(a.customerID) \(a.company): \(a.level), score \(a.score), MRR \(Money.plain(a.mrr)) (\(a.reasons.joined(separator: "; ")))")
                    }
                case .upsell(let rules):
                    for offer in try UpsellModule.run(context, rules: rules, limit: .max).top {
                        let o = UpsellModule.describe(offer, context, rules: rules)
                        lines.append("upsell offer \(o.customerID) \(o.company): \(o.product) +\(Money.plain(o.addedMRR))/month (\(o.reason))")
                    }
                default:
                    continue
                }
            }
        } catch {
            throw Failure(description: check.rendered(error))
        }
        return lines
    }
}
