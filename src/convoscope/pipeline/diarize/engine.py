"""`diarize`: who spoke when in a mono recording.

Steps: Silero VAD speech regions -> fixed windows inside them -> CAM++ embeddings (batched;
Resemblyzer on request) -> spectral clustering with an eigengap speaker count, with clusters that
segmentation hears as one voice joined (`one_voice.py`), plus voices it missed that segmentation
hears apart in one chunk (`local_voices.py`); told the count, a cluster that segmentation never
hears gives way to a split of the widest voice (`told_count.py`) -> per 16.875 ms frame,
segmentation-3.0's local speakers mapped to the clusters (`reconcile.py`) -> main-speaker turns and
overlaps (`timeline.py`).
Without segmentation (`DiarizeSettings.segmentation=False`): the windows' votes per 50 ms frame,
smoothed (`turns.py`).

Growth with the length T of the recording: VAD, segmentation and embedding time are linear in T
(the encoder dominates: about `window / hop` encoder passes over every second of speech). Memory
beyond the audio the caller holds is under 1 KiB of embeddings per window (about 4 MB per hour of
speech at a 0.75 s hop), 1.8 KB of segmentation activity per 10 s chunk, and the timeline's
per-frame arrays, about 20 bytes per frame and speaker (18 MB per hour for 4 speakers; jobs
diarize 10-minute windows), plus a constant: the VAD works in 1-minute blocks, spectrograms and
segmentation inputs are made per batch. Clustering works on at most `ClusterSettings.max_points`
windows (an evenly spaced sample beyond that), so its time and memory stop growing once a recording
has that many windows; the rest are labelled by their nearest centroid (linear in T).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import structlog
from threadpoolctl import threadpool_limits

from convoscope.pipeline.diarize import embed, segmentation, speaker_model
from convoscope.pipeline.diarize.cluster import ClusterSettings, cluster
from convoscope.pipeline.diarize.local_voices import add_voices, distinct_voices
from convoscope.pipeline.diarize.one_voice import join_one_voice
from convoscope.pipeline.diarize.reconcile import frame_speakers
from convoscope.pipeline.diarize.regions import (
    SAMPLE_RATE,
    Region,
    VadSettings,
    Window,
    speech_regions,
    windows_in,
)
from convoscope.pipeline.diarize.timeline import main_pieces, overlap_pieces
from convoscope.pipeline.diarize.told_count import Heard, honour_count
from convoscope.pipeline.diarize.turns import Piece, merge, pieces
from convoscope.pipeline.diarize.types import DiarizationResult, SpeakerTurn
from convoscope.pipeline.diarize.voiceprints import voiceprint
from convoscope.pipeline.workers import Threads, thread_count

log = structlog.get_logger(__name__)

# Resemblyzer's similarities sit higher and closer together than CAM++'s (see cluster.py).
RESEMBLYZER_CLUSTERING = ClusterSettings(merge_threshold=0.71, distinct_below=0.5)
MIN_CLEAN = 0.5  # share of the windows that must be free of overlap for the others to be left out


@dataclass(frozen=True)
class DiarizeSettings:
    """How `diarize` works; the defaults were chosen on the bench clips (bench/diarize/run.py).

    `embedder`: "campplus" (default) or "resemblyzer" (the earlier, weaker model; for comparison).
    `window`/`hop`: embedding windows (seconds). With CAM++ on the bench clips, a 0.5 s hop gave word
    attribution 0.946 on pyannote_sample against 0.932 at 0.75 s (the same elsewhere), for 1.5x the
    embedding time: 27 % of a job's speech step against 17 % (bench/diarize/job_share.py). With
    segmentation, longer hops still cost speakers (`run.py clips --window W --hop H`; 0.75 hop in
    brackets): 1.5/1.5 (half the encoder passes) found 2 of ami_trn08's 4 voices (3) and put
    ami_tst00 at DER 0.618 (0.579), lca_repairs49_a at 0.103 (0.046); 1.5/1.0 found 2 on trn08 and
    tst00 (3, 3) and 3 on ami_dev01 (2); 2.0/1.5 and 2.0/2.0 split dev01 into 3; 3.0/3.0 heard one
    voice on pyannote_sample and three calls. Shorter windows at the 0.75 hop (a 1.0 s window is
    0.67x the network's time) cost counts too: 1.0/0.75 found 4 on ami_trn06 (2) and 3 on ami_trn09
    (2), 1.25/0.75 3 on ami_dev01 and lca_repairs49_c (2) and 2 on ami_trn08 (3).
    `merge_gap`: longest pause inside one turn. `min_run`: shortest speaker run kept inside a
    stretch of continuous speech. `threads`: workers for the VAD blocks and the networks' batches,
    one torch thread each (`workers.py`), or `Cores`, a number that may grow while it runs; the
    results do not depend on it.
    `segmentation`: frame-level speakers from pyannote segmentation-3.0 (exact speaker changes,
    overlapped speech); off, turns come from the windows' votes alone.
    `segmentation_step`: seconds between its 10 s chunks. 10 (each frame seen once) scored as well
    on the bench clips as 2.5 or 5, at a quarter or half the cost. `min_overlap`: shortest overlap
    reported.
    `max_overlap_share`: with segmentation, windows with more of their frames overlapped are not
    clustered (pyannote leaves such embeddings out too) but take the nearest cluster's label: on
    two-party calls full of interruptions they formed a third cluster. 0.3: at 0.2 the bench counts
    were the same but conv2 and pyannote_sample joined (4 voices) came out as 3. Left out entirely
    (not embedded), such windows cost segmentation's overlap recall on ami_tst00 (0.24 -> 0.09):
    local speakers heard only in overlap lost their evidence. All are clustered when fewer than
    `MIN_CLEAN` of the windows are clean.
    `bf16`: bfloat16 encoder (None: when the CPU has it). VAD and clustering knobs have their own.
    """

    embedder: str = "campplus"
    window: float = 1.5
    hop: float = 0.75
    merge_gap: float = 1.0
    min_run: float = 0.5
    threads: Threads = 1
    bf16: bool | None = None
    segmentation: bool = True
    segmentation_step: float = 10.0
    min_overlap: float = 0.1
    max_overlap_share: float = 0.3
    vad: VadSettings = field(default_factory=VadSettings)
    clustering: ClusterSettings | None = None  # None: the defaults for the embedder


def _clean(
    activity: segmentation.Activity, spans: list[tuple[int, int]], n_samples: int, max_share: float
) -> np.ndarray:
    """Mask of the window `spans` whose overlapped share is at most `max_share`; all when too few are."""
    shares = segmentation.overlap_share(activity, np.asarray(spans, dtype=np.int64).reshape(-1, 2), n_samples)
    keep = shares <= max_share
    return keep if keep.sum() >= max(MIN_CLEAN * len(spans), 2) else np.ones(len(spans), dtype=bool)


def _turns(
    activity: segmentation.Activity | None,
    regions: list[Region],
    windows: list[Window],
    labels: np.ndarray,
    n_samples: int,
    settings: DiarizeSettings,
) -> tuple[list[Piece], list[Piece]]:
    """Main-speaker pieces (merged across short pauses) and overlap pieces."""
    if activity is not None:
        active = frame_speakers(activity, windows, labels, regions, n_samples)
        merged = merge(
            main_pieces(active, settings.min_run, settings.vad.min_speech_ms / 1000), settings.merge_gap
        )
        return merged, overlap_pieces(active, settings.min_overlap)
    votes = np.eye(int(labels.max()) + 1 if len(labels) else 1)[labels]
    return merge(pieces(regions, windows, votes, settings.min_run), settings.merge_gap), []


def _heard_by(
    activity: segmentation.Activity,
    regions: list[Region],
    windows: list[Window],
    n_samples: int,
    settings: DiarizeSettings,
) -> Heard:
    """Which labels the output would hold a turn of (main or overlap), for `honour_count`."""

    def heard(labels: np.ndarray) -> set[int]:
        merged, overlapped = _turns(activity, regions, windows, labels, n_samples, settings)
        return {piece.label for piece in [*merged, *overlapped]}

    return heard


def diarize(
    audio: np.ndarray,
    num_speakers: int | None = None,
    max_speakers: int = 10,
    settings: DiarizeSettings | None = None,
) -> DiarizationResult:
    """Speaker turns of 16 kHz mono float32 `audio`; silence gives no turns.

    `num_speakers` fixes the number of clusters; when segmentation gives one of them no turn of its
    own, the widest voice is split instead (`told_count.py`: AMI EN2002a's opening told 4 came back
    with 3 before, now 4, bench/README.md). Fewer speakers still come back when there are fewer
    speech windows than speakers or no split of a voice is heard apart by segmentation. Without it
    the count is estimated between 1 and `max_speakers`.
    """
    if audio.ndim != 1:
        raise ValueError(f"diarize needs mono audio, got shape {audio.shape}")
    if num_speakers is not None and num_speakers < 1:
        raise ValueError(f"num_speakers must be at least 1, got {num_speakers}")
    if max_speakers < 1:
        raise ValueError(f"max_speakers must be at least 1, got {max_speakers}")
    settings = settings or DiarizeSettings()
    started = time.monotonic()
    audio = audio.astype(np.float32, copy=False)

    regions = speech_regions(audio, settings.vad, settings.threads)
    vad_done = time.monotonic()
    windows = windows_in(regions, len(audio), settings.window, settings.hop)
    spans = [(w.start, w.end) for w in windows]
    activity, clean = None, None
    if settings.segmentation and windows:
        activity = segmentation.segment(audio, settings.segmentation_step, settings.threads)
        clean = _clean(activity, spans, len(audio), settings.max_overlap_share)
    segment_done = time.monotonic()
    if settings.embedder == "resemblyzer":
        embeddings = embed.embed_windows(
            audio, spans, threads=thread_count(settings.threads), bf16=settings.bf16
        )
    else:
        embeddings = speaker_model.embed_windows(audio, spans, threads=settings.threads, bf16=settings.bf16)
    embed_done = time.monotonic()
    overlapping = int(np.ceil(settings.window / settings.hop)) - 1
    base = settings.clustering or (
        RESEMBLYZER_CLUSTERING if settings.embedder == "resemblyzer" else ClusterSettings()
    )
    clustering = replace(base, min_neighbours=max(base.min_neighbours, 2 * overlapping + 2))
    # numpy/scipy/sklearn's own thread pools on one thread whatever `threads` says: spread over every
    # core (2 OpenBLAS threads here) the few hundred windows' eigensolves and k-means took 0.6 s of a
    # 2-minute call's 3.3 s on a loaded machine, 0.02 s on one thread (the same labels).
    with threadpool_limits(1):
        labels = cluster(embeddings, num_speakers, max_speakers, clustering, only=clean)
        if activity is not None and num_speakers is None and len(labels):  # one voice in two clusters
            labels = join_one_voice(embeddings, labels, activity, np.asarray(spans), clean)
        if activity is not None and num_speakers is None and len(labels):  # speakers who talk little
            found = int(labels.max()) + 1
            voices = distinct_voices(audio, activity, found, threads=settings.threads, bf16=settings.bf16)
            if max_speakers >= len(voices) > found:
                labels = add_voices(embeddings, labels, voices, found)
        if activity is not None and num_speakers is not None and len(labels):  # a cluster not heard
            heard = _heard_by(activity, regions, windows, len(audio), settings)
            labels = honour_count(embeddings, labels, clean, num_speakers, heard, clustering)
        cluster_done = time.monotonic()
        merged, overlapped = _turns(activity, regions, windows, labels, len(audio), settings)

    names: dict[int, str] = {}
    for piece in [*merged, *overlapped]:
        names.setdefault(piece.label, f"S{len(names)}")
    turns = tuple(SpeakerTurn(round(p.start, 3), round(p.end, 3), names[p.label]) for p in merged)
    overlaps = tuple(SpeakerTurn(round(p.start, 3), round(p.end, 3), names[p.label]) for p in overlapped)
    clean_labels = labels if clean is None else np.where(clean, labels, -1)  # voiceprints of one voice
    prints = {
        name: voiceprint(
            embeddings[clean_labels == label]
            if (clean_labels == label).any()
            else embeddings[labels == label]
        )
        for label, name in names.items()
    }
    log.info(
        "diarize.finished",
        audio_seconds=round(len(audio) / SAMPLE_RATE, 2),
        threads=thread_count(settings.threads),
        regions=len(regions),
        windows=len(windows),
        speakers=len(names),
        turns=len(turns),
        vad_seconds=round(vad_done - started, 3),
        segmentation_seconds=round(segment_done - vad_done, 3),
        embed_seconds=round(embed_done - segment_done, 3),
        cluster_seconds=round(cluster_done - embed_done, 3),
        turns_seconds=round(time.monotonic() - cluster_done, 3),
        overlaps=len(overlaps),
    )
    return DiarizationResult(turns=turns, voiceprints=prints, overlaps=overlaps)
