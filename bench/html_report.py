"""HTML report at scale: render a 100k-segment report and time it in headless Chromium.

The report dict comes from a real ``evaluate`` run on WMT23 zh-en (1,976
segments, GPT4-5shot, BLEU/chrF/TER and the checks), repeated to the requested
size. Each copy's reference gets a distinct suffix so that the page's text
table cannot deduplicate the copies away: the page carries 100k distinct
references and hypotheses, as a real 100k-segment test set would.

Measured:
- Python: ``render_html`` time and the HTML size (with the JSON size for scale);
- Chromium (``--headless``, fresh profile, no network): time from navigation
  start to ``window.__evalharnessReady`` (set by the page script after the
  first rows are rendered and every control is wired: time to interactive),
  median of several loads; then, on the open page, the time of a filter
  (only segments with findings), a sort (chrF ascending), a text search, and a
  deep link to the last segment.

Usage: python bench/html_report.py [--segments N] [--loads K]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from typing import Any

from _util import OUT, REPO, parse_args, table, wmt_dir

sys.path.insert(0, str(REPO))

from evalharness.report.html_report.render import render_html  # noqa: E402

CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1280,1000",
]  # fmt: skip

INTERACTIONS = {
    "filter: only segments with findings": (
        "var c = document.getElementById('f-errors'); c.click();"
    ),
    "sort: chrF ascending": (
        "var s = document.getElementById('f-sort'); s.value = 'm:1:asc';"
        "s.dispatchEvent(new Event('change'));"
    ),
    "search: 'the government'": (
        "var q = document.getElementById('f-search'); q.value = 'the government';"
        "document.getElementById('controls').requestSubmit();"
    ),
    "deep link: last segment": "location.hash = '#seg-{last}';",
}


def base_report() -> dict[str, Any]:
    """The WMT23 run (cached under bench/out: the first run takes about a minute)."""
    cached = OUT / "wmt23.gpt4.report.json"
    if not cached.exists():
        from evalharness.pipeline import EvaluateOptions, evaluate
        from evalharness.report.serialize import write_json

        options = EvaluateOptions(fmt="lines", metrics=("bleu", "chrf", "ter"))
        run = evaluate(
            wmt_dir() / "generaltest2023.zh-en.ref.refA.en",
            [wmt_dir() / "generaltest2023.zh-en.hyp.GPT4-5shot.en"],
            options=options,
        )
        write_json(run.to_dict(), cached)
    return json.loads(cached.read_text(encoding="utf-8"))


def scaled_report(base: dict[str, Any], n: int) -> dict[str, Any]:
    """``base`` with its first system's segments repeated to ``n``, each reference made distinct."""
    system = base["systems"][0]
    segments = system["segments"]
    scaled = []
    for i in range(n):
        seg = dict(segments[i % len(segments)])
        seg.pop("stats", None)
        seg["id"] = i
        copy = i // len(segments)
        if copy and seg["ref"]:
            seg["ref"] = f"{seg['ref']} [{copy}]"
        scaled.append(seg)
    return {**base, "systems": [{**system, "segments": scaled}]}


def open_browser() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tempfile.mkdtemp(prefix='eh-bench-')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


PHASES_JS = """
var nav = performance.getEntriesByType('navigation')[0];
var mark = function (n) { var m = performance.getEntriesByName(n)[0]; return m ? m.startTime : null; };
return {ready: window.__evalharnessReady || null, response: nav.responseEnd,
        script: mark('evalharness-script'), parsed: mark('evalharness-parsed')};
"""


def time_to_interactive(driver: Any, url: str) -> dict[str, float]:
    """Milliseconds from navigation start to: file read, script start, JSON parsed, ready."""
    driver.get("about:blank")
    driver.get(url)
    for _ in range(600):
        phases = driver.execute_script(PHASES_JS)
        if phases["ready"] is not None:
            return {k: float(v or 0.0) for k, v in phases.items()}
        time.sleep(0.05)
    raise RuntimeError("the page never became ready")


def time_interaction(driver: Any, script: str) -> float:
    """Milliseconds a synchronous interaction takes (events are handled before it returns)."""
    return float(
        driver.execute_script(
            "var t0 = performance.now();" + script + "return performance.now() - t0;"
        )
    )


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--loads", type=int, default=3)
    args = parse_args(parser)
    report = scaled_report(base_report(), args.segments)
    started = time.perf_counter()
    page = render_html(report)
    render_s = time.perf_counter() - started
    path = OUT / f"report.{args.segments}.html"
    path.write_text(page, encoding="utf-8")
    json_mb = len(json.dumps(report, ensure_ascii=False).encode()) / 1e6
    html_mb = len(page.encode()) / 1e6

    driver = open_browser()
    try:
        url = path.as_uri()
        loads = [time_to_interactive(driver, url) for _ in range(args.loads)]
        timings = {
            label: time_interaction(driver, script.replace("{last}", str(args.segments - 1)))
            for label, script in INTERACTIONS.items()
        }
        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    finally:
        driver.quit()

    ready = [p["ready"] for p in loads]
    tti = statistics.median(ready)
    median = loads[ready.index(tti)]
    rows = [["measure", "value"]]
    rows += [
        ["segments", f"{args.segments:,}"],
        ["render_html (Python)", f"{render_s:.2f} s"],
        ["HTML size", f"{html_mb:.1f} MB (JSON report without stats: {json_mb:.1f} MB)"],
        [
            "time to interactive (median of "
            f"{len(loads)}; all: {', '.join(f'{x:.0f}' for x in ready)} ms)",
            f"{tti:.0f} ms",
        ],
        ["of which: file read (responseEnd)", f"{median['response']:.0f} ms"],
        [
            "of which: HTML parsed up to the page script",
            f"{median['script'] - median['response']:.0f} ms",
        ],
        ["of which: JSON.parse of the data block", f"{median['parsed'] - median['script']:.0f} ms"],
        ["of which: indexes, controls, first rows", f"{median['ready'] - median['parsed']:.0f} ms"],
    ]
    rows += [[label, f"{ms:.0f} ms"] for label, ms in timings.items()]
    rows += [["browser console errors", str(len(errors))]]
    verdict = "within" if tti < 3000 else "OVER"
    return (
        f"### HTML report, {args.segments:,} segments, headless Chromium\n\n{table(rows)}\n\n"
        f"Time to interactive is {verdict} the 3 s target.\n"
    )


if __name__ == "__main__":
    print(main())
