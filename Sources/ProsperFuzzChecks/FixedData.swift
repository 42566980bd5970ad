import ProsperData
import ProsperModel
import ProsperRules

/// The fixed side of every target: a tiny dataset (with nulls and four custom
/// attributes) that rules and expressions run on, and the fixed partner files of the
/// data targets.
enum FixedData {
    static let customersCSV = """
        customer_id,company_name,industry,region,employees,users,signup_date,last_active_date,support_tickets_90d,failed_payments_90d,nps,cancel_intent,churned,score,note,renewal,vip
        C1,Alpha GmbH,Retail,EU,5,3,2024-01-15,2026-06-20,1,0,9,true,true,12.50,Gold plan,2026-07-15,true
        C2,beta llc,Technology,US,40,12,2025-06-30,2026-05-01,0,3,,false,,,,,
        C3,Gamma,Retail,EU,0,0,2026-06-30,2026-06-30,7,2,0,false,false,-3.75,,2025-12-31,false
        C4,Delta Inc,Manufacturing,APAC,250,100,2020-02-29,2026-01-01,2,1,10,true,false,0,silver,2026-06-30,true
        C5,Épsilon Café,Restaurants,EU,49,10,2023-03-01,2026-06-29,0,0,5,false,true,1000000.01,Gold Plan ÄÖ,,
        C6,"Zeta, ""Z"" Co",Healthcare,Midwest,12000,9000,2019-12-31,2026-06-30,40,9,-100,false,false,99.99,x,2030-01-01,false

        """

    static let subscriptionsCSV = """
        customer_id,product,monthly_price,start_date,status
        C1,Payroll,49.99,2024-01-15,active
        C3,Accounting,100.00,2026-06-30,active
        C3,Payments,50.00,2026-06-30,active
        C3,Invoicing,0.01,2026-06-30,cancelled
        C4,Invoicing,20.00,2020-02-29,active
        C4,Payroll,30.00,2021-01-01,active
        C4,Expenses,0.00,2022-05-05,active
        C5,Payroll,999.99,2023-03-01,active
        C6,Time Tracking,12.00,2019-12-31,active

        """

    /// The foreign CSV the mapping target maps (the layout of Tests/ProsperDataTests/Fixtures/mapping).
    static let foreignCSV = """
        id,name,months,has_phone,has_net,monthly,left,plan
        A1,Alpha,3,Yes,Yes,55.20,Yes,Gold
        A2,Beta,0,No,Yes,"$1,010.50",No,
        A3,Gamma,12,Yes,No,abc,No,Silver
        A4,Delta,x,Yes,No,20.00,maybe,Gold

        """

    static let asOf = Day(iso: "2026-06-30")

    static let declared: [String: FieldKind] = ["score": .number(scale: 2), "note": .string, "renewal": .date, "vip": .boolean]

    /// The dataset, ingested once; nil (a violation of every check that needs it) when the
    /// fixed files stopped ingesting.
    static let dataset: Dataset? = {
        guard let dir = ScratchFolder(), dir.write("customers.csv", customersCSV) != nil,
              dir.write("subscriptions.csv", subscriptionsCSV) != nil else { return nil }
        let options = IngestOptions(asOf: asOf, declaredAttributes: declared, parallel: false)
        guard let result = try? Ingestor.ingest(path: dir.path, options: options) else { return nil }
        return result.dataset
    }()

    /// The names an expression may use: the dataset's fields, two thresholds, the products.
    static func environment(_ data: Dataset) -> NameEnvironment {
        var env = NameEnvironment(schema: data.schema, withSegment: false)
        env.thresholds["limit"] = .number(50, scale: 0)
        env.thresholds["sectors"] = .list([.string("Retail"), .string("Technology")])
        env.products = RuleLoader.catalogue
        return env
    }

    static let missing = [FuzzViolation("fixture", "the fixed dataset does not ingest")]
}
