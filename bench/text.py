"""Technical prose for generated documents, built from real sentences (``corpus``).

Documents are runs of real sentences, a share of whose words are swapped for words drawn
from the corpus's own word frequencies, so that documents differ while lexeme frequencies
keep the Zipf-like shape of real technical writing.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

from . import corpus

CACHE = Path(__file__).resolve().parent.parent / "var" / "bench" / "sentences-v1.json"
VARIANTS = 3  # perturbed copies of each sentence
SWAP_SHARE = 0.15  # share of words swapped in each copy


def load_sentences(limit: int | None = None) -> tuple[list[str], list[str]]:
    """(sentences, summary lines): from the cache, or read from the corpus (about a minute)
    and cached. A ``limit`` reads only the first sentences, uncached (for the tests)."""
    if limit is None and CACHE.exists():
        data = json.loads(CACHE.read_text())
        return data["sentences"], data["summaries"]
    sentences = corpus.sentences(limit)
    summaries = [item.query for item in corpus.debian_descriptions()]
    summaries += [
        item.query
        for item in corpus.docstrings(limit=None if limit is None else limit // 10)
    ]
    if limit is None:
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_text(json.dumps({"sentences": sentences, "summaries": summaries}))
    return sentences, summaries


class TextMaker:
    def __init__(self, seed: int = 1, limit: int | None = None):
        self.random = random.Random(seed)
        sentences, summaries = load_sentences(limit)
        words = Counter(
            word.lower() for sentence in sentences for word in sentence.split()
        )
        self.vocabulary = list(words)
        weights = list(words.values())
        total, running = 0, []
        for weight in weights:
            total += weight
            running.append(total)
        self._cum = running
        self.sentences = [
            self._perturb(sentence) for sentence in sentences for _ in range(VARIANTS)
        ]
        self.summaries = [s.rstrip(".") for s in summaries if len(s) <= 200]

    def _perturb(self, sentence: str) -> str:
        words = sentence.split()
        swaps = self.random.sample(range(len(words)), int(len(words) * SWAP_SHARE))
        drawn = self.random.choices(
            self.vocabulary, cum_weights=self._cum, k=len(swaps)
        )
        for index, word in zip(swaps, drawn, strict=True):
            words[index] = word
        return " ".join(words)

    def words(self, count: int) -> str:
        return " ".join(
            self.random.choices(self.vocabulary, cum_weights=self._cum, k=count)
        )

    def title(self) -> str:
        title = self.random.choice(self.summaries)
        if self.random.random() < 0.5:
            title = f"{title} {self.words(2)}"
        return title[:1].upper() + title[1:]

    def paragraph(self, low: int, high: int) -> str:
        """Between ``low`` and ``high`` sentences, most often near ``low``."""
        count = min(
            high, low + int(self.random.expovariate(1 / max(1, (high - low) / 4)))
        )
        return " ".join(self.random.choices(self.sentences, k=count))

    def phrase(self, max_words: int) -> str:
        words = self.random.choice(self.sentences).split()[:max_words]
        return re.sub(r"[^\w\s-]", "", " ".join(words)).strip() or self.words(3)
