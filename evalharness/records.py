"""Frozen records passed between the pipeline stages.

``load -> clean -> segment -> align -> score -> check -> report -> gate``

Offsets are Python code-point offsets into :attr:`Document.text`; line numbers
are 1-based lines of the file on disk (front matter included), so a message can
point a user at the exact place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["ref", "hyp", "src"]
Severity = Literal["minor", "major", "critical"]
SEVERITIES: tuple[Severity, ...] = ("minor", "major", "critical")
LINE_FORMATS = ("lines", "tsv", "jsonl")
DOCUMENT_FORMATS = ("text", "markdown")


@dataclass(frozen=True)
class Document:
    r"""One loaded input file (or one column of a TSV/JSONL file).

    Attributes:
        path: The file it came from.
        text: The body text: NFC, ``\\n`` newlines, BOM and front matter removed.
            For line formats, the segments joined by ``\\n``.
        format: The resolved format: ``text``, ``markdown``, ``lines``, ``tsv``, ``jsonl``.
        role: ``ref``, ``hyp`` or ``src``.
        metadata: Front-matter fields (``title``, ``excerpt``, ...), or empty.
        first_line: File line number of the first line of ``text``.
        segments: For line formats, the given segments (already aligned by
            position), each with its file line; ``None`` for documents.
        format_reason: Why ``--format auto`` chose this format.
    """

    path: str
    text: str
    format: str
    role: Role
    metadata: Mapping[str, Any] = field(default_factory=dict)
    first_line: int = 1
    segments: tuple[Sentence, ...] | None = None
    format_reason: str = ""

    @property
    def is_line_aligned(self) -> bool:
        """True for ``lines``/``tsv``/``jsonl`` inputs, which skip alignment."""
        return self.segments is not None

    def line_of(self, offset: int) -> int:
        """File line number of a character offset into :attr:`text`."""
        return self.first_line + self.text.count("\n", 0, offset)


@dataclass(frozen=True)
class Block:
    """A stretch of a document after cleaning: content, or removed non-content.

    Attributes:
        text: The text of the block (stripped of surrounding whitespace).
        start: Offset of its first character in ``Document.text``.
        end: Offset one past its last character.
        removed: ``None`` for content; else why cleaning removed it
            (``"boilerplate"``, ``"address"``, ``"byline"``, ``"credit"``, ...).
    """

    text: str
    start: int
    end: int
    removed: str | None = None


@dataclass(frozen=True)
class CleanedDocument:
    """A document split into content and removed blocks, in order, covering all of it."""

    document: Document
    blocks: tuple[Block, ...]

    @property
    def removed(self) -> tuple[Block, ...]:
        """The blocks that cleaning took out."""
        return tuple(b for b in self.blocks if b.removed is not None)


@dataclass(frozen=True)
class Sentence:
    """One sentence (or line, or removed block) of a document.

    Attributes:
        text: The sentence text.
        start: Offset into ``Document.text``.
        end: Offset one past the end.
        line: 1-based file line where it starts.
        removed: Reason when cleaning removed it, else ``None``.
    """

    text: str
    start: int
    end: int
    line: int
    removed: str | None = None


def _joined(sentences: tuple[Sentence, ...]) -> str:
    """The texts of ``sentences`` joined by spaces (the one text itself for one sentence)."""
    if len(sentences) == 1:
        return sentences[0].text
    return " ".join([s.text for s in sentences])


@dataclass(frozen=True)
class AlignedSegment:
    """A group of reference sentences matched to a group of hypothesis sentences.

    Either side may be empty: ``ref=()`` is a hypothesis-only segment (an
    addition), ``hyp=()`` a reference-only one (an omission).

    With several references, ``ref`` is always the first reference's sentences
    (they define the segmentation) and ``refs`` holds every reference's
    sentences for this segment, the first included; an extra reference that has
    nothing here has an empty group. ``closest`` is the index in ``refs`` of the
    reference most similar to the hypothesis (the one the error checks use).
    """

    id: int
    ref: tuple[Sentence, ...]
    hyp: tuple[Sentence, ...]
    src: tuple[Sentence, ...] = ()
    similarity: float | None = None
    refs: tuple[tuple[Sentence, ...], ...] = ()
    closest: int = 0

    @property
    def reference_groups(self) -> tuple[tuple[Sentence, ...], ...]:
        """Every reference's sentences for this segment (just ``(ref,)`` with one reference)."""
        return self.refs or (self.ref,)

    def reference_texts(self) -> tuple[str | None, ...]:
        """Each reference's text for this segment; ``None`` where an extra reference has nothing.

        A hypothesis-only segment (``ref=()``) has ``""`` for every reference.
        """
        return tuple(
            " ".join(s.text for s in group) if group or not self.ref or k == 0 else None
            for k, group in enumerate(self.reference_groups)
        )

    @property
    def ref_text(self) -> str:
        """The reference side as one string."""
        return _joined(self.ref)

    @property
    def hyp_text(self) -> str:
        """The hypothesis side as one string."""
        return _joined(self.hyp)

    @property
    def src_text(self) -> str:
        """The source side as one string (empty without a source)."""
        return _joined(self.src)

    @property
    def alignment(self) -> str:
        """``"<n ref>-<n hyp>"``, e.g. ``"1-2"`` for one reference and two hypothesis sentences."""
        return f"{len(self.ref)}-{len(self.hyp)}"

    @property
    def ref_lines(self) -> list[int]:
        """File lines of the reference sentences."""
        return [s.line for s in self.ref]

    @property
    def hyp_lines(self) -> list[int]:
        """File lines of the hypothesis sentences."""
        return [s.line for s in self.hyp]


@dataclass(frozen=True)
class Finding:
    """One error found in one segment (MQM style).

    Attributes:
        check: Id of the check that found it (``entity``, ``number``, ...).
        category: MQM category, e.g. ``accuracy/mistranslation``.
        severity: ``minor``, ``major`` or ``critical``.
        hyp_span: The offending hypothesis text ('' if none).
        ref_span: The reference text it should render ('' if none).
        message: A sentence a reviewer understands.
        confidence: 0..1, how sure the check is.
        hyp_start: Offset of ``hyp_span`` in the segment's ``hyp`` string, or None.
        hyp_end: End offset in the segment's ``hyp`` string, or None.
        ref_start: Offset of ``ref_span`` in the segment's ``ref`` string, or None.
        ref_end: End offset in the segment's ``ref`` string, or None.
    """

    check: str
    category: str
    severity: Severity
    hyp_span: str
    ref_span: str
    message: str
    confidence: float = 1.0
    hyp_start: int | None = None
    hyp_end: int | None = None
    ref_start: int | None = None
    ref_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the report contract."""
        return {
            "check": self.check,
            "category": self.category,
            "severity": self.severity,
            "hyp_span": self.hyp_span,
            "ref_span": self.ref_span,
            "message": self.message,
            "confidence": self.confidence,
            "hyp_start": self.hyp_start,
            "hyp_end": self.hyp_end,
            "ref_start": self.ref_start,
            "ref_end": self.ref_end,
        }


@dataclass(frozen=True)
class BleuDetails:
    """What a corpus BLEU is made of (sacrebleu's ``BLEUScore`` fields).

    Attributes:
        bp: Brevity penalty, 0..1.
        precisions: Modified n-gram precisions, 0..100, one per order.
        sys_len: Hypothesis tokens.
        ref_len: Reference tokens (the closest reference length per segment).
    """

    bp: float
    precisions: tuple[float, ...]
    sys_len: int
    ref_len: int


@dataclass(frozen=True)
class ChrfDetails:
    """Character (and word) n-gram precision and recall behind a corpus chrF.

    Attributes:
        precision: Mean n-gram precision over the orders both sides have, 0..100.
        recall: Mean n-gram recall over the same orders, 0..100.
        beta: Weight of recall (2 for chrF).
    """

    precision: float
    recall: float
    beta: float


@dataclass(frozen=True)
class TerDetails:
    """The sums behind a corpus TER: ``100 * edits / ref_length``.

    Attributes:
        edits: Edits (insertions, deletions, substitutions, shifts), summed.
        ref_length: Reference words (average over references), summed.
    """

    edits: float
    ref_length: float


MetricDetails = BleuDetails | ChrfDetails | TerDetails


@dataclass(frozen=True)
class MetricResult:
    """A metric's result for one system.

    Attributes:
        name: ``bleu``, ``chrf``, ``chrf++``, ``ter`` or ``comet``.
        score: Corpus score, or ``None`` when unavailable.
        signature: sacrebleu's signature, or COMET's (model|version|precision|mode).
        segment_scores: One score per segment (``None`` where undefined).
        ci95: Seeded 95% bootstrap interval of the corpus score.
        status: ``ok`` or ``unavailable``.
        reason: Why it is unavailable (cause and fix), else ``None``.
        stats: Per-segment sufficient statistics (rows = segments), the input of
            bootstrap and paired tests; for COMET the segment scores as one column.
        extra: Metric-specific fields added to the JSON (``model``,
            ``segments_scored``, ``segments_cached``, ``truncated``, ...).
        details: Typed corpus-level details (BLEU's brevity penalty and precisions,
            chrF's precision and recall, TER's sums); ``None`` for other metrics.
    """

    name: str
    score: float | None
    signature: str
    segment_scores: tuple[float | None, ...] = ()
    ci95: tuple[float, float] | None = None
    status: str = "ok"
    reason: str | None = None
    stats: Any = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    details: MetricDetails | None = None


@dataclass(frozen=True)
class CometOptions:
    """Settings of the COMET metric (see ``evalharness.metrics.comet.metric``)."""

    model: str = "Unbabel/wmt22-comet-da"
    batch_size: int = 16
    gpus: int | None = None
    precision: str | None = None
    cache_dir: str | None = None
    use_cache: bool = True
    quiet: bool = False
    backend: str = "local"
    ray_address: str | None = None
    ray_workers: int | None = None  # scorer actors (default: one per GPU, else CPUs // 4)
    multi_ref: str = "mean"  # with several references: "mean" or "max" per segment
