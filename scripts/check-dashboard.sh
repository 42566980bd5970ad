#!/usr/bin/env bash
# Renders the demo dashboard in headless Chromium at desktop (1366 px) and phone (390 px)
# widths, saves full-page screenshots to docs/dashboard-desktop.png and
# docs/dashboard-phone.png, and fails when the page logs a console error, throws, makes
# any network request, overflows the phone width, or renders blank (a near-single-colour
# screenshot, or a chart with no marks). Also clicks a table header to check sorting.
#
#   scripts/check-dashboard.sh            # build, render, check, write the screenshots
#   CHROMIUM=/path/to/chrome scripts/check-dashboard.sh
#   DASHBOARD_HTML=file.html scripts/check-dashboard.sh   # check a given page instead
#   SHOTS=DIR scripts/check-dashboard.sh  # screenshots into DIR instead of docs/ (CI)
#
# Needs chromium (apt-get install -y chromium) and python3 (standard library only: the
# DevTools protocol is spoken over --remote-debugging-pipe, no websocket package).
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [ -z "$CHROMIUM" ]; then
  echo "check-dashboard: chromium not found (apt-get install -y chromium)" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

html="${DASHBOARD_HTML:-}"
if [ -z "$html" ]; then
  swift build --product prosper-rules >/dev/null
  bin="$(swift build --show-bin-path)/prosper-rules"
  "$bin" demo --out "$work/data" >/dev/null
  html="$work/dashboard.html"
  "$bin" dashboard --rules rules --data "$work/data" --limit 10 --out "$html"
fi

# Static checks: nothing that could reach the network.
if grep -Eiq 'https?://|<link|<img|<iframe|<object|<embed|@import|[[:space:]]src=' "$html"; then
  echo "check-dashboard: the page references something outside itself:" >&2
  grep -Eino 'https?://[^"'"'"' <]*|<link[^>]*|<img[^>]*|<iframe|<object|<embed|@import|[[:space:]]src=[^ >]*' "$html" | head -5 >&2
  exit 1
fi
size=$(wc -c < "$html")
if [ "$size" -ge 2000000 ]; then
  echo "check-dashboard: the page is $size bytes (limit 2 MB)" >&2
  exit 1
fi

shots="${SHOTS:-docs}"
mkdir -p "$shots"
python3 - "$CHROMIUM" "$html" "$work/profile" "$shots/dashboard-desktop.png" "$shots/dashboard-phone.png" <<'PY'
import base64, json, os, struct, subprocess, sys, time, zlib

chromium, html, profile, desktop_png, phone_png = sys.argv[1:6]
url = "file://" + os.path.abspath(html)

# Chromium reads DevTools commands from fd 3 and writes replies to fd 4 (NUL-separated JSON).
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()
def child_fds():
    a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)   # above 4, so the dup2s cannot clash
    os.dup2(a, 3); os.dup2(b, 4)
    os.set_inheritable(3, True); os.set_inheritable(4, True)
proc = subprocess.Popen(
    [chromium, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
     "--hide-scrollbars", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
     "--disable-background-networking", "--disable-component-update", "--disable-sync",
     "--user-data-dir=" + profile, "about:blank"],
    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    preexec_fn=child_fds, close_fds=False)
os.close(to_chrome_r); os.close(from_chrome_w)
out = os.fdopen(to_chrome_w, "wb", buffering=0)
inp = os.fdopen(from_chrome_r, "rb", buffering=0)

buf = b""; next_id = 0; events = []
def read_message():
    global buf
    while b"\0" not in buf:
        chunk = inp.read(1 << 16)
        if not chunk:
            raise SystemExit("check-dashboard: chromium closed the DevTools pipe")
        buf += chunk
    msg, buf = buf.split(b"\0", 1)
    return json.loads(msg)

def send(method, params=None, session=None, timeout=60):
    global next_id
    next_id += 1
    msg = {"id": next_id, "method": method, "params": params or {}}
    if session: msg["sessionId"] = session
    out.write(json.dumps(msg).encode() + b"\0")
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = read_message()
        if m.get("id") == next_id:
            if "error" in m: raise SystemExit(f"check-dashboard: {method}: {m['error']}")
            return m.get("result", {})
        events.append(m)
    raise SystemExit(f"check-dashboard: {method} timed out")

def wait_event(name, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for i, e in enumerate(events):
            if e.get("method") == name:
                return events.pop(i)
        events.append(read_message())
    raise SystemExit(f"check-dashboard: no {name} event")

def png_rows(data):
    """Decodes an 8-bit RGB/RGBA PNG into rows of pixel tuples (small images only)."""
    pos = 8; idat = b""; w = h = 0; ctype = 2
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
        if kind == b"IHDR": w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT": idat += body
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat); stride = w * bpp; prev = bytearray(stride); rows = []; p = 0
    for _ in range(h):
        f = raw[p]; line = bytearray(raw[p + 1:p + 1 + stride]); p += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, bpp)]); prev = line
    return rows

failures = []
try:
    targets = send("Target.getTargets")["targetInfos"]
    page = next(t for t in targets if t["type"] == "page")
    session = send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        send(domain + ".enable", session=session)

    for name, width, height, mobile, path in (("desktop", 1366, 900, False, desktop_png), ("phone", 390, 844, True, phone_png)):
        events.clear()
        send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}, session)
        send("Page.navigate", {"url": url}, session)
        wait_event("Page.loadEventFired")
        time.sleep(0.3)
        def js(expr):
            r = send("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session)
            if "exceptionDetails" in r: failures.append(f"{name}: script check failed: {r['exceptionDetails'].get('text')}"); return None
            return r["result"].get("value")
        stats = js("""(() => {
          // Each chart comes laid out twice (wide and phone); the stylesheet shows one.
          const charts = [...document.querySelectorAll('svg.chart')].filter(s => getComputedStyle(s).display !== 'none');
          const empty = charts.filter(s => s.querySelectorAll('.marks rect, .marks path, .marks circle').length === 0).map(s => s.id);
          const untitled = charts.filter(s => !s.querySelector('title') || !s.querySelector('desc')).map(s => s.id);
          const tiny = charts.filter(s => s.getBoundingClientRect().width < 200).map(s => s.id);
          const hiddenBoth = [...document.querySelectorAll('figure')].filter(f => f.querySelector('svg.chart') && ![...f.querySelectorAll('svg.chart')].some(s => getComputedStyle(s).display !== 'none')).length;
          return {charts: charts.length, empty, untitled, tiny, hiddenBoth, tables: document.querySelectorAll('table.data').length,
                  text: document.body.innerText.length, scrollWidth: document.documentElement.scrollWidth,
                  height: document.documentElement.scrollHeight};
        })()""") or {}
        if stats.get("charts", 0) < 6: failures.append(f"{name}: {stats.get('charts')} charts (expected at least 6)")
        if stats.get("empty"): failures.append(f"{name}: charts with no marks: {stats['empty']}")
        if stats.get("untitled"): failures.append(f"{name}: charts without <title>/<desc>: {stats['untitled']}")
        if stats.get("hiddenBoth"): failures.append(f"{name}: {stats['hiddenBoth']} chart cards show no chart")
        if stats.get("tiny"): failures.append(f"{name}: charts narrower than 200 px: {stats['tiny']}")
        if stats.get("tables", 0) < 6: failures.append(f"{name}: {stats.get('tables')} tables (expected at least 6)")
        if stats.get("text", 0) < 500: failures.append(f"{name}: almost no text on the page")
        if stats.get("scrollWidth", 0) > width: failures.append(f"{name}: page is {stats['scrollWidth']} px wide at a {width} px viewport (horizontal scrolling)")
        # Sorting: a click on a numeric header orders the column descending.
        sorted_ok = js("""(() => {
          const t = document.querySelector('table.data th.num button'); if (!t) return 'no sortable header';
          const th = t.parentElement, table = th.closest('table'), col = [...th.parentElement.children].indexOf(th);
          t.click();
          const v = [...table.tBodies[0].rows].map(r => parseFloat(r.cells[col].getAttribute('data-v')));
          for (let i = 1; i < v.length; i++) if (v[i - 1] < v[i]) return 'not sorted: ' + v.join(',');
          if (th.getAttribute('aria-sort') !== 'descending') return 'aria-sort not set';
          t.click(); return 'ok';
        })()""")
        if sorted_ok != "ok": failures.append(f"{name}: sorting: {sorted_ok}")
        # Full-page screenshot, and a small one for the blank check.
        h = min(int(stats.get("height", height)), 16000)
        shot = send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                               "clip": {"x": 0, "y": 0, "width": width, "height": h, "scale": 1}}, session)
        with open(path, "wb") as f: f.write(base64.b64decode(shot["data"]))
        small = send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                "clip": {"x": 0, "y": 0, "width": width, "height": min(h, 3000), "scale": 0.1}}, session)
        pixels = [p for row in png_rows(base64.b64decode(small["data"])) for p in row]
        colours = len(set(pixels))
        commonest = max(pixels.count(c) for c in set(pixels)) if pixels else 0
        if colours < 16 or commonest > 0.97 * len(pixels):
            failures.append(f"{name}: the screenshot looks blank ({colours} colours)")
        # Everything the page did while loading and sorting.
        for e in events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                failures.append(f"{name}: console {p['type']}: " + " ".join(str(a.get('value', a.get('description', ''))) for a in p.get("args", [])))
            elif m == "Runtime.exceptionThrown":
                failures.append(f"{name}: uncaught exception: {p['exceptionDetails'].get('text')} {p['exceptionDetails'].get('exception', {}).get('description', '')}")
            elif m == "Log.entryAdded" and p["entry"].get("level") in ("error", "warning"):
                failures.append(f"{name}: log {p['entry']['level']}: {p['entry'].get('text')} {p['entry'].get('url', '')}")
            elif m == "Network.requestWillBeSent" and p["request"]["url"] != url:
                failures.append(f"{name}: network request: {p['request']['url'][:200]}")
        print(f"check-dashboard: {name} {width} px: {stats.get('charts')} charts, {stats.get('tables')} tables, "
              f"page {stats.get('scrollWidth')}x{stats.get('height')} px, {colours} colours in the thumbnail -> {path}")
finally:
    try: send("Browser.close", timeout=5)
    except BaseException: pass
    try: proc.wait(timeout=10)
    except subprocess.TimeoutExpired: proc.kill()

if failures:
    for f in failures: print("check-dashboard: FAIL " + f, file=sys.stderr)
    sys.exit(1)
print("check-dashboard: ok")
PY
