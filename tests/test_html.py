"""HTML report without a browser: escaping, CSP, embedded data, summary figures, CLI.

``sample_report`` (also used by ``test_html_browser.py``) builds a report dict by
hand following the JSON contract: two systems, every alignment type, findings
with and without offsets, COMET unavailable, and hostile text everywhere.
"""

from __future__ import annotations

import base64
import hashlib
import html as htmllib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from evalharness.cli.app import run_cli
from evalharness.errors import ExitStatus
from evalharness.report.html_report.render import (
    embed_json,
    locate_span,
    page_data,
    render_html,
    write_html,
)
from evalharness.report.html_report.summary import (
    alignment_summary,
    finding_counts,
    histogram,
    score_strip,
)

REPO = Path(__file__).resolve().parents[1]

HOSTILE_SCRIPT = "<script>window.pwned=1</script>"
HOSTILE_IMG = '<img src=x onerror="window.pwned=1">'
HOSTILE_LINK = '<a href="javascript:window.pwned=1">x</a>'
HOSTILE = f"Evil {HOSTILE_SCRIPT} and {HOSTILE_IMG} and {HOSTILE_LINK} end"


def error(
    check: str,
    category: str,
    severity: str,
    hyp_span: str,
    ref_span: str,
    message: str,
    offsets: tuple[Any, Any, Any, Any] = (None, None, None, None),
) -> dict[str, Any]:
    hs, he, rs, re_ = offsets
    return {
        "check": check,
        "category": category,
        "severity": severity,
        "hyp_span": hyp_span,
        "ref_span": ref_span,
        "message": message,
        "confidence": 1.0,
        "hyp_start": hs,
        "hyp_end": he,
        "ref_start": rs,
        "ref_end": re_,
    }


def segment(
    seg_id: int,
    ref: str,
    hyp: str,
    alignment: str = "1-1",
    scores: tuple[float, float, float] = (50.0, 60.0, 40.0),
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "id": seg_id,
        "ref": ref,
        "hyp": hyp,
        "src": "",
        "ref_lines": [seg_id + 1] if ref else [],
        "hyp_lines": [seg_id + 1] if hyp else [],
        "alignment": alignment,
        "removed": None,
        "scores": dict(zip(("bleu", "chrf", "ter"), scores, strict=True)),
        "stats": {"bleu": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "chrf": [1.0] * 18, "ter": [3, 10]},
        "errors": errors or [],
    }


def base_segments(hyp_prefix: str = "") -> list[dict[str, Any]]:
    ref1 = "The rector of Icesi University spoke in Cali."
    hyp1 = f"{hyp_prefix}The rector of University of Assisi spoke in Cali."
    start = hyp1.index("University of Assisi")
    return [
        segment(
            0,
            ref1,
            hyp1,
            scores=(20.0, 45.5, 60.0),
            errors=[
                error(
                    "entity",
                    "accuracy/mistranslation",
                    "major",
                    "University of Assisi",
                    "Icesi University",
                    "The reference names 'Icesi University'; the hypothesis has 'University of Assisi'.",
                    (start, start + 20, 14, 30),
                )
            ],
        ),
        segment(1, "Prices rose by 5 percent.", "Prices rose by 5 percent.", scores=(100, 100, 0)),
        segment(
            2,
            "Sergey Lavrov met Maduro.",
            "Sergei Lavrov met Maduro. He smiled.",
            alignment="1-2",
            scores=(40.0, 70.0, 30.0),
            errors=[
                # no offsets: the page must find the span by searching its text
                error(
                    "name",
                    "fluency/spelling",
                    "minor",
                    "Sergei",
                    "Sergey",
                    "Transliteration variant.",
                )
            ],
        ),
        segment(
            3,
            "",
            HOSTILE,
            alignment="0-1",
            scores=(0.0, 0.0, 100.0),
            errors=[
                error(
                    "addition",
                    "accuracy/addition",
                    "critical",
                    HOSTILE_SCRIPT,
                    "",
                    f"Added text {HOSTILE_IMG}",
                    (5, 5 + len(HOSTILE_SCRIPT), None, None),
                )
            ],
        ),
        segment(
            4,
            "The oil tanker was seized.",
            "",
            alignment="1-0",
            scores=(0.0, 0.0, 100.0),
            errors=[error("omission", "accuracy/omission", "major", "", "oil tanker", "Omitted.")],
        ),
        segment(5, "Emoji 😀 then Café.", "Emoji 😀 then Cafe.", scores=(70.0, 80.0, 20.0)),
    ]


def metrics(bleu: float, comet_ok: bool) -> dict[str, Any]:
    sig = "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"
    comet: dict[str, Any] = {
        "score": 0.81 if comet_ok else None,
        "status": "ok" if comet_ok else "unavailable",
        "model": "Unbabel/wmt22-comet-da",
        "signature": "Unbabel/wmt22-comet-da|comet:2.2.7|fp32|ref-as-src",
    }
    if not comet_ok:
        comet["reason"] = "model not downloaded and no network (fix: pass --comet-model DIR)"
    return {
        "bleu": {"score": bleu, "signature": sig, "ci95": [bleu - 2, bleu + 2], "status": "ok"},
        "chrf": {"score": 60.0, "signature": "chrF2|nc:6", "ci95": [58.0, 62.0], "status": "ok"},
        "ter": {"score": 40.0, "signature": "TER|tok:tercom", "ci95": [38.0, 42.0], "status": "ok"},
        "comet": comet,
    }


def sample_report(extra_segments: int = 0) -> dict[str, Any]:
    """Two systems over the same reference; ``extra_segments`` plain 1-1 segments appended."""
    systems = []
    for k, name in enumerate(["baseline", f"cand {HOSTILE_SCRIPT}"]):
        segs = base_segments(hyp_prefix="" if k == 0 else "Then ")
        for i in range(extra_segments):
            sid = len(segs)
            chrf = float((i * 37) % 100)
            segs.append(
                segment(
                    sid,
                    f"Reference sentence number {sid}.",
                    f"Hypothesis number {sid}.",
                    scores=(chrf / 2, chrf, 100 - chrf),
                )
            )
        system: dict[str, Any] = {
            "name": name,
            "path": f"hyp{k}.txt",
            "format": "text",
            "metrics": metrics(30.0 + k, comet_ok=k == 0),
            "significance": None,
            "alignment": {"segments": len(segs), "counts": {}},
            "findings": {},
            "segments": segs,
        }
        if k:
            system["significance"] = {
                "baseline": "baseline",
                "metrics": {"bleu": {"delta": 1.0, "p_value": 0.0123, "ci95": [29.0, 33.0]}},
            }
        systems.append(system)
    return {
        "schema": "evalharness.report/1",
        "created": "2026-01-01T00:00:00+00:00",
        "versions": {"evalharness": "0.1.0", "sacrebleu": "2.6.0", "comet": None},
        "options": {"format": "text"},
        "reference": {
            "path": "ref.md",
            "format": "markdown",
            "sentences": 6,
            "metadata": {"title": f"Title {HOSTILE_SCRIPT}"},
        },
        "source": None,
        "systems": systems,
    }


def data_block(page: str) -> str:
    match = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)
    assert match, "no data block"
    return match.group(1)


# --- escaping and security ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["</script><script>alert(1)</script>", "<!-- x", "a & b", "line\u2028sep\u2029end", "plain"],
)
def test_embed_json_escapes_markup_and_round_trips(text: str) -> None:
    out = embed_json({"t": text})
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in out
    assert json.loads(out) == {"t": text}


def test_embed_json_refuses_nan() -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        embed_json({"x": float("nan")})


def test_hostile_text_never_appears_as_markup() -> None:
    page = render_html(sample_report())
    markup = page.replace(data_block(page), "")
    for hostile in (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_LINK, "<img", "javascript:", "onerror"):
        assert hostile not in markup
    assert "<" not in data_block(page)
    # Names and titles rendered by the template are escaped text.
    assert htmllib.escape(f"cand {HOSTILE_SCRIPT}", quote=False) in page
    # The embedded data still carries the exact text.
    data = json.loads(data_block(page))
    assert data["systems"][0]["segs"][3][2] == HOSTILE


def test_exactly_one_data_block_and_two_scripts() -> None:
    page = render_html(sample_report())
    assert page.count('id="data"') == 1
    assert page.count("<script") == 2
    markup = page.replace(data_block(page), "")
    assert not re.search(r"\son[a-z]+\s*=", markup), "no inline event handler attributes"


def test_csp_allows_exactly_the_inline_script_and_style_by_hash() -> None:
    page = render_html(sample_report())
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp
    policy = htmllib.unescape(csp.group(1))
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert script and style
    for body, directive in ((script.group(1), "script-src"), (style.group(1), "style-src")):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in policy
    assert page.index("Content-Security-Policy") < page.index("<style>")


def test_no_network_references() -> None:
    page = render_html(sample_report())
    assert not re.search(r"""(src|href|action)\s*=\s*["']?(https?:|//)""", page)
    assert "@import" not in page and "url(" not in page
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith("#") for h in hrefs)


# --- embedded data ----------------------------------------------------------


def test_page_data_is_compact_and_complete() -> None:
    report = sample_report()
    data = page_data(report["systems"])
    assert "stats" not in json.dumps(data)
    # The shared reference texts are stored once for both systems.
    assert data["texts"].count("The oil tanker was seized.") == 1
    base = data["systems"][0]
    assert base["metrics"] == ["bleu", "chrf", "ter"]
    assert base["lower"] == [False, False, True]
    seg0 = base["segs"][0]
    assert seg0[0] == 0 and data["texts"][seg0[1]].startswith("The rector")
    assert seg0[4] == [20.0, 45.5, 60.0]
    sev, cat, check, message, hyp_span, ref_span, hs, he, rs, re_ = seg0[5][0]
    assert (sev, data["categories"][cat], check) == (1, "accuracy/mistranslation", "entity")
    hyp = seg0[2]
    assert hyp[hs:he] == "University of Assisi" and hyp_span == ""  # located: not repeated
    assert data["texts"][seg0[1]][rs:re_] == "Icesi University" and ref_span == ""


def test_spans_without_offsets_are_located_by_search() -> None:
    data = page_data(sample_report()["systems"])
    seg = data["systems"][0]["segs"][2]
    err = seg[5][0]
    assert seg[2][err[6] : err[7]] == "Sergei"
    assert data["texts"][seg[1]][err[8] : err[9]] == "Sergey"


@pytest.mark.parametrize(
    ("text", "span", "start", "end", "expected"),
    [
        ("Hello Maduro here", "Maduro", 6, 12, (6, 12)),  # given offsets
        ("Hello Maduro here", "Maduro", 0, 5, (6, 12)),  # wrong offsets: searched
        ("Hello Maduro here", "maduro", None, None, (6, 12)),  # case-insensitive fallback
        ("Hello Maduro here", "Chávez", None, None, None),  # absent
        ("Hello Maduro here", "", None, None, None),  # nothing to mark
        ("Hello Maduro here", "", 6, 12, (6, 12)),  # offsets alone suffice
        ("short", "x", 3, 99, None),  # out of range, not found
    ],
)
def test_locate_span(
    text: str, span: str, start: Any, end: Any, expected: tuple[int, int] | None
) -> None:
    assert locate_span(text, span, start, end) == expected


def test_offsets_are_utf16_for_javascript() -> None:
    hyp = "😀 Sergei spoke"
    report = sample_report()
    seg = report["systems"][0]["segments"][2]
    seg["hyp"] = hyp
    seg["errors"][0].update(hyp_start=2, hyp_end=8)  # code points
    err = page_data(report["systems"])["systems"][0]["segs"][2][5][0]
    assert (err[6], err[7]) == (3, 9)  # the emoji is two UTF-16 code units
    assert hyp.encode("utf-16-le")[err[6] * 2 : err[7] * 2].decode("utf-16-le") == "Sergei"


# --- summary ----------------------------------------------------------------


def test_alignment_summary_groups() -> None:
    labels = ["1-1", "1-1", "1-2", "2-1", "2-2", "0-1", "1-0", "1-0"]
    summary = alignment_summary([{"alignment": a} for a in labels])
    assert summary["groups"] == {
        "one_to_one": 2,
        "merges": 3,
        "hyp_only": 1,
        "ref_only": 2,
        "other": 0,
    }
    assert summary["counts"]["1-0"] == 2


def test_finding_counts_by_severity_and_category() -> None:
    counts = finding_counts(sample_report()["systems"][0]["segments"])
    assert counts["total"] == 4
    assert counts["by_severity"] == {"minor": 1, "major": 2, "critical": 1}
    names = [c["name"] for c in counts["categories"]]
    assert set(names) == {
        "accuracy/mistranslation",
        "fluency/spelling",
        "accuracy/addition",
        "accuracy/omission",
    }
    assert counts["max_category"] == 1


def test_histogram_counts_every_score_once() -> None:
    segs = [{"scores": {"chrf": float(v)}} for v in range(0, 101)] + [{"scores": {"chrf": None}}]
    hist = histogram(segs, "chrf")
    assert sum(b["count"] for b in hist["bins"]) == 101 == hist["n"]
    assert (hist["lo"], hist["hi"]) == (0.0, 100.0)
    assert hist["bins"][-1]["count"] == 6  # 95..100 inclusive


def test_score_strip_bins_long_documents_and_keeps_worst_severity() -> None:
    segs: list[dict[str, Any]] = [{"id": i, "scores": {"chrf": 50.0}} for i in range(1000)]
    segs[7]["errors"] = [{"severity": "critical"}]
    strip = score_strip(segs, "chrf", 0)
    assert len(strip["bins"]) == 200
    assert strip["bins"][1]["first"] == 5 and strip["bins"][1]["worst"] == "critical"
    assert strip["bins"][0]["worst"] == "none"
    assert len(score_strip(segs[:30], "chrf", 0)["bins"]) == 30


def test_summary_shows_scores_significance_comet_status_and_signatures() -> None:
    page = render_html(sample_report())
    assert "30.00" in page and "[28.00, 32.00]" in page  # baseline BLEU and its interval
    assert "p = 0.0123" in page and "significant" in page
    assert "unavailable" in page and "model not downloaded and no network" in page
    assert "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0" in page
    assert "Hypothesis only (0-1)" in page and "Reference only (1-0)" in page
    assert 'href="#sys-1-seg-3"' in page  # strip links to segments
    assert 'data-category="accuracy/addition"' in page


def test_empty_report_renders() -> None:
    report = sample_report()
    report["systems"] = []
    page = render_html(report)
    assert json.loads(data_block(page))["systems"] == []


def test_minimal_report_with_missing_optional_fields_renders() -> None:
    report = {
        "schema": "evalharness.report/1",
        "versions": None,
        "systems": [{"name": "x", "segments": [{"id": 0, "ref": "a b", "hyp": "a c"}]}],
    }
    page = render_html(report)
    data = json.loads(data_block(page))
    assert data["systems"][0]["segs"] == [[0, 0, "a c", "", [], [], [], []]]


# --- writing and CLI ----------------------------------------------------------


def test_write_html_creates_parents(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "report.html"
    write_html(sample_report(), out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]


def test_report_command_renders_saved_json(tmp_path: Path) -> None:
    run = tmp_path / "run.json"
    run.write_text(json.dumps(sample_report()), encoding="utf-8")
    out = tmp_path / "report.html"
    result = run_cli(["report", str(run), "--html", str(out)])
    assert result.exit_status == ExitStatus.SUCCESS, result.stderr
    assert "University of Assisi" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "args", "status", "needle"),
    [
        (None, ["--html", "OUT"], ExitStatus.INPUT, "run.json"),
        ("{not json", ["--html", "OUT"], ExitStatus.INPUT, "not valid JSON"),
        ('{"schema": "other"}', ["--html", "OUT"], ExitStatus.INPUT, "not an evalharness report"),
        ('{"schema": "evalharness.report/1", "systems": []}', [], ExitStatus.USAGE, "--html"),
    ],
)
def test_report_command_errors(
    tmp_path: Path, content: str | None, args: list[str], status: ExitStatus, needle: str
) -> None:
    run = tmp_path / "run.json"
    if content is not None:
        run.write_text(content, encoding="utf-8")
    out = tmp_path / "report.html"
    result = run_cli(["report", str(run), *[str(out) if a == "OUT" else a for a in args]])
    assert result.exit_status == status
    assert needle in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists()


# --- accessibility ------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def css_variables() -> dict[str, str]:
    css = (REPO / "evalharness" / "report" / "html_report" / "templates" / "report.css").read_text("utf-8")
    found = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6});", css))
    return {**found, "white": "#ffffff"}


@pytest.mark.parametrize(
    ("fg", "bg", "minimum"),
    [
        # text: WCAG AA 4.5:1
        ("text", "white", 4.5), ("text", "panel", 4.5), ("muted", "white", 4.5),
        ("muted", "panel", 4.5), ("link", "white", 4.5), ("link", "panel", 4.5),
        ("ins", "ins-bg", 4.5), ("del", "del-bg", 4.5), ("text", "minor-bg", 4.5),
        ("text", "major-bg", 4.5), ("text", "critical-bg", 4.5), ("none", "white", 4.5),
        ("critical", "white", 4.5),
        # graphics (chart bars, focus ring, span underlines): 3:1
        ("minor", "white", 3.0), ("major", "white", 3.0), ("critical", "panel", 3.0),
        ("none", "panel", 3.0), ("major", "panel", 3.0), ("minor", "panel", 3.0),
        ("focus", "white", 3.0), ("minor", "minor-bg", 3.0), ("major", "major-bg", 3.0),
        ("critical", "critical-bg", 3.0),
    ],
)  # fmt: skip
def test_colours_meet_wcag_aa_contrast(fg: str, bg: str, minimum: float) -> None:
    colours = css_variables()
    assert contrast(colours[fg], colours[bg]) >= minimum


def test_print_stylesheet_and_focus_styles_exist() -> None:
    css = (REPO / "evalharness" / "report" / "html_report" / "templates" / "report.css").read_text("utf-8")
    assert "@media print" in css and ":focus-visible" in css
    assert re.search(r"mark\.err:focus \+ \.tip", css), "finding messages show on keyboard focus"
