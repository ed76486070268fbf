#!/usr/bin/env python3
"""FirstLine's search index and bm25s, side by side, on the same collections and queries.

Run through Benchmarks/bm25s-side-by-side.sh, which makes the virtual environment (bm25s, fugashi,
unidic-lite) and the release build, then calls this file with the environment's Python:

    python Benchmarks/bm25s_side_by_side.py --firstline .build/release/firstline --eval-dir ../shared/eval

FirstLine's side is `firstline eval --articles … --queries … --json` (a separate process, one thread):
its `index_ms` (tokenising and building the index from articles already in memory) and `query_us`
(each labelled query once, `search(text, limit: 10)`, tokenising included). bm25s is measured here the
same way: build = tokenise every article + `BM25.index`; one query = tokenise + `retrieve([tokens], k=10)`,
one call per query, in this one thread. Percentiles use the same rule as `firstline eval` (the value at
rank round((n − 1) · q) of the sorted times). Quality is scored on strict `relevant` as `firstline eval`
does: queries with an empty list are left out; P@1, hit@3 and MRR@10 over the top 10.

Each engine is run --runs times on each collection; build and latency figures are the medians of the runs
(quality does not change between runs).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from importlib import metadata
from typing import Callable

import bm25s

K1 = 1.5
B = 0.75
TOP_K = 10

# --- tokenisers (all start from NFKC + lower case, as the reference figures in shared/eval/README.md) ---

_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def whitespace_words(text: str) -> list[str]:
    return normalise(text).split()


def character_bigrams(text: str) -> list[str]:
    """Overlapping character pairs inside each run of word characters; a one-character run is kept whole."""
    grams: list[str] = []
    for run in _WORD.findall(normalise(text)):
        if len(run) == 1:
            grams.append(run)
        else:
            grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


class EnglishWords:
    """bm25s's own English recipe: its token pattern (two or more word characters), its English
    stop words, and the Snowball stemmer (PyStemmer)."""

    PATTERN = re.compile(r"(?u)\b\w\w+\b")

    def __init__(self) -> None:
        import Stemmer
        from bm25s.stopwords import STOPWORDS_EN

        self.stemmer = Stemmer.Stemmer("english")
        self.stopwords = frozenset(STOPWORDS_EN)

    def __call__(self, text: str) -> list[str]:
        words = [word for word in self.PATTERN.findall(normalise(text)) if word not in self.stopwords]
        return self.stemmer.stemWords(words)


class JapaneseLemmas:
    """fugashi (MeCab) with unidic-lite: the dictionary form of each word, particles (助詞),
    auxiliaries (助動詞), symbols (補助記号, 記号) and blanks (空白) left out."""

    DROPPED = frozenset({"助詞", "助動詞", "補助記号", "記号", "空白"})

    def __init__(self) -> None:
        import fugashi  # imported here so that a Korean-only run does not need it

        started = time.perf_counter()
        self.tagger = fugashi.Tagger()
        self.load_ms = (time.perf_counter() - started) * 1000

    def __call__(self, text: str) -> list[str]:
        tokens: list[str] = []
        for word in self.tagger(normalise(text)):
            feature = word.feature
            if feature.pos1 in self.DROPPED:
                continue
            tokens.append(feature.lemma or word.surface)
        return tokens


# --- the bundled knowledge base as a JSON Lines collection (English) ---

KB_COLLECTION = "KnowledgeBase/en"


def _front_matter_items(value: str) -> list[str]:
    """`[a, "b, c", d]` → ["a", "b, c", "d"] (the inline lists of the articles' front matter)."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    items, current, quoted = [], "", False
    for character in value:
        if character == '"':
            quoted = not quoted
        elif character == "," and not quoted:
            items.append(current.strip())
            current = ""
        else:
            current += character
    if current.strip():
        items.append(current.strip())
    return [item for item in items if item]


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return json.loads(value)  # a YAML double-quoted scalar with \" escapes reads as JSON
        except ValueError:
            return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def read_kb_article(path: str) -> dict | None:
    """The fields of one `KnowledgeBase/<lang>/<slug>.md` (design §6) that matter here. Only the
    shapes the bundled articles use are read: `key: value`, inline `[…]` lists and `  - item` lists."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if not text.startswith("---\n"):
        return None
    header, _, body = text[4:].partition("\n---\n")
    fields: dict[str, object] = {}
    current_list: list[str] | None = None
    for line in header.splitlines():
        if line.startswith("  - ") and current_list is not None:
            current_list.append(_unquote(line[4:]))
            continue
        key, _, value = line.partition(":")
        value = value.strip()
        if not value:
            current_list = []
            fields[key.strip()] = current_list
        else:
            current_list = None
            fields[key.strip()] = _front_matter_items(value) if value.startswith("[") else _unquote(value)
    if fields.get("status", "published") != "published":
        return None
    return fields | {"body": body.strip()}


def kb_collection(kb_dir: str, fixture: str, language: str, folder: str) -> tuple[str, str]:
    """Writes the published articles of one language as `articles.jsonl` (title; then keywords, example
    questions and the steps as the body, since a JSON Lines article has only those two fields) and the
    fixture's queries of that language that name an article as `queries.jsonl`, both engines reading
    exactly the same text. Queries naming an intent are left out: intents are not in this collection."""
    language_dir = os.path.join(kb_dir, language)
    articles = []
    for name in sorted(os.listdir(language_dir)):
        if not name.endswith(".md"):
            continue
        fields = read_kb_article(os.path.join(language_dir, name))
        if fields is None:
            continue
        body = "\n".join([", ".join(fields.get("keywords") or []), *(fields.get("questions") or []), fields["body"]])
        articles.append({"id": fields["id"], "title": fields["title"], "body": body, "lang": language})
    queries = [{"id": row["id"], "text": row["text"], "relevant": [row["article"]], "lang": language}
               for row in read_jsonl(fixture) if row.get("lang") == language and row.get("article")]
    os.makedirs(folder, exist_ok=True)
    paths = (os.path.join(folder, "articles.jsonl"), os.path.join(folder, "queries.jsonl"))
    for path, rows in zip(paths, (articles, queries)):
        with open(path, "w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return paths


# --- measurement ---


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The rule of `firstline eval`: the element at rank round((n − 1) · fraction)."""
    if not sorted_values:
        return 0.0
    position = min(int(round((len(sorted_values) - 1) * fraction)), len(sorted_values) - 1)
    return sorted_values[position]


@dataclass
class Quality:
    queries: int = 0
    at_one: int = 0
    at_three: int = 0
    reciprocal_ranks: float = 0.0

    def record(self, ranked: list[str], relevant: set[str]) -> None:
        self.queries += 1
        for rank, article in enumerate(ranked[:TOP_K]):
            if article in relevant:
                self.at_one += rank == 0
                self.at_three += rank < 3
                self.reciprocal_ranks += 1 / (rank + 1)
                return

    def figures(self) -> dict[str, float]:
        n = max(self.queries, 1)
        return {"p_at_1": self.at_one / n, "hit_at_3": self.at_three / n, "mrr_at_10": self.reciprocal_ranks / n}


@dataclass
class Measurement:
    engine: str
    collection: str
    articles: int
    queries: int
    build_ms: list[float] = field(default_factory=list)
    p50_us: list[float] = field(default_factory=list)
    p99_us: list[float] = field(default_factory=list)
    quality: dict[str, float] = field(default_factory=dict)
    note: str = ""
    backend: str = ""

    def summary(self) -> dict:
        return {
            "engine": self.engine,
            "collection": self.collection,
            "articles": self.articles,
            "queries": self.queries,
            "runs": len(self.build_ms),
            "build_ms": statistics.median(self.build_ms),
            "query_p50_us": statistics.median(self.p50_us),
            "query_p99_us": statistics.median(self.p99_us),
            "build_ms_runs": self.build_ms,
            "query_p50_us_runs": self.p50_us,
            "query_p99_us_runs": self.p99_us,
            **{key: round(value, 4) for key, value in self.quality.items()},
            "note": self.note,
            "backend": self.backend,
        }


def read_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def run_bm25s(name: str, collection: str, articles: list[dict], queries: list[dict],
              tokenise: Callable[[str], list[str]], runs: int, note: str = "") -> Measurement:
    labelled = [query for query in queries if query.get("relevant")]
    ids = [article["id"] for article in articles]
    texts = [(article.get("title") or "") + "\n" + (article.get("body") or "") for article in articles]
    measurement = Measurement(name, collection, len(articles), len(labelled), note=note)
    clock = time.perf_counter_ns
    for run in range(runs):
        started = clock()
        corpus_tokens = [tokenise(text) for text in texts]
        retriever = bm25s.BM25(k1=K1, b=B)
        retriever.index(corpus_tokens, show_progress=False)
        measurement.build_ms.append((clock() - started) / 1e6)

        latencies: list[float] = []
        quality = Quality()
        for query in labelled:
            started = clock()
            documents, scores = retriever.retrieve([tokenise(query["text"])], k=TOP_K, show_progress=False)
            latencies.append((clock() - started) / 1e3)
            # A document that shares no token with the query scores 0: bm25s still returns it to fill k;
            # FirstLine returns no hit there, so such rows are dropped before scoring.
            ranked = [ids[doc] for doc, score in zip(documents[0].tolist(), scores[0].tolist()) if score > 0]
            quality.record(ranked, set(query["relevant"]))
        latencies.sort()
        measurement.p50_us.append(percentile(latencies, 0.50))
        measurement.p99_us.append(percentile(latencies, 0.99))
        measurement.quality = quality.figures()
        measurement.backend = f"{retriever.method}, backend {retriever.backend}, CSC {retriever.csc_backend}"
        del retriever, corpus_tokens
    return measurement


def run_firstline(binary: str, collection: str, articles_path: str, queries_path: str, runs: int,
                  timeout: float) -> Measurement:
    measurement: Measurement | None = None
    for _ in range(runs):
        completed = subprocess.run(
            [binary, "eval", "--articles", articles_path, "--queries", queries_path, "--json"],
            capture_output=True, text=True, timeout=timeout, check=False,
        )
        if completed.returncode != 0:
            raise SystemExit(f"firstline eval failed on {collection} (exit {completed.returncode}):\n{completed.stderr}")
        report = json.loads(completed.stdout)
        if measurement is None:
            measurement = Measurement("FirstLine", collection, report["articles"], report["queries"])
        measurement.build_ms.append(float(report["index_ms"]))
        measurement.p50_us.append(float(report["query_us"]["p50"]))
        measurement.p99_us.append(float(report["query_us"]["p99"]))
        measurement.quality = {key: float(report[key]) for key in ("p_at_1", "hit_at_3", "mrr_at_10")}
    assert measurement is not None
    return measurement


# --- output ---


def duration(ms: float | None = None, us: float | None = None) -> str:
    if ms is not None:
        return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.1f} ms"
    assert us is not None
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} µs"


def ratio(value: float, reference: float) -> str:
    return f"{value / reference:.1f}×" if reference > 0 else "–"


def table(rows: list[dict]) -> str:
    header = ("| engine | collection | queries | build | query p50 | query p99 | P@1 | hit@3 | MRR@10 "
              "| bm25s ÷ FirstLine: build | p50 | p99 |")
    lines = [header, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    reference = {row["collection"]: row for row in rows if row["engine"] == "FirstLine"}
    for row in rows:
        base = reference.get(row["collection"])
        if row["engine"] == "FirstLine" or base is None:
            ratios = ["", "", ""]
        else:
            ratios = [ratio(row["build_ms"], base["build_ms"]), ratio(row["query_p50_us"], base["query_p50_us"]),
                      ratio(row["query_p99_us"], base["query_p99_us"])]
        lines.append("| " + " | ".join([
            row["engine"], row["collection"], f"{row['queries']:,}", duration(ms=row["build_ms"]),
            duration(us=row["query_p50_us"]), duration(us=row["query_p99_us"]),
            f"{row['p_at_1']:.3f}", f"{row['hit_at_3']:.3f}", f"{row['mrr_at_10']:.3f}", *ratios,
        ]) + " |")
    return "\n".join(lines)


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("bm25s", "numpy", "scipy", "fugashi", "unidic-lite", "PyStemmer"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--firstline", required=True, help="the release `firstline` executable")
    parser.add_argument("--eval-dir", default="../shared/eval", help="folder holding the collections")
    parser.add_argument("--collections", default=f"parakqc_ko_dev,localgovfaq_ja_dev,{KB_COLLECTION}",
                        help="comma-separated collection folders under --eval-dir, and/or "
                             f"{KB_COLLECTION} (the bundled articles against --kb-queries)")
    parser.add_argument("--kb", default="KnowledgeBase", help="the knowledge-base folder")
    parser.add_argument("--kb-queries", default="Tests/Fixtures/kb-queries.jsonl", help="the fixture's queries")
    parser.add_argument("--runs", type=int, default=3, help="runs per engine and collection (medians reported)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds allowed for one `firstline eval`")
    parser.add_argument("--json-out", help="also write every figure, each run included, to this file")
    options = parser.parse_args()

    # One engine after the other, never at the same time; say where the time goes on stderr.
    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    japanese: JapaneseLemmas | None = None
    rows: list[dict] = []
    scratch = tempfile.TemporaryDirectory(prefix="firstline-bm25s-")
    for collection in [name.strip() for name in options.collections.split(",") if name.strip()]:
        if collection == KB_COLLECTION:
            articles_path, queries_path = kb_collection(options.kb, options.kb_queries, "en",
                                                        os.path.join(scratch.name, "kb-en"))
        else:
            folder = os.path.join(options.eval_dir, collection)
            articles_path = os.path.join(folder, "articles.jsonl")
            queries_path = os.path.join(folder, "queries.jsonl")
        articles, queries = read_jsonl(articles_path), read_jsonl(queries_path)
        languages = {article.get("lang") for article in articles}

        say(f"{collection}: FirstLine × {options.runs}")
        rows.append(run_firstline(options.firstline, collection, articles_path, queries_path, options.runs,
                                  options.timeout).summary())
        variants: list[tuple[str, Callable[[str], list[str]], str]] = []
        if languages == {"ja"}:
            if japanese is None:
                japanese = JapaneseLemmas()
            variants.append(("bm25s, fugashi lemmas", japanese,
                             f"MeCab tagger load {japanese.load_ms:.0f} ms, once, not counted"))
            variants.append(("bm25s, character bigrams", character_bigrams, ""))
        elif languages == {"en"}:
            variants.append(("bm25s, stemmed words", EnglishWords(), "bm25s stop words + Snowball (PyStemmer)"))
        else:
            variants.append(("bm25s, character bigrams", character_bigrams, ""))
            variants.append(("bm25s, whitespace words", whitespace_words, ""))
        for name, tokenise, note in variants:
            say(f"{collection}: {name} × {options.runs}")
            rows.append(run_bm25s(name, collection, articles, queries, tokenise, options.runs, note).summary())

    scratch.cleanup()
    found = versions()
    print()
    print(table(rows))
    print()
    print("medians of %d runs; build = tokenising + indexing the articles already in memory; one query = "
          "tokenising + top-10 search, one at a time, one thread" % options.runs)
    backends = sorted({row["backend"] for row in rows if row["backend"]})
    print("bm25s %s (k1 %.1f, b %.2f; %s), numpy %s, scipy %s, fugashi %s, unidic-lite %s, "
          "PyStemmer %s, Python %s" % (found["bm25s"], K1, B, "; ".join(backends), found["numpy"], found["scipy"],
                                       found["fugashi"], found["unidic-lite"], found["PyStemmer"], found["python"]))
    for row in rows:
        if row["note"]:
            print(f"{row['engine']} on {row['collection']}: {row['note']}")
    if options.json_out:
        with open(options.json_out, "w", encoding="utf-8") as handle:
            json.dump({"versions": found, "k1": K1, "b": B, "rows": rows}, handle, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
