"""The meta-evaluation HTML page in headless Chromium: loads with no console error, plots render."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import chromium_session

from evalharness.cli.app import run_cli

pytestmark = pytest.mark.browser

MQM = Path(__file__).parent / "data" / "mqm" / "wmt21_ted_zhen_mqm_first40.tsv"


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with chromium_session() as browser:
        yield browser


@pytest.fixture(scope="module")
def meta_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("meta") / "meta.html"
    result = run_cli(["meta", "--human", str(MQM), "--format", "mqm", "--metrics", "chrf,ter",
                      "--no-checks", "--bootstrap", "20", "--html", str(path), "--quiet"])
    assert result.exit_status == 0, result.stderr
    return path


def test_page_loads_cleanly_with_one_plot_per_system_and_metric(driver: Any, meta_html: Path) -> None:
    driver.get("about:blank")
    driver.get_log("browser")
    driver.get(meta_html.as_uri())
    problems = [e for e in driver.get_log("browser") if e.get("level") in ("SEVERE", "WARNING")]
    assert problems == []
    plots = driver.execute_script(
        "return Array.from(document.querySelectorAll('#meta figure svg')).map(s => "
        "[s.querySelectorAll('circle').length, s.getBoundingClientRect().width])"
    )
    assert len(plots) == 2 * 3  # chrF and TER, three systems
    assert all(points == 40 and width > 100 for points, width in plots)
    captions = driver.execute_script(
        "return Array.from(document.querySelectorAll('#meta figcaption')).map(c => c.textContent)"
    )
    assert {c.split(":")[0] for c in captions} == {"DIDI-NLP", "Facebook-AI", "Online-W"}
    # The inline style is allowed by its hash: the table got its borders.
    border = driver.execute_script(
        "return getComputedStyle(document.querySelector('#meta td')).borderTopStyle"
    )
    assert border == "solid"
