"""Extraction throughput on a generated corpus of recombined seed sentences.

Each generated article is 15-40 sentences drawn (seeded, reproducible) from the five seed
articles, in paragraphs of three to five, with a ``Date:`` header taken from a seed. They are
written as ``.txt`` files and go the real way: ``load_corpus`` (read, header, sentence split),
then ``extract_article`` on each.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from mapdash.corpus import load_corpus
from mapdash.extract import extract_article

from .devcorpus import CORPUS_DEV, score_corpus
from .servers import ROOT


def generate(folder: Path, *, count: int, seed: int = 7) -> int:
    """Write ``count`` articles into ``folder``; returns their total size in bytes."""
    seeds = load_corpus(ROOT / "seeds")
    pool = [(a.published, s.text) for a in seeds.values() for s in a.sentences if len(s.text) > 20]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for number in range(count):
        picked = rng.sample(pool, rng.randint(15, 40))
        published = rng.choice(picked)[0]
        sentences = [text for _, text in picked]
        paragraphs = []
        while sentences:
            size = rng.randint(3, 5)
            paragraphs.append(" ".join(sentences[:size]))
            sentences = sentences[size:]
        text = (
            f"Title: Generated report {number}\nDate: {published.isoformat()}\n\n"
            + "\n\n".join(paragraphs)
            + "\n"
        )
        path = folder / f"gen_{number:05d}.txt"
        path.write_text(text, encoding="utf-8")
        total += len(text.encode())
    return total


def run_extraction(work_dir: Path, *, count: int) -> dict[str, Any]:
    """Generate, load and extract ``count`` articles; returns articles per second.

    Also scores extraction on the development corpus (``../shared/corpus-dev``) when it is
    there (precision, recall, core recall, per article; see bench/devcorpus.py).
    """
    folder = work_dir / "generated_corpus"
    size = generate(folder, count=count)
    start = time.perf_counter()
    corpus = load_corpus(folder)
    loaded = time.perf_counter()
    claims = controls = 0
    for article in corpus.values():
        extraction = extract_article(article)
        claims += len(extraction.claims)
        controls += len(extraction.control)
    done = time.perf_counter()
    cpu = _cpu_rate(corpus)
    return {
        "articles": len(corpus),
        "megabytes": round(size / 1e6, 2),
        "load_seconds": round(loaded - start, 2),
        "extract_seconds": round(done - loaded, 2),
        "extract_articles_per_second": round(len(corpus) / (done - loaded), 1),
        "end_to_end_articles_per_second": round(len(corpus) / (done - start), 1),
        "extract_articles_per_cpu_second": cpu,
        "candidate_claims": claims,
        "candidate_control_facts": controls,
        **dev_corpus(),
    }


def _cpu_rate(corpus: dict[str, Any]) -> float:
    """Articles per second of this process's CPU time (what other load on the machine spares)."""
    start = time.process_time()
    for article in corpus.values():
        extract_article(article)
    return round(len(corpus) / (time.process_time() - start), 1)


def dev_corpus() -> dict[str, Any]:
    """The development-corpus scores, or a note that the corpus is absent."""
    if not (CORPUS_DEV / "gold.yaml").exists():
        return {"dev_corpus": None, "dev_corpus_note": f"not found at {CORPUS_DEV}"}
    score = score_corpus()
    return {"dev_corpus": score.as_dict(), "dev_corpus_table": score.table()}
