"""The plugin interface, the registry, and the ``low_score``, ``untranslated`` and ``xcomet`` checks."""

from __future__ import annotations

import pytest

from evalharness.checks import (
    Check,
    DocumentContext,
    check_ids,
    find_errors,
    get_checks,
    line_segments,
    register_check,
)
from evalharness.checks import base as checks_base
from evalharness.checks.builtin.low_score import robust_z
from evalharness.errors import UsageError
from evalharness.records import AlignedSegment, Finding, MetricResult

NEWS = [
    "The council approved the budget on Monday.",
    "Opposition members walked out of the chamber.",
    "The mayor said the vote was a victory for residents.",
    "Taxes will rise slightly next year.",
    "Road repairs will take most of the new money.",
    "Libraries will stay open longer at weekends.",
    "Critics called the plan short-sighted.",
    "A second vote is planned for the spring.",
]


def scores(name: str, values: list[float | None], status: str = "ok") -> MetricResult:
    return MetricResult(name, None, "", segment_scores=tuple(values), status=status)


def test_builtin_checks_are_registered_and_satisfy_the_protocol() -> None:
    assert set(check_ids()) >= {
        "entity", "name", "number", "omission", "addition", "consistency", "low_score",
        "untranslated", "xcomet",
    }
    assert all(isinstance(check, Check) for check in get_checks())


def test_unknown_check_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown check 'spelling'"):
        find_errors(line_segments(["a"], ["a"]), {}, checks=["spelling"])


def test_a_registered_plugin_runs_and_gets_the_document_context() -> None:
    class LongHypothesis:
        id = "test_long_hyp"

        def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
            position = context.index(segment)
            if len(segment.hyp_text) <= 2 * len(segment.ref_text):
                return []
            return [Finding(self.id, "other", "minor", segment.hyp_text, segment.ref_text,
                            f"segment {position} of {len(context.segments)} is long")]

    register_check(LongHypothesis())
    try:
        found = find_errors(line_segments(["Yes.", "No."], ["Yes.", "No, no, no, no."]), {},
                            checks=["test_long_hyp"])
    finally:
        checks_base._REGISTRY.pop("test_long_hyp")
    assert found[0] == ()
    assert [f.message for f in found[1]] == ["segment 1 of 2 is long"]


def test_one_tuple_per_segment_in_order_most_severe_first() -> None:
    refs = ["Police detained two men in Accra.", "", "Prices rose 4%."]
    hyps = ["Police detained men.", "Read more", "Prices rose 9%."]
    found = find_errors(line_segments(refs, hyps), {})
    assert len(found) == 3
    assert [f.check for f in found[1]] == ["addition"]
    assert found[2][0].severity == "major"
    severities = [f.severity for f in found[0]]
    assert severities == sorted(severities, key=["critical", "major", "minor"].index)


def test_robust_z() -> None:
    assert robust_z([50.0, 52.0, 48.0, 51.0, 49.0, 10.0])[-1] < -10
    assert robust_z([5.0, 5.0, 5.0]) == [0.0, 0.0, 0.0]


def test_low_chrf_outlier_is_flagged_with_its_score() -> None:
    values = [61.0, 58.5, 64.2, 59.9, 62.3, 57.8, 60.4, 12.0]
    found = find_errors(line_segments(NEWS, NEWS), {"chrf": scores("chrf", values)},
                        checks=["low_score"])
    assert all(f == () for f in found[:-1])
    (low,) = found[-1]
    assert (low.check, low.category, low.severity) == ("low_score", "other", "major")
    assert "12.0" in low.message


def test_comet_is_preferred_when_it_computed() -> None:
    chrf = [61.0, 58.5, 64.2, 59.9, 62.3, 57.8, 60.4, 12.0]
    comet = [0.84, 0.86, 0.83, 0.85, 0.82, 0.84, 0.25, 0.86]
    metrics = {"chrf": scores("chrf", chrf), "comet": scores("comet", comet)}
    found = find_errors(line_segments(NEWS, NEWS), metrics, checks=["low_score"])
    flagged = [i for i, f in enumerate(found) if f]
    assert flagged == [6]
    assert "comet 0.250" in found[6][0].message
    unavailable = {"chrf": scores("chrf", chrf), "comet": scores("comet", [None] * 8, "unavailable")}
    found = find_errors(line_segments(NEWS, NEWS), unavailable, checks=["low_score"])
    assert [i for i, f in enumerate(found) if f] == [7]


def test_uniformly_good_document_has_no_low_scores() -> None:
    values = [71.0, 68.5, 74.2, 69.9, 72.3, 67.8, 70.4, 55.0]
    found = find_errors(line_segments(NEWS, NEWS), {"chrf": scores("chrf", values)},
                        checks=["low_score"])
    assert found == ((),) * 8


def untranslated(src: str, ref: str, hyp: str, has_source: bool = True):
    (found,) = find_errors(line_segments([ref], [hyp], [src]), {}, has_source=has_source,
                           checks=["untranslated"])
    return found


def test_source_script_left_in_the_hypothesis() -> None:
    src = "中国科学院的研究人员周二发布了报告。"
    ref = "Researchers at the Chinese Academy of Sciences released the report on Tuesday."
    hyp = "Researchers at the 中国科学院 released the report on Tuesday."
    (finding,) = untranslated(src, ref, hyp)
    assert (finding.category, finding.severity, finding.hyp_span) == (
        "accuracy/untranslated", "major", "中国科学院")
    assert untranslated(src, ref, hyp, has_source=False) == ()


def test_words_copied_from_a_same_script_source() -> None:
    src = "Die Regierung plant neue Steuern für große Unternehmen."
    ref = "The government is planning new taxes for large companies."
    hyp = "The government plant neue Steuern für large companies."
    (finding,) = untranslated(src, ref, hyp)
    assert finding.hyp_span == "plant neue Steuern für"
    assert finding.severity == "major"


def test_hypothesis_identical_to_the_source_is_critical() -> None:
    src = "La reunión terminó sin acuerdo."
    (finding,) = untranslated(src, "The meeting ended without agreement.", src)
    assert finding.severity == "critical"


def test_punctuation_or_numbers_alone_are_never_untranslated() -> None:
    # A segment that is only a closing quote or a year reads the same in every language.
    assert untranslated("”", "\u201d.", "”") == ()
    assert untranslated("2023年", "2023.", "2023") == ()


def test_names_shared_by_source_and_reference_are_not_untranslated() -> None:
    src = "Angela Merkel besuchte Paris."
    assert untranslated(src, "Angela Merkel visited Paris.", "Angela Merkel went to Paris.") == ()


def test_xcomet_spans_become_findings() -> None:
    hyp = "The minister resigned on Friday after the scandal."
    spans = [[{"text": "Friday", "severity": "major", "confidence": 0.83, "start": 25, "end": 31},
              {"text": "scandal", "severity": "MINOR", "confidence": 0.4, "start": 42, "end": 49}]]
    comet = MetricResult("comet", 0.7, "", segment_scores=(0.7,), extra={"error_spans": spans})
    ((major, minor),) = find_errors(line_segments(["x"], [hyp]), {"comet": comet}, checks=["xcomet"])
    assert (major.check, major.category, major.severity) == ("xcomet", "accuracy/mistranslation", "major")
    assert hyp[major.hyp_start : major.hyp_end] == "Friday"
    assert major.confidence == pytest.approx(0.83)
    assert (minor.severity, minor.hyp_span) == ("minor", "scandal")


def test_no_xcomet_findings_without_spans() -> None:
    comet = MetricResult("comet", 0.7, "", segment_scores=(0.7,))
    assert find_errors(line_segments(["x"], ["y"]), {"comet": comet}, checks=["xcomet"]) == ((),)


def test_oversized_segments_get_only_any_length_checks() -> None:
    # An unsegmented talk on one line: pairwise word checks would be quadratic on it.
    filler = " ".join(NEWS)
    repeats = checks_base.MAX_SEGMENT_CHARS // len(filler) + 2
    ref = (filler + " The fee rose to 40 dollars. ") * repeats
    hyp = (filler + " The fee rose to 45 dollars. ") * repeats
    small_ref, small_hyp = filler + " The fee rose to 40 dollars.", filler + " The fee rose to 45 dollars."
    segments = line_segments([small_ref, ref], [small_hyp, hyp])
    assert not checks_base.oversized(segments[0]) and checks_base.oversized(segments[1])
    found = find_errors(segments, {"chrf": scores("chrf", [90.0, 90.0])})
    assert any(f.check == "number" for f in found[0])  # the short segment is checked
    assert all(f.check in {"low_score", "xcomet"} for f in found[1])
