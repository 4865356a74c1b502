"""Reading every input file of a run and settling each file's format."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from evalharness.errors import UsageError
from evalharness.inputs import formats as eio
from evalharness.records import LINE_FORMATS, Document, Role

Info = Callable[[str], None]


@dataclass(frozen=True)
class LoadedInputs:
    """Every input file of a run, loaded, each in its settled format."""

    references: tuple[Document, ...]
    hypotheses: tuple[Document, ...]
    source: Document | None


def load_inputs(
    refs: Sequence[str | Path],
    hyps: Sequence[str | Path],
    src: str | Path | None,
    fmt: str,
    say: Info,
) -> LoadedInputs:
    """Read every input file and settle the format of each.

    With ``--format auto`` plain files become ``lines`` when the first reference
    and every hypothesis have the same line count and line ``i`` of the
    reference corresponds to line ``i`` of each hypothesis (see
    :func:`evalharness.inputs.formats.resolve_plain_formats`), else ``text``
    documents. Extra references and the source take the first reference's
    format, so a line-aligned source keeps pairing with the reference by position.
    """
    if fmt not in eio.FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose from: {', '.join(eio.FORMATS)}")
    if len({str(r) for r in refs}) != len(refs):
        raise UsageError("the same reference file is given twice")
    paths: list[tuple[str, Role]] = [(str(r), "ref") for r in refs]
    paths += [(str(h), "hyp") for h in hyps]
    if src is not None:
        paths.append((str(src), "src"))
    texts = {p: eio.read_text(p) for p, _ in paths}
    formats = {p: _choose_format(p, texts[p], fmt) for p, _ in paths}
    first = str(refs[0])
    plain = [p for p, choice in formats.items() if choice.format == "plain"]
    if plain:
        choice = _plain_choice(first, formats, texts, hyps)
        leaders = {first, *(str(h) for h in hyps)}
        follow = eio.FormatChoice(choice.format, "plain text, as the first reference")
        formats.update({p: choice if p in leaders else follow for p in plain})
    for p in dict.fromkeys(p for p, _ in paths):
        if fmt == "auto":
            say(f"{p}: format {formats[p].format} ({formats[p].reason})")
    references: list[Document] = []
    for r in (str(r) for r in refs):
        references += eio.load_references(r, formats[r].format, text=texts[r])
    hyp_docs = tuple(eio.load_document(str(h), formats[str(h)].format, "hyp", text=texts[str(h)])
                     for h in hyps)
    src_doc = None
    if src is not None:
        src_doc = eio.load_document(str(src), formats[str(src)].format, "src", text=texts[str(src)])
    return LoadedInputs(tuple(references), hyp_docs, src_doc)


def _plain_choice(
    first: str,
    formats: Mapping[str, eio.FormatChoice],
    texts: Mapping[str, str],
    hyps: Sequence[str | Path],
) -> eio.FormatChoice:
    """The one format of every plain file, decided by the first reference and the hypotheses."""
    if formats[first].format in LINE_FORMATS:
        return eio.FormatChoice("lines", "the reference is line-aligned")
    if formats[first].format == "markdown":
        return eio.FormatChoice("text", "the reference is a Markdown document")
    plain_hyps = [texts[str(h)] for h in hyps if formats[str(h)].format == "plain"]
    if formats[first].format == "plain":
        return eio.resolve_plain_formats([texts[first], *plain_hyps])
    return eio.resolve_plain_formats(plain_hyps)


def _choose_format(path: str, text: str, fmt: str) -> eio.FormatChoice:
    if fmt != "auto":
        return eio.FormatChoice(fmt, f"--format {fmt}")
    return eio.sniff_format(path, text)
