/// The page `/` serves: the dashboard of the last good results, a banner with the rule
/// files' problems on top, and a small script that follows `/events` and swaps the page's
/// body for the new one without a reload. The dashboard's own Content-Security-Policy is
/// kept, extended by the live script's hash and `connect-src 'self'` (for the events and
/// the fetch of the new page); the same policy goes into every response's header.
struct LivePage: Sendable {
    let html: String
    let policy: String

    static let cspMarker = "<meta http-equiv=\"Content-Security-Policy\" content=\""
    /// The policy when there is no dashboard yet (or it declares none): the dashboard's.
    static let fallbackPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src; img-src data:; base-uri 'none'; form-action 'none'"
    static let liveHash = SHA256.cspSource(liveScript)

    init(good: GoodResults?, diagnostics: [ServedDiagnostic], failure: String?, version: Int, token: String?) {
        var page = good?.dashboardHTML ?? Self.placeholder(computing: failure == nil && diagnostics.isEmpty)
        var policy = Self.fallbackPolicy
        if let start = page.firstRange(of: Self.cspMarker), let end = page[start.upperBound...].firstRange(of: "\">") {
            policy = String(page[start.upperBound..<end.lowerBound])
            page.replaceSubrange(start.upperBound..<end.lowerBound, with: Self.extend(policy))
        } else if let head = page.firstRange(of: "<head>") {
            page.insert(contentsOf: "\n" + Self.cspMarker + Self.extend(policy) + "\">", at: head.upperBound)
        }
        self.policy = Self.extend(policy)
        let banner = Self.banner(diagnostics: diagnostics, failure: failure, stale: good != nil, version: version, token: token)
        if let body = page.firstRange(of: "<body>") {
            page.insert(contentsOf: "\n" + banner, at: body.upperBound)
        } else {
            page = banner + page
        }
        let script = "<script data-live=\"\">" + Self.liveScript + "</script>\n"
        if let end = page.ranges(of: "</body>").last {
            page.insert(contentsOf: script, at: end.lowerBound)
        } else {
            page += script
        }
        html = page
    }

    /// `policy` allowing the live script and connections to this server.
    static func extend(_ policy: String) -> String {
        var p = policy
        if let r = p.firstRange(of: "script-src") {
            p.insert(contentsOf: " " + liveHash, at: r.upperBound)
        } else {
            p += "; script-src " + liveHash
        }
        if !p.contains("connect-src") { p += "; connect-src 'self'" }
        return p
    }

    /// The element the live script reads (version, token) and the problems, if any.
    static func banner(diagnostics: [ServedDiagnostic], failure: String?, stale: Bool, version: Int, token: String?) -> String {
        var out = "<div id=\"prosper-serve\" data-version=\"\(version)\" data-token=\"" + escape(token ?? "") + "\""
        let errors = diagnostics.filter { $0.severity == "error" }.count
        let warnings = diagnostics.count - errors
        guard failure != nil || !diagnostics.isEmpty else { return out + " hidden></div>\n" }
        let bad = failure != nil || errors > 0
        out += " role=\"alert\" style=\"margin:0;padding:.75rem 1rem;font:14px/1.4 system-ui,sans-serif;"
        out += bad ? "background:#fdecea;color:#611a15;border-bottom:2px solid #d32f2f\">" : "background:#fff8e1;color:#4d3b00;border-bottom:2px solid #f9a825\">"
        var title: [String] = []
        if let failure { title.append(escape(failure)) }
        if errors > 0 { title.append("\(errors) error\(errors == 1 ? "" : "s") in the rule files") }
        if warnings > 0 { title.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
        out += "<strong>" + title.joined(separator: "; ") + "</strong>"
        if bad { out += stale ? " — showing the last good results." : " — no results yet." }
        if !diagnostics.isEmpty {
            out += "<ul style=\"margin:.4rem 0 0;padding-left:1.2rem\">"
            for d in diagnostics { out += "<li class=\"diagnostic " + escape(d.severity) + "\"><code>" + escape(d.text) + "</code></li>" }
            out += "</ul>"
        }
        return out + "</div>\n"
    }

    static func placeholder(computing: Bool) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" + cspMarker + fallbackPolicy + "\">\n<title>Customer dashboard</title>\n</head>\n<body>\n"
            + "<main style=\"font:16px/1.5 system-ui,sans-serif;padding:2rem\"><h1>Customer dashboard</h1><p>"
            + (computing ? "Computing the results…" : "No results: fix the problems above.") + "</p></main>\n</body>\n</html>\n"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Follows `/events`; on a newer version fetches `/` and swaps the body in place (no
    /// reload), then runs the dashboard's own script again (allowed by its hash).
    static let liveScript = """
    (function(){
      if(window.prosperServe)return;
      var el=document.getElementById("prosper-serve");
      var token=el?el.getAttribute("data-token"):"";
      var q=token?"?token="+encodeURIComponent(token):"";
      var state={shown:el?+el.getAttribute("data-version"):0,wanted:0,busy:false,updates:0};
      window.prosperServe=state;
      function swap(text){
        var doc=new DOMParser().parseFromString(text,"text/html");
        var b=doc.getElementById("prosper-serve");
        var v=b?+b.getAttribute("data-version"):0;
        if(v<=state.shown)return;
        var texts=[];
        Array.prototype.forEach.call(doc.body.querySelectorAll("script"),function(s){
          if(!s.hasAttribute("data-live"))texts.push(s.textContent);
          s.parentNode.removeChild(s);
        });
        document.title=doc.title;
        var nodes=Array.prototype.map.call(doc.body.childNodes,function(n){return document.importNode(n,true);});
        document.body.replaceChildren.apply(document.body,nodes);
        texts.forEach(function(t){var s=document.createElement("script");s.textContent=t;document.body.appendChild(s);});
        state.shown=v;state.updates++;
        document.dispatchEvent(new CustomEvent("prosper-serve-update",{detail:v}));
      }
      function load(){
        if(state.busy)return;
        state.busy=true;
        fetch("/"+q,{cache:"no-store"}).then(function(r){return r.ok?r.text():"";}).then(function(t){if(t)swap(t);}).catch(function(){}).then(function(){
          state.busy=false;
          if(state.wanted>state.shown)setTimeout(load,50);
        });
      }
      var es=new EventSource("/events"+q);
      es.addEventListener("version",function(e){
        var v=+e.data;
        if(v>state.wanted)state.wanted=v;
        if(v>state.shown)load();
      });
    })();
    """
}
