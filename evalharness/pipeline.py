"""The evaluate pipeline: load -> clean -> segment -> align -> score -> check.

:func:`evaluate` is the one function that does the work; the CLI, the gate and
the reports are views of the :class:`~evalharness.results.RunResult` it returns.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evalharness.align.references import attach_references, closest_view, map_reference
from evalharness.errors import InputError, MetricUnavailableError, UsageError
from evalharness.inputs import formats as eio
from evalharness.inputs.loading import load_inputs
from evalharness.lang.profiles import LanguagePair, LanguageProfile
from evalharness.lang.selection import (
    given_pair,
    language_metric_params,
    pair_spec,
    run_languages,
)
from evalharness.metrics.base import Metric, get_metric
from evalharness.metrics.scoring import compare_systems, score_segments
from evalharness.records import (
    AlignedSegment,
    CometOptions,
    Document,
    MetricResult,
    Sentence,
)
from evalharness.results import RunResult, SystemResult

if TYPE_CHECKING:
    from evalharness.checks.text.glossary_file import Glossary

DEFAULT_METRICS = ("bleu", "chrf", "ter", "comet")
OPTIONAL_BY_DEFAULT = frozenset({"comet"})

Info = Callable[[str], None]


@dataclass(frozen=True)
class EvaluateOptions:
    """Settings of one run beyond the input files."""

    fmt: str = "auto"
    metrics: tuple[str, ...] | None = None
    comet: CometOptions = CometOptions()
    resegment: bool = False
    ref_docids: str | None = None
    bootstrap_samples: int = 1000
    seed: int = 12345
    run_checks: bool = True
    names: tuple[str, ...] | None = None
    metric_params: Mapping[str, Mapping[str, Any]] | None = None
    language_pair: str | LanguagePair | None = None
    glossary: str | None = None


def parse_metric_list(spec: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """``"bleu,chrf"`` or ``["bleu", "chrf"]`` -> ``("bleu", "chrf")``; None stays None."""
    if spec is None:
        return None
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    names = tuple(dict.fromkeys(i.strip().lower() for i in items if i.strip()))
    if not names:
        raise UsageError("--metrics needs at least one metric name")
    return names


def evaluate(
    ref: str | Path | Sequence[str | Path],
    hyps: str | Path | Sequence[str | Path],
    src: str | Path | None = None,
    *,
    options: EvaluateOptions | None = None,
    info: Info | None = None,
    **overrides: Any,
) -> RunResult:
    """Evaluate one or more hypothesis files against one or more references.

    Args:
        ref: Reference file, or several (a list): BLEU, chrF and TER score
            against all of them as sacrebleu does, COMET averages over them and
            the checks use the reference closest to each hypothesis segment.
            The first reference defines the segments. A TSV/JSONL reference
            file with ``ref2``, ``ref3``, ... fields counts as several references.
        hyps: One hypothesis file or several (one system each; the first is the
            baseline of the paired significance tests).
        src: Optional source file (COMET, untranslated-text check).
        options: Run settings.
        info: Receives status lines (format choices, unavailable metrics).
        **overrides: Replace single fields of ``options``
            (e.g. ``metrics="bleu,chrf"``, ``fmt="lines"``).

    Returns:
        The run result; ``.to_dict()`` is the JSON report.

    Raises:
        InputError: unreadable, empty or mismatched inputs.
        UsageError: unknown metric or format.
        MetricUnavailableError: an explicitly requested metric cannot be computed.
    """
    opts = replace(options or EvaluateOptions(), **overrides)
    if "metrics" in overrides:
        opts = replace(opts, metrics=parse_metric_list(overrides["metrics"]))
    say = info or (lambda _msg: None)
    ref_paths = _file_list(ref, "reference")
    hyp_paths = _file_list(hyps, "hypothesis")
    given = given_pair(opts.language_pair)
    _check_metric_names(opts.metrics or DEFAULT_METRICS)
    inputs = load_inputs(ref_paths, hyp_paths, src, opts.fmt, say)
    ref_doc = inputs.references[0]
    languages = run_languages(given, ref_doc, inputs.source, say)
    metrics = _instantiate_metrics(opts, languages.target)
    glossary = _load_glossary(opts.glossary) if opts.glossary else None
    ref_sents = document_sentences(ref_doc, languages.target)
    extra_refs = _extra_reference_groups(inputs.references, ref_sents, languages.target)
    src_sents = _source_sentences(inputs.source, ref_sents, languages.source)
    metrics = _resolve_metrics(metrics, opts, say)
    names = _system_names(hyp_paths, opts.names)
    systems = []
    for name, hyp_doc in zip(names, inputs.hypotheses, strict=False):
        segments = build_segments(ref_doc, ref_sents, hyp_doc, src_sents, opts, languages.target)
        segments = attach_references(segments, ref_sents, extra_refs)
        systems.append(
            _evaluate_system(name, hyp_doc, segments, metrics, opts, say, languages, glossary)
        )
    systems = compare_systems(systems, metrics, opts.bootstrap_samples, opts.seed)
    return RunResult(
        reference=ref_doc,
        source=inputs.source,
        systems=tuple(systems),
        reference_sentences=len(ref_sents),
        options=_report_options(opts, ref_doc.format, list(metrics), pair_spec(given), glossary),
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        languages=languages,
        references=inputs.references,
    )


def _file_list(paths: str | Path | Sequence[str | Path], role: str) -> list[str | Path]:
    """One path or several, as a list; a usage error when there is none."""
    found = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not found:
        raise UsageError(f"at least one {role} file is needed")
    return found


def _report_options(
    opts: EvaluateOptions, fmt: str, metrics: list[str], pair: str | None,
    glossary: Glossary | None,
) -> dict[str, Any]:
    """The report's ``options``: what a later run needs to be comparable with this one."""
    return {
        "format": fmt,
        "metrics": metrics,
        "bootstrap": {"samples": opts.bootstrap_samples, "seed": opts.seed},
        "resegment": opts.resegment,
        "ref_docids": opts.ref_docids,
        "checks": opts.run_checks,
        "language_pair": pair,
        **({"glossary": glossary.report_options()} if glossary else {}),
    }


def _check_metric_names(names: Sequence[str]) -> None:
    """Fail on an unknown metric before any file is read (metrics are built per language)."""
    from evalharness.metrics.base import metric_names

    known = metric_names()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UsageError(f"unknown metric {unknown[0]!r}; choose from: {', '.join(known)}")


def _extra_reference_groups(
    references: Sequence[Document], ref_sents: Sequence[Sentence],
    language: LanguageProfile | None = None,
) -> list[list[tuple[Sentence, ...]]]:
    """Each extra reference's sentences per sentence of the first reference."""
    first = references[0]
    return [
        map_reference(ref_sents, document_sentences(doc, language), first.is_line_aligned, doc.path)
        for doc in references[1:]
    ]


def _load_glossary(path: str) -> Glossary:
    from evalharness.checks.text.glossary_file import load_glossary

    return load_glossary(path)


def _instantiate_metrics(opts: EvaluateOptions, target: LanguageProfile) -> dict[str, Metric]:
    from evalharness.metrics.lexical.adapters import LexicalMetric

    names = opts.metrics or DEFAULT_METRICS
    params = opts.metric_params or {}
    metrics: dict[str, Metric] = {}
    for name in names:
        kwargs = {**language_metric_params(name, target), **params.get(name, {})}
        if name == "comet":
            kwargs.setdefault("options", opts.comet)
        metric = get_metric(name, **kwargs)
        if isinstance(metric, LexicalMetric) and "n_bootstrap" not in kwargs:
            # Intervals come from score_segments with --bootstrap and --seed,
            # one pass of resamples for every metric.
            metric.n_bootstrap = 0
        metrics[name] = metric
    return metrics


def _resolve_metrics(
    metrics: dict[str, Metric], opts: EvaluateOptions, say: Info
) -> dict[str, Any]:
    """Check model-based metrics before any scoring; drop optional ones that fail."""
    resolved: dict[str, Any] = {}
    explicit = opts.metrics is not None
    for name, metric in metrics.items():
        resolve = getattr(metric, "resolve", None)
        if resolve is not None:
            try:
                resolve()
            except MetricUnavailableError as exc:
                if explicit or name not in OPTIONAL_BY_DEFAULT:
                    raise
                say(f"warning: {exc}; continuing without it")
                resolved[name] = exc
                continue
        resolved[name] = metric
    return resolved


def document_sentences(
    doc: Document, language: LanguageProfile | None = None
) -> tuple[Sentence, ...]:
    """Sentences of a document: given segments, or cleaned text split by the language's rules."""
    if doc.segments is not None:
        return doc.segments
    from evalharness.inputs.clean import clean_document
    from evalharness.inputs.sentences import split_sentences

    return split_sentences(clean_document(doc), language)


def _source_sentences(
    src: Document | None, ref_sents: Sequence[Sentence], language: LanguageProfile | None = None
) -> tuple[Sentence, ...]:
    if src is None:
        return ()
    sents = document_sentences(src, language)
    if len(sents) != len(ref_sents):
        raise InputError(
            f"source has {len(sents)} segments but the reference has {len(ref_sents)}; "
            "a source must be line-aligned with the reference",
            src.path,
        )
    return sents


def build_segments(
    ref_doc: Document,
    ref_sents: Sequence[Sentence],
    hyp_doc: Document,
    src_sents: Sequence[Sentence],
    opts: EvaluateOptions,
    language: LanguageProfile | None = None,
) -> tuple[AlignedSegment, ...]:
    """Pair hypothesis text with reference segments: by position, alignment or re-segmentation."""
    from evalharness.align import sentences as align

    if opts.resegment:
        from evalharness.align.resegment import resegment_document

        segments = resegment_document(
            ref_sents, hyp_doc, docids=_read_docids(opts.ref_docids), docids_path=opts.ref_docids
        )
    elif ref_doc.is_line_aligned and hyp_doc.is_line_aligned:
        hyp_sents = hyp_doc.segments or ()
        if len(hyp_sents) != len(ref_sents):
            raise InputError(
                f"has {len(hyp_sents)} lines but the reference {ref_doc.path} has "
                f"{len(ref_sents)}; line-aligned inputs need equal line counts",
                hyp_doc.path,
            )
        segments = align_lines(ref_sents, hyp_sents)
    else:
        segments = align.align_sentences(ref_sents, document_sentences(hyp_doc, language))
    if src_sents:
        segments = _attach_source(segments, ref_sents, src_sents)
    return segments


# Line pairs per call of align_by_position: its character n-gram tables take
# about 20 kB per pair, so a whole 100k-line file at once would take 2 GB.
ALIGN_CHUNK = 4096


def align_lines(
    ref_sents: Sequence[Sentence], hyp_sents: Sequence[Sentence]
) -> tuple[AlignedSegment, ...]:
    """Pair line-aligned segments one to one, in chunks (memory stays bounded).

    Chunks run on threads: the similarity kernels release the GIL.
    """
    from concurrent.futures import ThreadPoolExecutor

    from evalharness.align import sentences as align

    if len(ref_sents) <= ALIGN_CHUNK:
        return align.align_by_position(ref_sents, hyp_sents)

    def chunk(start: int) -> tuple[AlignedSegment, ...]:
        end = start + ALIGN_CHUNK
        return align.align_by_position(ref_sents[start:end], hyp_sents[start:end], first_id=start)

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        parts = pool.map(chunk, range(0, len(ref_sents), ALIGN_CHUNK))
        return tuple(s for part in parts for s in part)


def _attach_source(
    segments: Sequence[AlignedSegment],
    ref_sents: Sequence[Sentence],
    src_sents: Sequence[Sentence],
) -> tuple[AlignedSegment, ...]:
    """Give each segment the source lines of its reference sentences."""
    index = {id(s): i for i, s in enumerate(ref_sents)}
    return tuple(
        replace(seg, src=tuple(src_sents[index[id(r)]] for r in seg.ref if id(r) in index))
        for seg in segments
    )


def _read_docids(path: str | None) -> list[str] | None:
    if path is None:
        return None
    return [line.strip() for line in eio.read_text(path).split("\n") if line.strip()]


def _system_names(paths: Sequence[str | Path], names: Sequence[str] | None) -> list[str]:
    if names:
        if len(names) != len(paths):
            raise UsageError(f"--name given {len(names)} times for {len(paths)} hypotheses")
        return list(names)
    out: list[str] = []
    for p in paths:
        base = Path(p).stem or str(p)
        name, k = base, 2
        while name in out:
            name, k = f"{base}-{k}", k + 1
        out.append(name)
    return out


def _evaluate_system(
    name: str,
    hyp_doc: Document,
    segments: tuple[AlignedSegment, ...],
    metrics: Mapping[str, Any],
    opts: EvaluateOptions,
    say: Info,
    languages: LanguagePair | None = None,
    glossary: Glossary | None = None,
) -> SystemResult:
    results: dict[str, MetricResult] = score_segments(
        segments,
        metrics,
        opts.bootstrap_samples,
        opts.seed,
        explicit=opts.metrics is not None,
        say=say,
    )
    from evalharness.metrics.comet.languages import with_coverage_warnings

    results = with_coverage_warnings(results, languages)
    findings: tuple[tuple[Any, ...], ...] = tuple(() for _ in segments)
    if opts.run_checks:
        from evalharness.checks import find_errors

        # Each segment is checked against its closest reference: what agrees
        # with any reference is no error.
        findings = find_errors(
            closest_view(segments), results, has_source=any(s.src for s in segments),
            languages=languages,
            glossary=glossary,
        )
    return SystemResult(
        name=name, document=hyp_doc, segments=segments, metrics=results, findings=findings
    )
