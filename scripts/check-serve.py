#!/usr/bin/env python3
"""`prosper-rules serve` in a real browser (issue 15).

Starts `prosper-rules serve --port 0` on a temporary copy of the sample project (rules/ and
examples/data, or --data DIR for another data set), checks that /api/report is byte for
byte `report --format json`, then drives Debian's Chromium with Playwright:

  1. opens the page and marks the window (a reload would lose the mark);
  2. edits a threshold in rules/churn.yaml and waits for the key figures to change
     WITHOUT a reload (the mark survives), timing save -> DOM update;
  3. writes an expression error and waits for the diagnostic (file:line:column) on top
     of the page, the last good figures still shown;
  4. fixes the file and waits for the diagnostic to go; sorts a table (the dashboard's
     own script ran again after the swap);
  5. fails on any console error (a CSP violation logs one) or page error;
  6. stops the server with SIGINT and expects exit 0.

    .bench/venv/bin/python scripts/check-serve.py                 # builds, runs, checks
    .bench/venv/bin/python scripts/check-serve.py --data /path/n1m --edits 5 --bin .build/release/prosper-rules

Needs `pip install playwright` (the browser download is not needed: Chromium is launched
from `shutil.which("chromium")`). Prints the save -> update times in milliseconds.
"""
import argparse, os, re, shutil, signal, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THRESHOLD = "  inactive_days: 45"
BROKEN = ("when: days_inactive >= inactive_days", "when: days_inactiv >= inactive_days")


def fail(msg):
    print("check-serve: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", help="the prosper-rules binary (default: swift build, debug)")
    ap.add_argument("--data", help="a data folder to serve instead of examples/data (read in place)")
    ap.add_argument("--edits", type=int, default=3, help="threshold edits to time")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each update")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    binary = args.bin
    if not binary:
        subprocess.run(["swift", "build", "--product", "prosper-rules"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        binary = os.path.join(subprocess.check_output(["swift", "build", "--show-bin-path"], cwd=ROOT, text=True).strip(), "prosper-rules")
    binary = os.path.abspath(binary)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        fail("chromium not found (apt-get install -y chromium)")

    work = tempfile.mkdtemp(prefix="check-serve-")
    server = None
    try:
        os.mkdir(os.path.join(work, "rules"))
        for name in sorted(os.listdir(os.path.join(ROOT, "rules"))):
            if name.endswith(".yaml"):
                shutil.copy(os.path.join(ROOT, "rules", name), os.path.join(work, "rules", name))
        data = os.path.abspath(args.data) if args.data else os.path.join(work, "data")
        if not args.data:
            shutil.copytree(os.path.join(ROOT, "examples", "data"), data)
        as_of = "" if args.data else "as_of: 2026-11-01\n"
        with open(os.path.join(work, "prosper.yaml"), "w") as f:
            f.write(f"data: {data}\nrules: rules\n{as_of}")
        churn_path = os.path.join(work, "rules", "churn.yaml")
        churn = open(churn_path).read()
        if THRESHOLD not in churn or BROKEN[0] not in churn:
            fail("rules/churn.yaml no longer has the lines this check edits")

        def save(text):  # as an editor saves: a new file renamed over the old one
            tmp = churn_path + ".tmp"
            with open(tmp, "w") as f:
                f.write(text)
            os.replace(tmp, churn_path)

        server = subprocess.Popen([binary, "serve", "--port", "0", "--no-cache"], cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = server.stdout.readline()
        m = re.match(r"listening on (http://127\.0\.0\.1:\d+/)", line)
        if not m:
            fail("no 'listening on' line: " + line + server.stderr.read())
        base = m.group(1)

        def get(path):
            with urllib.request.urlopen(base + path.lstrip("/"), timeout=args.timeout) as r:
                return r.read()

        deadline = time.time() + max(args.timeout, 600 if args.data else 60)
        while b'"results": true' not in get("/healthz"):
            if time.time() > deadline:
                fail("no results in time")
            time.sleep(0.2)

        # The API serves the bytes `report --format json` prints.
        served = get("/api/report")
        direct = subprocess.run([binary, "report", "--format", "json", "--no-cache"], cwd=work, capture_output=True, check=True).stdout
        if served != direct:
            fail(f"/api/report ({len(served)} bytes) differs from report --format json ({len(direct)} bytes)")
        print(f"check-serve: /api/report = report --format json ({len(served)} bytes)")

        problems = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page()
            page.on("console", lambda msg: problems.append("console: " + msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda err: problems.append("page error: " + str(err)))
            page.goto(base)
            page.wait_for_function("() => window.prosperServe !== undefined")
            page.evaluate("() => { window.checkServeMark = 42; }")
            kpis = lambda: page.inner_text("section.kpis")

            times = []
            values = [3, 30, 7, 60, 5, 20, 10, 90, 15, 40]
            for k in range(args.edits):
                before, updates = kpis(), page.evaluate("() => window.prosperServe.updates")
                new = values[k % len(values)]
                started = time.perf_counter()
                save(churn.replace(THRESHOLD, f"  inactive_days: {new}"))
                page.wait_for_function("([n]) => window.prosperServe.updates > n", arg=[updates], timeout=args.timeout * 1000, polling=5)
                times.append((time.perf_counter() - started) * 1000)
                if page.evaluate("() => window.checkServeMark") != 42:
                    fail("the page was reloaded (the window mark is gone)")
                if kpis() == before and k == 0:
                    fail("the key figures did not change after inactive_days -> %d" % new)
            print("check-serve: save -> page updated (ms): " + ", ".join(f"{t:.0f}" for t in times)
                  + f"; median {statistics.median(times):.0f}")

            # An error: shown on top with its place, the last good results kept.
            good = kpis()
            save(churn.replace(BROKEN[0], BROKEN[1]))
            page.wait_for_selector("#prosper-serve[role=alert]", timeout=args.timeout * 1000)
            banner = page.inner_text("#prosper-serve")
            if not re.search(r"churn\.yaml:\d+:\d+: error:", banner):
                fail("the diagnostic on the page has no file:line:column: " + banner)
            if kpis() != good:
                fail("the last good results were not kept while the rules have an error")
            print("check-serve: error shown: " + banner.splitlines()[-1])

            # Fixed: the diagnostic goes, the page still live and sortable.
            save(churn)
            page.wait_for_selector("#prosper-serve[role=alert]", state="detached", timeout=args.timeout * 1000)
            if page.evaluate("() => window.checkServeMark") != 42:
                fail("the page was reloaded")
            page.click("table.data thead th button")
            if not page.query_selector("table.data thead th[aria-sort]"):
                fail("the tables are not sortable after the update (the dashboard script did not run again)")
            browser.close()
        if problems:
            fail("; ".join(problems[:5]))

        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            fail("the server did not stop within 20 s of SIGINT")
        if code != 0:
            fail(f"the server exited {code} after SIGINT: {server.stderr.read()}")
        server = None
        print("check-serve: ok")
    finally:
        if server is not None:
            server.kill()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
