"""The HTML report in headless Chromium: loads cleanly, filters, sorts, deep links, stays inert.

One browser session for the module. The seed report is the real pipeline's
output on references/bbc.md vs hypotheses/bbc-garbled.txt; the hostile and
multi-system cases use ``sample_report`` from ``test_html.py``.

Set ``EVALHARNESS_DOCS_SCREENSHOT=1`` to also refresh the README's screenshots
(docs/img/report.png and docs/img/report-segment.png).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import chromium_session
from test_html import HOSTILE, HOSTILE_IMG, HOSTILE_LINK, HOSTILE_SCRIPT, sample_report

from evalharness.cli.app import run_cli
from evalharness.report.html_report.render import write_html

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "tests" / "artifacts"


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with chromium_session() as browser:
        yield browser


@pytest.fixture(scope="module")
def seed_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed pair through ``evaluate --html``, default metrics (COMET offline: unavailable)."""
    out = tmp_path_factory.mktemp("seed")
    ref = os.path.relpath(REPO / "references" / "bbc.md")
    hyp = os.path.relpath(REPO / "hypotheses" / "bbc-garbled.txt")
    result = run_cli(
        ["evaluate", "--ref", ref, "--hyp", hyp, "--quiet",
         "--json", str(out / "report.json"), "--html", str(out / "report.html")]
    )  # fmt: skip
    assert result.exit_status == 0, result.stderr
    return out / "report.html"


@pytest.fixture(scope="module")
def sample_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two systems, hostile text, 300 extra segments (more than the first rendered chunk)."""
    path = tmp_path_factory.mktemp("sample") / "report.html"
    write_html(sample_report(extra_segments=300), path)
    return path


def load(driver: Any, path: Path, fragment: str = "") -> None:
    driver.get("about:blank")
    driver.get_log("browser")  # drop earlier messages
    driver.get(path.as_uri() + fragment)
    for _ in range(200):
        if driver.execute_script("return window.__evalharnessReady || null") is not None:
            return
        time.sleep(0.05)
    raise AssertionError("page never became ready")


def wait_for(driver: Any, condition: Any, timeout: float = 10.0) -> Any:
    """Poll ``condition(driver)`` until truthy (debounced input, observers); no timing assertion."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(condition)


def rows(driver: Any) -> list[Any]:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, "#rows > article.seg")


def row_ids(driver: Any) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#rows > article.seg')).map(r => r.id)"
    )


def seed_segments(seed_html: Path) -> int:
    """Segments of the seed run (from the JSON written next to the HTML)."""
    report = json.loads((seed_html.parent / "report.json").read_text(encoding="utf-8"))
    return len(report["systems"][0]["segments"])


def count_text(driver: Any) -> str:
    return driver.find_element("id", "count").text


def severe_logs(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e.get("level") in ("SEVERE", "WARNING")]


def in_viewport(driver: Any, element: Any) -> bool:
    """Whether the element's top is on screen and below the sticky controls."""
    return driver.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "var c = document.getElementById('controls').getBoundingClientRect();"
        "return r.top >= c.bottom - 1 && r.top < window.innerHeight;",
        element,
    )


def test_seed_report_loads_without_console_errors_and_screenshots(
    driver: Any, seed_html: Path
) -> None:
    load(driver, seed_html)
    assert severe_logs(driver) == []
    total = seed_segments(seed_html)
    assert total > 40
    assert len(rows(driver)) == 40  # the first chunk of rows
    assert f"{total} of {total} segments match" in count_text(driver)
    comet = driver.find_element("css selector", "#panel-0 .comet-status").text
    assert "unavailable" in comet and "HF_HUB_OFFLINE" in comet
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "report.png"))
    if os.environ.get("EVALHARNESS_DOCS_SCREENSHOT") == "1":
        driver.set_window_size(1280, 1800)
        driver.save_screenshot(str(REPO / "docs" / "img" / "report.png"))
        driver.set_window_size(1280, 1000)


def test_seed_findings_spans_are_visible_with_message_on_focus(
    driver: Any, seed_html: Path
) -> None:
    report = json.loads((seed_html.parent / "report.json").read_text(encoding="utf-8"))
    seg = next(
        s["id"]
        for s in report["systems"][0]["segments"]
        if any(e["hyp_span"] == "University of Assisi" for e in s["errors"])
    )
    load(driver, seed_html, f"#seg-{seg}")
    row = driver.find_element("id", f"seg-{seg}")
    marks = {m.text: m for m in row.find_elements("css selector", "mark.err")}
    assert "University of Assisi" in marks, list(marks)
    mark = marks["University of Assisi"]
    assert mark.is_displayed() and "sev-major" in mark.get_attribute("class")
    tip = driver.find_element("id", mark.get_attribute("aria-describedby"))
    assert not tip.is_displayed()
    driver.execute_script("arguments[0].focus()", mark)
    assert tip.is_displayed() and "Icesi University" in tip.text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    row.screenshot(str(ARTIFACTS / "segment-focus.png"))
    driver.execute_script("arguments[0].scrollIntoView()", row)
    assert in_viewport(driver, mark)  # not hidden under the sticky controls
    if os.environ.get("EVALHARNESS_DOCS_SCREENSHOT") == "1":
        driver.save_screenshot(str(REPO / "docs" / "img" / "report-segment.png"))


def test_filter_reduces_rows(driver: Any, seed_html: Path) -> None:
    load(driver, seed_html)
    before = len(rows(driver))
    driver.find_element("id", "f-errors").click()
    after = rows(driver)
    assert 0 < len(after) < before
    assert all(r.find_elements("css selector", "ul.findings li") for r in after)
    assert count_text(driver).startswith(f"{len(after)} of {seed_segments(seed_html)}")
    # Severity filter on top: only rows with a major finding.
    driver.execute_script(
        "var s = document.getElementById('f-severity'); s.value = '1';"
        "s.dispatchEvent(new Event('change'));"
    )
    major = rows(driver)
    assert 0 < len(major) < len(after)
    assert all(r.find_elements("css selector", ".badge.sev-major") for r in major)


def test_search_and_category_filters(driver: Any, seed_html: Path) -> None:
    load(driver, seed_html)
    everything = f"{seed_segments(seed_html)} of"
    search = driver.find_element("id", "f-search")
    search.send_keys("Rouvinski")
    wait_for(driver, lambda d: not count_text(d).startswith(everything))  # the input is debounced
    found = rows(driver)
    assert found and all("Rouvinski" in r.text for r in found)
    driver.find_element("id", "f-reset").click()
    wait_for(driver, lambda d: count_text(d).startswith(everything))
    driver.find_element("css selector", 'button[data-category="accuracy/addition"]').click()
    added = rows(driver)
    assert added and all("accuracy/addition" in r.text for r in added)


def test_sorting_reorders_rows(driver: Any, seed_html: Path) -> None:
    load(driver, seed_html)
    doc_order = row_ids(driver)
    driver.execute_script(
        "var s = document.getElementById('f-sort'); s.value = 'm:1:asc';"
        "s.dispatchEvent(new Event('change'));"
    )
    sorted_ids = row_ids(driver)
    assert sorted_ids != doc_order
    chrf = driver.execute_script(
        "return Array.from(document.querySelectorAll('#rows > article.seg .seg-scores div'))"
        ".filter(d => d.firstChild.textContent === 'chrF')"
        ".map(d => parseFloat(d.lastChild.textContent))"
    )
    assert len(chrf) == len(sorted_ids) and chrf == sorted(chrf)


def test_deep_link_to_a_lazily_rendered_segment(driver: Any, sample_html: Path) -> None:
    load(driver, sample_html, "#seg-250")
    assert "seg-0" not in row_ids(driver)  # rendered around the target, not from the top
    row = driver.find_element("id", "seg-250")
    assert "target" in row.get_attribute("class")
    assert in_viewport(driver, row)
    assert driver.execute_script("return document.activeElement.id") == "seg-250"
    # A strip link in the summary jumps too, even with a filter hiding the segment.
    driver.find_element("id", "f-errors").click()
    driver.find_element("css selector", 'svg.strip a[href="#sys-0-seg-150"]').click()
    row = driver.find_element("id", "seg-150")
    assert "target" in row.get_attribute("class") and in_viewport(driver, row)
    assert not driver.find_element("id", "f-errors").is_selected()  # filters reset to show it
    assert severe_logs(driver) == []


def test_rows_render_lazily_and_more_can_be_shown(driver: Any, sample_html: Path) -> None:
    load(driver, sample_html)
    first = len(rows(driver))
    assert 0 < first < 306
    driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    wait_for(driver, lambda d: len(rows(d)) > first)  # the observer appends the next chunk
    more = driver.find_element("id", "more-after")
    assert more.is_displayed() and len(rows(driver)) < 306
    count = len(rows(driver))
    driver.execute_script("arguments[0].focus()", more)
    more.send_keys(" ")  # the keyboard path to more rows
    assert len(rows(driver)) > count


def test_hostile_text_shows_as_text_and_never_runs(driver: Any, sample_html: Path) -> None:
    load(driver, sample_html, "#seg-3")
    assert driver.execute_script("return typeof window.pwned") == "undefined"
    row = driver.find_element("id", "seg-3")
    text = row.text
    for hostile in (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_LINK):
        assert hostile in text
    assert HOSTILE.split(" and ")[0] in text
    assert not row.find_elements("css selector", "script, img, a[href^='javascript']")
    assert not driver.find_elements("css selector", "#rows img, #rows script")
    # The critical finding's span (the script tag text) is highlighted as text.
    mark = row.find_element("css selector", "mark.err.sev-critical")
    assert mark.text == HOSTILE_SCRIPT
    # System names and the title are text too.
    assert HOSTILE_SCRIPT in driver.find_element("id", "tab-1").text
    assert HOSTILE_SCRIPT in driver.title
    assert driver.execute_script("return typeof window.pwned") == "undefined"
    assert severe_logs(driver) == []


def test_panel_link_selects_its_system(driver: Any, sample_html: Path) -> None:
    load(driver, sample_html, "#panel-1")
    assert driver.find_element("id", "panel-1").is_displayed()
    assert driver.find_element("id", "tab-1").get_attribute("aria-selected") == "true"


def test_keyboard_tabs_switch_system_and_compare_view(driver: Any, sample_html: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    load(driver, sample_html)
    tab0 = driver.find_element("id", "tab-0")
    driver.execute_script("arguments[0].focus()", tab0)
    tab0.send_keys(Keys.ARROW_RIGHT)
    assert driver.find_element("id", "tab-1").get_attribute("aria-selected") == "true"
    assert driver.execute_script("return document.activeElement.id") == "tab-1"
    assert driver.find_element("id", "panel-1").is_displayed()
    assert not driver.find_element("id", "panel-0").is_displayed()
    first = rows(driver)[0]
    assert "Then The rector" in first.text  # system 2's hypothesis
    first.find_element("css selector", "button.compare-btn").send_keys(Keys.ENTER)
    dialog = driver.find_element("id", "compare")
    assert dialog.get_attribute("open") is not None
    blocks = dialog.find_elements("css selector", "section.cmp-sys")
    assert len(blocks) == 2
    assert "The rector of University of Assisi" in blocks[0].text
    assert "Then The rector" in blocks[1].text
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert dialog.get_attribute("open") is None


def test_print_media_hides_controls_and_shows_every_system(driver: Any, sample_html: Path) -> None:
    load(driver, sample_html)
    assert len(rows(driver)) < 306
    driver.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    assert len(rows(driver)) == 306  # every matching row is printed (below 2,000)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not driver.find_element("id", "controls").is_displayed()
        assert driver.find_element("id", "panel-1").is_displayed()
        assert driver.find_element("id", "summary").is_displayed()
        assert rows(driver)[0].is_displayed()
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_csp_blocks_scripts_the_page_did_not_ship(driver: Any, sample_html: Path) -> None:
    load(driver, sample_html)
    driver.execute_script(
        "var s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        "document.body.appendChild(s);"
    )
    assert driver.execute_script("return typeof window.injected") == "undefined"
    assert any("Content Security Policy" in e["message"] for e in severe_logs(driver))


@pytest.fixture(scope="module")
def qa_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The UI-string test set with planted glossary and format errors."""
    out = tmp_path_factory.mktemp("qa")
    table = REPO / "tests" / "data" / "qa" / "ui.en-de.planted.tsv"
    glossary = REPO / "tests" / "data" / "qa" / "glossary.en-de.tsv"
    result = run_cli(
        ["evaluate", "--format", "tsv", "--src", str(table), "--ref", str(table), "--hyp", str(table),
         "--glossary", str(glossary), "--metrics", "chrf", "--quiet", "--html", str(out / "report.html")]
    )  # fmt: skip
    assert result.exit_status == 0, result.stderr
    return out / "report.html"


def test_qa_filter_shows_glossary_and_format_findings_marked_on_both_sides(
    driver: Any, qa_html: Path
) -> None:
    load(driver, qa_html)
    before = len(rows(driver))
    driver.execute_script(
        "var s = document.getElementById('f-check'); s.value = 'qa';"
        "s.dispatchEvent(new Event('change'));"
    )
    qa = rows(driver)
    assert 0 < len(qa) < before
    assert all("(glossary)" in r.text or "(format)" in r.text for r in qa)
    first = qa[0]  # "Ihr Account wurde erstellt.": the term in the reference and the hypothesis
    marks = [m.text for m in first.find_elements("css selector", "mark.err")]
    assert "Konto" in marks and "Account" in marks
    assert severe_logs(driver) == []
