import Testing
@testable import ProsperModel

@Suite struct DatasetLimitTests {
    /// Prices so large that the sums of the modules could overflow are refused up front.
    @Test func hugePricesAreRefused() {
        var c = CustomerRecords()
        for i in 0..<11 {
            c.customerID.append("C\(i)"); c.companyName.append("A"); c.industry.append("Retail"); c.region.append("West")
            c.employees.append(5); c.users.append(2); c.signupDate.append(0); c.lastActiveDate.append(10)
            c.supportTickets90d.append(0); c.failedPayments90d.append(0); c.nps.append(NumberColumn.null)
            c.cancelIntent.append(false); c.churned.append(BooleanColumn.falseValue)
        }
        var s = SubscriptionRecords()
        s.productNames = ["Accounting"]
        for i in 0..<11 {
            s.customer.append(Int32(i)); s.product.append(0); s.price.append(999_999_999_999_999_999)
            s.startDate.append(0); s.active.append(true)
        }
        #expect(throws: DatasetBuildError.self) { try DatasetBuilder.build(customers: c, subscriptions: s, asOf: Day(number: 20)) }
    }
}
