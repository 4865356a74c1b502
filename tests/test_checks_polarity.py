"""Check ``polarity`` and its analysis (``checks/text/negation``): negations dropped or added."""

from __future__ import annotations

import pytest

from evalharness.checks import find_errors, line_segments
from evalharness.checks.text.negation import analyse, count_unspaced, flips, same_word
from evalharness.lang.profiles import parse_language_pair


def polarity(ref: str, hyp: str, pair: str | None = "en-en", src: str | None = None) -> list:
    segments = line_segments([ref], [hyp], None if src is None else [src])
    languages = None if pair is None else parse_language_pair(pair)
    found = find_errors(segments, {}, checks=["polarity"], languages=languages,
                        has_source=src is not None)
    return list(found[0])


@pytest.mark.parametrize(
    ("ref", "hyp", "pair"),
    [
        ("The minister would not comment on the report.",
         "The minister would comment on the report.", "en-en"),
        ("The ministry refused to guarantee funding for the venue.",
         "The ministry agreed to guarantee funding for the venue.", "en-en"),
        ("He never visited the island again.", "He visited the island again.", "en-en"),
        ("The council approved the plan on Monday.",
         "The council did not approve the plan on Monday.", "en-en"),
        ("The board has no plans to sell the club.",
         "The board has plans to sell the club.", "en-en"),
        ("He didn't come, and she would not comment on the report.",
         "He didn't come, and she would comment on the report.", "en-en"),
        ("Der Minister wollte den Bericht nicht kommentieren.",
         "Der Minister wollte den Bericht kommentieren.", "en-de"),
        ("Die Stadt wird keine Steuern erhöhen.", "Die Stadt wird Steuern erhöhen.", "en-de"),
        ("Wir haben den Bericht gelesen.", "Wir haben den Bericht nie gelesen.", "en-de"),
        # The run's languages unknown: every spaced list applies.
        ("The minister would not comment on the report.",
         "The minister would comment on the report.", None),
    ],
)
def test_a_flipped_negation_is_a_major_mistranslation(ref: str, hyp: str, pair: str | None) -> None:
    found = polarity(ref, hyp, pair)
    assert [(f.check, f.category, f.severity) for f in found] == [
        ("polarity", "accuracy/mistranslation", "major")
    ]
    finding = found[0]
    assert hyp[finding.hyp_start : finding.hyp_end] == finding.hyp_span
    assert ref[finding.ref_start : finding.ref_end] == finding.ref_span


def test_the_finding_names_the_dropped_marker_and_the_word() -> None:
    (finding,) = polarity("The minister would not comment.", "The minister would comment.")
    assert (finding.ref_span, finding.hyp_span) == ("not", "comment")
    assert "dropped" in finding.message
    (added,) = polarity("The council approved the plan.", "The council did not approve the plan.")
    assert (added.hyp_span, added.ref_span) == ("not", "approved")
    assert "added" in added.message


@pytest.mark.parametrize(
    ("ref", "hyp"),
    [
        # Equivalent negations.
        ("A spokesman declined to comment on the reports.",
         "A spokesman would not comment on the reports."),
        ("The ministry refused to sign the deal.", "The ministry would not sign the deal."),
        ("Players no longer have enough time to recover.",
         "Players do not have enough time to recover anymore."),
        ("The format has never caused a rise in injuries.",
         "The format has not ever caused a rise in injuries."),
        ("The federation has not yet published ticket prices.",
         "The federation has yet to publish ticket prices."),
        ("His club would not object to travelling.", "His club had no objection to travelling."),
        ("Without a doubt, it is the insects.", "There is no doubt that it is the insects."),
        # Double negatives, litotes and words that only lean negative.
        ("There was nobody who did not cheer the team.", "Everyone cheered the team."),
        ("A record that is not unusual for a striker.", "A record that is common for a striker."),
        ("But these sounds are too small for us to hear.",
         "But these sounds are so small that we cannot hear them."),
        ("In the north the income is less important.", "In the north the income is not so important."),
        ("Russia will not risk sanctions, nor will China risk tariffs.",
         "Russia will not risk sanctions and China will not risk tariffs."),
        # "Not only" does not negate; neither does "not until".
        ("It belongs to the fans, not only to sponsors.", "It belongs to the fans and to sponsors."),
        ("It was not until decades later that people used the term.",
         "It was decades later that people used the term."),
        # A negation whose word the other side paraphrases away says nothing.
        ("Spanish clubs have been slower to react.", "Spanish clubs have not been as quick to respond."),
        # German: kein = nicht, and a negation far from the verb in the same clause.
        ("Er hat keine Zeit.", "Er hat nicht die Zeit."),
        ("Wir haben noch niemals so einen Schatten eines Loches gesehen.",
         "Wir haben noch nie einen solchen Schatten eines Lochs gesehen."),
        ("Sie machen fast nie Fehler.", "Sie machen kaum Fehler."),
        ("Die Pflanze braucht nicht nur Licht.", "Die Pflanze braucht Licht."),
    ],
)
def test_paraphrases_and_double_negatives_stay_unflagged(ref: str, hyp: str) -> None:
    assert polarity(ref, hyp, None) == []


def test_a_source_with_the_hypothesis_polarity_overrules_the_reference() -> None:
    ref = "Wir wollen niemals innerhalb des Universums sein."
    hyp = "Wir wollen innerhalb des Universums sein."
    assert len(polarity(ref, hyp, "en-de")) == 1
    assert polarity(ref, hyp, "en-de", src="We want to be inside the universe.") == []
    assert len(polarity(ref, hyp, "en-de", src="We never want to be inside the universe.")) == 1


def test_a_chinese_source_is_counted_by_substrings() -> None:
    ref = "We don't know what a bee sees, nor do you know what I see."
    hyp = "We don't know what a bee sees, and you know what I see."
    assert len(polarity(ref, hyp, "zh-en")) == 1
    assert polarity(ref, hyp, "zh-en", src="我们不知道蜜蜂看到什么，你们知道我在看什么。") == []
    assert count_unspaced("这非常不同，我们不得不去", "zh") == 0
    assert count_unspaced("我们不知道，他从未来过", "zh") == 2


def test_a_target_without_a_list_is_skipped() -> None:
    assert polarity("He did not come.", "He came.", "en-he") == []


def test_analysis_counts_phrases_once_and_finds_the_negated_word() -> None:
    text = "He no longer lives here and refused to talk, not only to us."
    result = analyse(text, ["en"])
    assert [m.text for m in result.markers] == ["no longer", "refused to"]
    assert [result.words[m.target].text for m in result.markers if m.target is not None] == [
        "lives", "talk"]
    german = analyse("Das hat er nicht gesagt.", ["de"])
    assert [german.words[m.target].text for m in german.markers if m.target is not None] == [
        "gesagt"]


def test_flips_need_the_word_without_negation_on_the_other_side() -> None:
    negated = analyse("He would not raise taxes.", ["en"])
    assert [f.other.text for f in flips(negated, analyse("He would raise taxes.", ["en"]))] == [
        "raise"]
    assert flips(negated, analyse("He would cut spending.", ["en"])) == []
    assert flips(negated, analyse("He would never raise taxes.", ["en"])) == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("published", "publish", True), ("objection", "object", True),
     ("kommentiert", "kommentieren", True), ("raise", "rise", False), ("taxes", "tax", True)],
)
def test_word_forms(a: str, b: str, same: bool) -> None:
    language = "de" if a.startswith("komment") else "en"
    assert same_word(a, b, language) is same
