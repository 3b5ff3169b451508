"""Generate a CSV in the FakeNewsCorpus layout: N rows of realistic size and messiness, byte-identical per seed.

    python benchmarks/generate_fakenewscorpus.py ROWS OUT.csv [--seed 1]

The columns are FakeNewsCorpus's (``,id,domain,type,url,content,scraped_at,inserted_at,updated_at,title,authors,
keywords,meta_keywords,meta_description,tags,summary``). Contents are made of synthetic paragraphs of conflict
news (no real article is copied): a log-normal length (median about 2,600 characters, mean about 3,900, at most
60,000) and the residue the normalisation rules remove, at rates like those of the real sample:

- the headline repeated as the first line of the content (45% of rows), Windows line ends (20%),
  no-break and zero-width spaces (10%), runs of spaces and tabs (30%), curly quotes and dashes (50%);
- ``Share`` / ``Advertisement`` lines (10%), a blog comment form at the end (5%), a photo caption with its
  agency credit glued on (5%);
- rows that are not ingested: empty content (1%), empty title (0.5%), an id that is not one (0.2%), the content
  of an earlier row under a new id (1.5%), an earlier row's id (0.5%);
- multi-line quoted fields, commas and double quotes inside fields, as the csv module writes them.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from pathlib import Path

HEADER = ["", "id", "domain", "type", "url", "content", "scraped_at", "inserted_at", "updated_at", "title",
          "authors", "keywords", "meta_keywords", "meta_description", "tags", "summary"]
TYPES = [("fake", 30), ("conspiracy", 14), ("political", 12), ("unreliable", 8), ("bias", 9), ("reliable", 14),
         ("junksci", 3), ("hate", 2), ("clickbait", 2), ("satire", 2), ("rumor", 1), ("unknown", 3)]
ACTORS = ["Russian jets", "the Syrian army", "rebel groups", "Islamic State fighters", "the coalition",
          "Kurdish forces", "government troops", "the ministry", "local officials", "the UN envoy",
          "Turkish artillery", "militia units", "the opposition council", "US officials", "Iranian advisers"]
VERBS = ["struck", "shelled", "captured", "withdrew from", "besieged", "bombed", "reinforced", "attacked",
         "surrounded", "evacuated", "retook", "targeted"]
PLACES = ["Aleppo", "Homs", "Idlib", "Palmyra", "Raqqa", "Deir ez-Zor", "Hama", "Latakia", "Damascus", "Daraa",
          "Mosul", "Kobani", "Manbij", "al-Bab", "Tadmur"]
SAYERS = ["a spokesman said", "the monitoring group reported", "state media claimed", "activists said",
          "according to the ministry", "witnesses told reporters", "officials denied", "the statement said"]
FILLER = ("the situation remained tense as residents fled toward the border while aid convoys waited for "
          "permission to enter the besieged districts and diplomats in Geneva argued over the terms of a "
          "ceasefire that neither side appeared ready to accept").split()


def _paragraph(rnd: random.Random, curly: bool) -> str:
    sentences = []
    for _ in range(rnd.randint(2, 6)):
        number = rnd.choice([str(rnd.randint(2, 400)), f"{rnd.randint(1, 99)},{rnd.randint(100, 999)}", "dozens"])
        quote = ("“", "”") if curly else ('"', '"')
        sentence = (f"{rnd.choice(ACTORS).capitalize()} {rnd.choice(VERBS)} positions near {rnd.choice(PLACES)}, "
                    f"killing {number} people, {rnd.choice(SAYERS)}")
        if rnd.random() < 0.3:
            sentence += f", calling it {quote[0]}{' '.join(rnd.sample(FILLER, 4))}{quote[1]}"
        if rnd.random() < 0.5:
            sentence += (" — " if curly else " - ") + " ".join(rnd.sample(FILLER, rnd.randint(6, 14)))
        sentences.append(sentence + ".")
    return " ".join(sentences)


class Generator:
    def __init__(self, seed: int):
        self.rnd = random.Random(seed)
        self.paragraphs = [[_paragraph(self.rnd, curly) for _ in range(600)] for curly in (False, True)]
        self.domains = [f"{w}{i}.{tld}" for i, (w, tld) in enumerate(
            (self.rnd.choice(["daily", "news", "truth", "world", "patriot", "free", "global", "front"]),
             self.rnd.choice(["com", "org", "net", "info"])) for _ in range(300))]
        self.types, self.weights = zip(*TYPES)
        self.seen_ids: list[str] = []
        self.seen_contents: list[str] = []

    def content(self, n: int, title: str) -> str:
        rnd = self.rnd
        curly = rnd.random() < 0.5
        target = min(60_000, int(math.exp(rnd.gauss(7.85, 0.9))))
        parts, size = [], 0
        pool = self.paragraphs[curly]
        while size < target:
            paragraph = rnd.choice(pool)
            parts.append(paragraph)
            size += len(paragraph) + 2
        parts[0] = f"Report {n}: " + parts[0]  # every content is different
        if rnd.random() < 0.10:
            parts.insert(rnd.randrange(len(parts) + 1), rnd.choice(["Share", "Advertisement"]))
        if rnd.random() < 0.05:
            parts.insert(1, f"{rnd.choice(ACTORS).capitalize()} in {rnd.choice(PLACES)}"
                            f"{rnd.choice(['GETTY', 'AFP', 'REUTERS'])}")
        if rnd.random() < 0.45:
            parts.insert(0, title)
        if rnd.random() < 0.05:
            parts += ["Leave a Reply", "Fill in your details below or click an icon to log in:", "Connecting to %s"]
        text = "\n\n".join(parts)
        if rnd.random() < 0.10:
            text = text.replace(" the ", "\u00a0the ", 3).replace(". ", ".\u200b ", 2)
        if rnd.random() < 0.30:
            text = text.replace(", ", ",  ", 5).replace(". ", ".\t", 2)
        if rnd.random() < 0.20:
            text = text.replace("\n", "\r\n")
        return text

    def row(self, n: int) -> list[str]:
        rnd = self.rnd
        doc_id = str(1_000_000 + n)
        roll = rnd.random()
        if roll < 0.005 and self.seen_ids:
            doc_id = rnd.choice(self.seen_ids)
        elif roll < 0.007:
            doc_id = f"bad id {n}"
        title = f"{rnd.choice(ACTORS).capitalize()} {rnd.choice(VERBS)} {rnd.choice(PLACES)}, {rnd.randint(2, 90)} dead"
        content = self.content(n, title)
        roll = rnd.random()
        if roll < 0.015 and self.seen_contents:
            content = rnd.choice(self.seen_contents)
        elif roll < 0.025:
            content = ""
        elif roll < 0.030:
            title = ""
        if len(self.seen_ids) < 2000:
            self.seen_ids.append(doc_id)
            self.seen_contents.append(content)
        elif rnd.random() < 0.01:
            self.seen_ids[rnd.randrange(2000)] = doc_id
            self.seen_contents[rnd.randrange(2000)] = content
        domain = rnd.choice(self.domains)
        kind = rnd.choices(self.types, self.weights)[0]
        day = f"2017-{rnd.randint(10, 12):02d}-{rnd.randint(1, 28):02d}"
        scraped = f"{day} {rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}:{rnd.randint(0, 59):02d}.{rnd.randint(0, 999999):06d}"
        return [str(n), doc_id, domain, kind, f"http://{domain}/{doc_id.replace(' ', '-')}/", content, scraped,
                "2018-02-10 13:43:39.521661", "2018-02-10 13:43:39.521693", title,
                rnd.choice(["", "Staff", "John Smith", "Jane Doe, Ali Hassan"]), "", "['']",
                "" if rnd.random() < 0.7 else f"{title}, says {rnd.choice(SAYERS)}", "", ""]


def generate(rows: int, out: Path, seed: int = 1) -> None:
    gen = Generator(seed)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for n in range(rows):
            writer.writerow(gen.row(n))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    generate(args.rows, args.out, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
