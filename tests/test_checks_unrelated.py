"""Check ``unrelated``: a reference sentence replaced by unrelated content."""

from __future__ import annotations

import pytest

from evalharness.checks import find_errors, line_segments
from evalharness.lang.profiles import parse_language_pair


def unrelated(ref: str, hyp: str, pair: str | None = None) -> list:
    languages = None if pair is None else parse_language_pair(pair)
    found = find_errors(line_segments([ref], [hyp]), {}, checks=["unrelated"], languages=languages)
    return list(found[0])


@pytest.mark.parametrize(
    ("ref", "hyp", "severity"),
    [
        ("Supporters' groups welcomed the news but warned that ticket prices must remain "
         "affordable.",
         "Heavy rain is expected across the north of the country later this week, according "
         "to the national weather service.", "critical"),
        ("The company reported higher profits in the third quarter.",
         "Heavy rain flooded several villages near the river.", "major"),
    ],
)
def test_unrelated_content_is_a_mistranslation(ref: str, hyp: str, severity: str) -> None:
    found = unrelated(ref, hyp)
    assert [(f.check, f.category, f.severity) for f in found] == [
        ("unrelated", "accuracy/mistranslation", severity)
    ]
    assert (found[0].hyp_span, found[0].ref_span) == (hyp, ref)


@pytest.mark.parametrize(
    ("ref", "hyp"),
    [
        # A free paraphrase keeps some content word.
        ("Local business owners expect hotel occupancy to rise during the final.",
         "Shop owners in the city think hotels will be fuller in the week of the final."),
        # A shared number or name relates the two sentences.
        ("The stadium holds about 30,000 spectators on match days.",
         "Around 30,000 fans fit into the arena when games are played."),
        # Too short to judge: synonyms only.
        ("Everything else would be bias.", "Otherwise this leads to distortion."),
        # Same words, other forms.
        ("The ministers discussed the proposals for several hours.",
         "A proposal was under discussion by one minister for hours."),
    ],
)
def test_paraphrases_and_short_sentences_stay_unflagged(ref: str, hyp: str) -> None:
    assert unrelated(ref, hyp) == []


def test_a_high_chrf_from_the_run_keeps_it_quiet() -> None:
    from evalharness.records import MetricResult

    ref = "The company reported higher profits in the third quarter."
    hyp = "Heavy rain flooded several villages near the river."
    segments = line_segments([ref], [hyp])
    quiet = {"chrf": MetricResult("chrf", None, "", segment_scores=(40.0,))}
    loud = {"chrf": MetricResult("chrf", None, "", segment_scores=(12.0,))}
    assert find_errors(segments, quiet, checks=["unrelated"]) == ((),)
    assert len(find_errors(segments, loud, checks=["unrelated"])[0]) == 1


def test_languages_without_spaces_are_skipped() -> None:
    ref = "The company reported higher profits in the third quarter."
    hyp = "Heavy rain flooded several villages near the river."
    assert unrelated(ref, hyp, "en-zh") == []
