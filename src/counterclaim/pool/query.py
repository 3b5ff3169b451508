"""What a selection asks for, and the SQL filter it makes (the same for both engines but for ``dialects``).

The filters, all optional, all combined with AND:

- ``domains``: the document's domain is one of these, ignoring case and a leading ``www.`` on either side;
- ``reliabilities``: its reliability label is one of these (exact, e.g. ``reliable``, ``fake``, ``bias``);
- ``since`` / ``until``: its date (``published``, or ``retrieved_at`` with ``dates="retrieved"``) lies in the
  range, both ends included; a document whose date is missing or not ISO (``2015-10-30…``) is left out;
- ``keywords``: its text (title and body) contains any of them (all of them with ``all_keywords``), ignoring
  case, each as a whole word or phrase: not preceded or followed by an ASCII letter, digit or underscore.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from counterclaim.pool.dialects import Dialect
from counterclaim.pool.errors import PoolError

DATE_COLUMNS = {"published": "published_date", "retrieved": "retrieved_date"}
# Stratification columns: name -> SQL expression (never NULL, so that every document has a stratum).
STRATA = {
    "domain": "coalesce(lower(domain), '')",
    "reliability": "coalesce(reliability, '')",
    "source": "coalesce(source_file, '')",
    "kind": "coalesce(kind, '')",
    "year": "coalesce(CAST(year(published_date) AS STRING), '')",
}
_WORD_EDGE = "[^0-9a-z_]"


@dataclass(frozen=True)
class Query:
    """A selection from the pool: filters, then near-duplicate removal, then a sample or a limit."""

    domains: tuple[str, ...] = ()
    reliabilities: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    dates: str = "published"
    keywords: tuple[str, ...] = ()
    all_keywords: bool = False
    one_per_cluster: bool = False  # keep one document of each near-duplicate cluster (neardup)
    sample: int | None = None  # this many documents, drawn by the seed (proportionally to ``stratify``)
    per_stratum: int | None = None  # or this many from each stratum of ``stratify``
    stratify: str | None = None
    seed: str = "0"
    limit: int | None = None  # without a sample: the first documents by doc_id

    def __post_init__(self) -> None:
        object.__setattr__(self, "domains", tuple(self.domains))
        object.__setattr__(self, "reliabilities", tuple(self.reliabilities))
        object.__setattr__(self, "keywords", tuple(self.keywords))
        if self.dates not in DATE_COLUMNS:
            raise PoolError(f"dates must be one of {', '.join(DATE_COLUMNS)}, not {self.dates!r}")
        if self.since and self.until and self.since > self.until:
            raise PoolError(f"the date range is empty: since {self.since} is after until {self.until}")
        for name in ("sample", "per_stratum", "limit"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise PoolError(f"{name.replace('_', '-')} must be at least 1, not {value}")
        if self.sample is not None and self.per_stratum is not None:
            raise PoolError("give either a sample size or a number per stratum, not both")
        if self.per_stratum is not None and self.stratify is None:
            raise PoolError(f"a number per stratum needs a stratification column ({', '.join(STRATA)})")
        if self.stratify is not None and self.stratify not in STRATA:
            raise PoolError(f"cannot stratify by {self.stratify!r}; use one of {', '.join(STRATA)}")
        if self.stratify is not None and self.sample is None and self.per_stratum is None:
            raise PoolError("stratifying needs a sample size or a number per stratum")
        if self.limit is not None and (self.sample is not None or self.per_stratum is not None):
            raise PoolError("a limit and a sample exclude each other; the sample size is the limit")
        blank = [k for k in self.keywords if not k.strip()]
        if blank:
            raise PoolError("a keyword must not be empty")

    @property
    def samples(self) -> bool:
        return self.sample is not None or self.per_stratum is not None


def _domain_key(expr: str) -> str:
    lowered = f"lower({expr})"
    return f"(CASE WHEN {lowered} LIKE 'www.%' THEN substr({lowered}, 5) ELSE {lowered} END)"


def _plain_domain(domain: str) -> str:
    domain = domain.strip().lower()
    return domain[4:] if domain.startswith("www.") else domain


def keyword_pattern(keyword: str) -> str:
    """A regular expression (RE2 and Java alike) matching ``keyword`` as a whole word in lower-cased text.

    ASCII punctuation is escaped with a backslash (both engines read ``\\.`` as a dot); letters, digits,
    spaces and non-ASCII characters stand for themselves.
    """
    body = "".join("\\" + ch if ch.isascii() and not ch.isalnum() and ch != " " else ch
                   for ch in keyword.strip().lower())
    return f"(^|{_WORD_EDGE}){body}($|{_WORD_EDGE})"


def where_clause(query: Query, dialect: Dialect) -> str:
    """The SQL condition of ``query``'s filters (``TRUE`` when it has none)."""
    parts = []
    if query.domains:
        values = ", ".join(dialect.string(_plain_domain(d)) for d in query.domains)
        parts.append(f"{_domain_key('domain')} IN ({values})")
    if query.reliabilities:
        parts.append(f"reliability IN ({', '.join(dialect.string(r) for r in query.reliabilities)})")
    column = DATE_COLUMNS[query.dates]
    if query.since:
        parts.append(f"{column} >= DATE '{query.since.isoformat()}'")
    if query.until:
        parts.append(f"{column} <= DATE '{query.until.isoformat()}'")
    if query.keywords:
        matches = [dialect.regex_match("lower(text)", dialect.string(keyword_pattern(k))) for k in query.keywords]
        parts.append("(" + (" AND " if query.all_keywords else " OR ").join(matches) + ")")
    return " AND ".join(parts) if parts else "TRUE"
