import ProsperRules
import ProsperModel

extension IngestReport {
    /// The report as one JSON document (stable key order, 2-space indent).
    public func renderJSON() -> String {
        let j = JSONText()
        j.object {
            j.key("source"); j.string(source)
            j.key("usable"); j.bool(usable)
            j.key("as_of"); if let asOf { j.string(asOf.description) } else { j.null() }
            j.key("as_of_source"); j.string(asOfSource)
            j.key("fingerprint"); if let fingerprint { j.string(fingerprint) } else { j.null() }
            j.key("file_errors")
            j.array(fileErrors) { e in
                j.object {
                    j.key("file"); j.string(e.path)
                    j.key("line"); if let l = e.line { j.int(l) } else { j.null() }
                    j.key("column"); if let c = e.column { j.int(c) } else { j.null() }
                    j.key("message"); j.string(e.message)
                }
            }
            j.key("warnings")
            j.array(warnings) { w in
                j.object {
                    j.key("file"); j.string(w.file)
                    j.key("line"); if let l = w.line { j.int(l) } else { j.null() }
                    j.key("column"); if let c = w.column { j.int(c) } else { j.null() }
                    j.key("code"); j.string(w.code)
                    j.key("message"); j.string(w.message)
                }
            }
            if let d = duplicates {
                j.key("duplicates")
                j.object {
                    j.key("policy"); j.string(d.policy)
                    j.key("dropped"); j.int(d.dropped)
                }
            }
            j.key("tables")
            j.array(tables) { s in
                j.object {
                    j.key("table"); j.string(s.table)
                    j.key("file"); j.string(s.file)
                    j.key("read"); j.int(s.rowsRead)
                    j.key("accepted"); j.int(s.rowsAccepted)
                    j.key("rejected"); j.int(s.rowsRejected)
                    j.key("problems_by_reason")
                    j.object {
                        for reason in s.problemsByReason.keys.sorted() {
                            j.key(reason.rawValue); j.int(s.problemsByReason[reason] ?? 0)
                        }
                    }
                    j.key("rejections")
                    j.array(s.rejections) { r in
                        j.object {
                            j.key("line"); j.int(r.line)
                            j.key("column"); j.int(r.column)
                            j.key("field"); if let f = r.field { j.string(f) } else { j.null() }
                            j.key("reason"); j.string(r.reason.rawValue)
                            j.key("message"); j.string(r.message)
                            j.key("text"); j.string(r.description)
                        }
                    }
                    j.key("rejections_not_listed"); j.int(s.rejectionsNotListed)
                }
            }
            j.key("dataset")
            j.object {
                j.key("customers"); j.int(customers)
                j.key("subscriptions"); j.int(subscriptions)
                j.key("active_subscriptions"); j.int(activeSubscriptions)
                j.key("products"); j.array(products) { j.string($0) }
                j.key("custom_attributes")
                j.array(customAttributes) { f in
                    j.object { j.key("name"); j.string(f.name); j.key("type"); j.string(f.kind.description) }
                }
            }
            j.key("columns")
            j.array(columns) { p in
                j.object {
                    j.key("name"); j.string(p.name)
                    j.key("type"); j.string(p.kind.description)
                    j.key("origin"); j.string(p.origin.rawValue)
                    j.key("nulls"); j.int(p.nulls)
                    if let v = p.minimum { j.key("min"); j.string(v) }
                    if let v = p.maximum { j.key("max"); j.string(v) }
                    if let v = p.distinct { j.key("distinct"); j.int(v) }
                    if let v = p.trueCount { j.key("true"); j.int(v) }
                    if let v = p.falseCount { j.key("false"); j.int(v) }
                }
            }
        }
        return j.text + "\n"
    }
}

/// A tiny pretty-printing JSON writer with deterministic output.
final class JSONText {
    private(set) var text = ""
    private var depth = 0
    private var first = [true]
    private var afterKey = false

    private func separator() {
        if afterKey { afterKey = false; return }
        if depth > 0 {
            text += first[depth] ? "\n" : ",\n"
            first[depth] = false
            text += String(repeating: "  ", count: depth)
        }
    }

    func object(_ body: () -> Void) {
        separator()
        text += "{"
        depth += 1; first.append(true)
        body()
        let empty = first[depth]
        depth -= 1; first.removeLast()
        text += empty ? "}" : "\n" + String(repeating: "  ", count: depth) + "}"
    }

    func array<T>(_ items: [T], _ each: (T) -> Void) {
        separator()
        text += "["
        depth += 1; first.append(true)
        for i in items { each(i) }
        let empty = first[depth]
        depth -= 1; first.removeLast()
        text += empty ? "]" : "\n" + String(repeating: "  ", count: depth) + "]"
    }

    func key(_ k: String) {
        separator()
        text += Self.escape(k) + ": "
        afterKey = true
    }

    func string(_ s: String) { separator(); text += Self.escape(s) }
    func int(_ v: Int) { separator(); text += String(v) }
    func bool(_ v: Bool) { separator(); text += v ? "true" : "false" }
    func null() { separator(); text += "null" }

    static func escape(_ s: String) -> String { DiagnosticJSON.quote(s) }
}
