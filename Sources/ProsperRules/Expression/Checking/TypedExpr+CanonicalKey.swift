/// A text that identifies what a checked tree computes: two trees with the same key
/// give the same value for every customer of the same bound columns.
///
/// Thresholds are already folded into constants when a tree is checked, so the key of a
/// condition changes exactly when a threshold it reads changes (`sweep` memoises
/// condition results by it, docs/sweep.md). Constants, fields, the as-of date, derived
/// fields (name and tree), data-relative thresholds (their definition, not their
/// identity), operators and calls are all part of it. Texts are length-prefixed, so no
/// two different trees share a key.
extension TypedExpr {
    /// The canonical key of this tree (see the type's documentation).
    package var canonicalKey: String {
        var out = ""
        CanonicalKey.write(self, to: &out)
        return out
    }
}

extension DataThreshold {
    /// The key of the definition (statistic, argument, grouping, scale): two thresholds
    /// with equal keys take equal values on the same columns, whatever their names.
    package var canonicalKey: String {
        var out = "T("
        switch statistic {
        case .quantile(let n, let s): out += "q\(n)e\(s)"
        case .mean: out += "mean"
        case .min: out += "min"
        case .max: out += "max"
        }
        out += ",s\(scale),"
        CanonicalKey.write(of.typed, to: &out)
        out += ","
        if let by { CanonicalKey.write(by.typed, to: &out) } else { out += "-" }
        out += ")"
        return out
    }
}

enum CanonicalKey {
    static func text(_ s: String, to out: inout String) {
        out += "\(s.utf8.count):"
        out += s
    }

    static func type(_ t: ValueType, to out: inout String) {
        switch t {
        case .number(let s): out += "N\(s)"
        case .string: out += "S"
        case .boolean: out += "B"
        case .date: out += "D"
        case .null: out += "Z"
        case .error: out += "E"
        case .list(let e): out += "L"; type(e, to: &out)
        }
    }

    static func value(_ v: Value, to out: inout String) {
        switch v {
        case .number(let n, let s): out += "n\(n)e\(s)"
        case .string(let s): out += "s"; text(s, to: &out)
        case .boolean(let b): out += b ? "t" : "f"
        case .date(let d): out += "d\(d.number)"
        case .null: out += "z"
        case .list(let items):
            out += "L\(items.count)["
            for i in items { value(i, to: &out); out += "," }
            out += "]"
        }
    }

    static func write(_ e: TypedExpr, to out: inout String) {
        // The static type is part of the key: scales decide how numbers are rounded.
        out += "<"
        type(e.type, to: &out)
        out += e.nullable ? "?>" : ">"
        switch e.node {
        case .constant(let v): out += "c"; value(v, to: &out)
        case .field(let name): out += "f"; text(name, to: &out)
        case .asOf: out += "asof"
        case .dataThreshold(let t): out += t.canonicalKey
        case .derived(let name, let inner):
            out += "D"
            text(name, to: &out)
            out += "("
            write(inner, to: &out)
            out += ")"
        case .negate(let a): out += "neg("; write(a, to: &out); out += ")"
        case .not(let a): out += "not("; write(a, to: &out); out += ")"
        case .and(let a, let b): pair("and", a, b, &out)
        case .or(let a, let b): pair("or", a, b, &out)
        case .arithmetic(let op, let a, let b): pair("a" + op.rawValue, a, b, &out)
        case .comparison(let op, let a, let b): pair("c" + op.rawValue, a, b, &out)
        case .nullTest(let a, let isNull): out += isNull ? "isnull(" : "notnull("; write(a, to: &out); out += ")"
        case .membership(let item, let list, let negated): pair(negated ? "notin" : "in", item, list, &out)
        case .between(let a, let lo, let hi): list("between", [a, lo, hi], &out)
        case .conditional(let c, let t, let f): list("if", [c, t, f], &out)
        case .call(let f, let args): list("call." + f.rawValue, args, &out)
        }
    }

    private static func pair(_ tag: String, _ a: TypedExpr, _ b: TypedExpr, _ out: inout String) {
        list(tag, [a, b], &out)
    }

    private static func list(_ tag: String, _ items: [TypedExpr], _ out: inout String) {
        out += tag + "("
        for (k, i) in items.enumerated() {
            if k > 0 { out += "," }
            write(i, to: &out)
        }
        out += ")"
    }
}
