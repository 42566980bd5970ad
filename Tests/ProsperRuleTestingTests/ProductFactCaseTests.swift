import Foundation
import ProsperRuleTesting
import Testing

/// Test customers with product facts: `products` gives active subscriptions and
/// `cancelled` cancelled ones (Fixtures/product-facts: a cancelled product, a product
/// cancelled and taken again, a count over a list, `start_of` from `tenure_days`, and
/// `subscriptions` rows with their own price, start date and status).
@Suite struct ProductFactCaseTests {
    @Test func casesWithCancelledProductsPass() {
        let r = TestRunner.run(paths: [Fixtures.directory + "/product-facts/rules/tests"], options: TestRunner.Options())
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        #expect(r.passed == 6 && r.failed == 0, "\(r.renderText(verbose: true))")
    }
}
