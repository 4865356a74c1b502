"""The HTML report of a Hebrew target in headless Chromium: right-to-left text, diffs and marks.

The report is the real pipeline's output on the vendored WMT23 en-he slice
(reference refA, hypothesis GPT4-5shot, English source), languages detected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_html_browser import driver, load, severe_logs  # noqa: F401  (driver is a fixture)

from evalharness.cli.app import run_cli

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parent / "data" / "wmt23"


@pytest.fixture(scope="module")
def hebrew_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hebrew")
    files = {}
    for name in ("ref.he", "GPT4-5shot.he", "src.en"):
        lines = (DATA / name).read_text(encoding="utf-8").split("\n")[:40]
        files[name] = out / name
        files[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli([
        "evaluate", "--ref", str(files["ref.he"]), "--hyp", str(files["GPT4-5shot.he"]),
        "--src", str(files["src.en"]), "--metrics", "bleu,chrf", "--quiet",
        "--html", str(out / "report.html"),
    ])
    assert result.exit_status == 0, result.stderr
    return out / "report.html"


def test_hebrew_text_is_right_to_left(driver: Any, hebrew_html: Path) -> None:  # noqa: F811
    load(driver, hebrew_html)
    assert severe_logs(driver) == []
    texts = driver.execute_script(
        "return Array.from(document.querySelectorAll('#rows p.text')).map(p =>"
        " [p.lang, p.dir, getComputedStyle(p).direction])"
    )
    assert texts and all(t == ["he", "rtl", "rtl"] for t in texts)
    sources = driver.execute_script(
        "return Array.from(document.querySelectorAll('#rows p.src bdi')).map(b =>"
        " [b.lang, b.dir, getComputedStyle(b).direction])"
    )
    assert sources and all(s == ["en", "ltr", "ltr"] for s in sources)
    languages = driver.execute_script("return document.querySelector('dd.languages').textContent")
    assert "source en" in languages and "target he" in languages


def test_word_diffs_read_right_to_left(driver: Any, hebrew_html: Path) -> None:  # noqa: F811
    """On one line of a Hebrew paragraph, an earlier diff mark lies to the right of a later one."""
    load(driver, hebrew_html)
    pairs = driver.execute_script(
        """
        var out = [];
        document.querySelectorAll('#rows p.text').forEach(function (p) {
          var marks = Array.from(p.querySelectorAll('ins, del'));
          for (var i = 0; i + 1 < marks.length; i++) {
            var a = marks[i].getClientRects()[0], b = marks[i + 1].getClientRects()[0];
            if (a && b && Math.abs(a.top - b.top) < 1) out.push([a.left, b.left]);
          }
        });
        return out;
        """
    )
    assert len(pairs) > 5
    assert all(first > second for first, second in pairs)


def test_first_character_starts_at_the_right_edge(driver: Any, hebrew_html: Path) -> None:  # noqa: F811
    load(driver, hebrew_html)
    gaps = driver.execute_script(
        """
        return Array.from(document.querySelectorAll('#rows p.text')).slice(0, 10).map(function (p) {
          var walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
          var node = walker.nextNode(), range = document.createRange();
          range.setStart(node, 0); range.setEnd(node, 1);
          var box = p.getBoundingClientRect(), first = range.getBoundingClientRect();
          return [box.right - first.right, first.left - box.left];
        });
        """
    )
    assert gaps and all(right < 2 and left > right for right, left in gaps)
