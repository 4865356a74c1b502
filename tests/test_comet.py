"""COMET metric: parity with unbabel-comet, input modes, bundles, cache, failures, spans.

Every model here is a tiny checkpoint built from scratch (``tests/comet_tiny.py``);
no test reaches the network (``conftest.py`` sets ``HF_HUB_OFFLINE=1``).
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import comet_tiny
import numpy as np
import pytest

from evalharness.cli.app import run_cli
from evalharness.errors import ExitStatus, InputError, MetricUnavailableError, UsageError
from evalharness.metrics.comet import hub as comet_hub
from evalharness.metrics.comet import metric as comet_metric
from evalharness.metrics.comet.bundle import read_manifest, write_bundle
from evalharness.metrics.comet.inference import import_comet, quiet_libraries
from evalharness.metrics.comet.metric import CometMetric
from evalharness.metrics.comet.models import resolve_model
from evalharness.records import CometOptions

SRC, MT, REF = comet_tiny.sample_triples(40)
REPO = Path(__file__).resolve().parents[1]


def metric(model: Path | str, cache_dir: Path | None = None, **kw: Any) -> CometMetric:
    return CometMetric(
        CometOptions(
            model=str(model),
            cache_dir=str(cache_dir) if cache_dir else None,
            use_cache=cache_dir is not None,
            quiet=True,
            **kw,
        )
    )


def comet_predict(ckpt: Path, samples: list[dict[str, str]], batch_size: int = 16) -> Any:
    """unbabel-comet's own Python API, fp32 on CPU."""
    net = import_comet().load_from_checkpoint(str(ckpt))
    with quiet_libraries():  # Lightning's Trainer banners and deprecation notes
        return net.predict(samples, batch_size=batch_size, gpus=0, progress_bar=False)


def triples(src: list[str] | None, mt: list[str], ref: list[str] | None) -> list[dict[str, str]]:
    out = []
    for i, m in enumerate(mt):
        row = {"mt": m}
        if src is not None:
            row["src"] = src[i]
        if ref is not None:
            row["ref"] = ref[i]
        out.append(row)
    return out


@pytest.fixture(scope="module")
def predicted(tiny_comet: Path) -> Any:
    """unbabel-comet's fp32 ``predict`` of the tiny model on (SRC, MT, REF)."""
    return comet_predict(tiny_comet, triples(SRC, MT, REF))


def test_parity_with_unbabel_comet_predict(tiny_comet: Path, predicted: Any) -> None:
    result = metric(tiny_comet).compute(MT, REF, SRC)
    expected = predicted
    assert np.max(np.abs(np.array(result.segment_scores) - expected.scores)) <= 1e-6
    assert result.score == pytest.approx(expected.system_score, abs=1e-6)
    assert result.stats.shape == (len(MT), 1)
    assert result.signature == f"model:{tiny_comet}|comet:2.2.7|precision:fp32|mode:src+mt+ref"
    assert metric(tiny_comet).score_from_stats(result.stats[:10]) == pytest.approx(
        np.mean(result.segment_scores[:10])
    )
    assert result.extra["segments_scored"] == len(MT)
    assert result.extra["truncated"] == 0


def test_evaluate_command_matches_predict_then_reruns_from_the_cache(
    tiny_comet: Path, predicted: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {}
    for name, lines in (("src", SRC), ("ref", REF), ("hyp", MT)):
        files[name] = tmp_path / f"{name}.txt"
        files[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    argv = ["evaluate", "--format", "lines", "--src", str(files["src"]), "--ref",
            str(files["ref"]), "--hyp", str(files["hyp"]), "--metrics", "comet", "--comet-model",
            str(tiny_comet), "--cache", str(tmp_path / "cache"), "--quiet", "--no-checks"]  # fmt: skip

    def evaluate(report: Path) -> dict[str, Any]:
        done = run_cli([*argv, "--json", str(report)])
        assert done.exit_status == ExitStatus.SUCCESS, done.stderr
        system = json.loads(report.read_text(encoding="utf-8"))["systems"][0]
        scores = [segment["scores"]["comet"] for segment in system["segments"]]
        return {**system["metrics"]["comet"], "segment_scores": scores}

    first = evaluate(tmp_path / "first.json")
    assert np.max(np.abs(np.array(first["segment_scores"]) - predicted.scores)) <= 1e-6
    assert (first["status"], first["mode"], first["segments_scored"]) == ("ok", "src+mt+ref", 40)

    def no_load(*_: Any) -> None:
        raise AssertionError("model loaded although every triple is cached")

    monkeypatch.setattr(comet_metric, "load_comet_model", no_load)
    again = evaluate(tmp_path / "again.json")
    assert (again["segments_scored"], again["segments_cached"]) == (0, 40)
    assert again["segment_scores"] == first["segment_scores"]


def test_seed_pair_in_document_format_without_source(tiny_comet: Path, tmp_path: Path) -> None:
    report = tmp_path / "bbc.json"
    done = run_cli(
        ["evaluate", "--ref", str(REPO / "references" / "bbc.md"), "--hyp",
         str(REPO / "hypotheses" / "bbc-garbled.txt"), "--metrics", "bleu,comet",
         "--comet-model", str(tiny_comet), "--no-cache", "--quiet", "--no-checks",
         "--json", str(report)]
    )  # fmt: skip
    assert done.exit_status == ExitStatus.SUCCESS, done.stderr
    system = json.loads(report.read_text(encoding="utf-8"))["systems"][0]
    comet = system["metrics"]["comet"]
    assert (comet["status"], comet["mode"]) == ("ok", "src=ref+mt+ref")
    assert comet["segments_scored"] == len(system["segments"]) > 30
    assert all(np.isfinite(s["scores"]["comet"]) for s in system["segments"])


def test_reference_serves_as_source_without_src(tiny_comet: Path) -> None:
    result = metric(tiny_comet).compute(MT, REF)
    expected = comet_predict(tiny_comet, triples(REF, MT, REF))
    assert np.max(np.abs(np.array(result.segment_scores) - expected.scores)) <= 1e-6
    assert result.extra["mode"] == "src=ref+mt+ref"
    assert "mode:src=ref+mt+ref" in result.signature


def test_reference_free_model_without_source_fails_before_loading(
    tiny_referenceless: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_load(*_: Any) -> None:
        raise AssertionError("weights loaded before the input check")

    monkeypatch.setattr(comet_metric, "load_comet_model", no_load)
    with pytest.raises(UsageError, match="needs the source"):
        metric(tiny_referenceless).compute(MT, REF)


def test_reference_free_model_with_source(tiny_referenceless: Path) -> None:
    result = metric(tiny_referenceless).compute(MT, REF, SRC)
    expected = comet_predict(tiny_referenceless, triples(SRC, MT, None))
    assert result.extra["mode"] == "src+mt"
    assert np.max(np.abs(np.array(result.segment_scores) - expected.scores)) <= 1e-6


def test_unified_models_run_reference_only(tiny_unified_ref: Path, tiny_xcomet: Path) -> None:
    # Trained on [mt, ref]: the source is ignored even when given.
    ref_only = metric(tiny_unified_ref).compute(MT, REF, SRC)
    assert ref_only.extra["mode"] == "mt+ref"
    expected = comet_predict(tiny_unified_ref, triples(None, MT, REF))
    assert np.max(np.abs(np.array(ref_only.segment_scores) - expected.scores)) <= 1e-6
    # xCOMET without a source runs on [mt, ref] instead of copying the reference.
    xcomet = metric(tiny_xcomet).compute(MT, REF)
    assert xcomet.extra["mode"] == "mt+ref"
    expected = comet_predict(tiny_xcomet, triples(None, MT, REF))
    assert np.max(np.abs(np.array(xcomet.segment_scores) - expected.scores)) <= 1e-6


def test_xcomet_error_spans_are_offsets_into_the_hypothesis(tiny_xcomet: Path) -> None:
    result = metric(tiny_xcomet).compute(MT, REF, SRC)
    expected = comet_predict(tiny_xcomet, triples(SRC, MT, REF))
    assert np.max(np.abs(np.array(result.segment_scores) - expected.scores)) <= 1e-6
    spans = result.extra["error_spans"]
    assert len(spans) == len(MT)
    assert sum(len(s) for s in spans) > 0  # a random tagger tags something
    for hyp, segment_spans, theirs in zip(MT, spans, expected.metadata.error_spans, strict=True):
        for span in segment_spans:
            assert set(span) == {"text", "severity", "confidence", "start", "end"}
            assert hyp[span["start"] : span["end"]] == span["text"] == span["text"].strip()
            assert span["severity"] in ("minor", "major", "critical")
            assert 0.0 <= span["confidence"] <= 1.0
        # unbabel-comet's spans, minus those over whitespace or special tokens only.
        kept = [t for t in theirs if hyp[t["start"] : t["end"]].strip()]
        assert [(s["severity"], s["confidence"]) for s in segment_spans] == [
            (t["severity"], t["confidence"]) for t in kept
        ]


def test_empty_input_and_empty_segments(tiny_comet: Path, tiny_xcomet: Path) -> None:
    nothing = metric(tiny_comet).compute([], [], [])
    assert (nothing.score, nothing.segment_scores, nothing.stats.shape) == (None, (), (0, 1))
    # An addition ("" reference) and an omission ("" hypothesis) still get scores.
    for ckpt in (tiny_comet, tiny_xcomet):
        result = metric(ckpt).compute(["", MT[1]], [REF[0], ""], ["", SRC[1]])
        assert len(result.segment_scores) == 2
        assert all(np.isfinite(result.segment_scores))
    with pytest.raises(InputError):
        metric(tiny_comet).compute(MT[:2], REF[:3])


def test_regression_model_has_no_error_spans(tiny_comet: Path) -> None:
    assert "error_spans" not in metric(tiny_comet).compute(MT[:3], REF[:3], SRC[:3]).extra


def test_truncated_inputs_are_counted(tiny_comet: Path, tiny_xcomet: Path) -> None:
    long_hyp = " ".join(MT) * 3  # far over 512 tokens
    hyps = [MT[0], long_hyp, MT[2]]
    for ckpt in (tiny_comet, tiny_xcomet):
        result = metric(ckpt).compute(hyps, REF[:3], SRC[:3])
        assert result.extra["truncated"] == 1
        assert result.extra["truncated_segments"] == (1,)


def test_rerun_scores_only_new_triples_and_loads_no_model(
    tiny_comet: Path, comet_cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = metric(tiny_comet, comet_cache_dir).compute(MT[:30], REF[:30], SRC[:30])
    assert (first.extra["segments_scored"], first.extra["segments_cached"]) == (30, 0)

    def no_load(*_: Any) -> None:
        raise AssertionError("model loaded although every triple is cached")

    with monkeypatch.context() as patch:
        patch.setattr(comet_metric, "load_comet_model", no_load)
        again = metric(tiny_comet, comet_cache_dir).compute(MT[:30], REF[:30], SRC[:30])
    assert again.segment_scores == first.segment_scores
    assert (again.extra["segments_scored"], again.extra["segments_cached"]) == (0, 30)
    assert again.signature == first.signature

    seen: list[int] = []
    real_score = comet_metric.score_samples

    def counting(net: Any, samples: list[dict[str, str]], *args: Any, **kwargs: Any) -> Any:
        seen.append(len(samples))
        return real_score(net, samples, *args, **kwargs)

    monkeypatch.setattr(comet_metric, "score_samples", counting)
    grown = metric(tiny_comet, comet_cache_dir).compute(MT, REF, SRC)
    assert seen == [10]
    assert (grown.extra["segments_scored"], grown.extra["segments_cached"]) == (10, 30)
    full = metric(tiny_comet).compute(MT, REF, SRC)
    assert np.max(np.abs(np.array(grown.segment_scores) - full.segment_scores)) <= 1e-6


def test_cache_separates_input_modes_and_precisions(
    tiny_comet: Path, comet_cache_dir: Path
) -> None:
    with_src = metric(tiny_comet, comet_cache_dir).compute(MT[:5], REF[:5], SRC[:5])
    ref_as_src = metric(tiny_comet, comet_cache_dir).compute(MT[:5], REF[:5])
    assert ref_as_src.extra["segments_cached"] == 0
    assert ref_as_src.segment_scores != with_src.segment_scores
    bf16 = metric(tiny_comet, comet_cache_dir, precision="bf16").compute(MT[:5], REF[:5], SRC[:5])
    assert bf16.extra["segments_cached"] == 0
    assert "precision:bf16" in bf16.signature
    assert np.max(np.abs(np.array(bf16.segment_scores) - with_src.segment_scores)) < 0.05


def test_bundle_loads_offline_without_the_original_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = tmp_path / "original"
    ckpt = comet_tiny.build_model(original, "regression", seed=7)
    expected = metric(ckpt).compute(MT, REF, SRC)
    bundle = tmp_path / "bundle"
    manifest = write_bundle(resolve_model(str(ckpt), download=False), bundle)
    assert read_manifest(bundle) == manifest
    assert manifest.class_identifier == "regression_metric"
    shutil.rmtree(original)  # the encoder named inside the checkpoint is gone
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "empty-hf-home"))
    result = metric(bundle).compute(MT, REF, SRC)
    assert result.segment_scores == expected.segment_scores
    assert result.extra["model"] == manifest.model


def test_fetch_command_writes_a_bundle_from_a_local_model(tiny_comet: Path, tmp_path: Path) -> None:
    dest = tmp_path / "bundle"
    done = run_cli(
        [
            "comet",
            "fetch",
            str(tiny_comet.parents[1]),
            "--to",
            str(dest),
            "--name",
            "tiny/regression",
        ]
    )
    assert done.exit_status == ExitStatus.SUCCESS, done.stderr
    assert "--comet-model" in done.stdout
    assert read_manifest(dest).model == "tiny/regression"
    assert (dest / "encoder" / "tokenizer.json").is_file()
    assert (
        metric(dest)
        .compute(MT[:2], REF[:2], SRC[:2])
        .signature.startswith("model:tiny/regression|")
    )
    again = run_cli(["comet", "fetch", str(tiny_comet), "--to", str(dest)])
    assert again.exit_status == ExitStatus.USAGE
    assert "--force" in again.stderr


def _hub_like_model(tmp_path: Path, encoder_name: str) -> tuple[Path, tuple[float | None, ...]]:
    """A tiny model whose checkpoint names its encoder by Hub name, as real ones do.

    Returns the checkpoint and its scores on (MT, REF, SRC), taken before the renaming.
    """
    import torch
    import yaml

    ckpt = comet_tiny.build_model(tmp_path / "hub", "regression", seed=3)
    scores = metric(ckpt).compute(MT, REF, SRC).segment_scores
    state = torch.load(ckpt, weights_only=False)
    state["hyper_parameters"]["pretrained_model"] = encoder_name
    torch.save(state, ckpt)
    hparams_file = ckpt.parents[1] / "hparams.yaml"
    hparams = yaml.safe_load(hparams_file.read_text())
    hparams_file.write_text(yaml.safe_dump({**hparams, "pretrained_model": encoder_name}))
    return ckpt, scores


def test_fetch_from_the_hub_then_score_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub

    ckpt, expected = _hub_like_model(tmp_path, "FacebookAI/xlm-roberta-tiny")
    repos = {
        "Unbabel/tiny-comet": ckpt.parents[1],
        "FacebookAI/xlm-roberta-tiny": ckpt.parents[2] / "encoder",
    }
    asked: list[tuple[str, Any]] = []

    def fake_hub(
        repo: str, *, local_files_only: bool = False, allow_patterns: Any = None, **_: Any
    ) -> str:
        if local_files_only:  # an empty cache
            raise huggingface_hub.errors.LocalEntryNotFoundError("not cached")
        asked.append((repo, allow_patterns))
        return str(repos[repo])

    dest = tmp_path / "bundle"
    with monkeypatch.context() as online:
        online.delenv("HF_HUB_OFFLINE")
        online.setattr(comet_hub, "hub_unreachable", lambda: None)
        online.setattr(huggingface_hub, "snapshot_download", fake_hub)
        done = run_cli(["comet", "fetch", "Unbabel/tiny-comet", "--to", str(dest)])
    assert done.exit_status == ExitStatus.SUCCESS, done.stderr
    assert [repo for repo, _ in asked] == ["Unbabel/tiny-comet", "FacebookAI/xlm-roberta-tiny"]
    assert asked[1][1] == ["*.json", "*.model", "*.txt"]  # the encoder's weights are not fetched
    manifest = read_manifest(dest)
    assert (manifest.model, manifest.pretrained_model) == (
        "Unbabel/tiny-comet",
        "FacebookAI/xlm-roberta-tiny",
    )

    def no_network(*_: Any, **__: Any) -> None:
        raise AssertionError("network touched")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    bundled = dest / "checkpoints" / "model.ckpt"
    with pytest.raises(OSError):  # unbabel-comet alone looks for the encoder on the Hub
        import_comet().load_from_checkpoint(str(bundled), local_files_only=True)
    result = metric(dest).compute(MT, REF, SRC)
    assert result.signature.startswith("model:Unbabel/tiny-comet|")
    assert result.segment_scores == expected


def test_hub_name_offline_with_empty_cache_fails_fast_without_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*_: Any, **__: Any) -> None:
        raise AssertionError("network touched")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "empty"))
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    with pytest.raises(MetricUnavailableError) as info:
        metric("Unbabel/wmt22-comet-da").resolve()
    text = str(info.value)
    assert "Unbabel/wmt22-comet-da is not in the local Hugging Face cache" in text
    assert "HF_HUB_OFFLINE" in text and "evalharness comet fetch" in text
    assert info.value.exit_status == ExitStatus.METRIC_UNAVAILABLE


def test_comet_explicitly_requested_and_unavailable_exits_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "empty"))
    ref = tmp_path / "ref.txt"
    ref.write_text("A sentence.\nAnother one.\n", encoding="utf-8")
    done = run_cli(
        ["evaluate", "--ref", str(ref), "--hyp", str(ref), "--metrics", "bleu,comet", "--quiet"]
    )
    assert done.exit_status == ExitStatus.METRIC_UNAVAILABLE
    assert (
        "comet unavailable" in done.stderr and "not in the local Hugging Face cache" in done.stderr
    )


def _hub_error(kind: str) -> Exception:
    import requests
    from huggingface_hub import errors as hf

    if kind == "gated":
        response = requests.Response()
        response.status_code = 401
        return hf.GatedRepoError(
            "Access to model Unbabel/wmt22-cometkiwi-da is restricted.", response=response
        )
    if kind == "disk":
        return OSError(errno.ENOSPC, "No space left on device")
    try:
        try:
            raise requests.ConnectionError("Failed to resolve 'huggingface.co'")
        except requests.ConnectionError as exc:
            raise hf.LocalEntryNotFoundError("cannot find the requested files") from exc
    except hf.LocalEntryNotFoundError as exc:
        return exc


@pytest.mark.parametrize(
    ("kind", "cause", "fix"),
    [
        ("gated", "is gated on the Hugging Face Hub", "HF_TOKEN"),
        ("disk", "the disk is full", "free some space"),
        ("network", "cannot reach the Hugging Face Hub", "evalharness comet fetch"),
    ],
)
def test_download_failures_keep_their_cause(
    kind: str, cause: str, fix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub

    error = _hub_error(kind)

    def fake_snapshot(*_: Any, local_files_only: bool = False, **__: Any) -> str:
        if local_files_only:
            raise huggingface_hub.errors.LocalEntryNotFoundError("not cached")
        raise error

    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setattr(comet_hub, "hub_unreachable", lambda: None)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake_snapshot)
    with pytest.raises(MetricUnavailableError) as info:
        metric("Unbabel/wmt22-cometkiwi-da").resolve()
    assert cause in info.value.cause and fix in info.value.fix
    assert "HF_HUB_OFFLINE" not in info.value.fix.replace("HF_HUB_OFFLINE=1 skips", "")
    assert info.value.__cause__ is error


def _no_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub

    def cache_only(*_: Any, local_files_only: bool = False, **__: Any) -> str:
        if local_files_only:
            raise huggingface_hub.errors.LocalEntryNotFoundError("not cached")
        raise AssertionError("a download was attempted after the probe failed")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", cache_only)


def _online(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, endpoint: str) -> None:
    """Downloads allowed, an empty HF cache, the Hub at ``endpoint``, no proxy, no probe memo."""
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_ETAG_TIMEOUT"):
        monkeypatch.delenv(var, raising=False)
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "empty"))
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    monkeypatch.setattr(comet_hub, "_PROBES", {})


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_hub_fails_fast_with_a_network_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _online(monkeypatch, tmp_path, f"http://127.0.0.1:{_closed_port()}")
    _no_downloads(monkeypatch)
    probes: list[str] = []
    real_probe = comet_hub._probe
    monkeypatch.setattr(comet_hub, "_probe", lambda *a: probes.append(a[0]) or real_probe(*a))
    with pytest.raises(MetricUnavailableError) as info:  # _no_downloads: no retry after the probe
        metric("Unbabel/wmt22-comet-da").resolve()
    error = info.value
    assert "cannot reach the Hugging Face Hub at http://127.0.0.1:" in error.cause
    assert "ConnectionRefusedError" in error.cause and "has no copy" in error.cause
    assert "evalharness comet fetch Unbabel/wmt22-comet-da" in error.fix
    assert "unset" not in error.fix and "HF_HUB_OFFLINE=1 skips" in error.fix
    with pytest.raises(MetricUnavailableError):  # the answer is remembered: no second probe
        metric("Unbabel/wmt22-cometkiwi-da").resolve()
    assert len(probes) == 1


def test_hub_probe_is_bounded_when_dns_hangs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _online(monkeypatch, tmp_path, "https://hub.invalid")
    monkeypatch.setenv("HF_HUB_ETAG_TIMEOUT", "0.3")
    _no_downloads(monkeypatch)

    def silent_dns(*_: Any, **__: Any) -> None:
        time.sleep(3)
        raise socket.gaierror(-3, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", silent_dns)
    # The message is written only when the probe stops waiting, before the 3 s look-up ends.
    with pytest.raises(MetricUnavailableError, match=r"no answer from hub\.invalid within 0\.3 s"):
        metric("Unbabel/wmt22-comet-da").resolve()


def test_hub_probe_counts_any_http_answer_as_reachable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import http.server
    import threading

    class NotFound(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:  # noqa: N802 - the http.server hook
            self.send_response(404)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), NotFound)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        _online(monkeypatch, tmp_path, f"http://127.0.0.1:{server.server_port}")
        assert comet_hub.hub_unreachable() is None
    finally:
        server.shutdown()
        server.server_close()


def test_offline_message_names_the_switch_that_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _online(monkeypatch, tmp_path, "https://hub.invalid")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    with pytest.raises(MetricUnavailableError) as info:
        metric("Unbabel/wmt22-comet-da").resolve()
    assert "(TRANSFORMERS_OFFLINE is set)" in info.value.cause
    assert "or unset TRANSFORMERS_OFFLINE to download" in info.value.fix
    assert "HF_HUB_OFFLINE" not in str(info.value)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE")
    with pytest.raises(MetricUnavailableError) as info:  # downloads off by the caller
        resolve_model("Unbabel/wmt22-comet-da", download=False)
    assert "downloads are off (not allowed here)" in info.value.cause
    assert "unset" not in info.value.fix and "OFFLINE" not in str(info.value)


def _corrupt_copies(ckpt: Path, tmp_path: Path) -> dict[str, Path]:
    copies = {}
    for kind in ("truncated", "garbage", "bad-pickle"):
        model_dir = tmp_path / kind
        shutil.copytree(ckpt.parents[1], model_dir)
        target = model_dir / "checkpoints" / "model.ckpt"
        data = target.read_bytes()
        if kind == "truncated":
            target.write_bytes(data[: len(data) // 2])
        elif kind == "garbage":
            target.write_bytes(b"<html>rate limited</html>")
        else:
            with zipfile.ZipFile(ckpt) as src, zipfile.ZipFile(target, "w") as dst:
                for item in src.infolist():
                    body = src.read(item)
                    dst.writestr(
                        item,
                        b"\x80\x02not a pickle" if item.filename.endswith("data.pkl") else body,
                    )
        copies[kind] = target
    return copies


def test_corrupt_checkpoints_are_unavailable_with_cause(tiny_comet: Path, tmp_path: Path) -> None:
    for kind, ckpt in _corrupt_copies(tiny_comet, tmp_path).items():
        with pytest.raises(MetricUnavailableError) as info:
            metric(ckpt).compute(MT[:2], REF[:2], SRC[:2])
        assert str(ckpt) in info.value.cause, kind
        assert re.search(r"corrupt|cannot load", info.value.cause), kind
        assert info.value.__cause__ is not None, kind


def test_invalid_options_are_usage_errors() -> None:
    for options in (
        CometOptions(batch_size=0),
        CometOptions(precision="fp8"),
        CometOptions(backend="spark"),
        CometOptions(gpus=-1),
    ):
        with pytest.raises(UsageError):
            CometMetric(options)
    if not _cuda():
        with pytest.raises(UsageError, match="CUDA"):
            CometMetric(CometOptions(gpus=1)).runtime()


def _cuda() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def test_progress_bar_only_on_a_terminal(tiny_comet: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for quiet, expect in ((False, True), (True, False)):
        stream = Terminal()
        monkeypatch.setattr(sys, "stderr", stream)
        CometMetric(CometOptions(model=str(tiny_comet), use_cache=False, quiet=quiet)).compute(
            MT, REF, SRC
        )
        assert ("COMET" in stream.getvalue()) is expect
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    CometMetric(CometOptions(model=str(tiny_comet), use_cache=False)).compute(MT, REF, SRC)
    assert piped.getvalue() == ""


@pytest.mark.slow
def test_fresh_process_prints_nothing_and_keeps_logging(tiny_comet: Path) -> None:
    code = (
        "import logging, sys\n"
        "from evalharness.metrics.comet.metric import CometMetric\n"
        "from evalharness.records import CometOptions\n"
        f"m = CometMetric(CometOptions(model={str(tiny_comet)!r}, use_cache=False))\n"
        "r = m.compute(['Ein Test.'], ['A test.'], ['Ein Test.'])\n"
        "root = logging.getLogger()\n"
        "print(len(root.handlers), root.level, r.extra['segments_scored'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "30", "1"]  # comet's basicConfig(INFO) undone
    assert done.stderr == ""


@pytest.mark.slow
def test_comet_score_cli_agrees_within_half_precision(tiny_comet: Path, tmp_path: Path) -> None:
    files = {}
    for name, lines in (("src", SRC), ("mt", MT), ("ref", REF)):
        files[name] = tmp_path / f"{name}.txt"
        files[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli = Path(sys.executable).parent / "comet-score"
    done = subprocess.run(
        [str(cli), "-s", str(files["src"]), "-t", str(files["mt"]), "-r", str(files["ref"]),
         "--model", str(tiny_comet), "--gpus", "0", "--quiet"],
        capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    theirs = [float(m) for m in re.findall(r"Segment \d+\tscore: (-?[\d.]+)", done.stdout)]
    ours = metric(tiny_comet).compute(MT, REF, SRC).segment_scores
    assert len(theirs) == len(ours)
    assert np.max(np.abs(np.array(theirs) - ours)) <= 1e-3
    # In comet-score's own half precision the scores agree to its printed 4 decimals.
    ours_fp16 = metric(tiny_comet, precision="fp16").compute(MT, REF, SRC).segment_scores
    assert np.max(np.abs(np.array(theirs) - ours_fp16)) <= 0.5e-4 + 1e-9


def test_comet_is_a_builtin_metric() -> None:
    code = "from evalharness.metrics import metric_names; print(metric_names())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert "'comet'" in done.stdout, done.stdout + done.stderr
    assert "torch" not in subprocess.run(
        [sys.executable, "-c", "import sys, evalharness.metrics.comet.metric; print(sorted(sys.modules))"],
        capture_output=True, text=True, cwd=REPO,
    ).stdout  # fmt: skip


def test_resolved_models_are_found_by_file_directory_and_bundle(
    tiny_comet: Path, tmp_path: Path
) -> None:
    by_file = resolve_model(str(tiny_comet), download=False)
    by_dir = resolve_model(str(tiny_comet.parents[1]), download=False)
    assert by_file.checkpoint == by_dir.checkpoint
    assert (by_file.source, by_dir.source) == ("checkpoint", "directory")
    bundle = tmp_path / "b"
    write_bundle(replace(by_dir, name="tiny"), bundle)
    assert resolve_model(str(bundle), download=False).source == "bundle"
    with pytest.raises(MetricUnavailableError, match="no such checkpoint"):
        resolve_model(str(tmp_path / "missing.ckpt"))
    with pytest.raises(MetricUnavailableError, match="not a COMET model directory"):
        resolve_model(str(tmp_path))


def test_cpu_only_torch_is_recognised_without_importing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.machinery
    import importlib.util

    package = tmp_path / "torch"
    package.mkdir()
    spec = importlib.machinery.ModuleSpec("torch", None, is_package=True)
    spec.submodule_search_locations = [str(package)]
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: spec if name == "torch" else real_find_spec(name, *a),
    )
    monkeypatch.setitem(sys.modules, "torch", None)  # importing torch now fails
    version = "from typing import Optional\ncuda: Optional[str] = {}\nhip: Optional[str] = None\n"
    (package / "version.py").write_text(version.format("None"), encoding="utf-8")
    assert comet_metric.cuda_available() is False
    (package / "version.py").write_text(version.format("'12.4'"), encoding="utf-8")
    with pytest.raises(ImportError):  # a CUDA build: only torch itself can tell
        comet_metric.cuda_available()
