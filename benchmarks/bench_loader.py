"""Loader benchmark: articles per second, peak memory, and the time spent outside spaCy.

    python benchmarks/bench_loader.py [--articles 1000] [--runs 3] [--out BENCHMARKS.md]

Articles are made by recombining the paragraphs of the test articles and the seeds
(deterministic). Each measurement runs in a fresh process on a fresh SQLite database,
after the spaCy model is loaded, so model loading is not counted. Medians of --runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def replace_section(path: Path, heading: str, report: str) -> None:
    """Put ``report`` in place of the section under ``heading`` (or append it)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    start = text.find(heading)
    if start != -1:
        end = text.find("\n## ", start + 1)
        rest = "\n" + text[end + 1 :] if end != -1 else ""  # a blank line before the next
        text = text[:start] + report.rstrip("\n") + "\n" + rest
    else:
        text = text.rstrip("\n") + "\n\n" + report
    path.write_text(text, encoding="utf-8")


def make_corpus(directory: Path, count: int, seed: int = 7) -> int:
    """Write ``count`` articles recombined from real paragraphs; returns the words written."""
    from claims.extraction import parse_article

    sources = sorted((ROOT / "evaluation" / "articles").glob("*.txt")) + sorted(
        (ROOT / "seeds").glob("*.txt")
    )
    paragraphs = [
        p
        for path in sources
        for p in parse_article(path.read_text(encoding="utf-8")).body.split("\n\n")
        if len(p.split()) > 12
    ]
    rng = random.Random(seed)
    words = 0
    for i in range(count):
        body = "\n\n".join(rng.sample(paragraphs, rng.randint(5, 9)))
        words += len(body.split())
        (directory / f"bench_{i:05d}.txt").write_text(body + "\n", encoding="utf-8")
    return words


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(own, 1), round(children, 1)


def run_one(mode: str, corpus: Path, workers: int, batch_size: int) -> dict:
    """One measurement in this process; printed as JSON for the parent."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    from claims.extraction import nlp
    from claims.extraction.names import first_name_gender
    from claims.services import article_files, loading, reference

    files = sorted(corpus.glob("*.txt"))
    nlp.get_nlp()  # model loading is not what we measure: the spaCy model,
    first_name_gender("Claire Dumont")  # and the first-name lexicon
    if mode == "spacy":
        texts = [article_files.prepare_file(p).parsed.body for p in files]
        started = time.perf_counter()
        # spaCy's own pipe, nothing of ours: reading its parse into Analysis is loader time.
        for _ in nlp.get_nlp().pipe(texts, batch_size=batch_size, n_process=workers):
            pass
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "peak_mb": _peak_mb()}
    call_command("migrate", verbosity=0)
    reference.reference_install()
    context = loading.LoadContext()
    timings = loading.LoadTimings()
    started = time.perf_counter()
    loaded = sum(
        isinstance(r, loading.LoadResult)
        for r in loading.sources_load(
            paths=files, context=context, workers=workers, batch_size=batch_size, timings=timings
        )
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "loaded": loaded,
        "nlp_seconds": timings.nlp_seconds,
        "other_seconds": timings.other_seconds,
        "peak_mb": _peak_mb(),
    }


# One paragraph of quotations, repeated to a size: what an outside attack loaded (2 MB ran
# 750 s and 23.5 GB before the kernel killed it).
BIG_UNIT = (
    "« Nous ne céderons pas sur ce point essentiel pour la Turquie », a déclaré Jean Dupont "
    "devant la presse réunie à Ankara. Selon le ministre, la Turquie ne cédera pas. "
)


def big_article(kilobytes: int) -> dict:
    """``load_seeds`` (spaCy on, model loading included) on a one-paragraph article of
    ``kilobytes``, in a fresh process: wall seconds, peak resident MB, claims stored."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.txt"
        repeats = kilobytes * 1024 // len(BIG_UNIT.encode("utf-8"))
        path.write_text(BIG_UNIT * repeats, encoding="utf-8")
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/big.sqlite3", "DJANGO_DEBUG": "1"}
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        started = time.perf_counter()
        child = subprocess.Popen(
            [*manage, "load_seeds", str(path)], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        summary = child.stdout.read().strip()
        child.returncode = os.waitstatus_to_exitcode(status)
        assert child.returncode == 0, summary
        claims = int(summary.split("Claims: ")[1].split(" ")[0])
        return {
            "kilobytes": kilobytes,
            "seconds": seconds,
            "peak_mb": usage.ru_maxrss / 1024,
            "claims": claims,
            "quotes": repeats,
        }


def measure(mode: str, corpus: Path, workers: int, batch_size: int, runs: int) -> list[dict]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
                "DJANGO_DEBUG": "1",
            }
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    mode,
                    "--dir",
                    str(corpus),
                    "--workers",
                    str(workers),
                    "--batch-size",
                    str(batch_size),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--child", choices=["spacy", "loader"])
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--big-only", action="store_true", help="Only the long-article rows.")
    args = parser.parse_args()
    if args.big_only:
        report = big_report()
        print(report)
        if args.out:
            replace_section(args.out, "## Long articles", report)
        return
    if args.child:
        print(json.dumps(run_one(args.child, args.dir, args.workers, args.batch_size)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        words = make_corpus(corpus, args.articles)
        rows = {}
        for name, mode, workers in [
            ("spaCy alone, 1 process", "spacy", 1),
            ("load_seeds, 1 process", "loader", 1),
            ("spaCy alone, 2 processes", "spacy", 2),
            ("load_seeds --workers 2", "loader", 2),
        ]:
            runs = measure(mode, corpus, workers, args.batch_size, args.runs)
            rows[name] = runs
            median = statistics.median(r["seconds"] for r in runs)
            print(f"{name}: median {median:.2f} s over {len(runs)} runs", flush=True)

    def med(name: str, key: str = "seconds") -> float:
        return statistics.median(r[key] for r in rows[name])

    lines = [
        "## Loader",
        "",
        f"{args.articles} articles ({words} words) recombined from the test articles and seeds;",
        f"batch size {args.batch_size}; medians of {args.runs} runs, each in a fresh process on a",
        "fresh SQLite database, spaCy model already loaded; `python benchmarks/bench_loader.py`.",
        f"Machine: {os.cpu_count()} cores.",
        "",
        "| run | median s | articles/s | peak RSS MB (main / children) |",
        "|---|---:|---:|---:|",
    ]
    for name, runs in rows.items():
        seconds = med(name)
        peak = max(runs, key=lambda r: r["peak_mb"][0])["peak_mb"]
        lines.append(
            f"| {name} | {seconds:.2f} | {args.articles / seconds:.1f} | {peak[0]:.0f} / {peak[1]:.0f} |"
        )
    one, two = "load_seeds, 1 process", "load_seeds --workers 2"
    spacy1, spacy2 = "spaCy alone, 1 process", "spaCy alone, 2 processes"
    outside = med(one, "other_seconds")
    lines += [
        "",
        f"- **Loader over spaCy alone** (wall time, the target is at most 1.25x): "
        f"{med(one) / med(spacy1):.2f}x on 1 process, {med(two) / med(spacy2):.2f}x with "
        f"`--workers 2` against spaCy on 2 processes.",
        f"- Time the loader spends outside spaCy's pipe (reading, cleaning, extracting, "
        f"writing), 1 process: {outside:.2f} s = {100 * outside / med(spacy1):.1f}% of spaCy's "
        "own time. Files are read inside the pipe's input generator, so reading is counted "
        "in both spaCy's and this figure: an upper bound.",
        f"- Speed-up from `--workers 2`: {med(one) / med(two):.2f}x.",
        f"- Articles/s at 1 process: {args.articles / med(one):.1f}; with 2 workers: "
        f"{args.articles / med(two):.1f}.",
    ]
    if med(two) / med(spacy2) > med(one) / med(spacy1):
        lines.append(
            f"- Why the ratio is higher with 2 workers: on this {os.cpu_count()}-core machine "
            "the two spaCy processes already take every core, and the loader's own work (the "
            "figure above) runs in a third process that has no core of its own. With a spare "
            "core it overlaps with spaCy; here it mostly queues behind it."
        )
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out:
        replace_section(args.out, "## Loader", report)
    big = big_report()
    print(big)
    if args.out:
        replace_section(args.out, "## Long articles", big)


def big_report() -> str:
    rows = [big_article(kb) for kb in (112, 560, 2048)]
    lines = [
        "## Long articles",
        "",
        "`load_seeds` on one article of a single paragraph of quotations, each size in a fresh "
        "process (spaCy on; the time includes loading its model, about 3 s); "
        "`python benchmarks/bench_loader.py` (`--big-only` for these rows alone).",
        "",
        "| article | quotations | claims stored | wall s | peak RSS MB |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['kilobytes']:,} KB | {r['quotes']:,} | {r['claims']:,} | {r['seconds']:.1f} | "
            f"{r['peak_mb']:.0f} |"
        )
    two = rows[-1]
    verdict = "met" if two["seconds"] < 30 and two["peak_mb"] < 1024 else "NOT met"
    lines += [
        "",
        f"- Target, a 2 MB article in under 30 s and 1 GB: **{verdict}** ({two['seconds']:.1f} s, "
        f"{two['peak_mb']:.0f} MB). Before: 750 s and 23.5 GB, killed by the kernel.",
        "- What bounds it: lookups by bisection (time grows with the article, not its "
        "square), each claim's context cut to 400 characters on each side, the parser fed "
        "pieces of 100,000 characters and only the first 100,000 (the word-order rules "
        "attribute the rest). spaCy's model alone is about 600 MB of the peak.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
