@testable import ProsperServe
import Testing

/// The page's live script is allowed by its hash; the hash function is SHA-256.
@Suite struct LivePageTests {
    @Test(arguments: [
        ("", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="),
        ("abc", "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="),
        (String(repeating: "a", count: 1000), "Qe3s5C1j6Nm/UVqbppMuHCDLyfWl0TRkWttdsblzfqM="),
    ])
    func sha256(input: String, base64: String) {
        #expect(SHA256.cspSource(input) == "'sha256-\(base64)'")
    }

    @Test func theBannerEscapesMessages() {
        let d = ServedDiagnostic(file: "rules/<x>.yaml", line: 3, column: 5, severity: "error", message: "unknown field 'a<b>'")
        let html = LivePage.banner(diagnostics: [d], failure: nil, stale: true, version: 2, token: nil)
        #expect(html.contains("rules/&lt;x&gt;.yaml:3:5: error: unknown field &#39;a&lt;b&gt;&#39;"))
        #expect(!html.contains("<x>"))
    }

    @Test func thePolicyGainsTheLiveScriptAndConnectSrc() {
        let p = LivePage.extend("default-src 'none'; script-src 'sha256-X'; img-src data:")
        #expect(p == "default-src 'none'; script-src \(LivePage.liveHash) 'sha256-X'; img-src data:; connect-src 'self'")
    }
}
