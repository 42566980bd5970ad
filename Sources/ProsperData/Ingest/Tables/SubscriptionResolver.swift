import ProsperModel

/// Where a subscription row sits, recovered after the fact for a rejection that only
/// the join can find.
struct RowLocation {
    var record: [UInt8]
    var customerColumn: Int
    var productColumn: Int
}

/// Joins subscription rows to accepted customers: resolves customer ids (unknown and
/// rejected customers are rejected), finds duplicate active products, and returns the
/// accepted rows as `SubscriptionRecords`.
enum SubscriptionResolver {
    static func resolve(_ subs: inout SubscriptionTableBuilder, customers: inout CustomerTableBuilder,
                        customersFile: String, locate: (Int64, Int) -> RowLocation?) -> SubscriptionRecords {
        let runCount = subs.runCount
        var runRow = [Int32](repeating: -1, count: runCount)
        var expected = 0
        for r in 0..<runCount {
            let key = subs.runKey(r)
            if expected < customers.count, SubscriptionTableBuilder.equal(customers.ids.key(expected), key) {
                runRow[r] = Int32(truncatingIfNeeded: expected)
                expected += 1
            } else if let row = customers.acceptedRow(key) {
                runRow[r] = Int32(truncatingIfNeeded: row)
                expected = row + 1
            }
        }

        let n = subs.count
        var activeBits = [UInt64](repeating: 0, count: customers.count)
        var keep = [Bool]()
        var rejected = 0
        // Products of the accepted rows, one bit per product code (codes stay below
        // `ProductSetColumn.maxProducts`, 64): marked here instead of another pass.
        var usedBits: UInt64 = 0
        var customer = [Int32](repeating: 0, count: n)
        for k in 0..<n {
            let run = Int(subs.run[k])
            let row = Int(runRow[run])
            var rejection: (RejectionReason, String, Bool)?
            if row < 0 {
                let key = subs.runKey(run)
                if let line = customers.rejectedLine(key) {
                    rejection = (.rejectedCustomer, "customer \(quoted(key)) was rejected (\(customersFile):\(line))", true)
                } else {
                    rejection = (.unknownCustomer, "no customer \(quoted(key)) in \(customersFile)", true)
                }
            } else if subs.active[k] {
                let bit: UInt64 = 1 << UInt64(subs.product[k] & 63)
                if activeBits[row] & bit != 0 {
                    let name = subs.products.string(Int(subs.product[k]))
                    rejection = (.duplicateActiveProduct,
                                 "customer \(quoted(subs.runKey(run))) already has an active \(quoted(name)) subscription", false)
                } else {
                    activeBits[row] |= bit
                }
            }
            customer[k] = Int32(truncatingIfNeeded: row)
            guard let (reason, message, onCustomer) = rejection else {
                usedBits |= 1 << UInt64(subs.product[k] & 63)
                continue
            }
            if keep.isEmpty { keep = [Bool](repeating: true, count: n) }
            keep[k] = false
            rejected += 1
            let line = Int(subs.line[k])
            let where_ = locate(subs.offset[k], line)
            let column = where_.map { onCustomer ? $0.customerColumn : $0.productColumn } ?? 1
            let r = Rejection(file: subs.file, line: line, column: column, field: onCustomer ? "customer_id" : "product",
                              reason: reason, message: message)
            let record = where_?.record ?? []
            record.withUnsafeBufferPointer { subs.log.reject([r], record: $0) }
        }

        var out = SubscriptionRecords()
        if rejected == 0 {
            out.customer = customer
            out.product = subs.product.array
            out.active = subs.active.array
            // The two wide columns go over to the dataset without a copy.
            out.handedOver = (subs.price.takeBuffer(), subs.start.takeBuffer())
        } else {
            let m = n - rejected
            out.customer.reserveCapacity(m); out.product.reserveCapacity(m); out.price.reserveCapacity(m)
            out.startDate.reserveCapacity(m); out.active.reserveCapacity(m)
            for k in 0..<n where keep[k] {
                out.customer.append(customer[k]); out.product.append(subs.product[k]); out.price.append(subs.price[k])
                out.startDate.append(subs.start[k]); out.active.append(subs.active[k])
            }
        }
        // Release the builder's copies now that the records own the data.
        subs.product.release(); subs.price.release(); subs.start.release(); subs.active.release()
        subs.run.release(); subs.line.release(); subs.offset.release()
        // Keep only products that some accepted row uses, in first-seen order.
        var used = [Bool](repeating: false, count: subs.products.count)
        if used.count <= 64 {
            for p in used.indices { used[p] = usedBits >> UInt64(p) & 1 == 1 }
        } else {
            for p in out.product { used[Int(p)] = true }
        }
        if used.allSatisfy({ $0 }) {
            out.productNames = (0..<subs.products.count).map { subs.products.string($0) }
        } else {
            var remap = [UInt8](repeating: 0, count: used.count)
            for (i, u) in used.enumerated() where u {
                remap[i] = UInt8(truncatingIfNeeded: out.productNames.count)
                out.productNames.append(subs.products.string(i))
            }
            for k in 0..<out.product.count { out.product[k] = remap[Int(out.product[k])] }
        }
        return out
    }
}
