"""The few SQL spellings on which DuckDB and Spark SQL differ; every other query is shared text.

String literals: DuckDB keeps backslashes as they are, Spark SQL reads them as escapes. Regular expressions:
DuckDB has ``regexp_matches`` (RE2), Spark ``RLIKE`` (Java); the patterns built here use only syntax both
read the same way. SHA-256 as lower-case hex: ``sha256`` and ``sha2(…, 256)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


def _duckdb_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _spark_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass(frozen=True)
class Dialect:
    name: str
    string: Callable[[str], str]  # a string literal
    regex_match: Callable[[str, str], str]  # (expression, pattern literal) -> a boolean expression
    sha256_hex: Callable[[str], str]


DUCKDB = Dialect(
    name="duckdb",
    string=_duckdb_string,
    regex_match=lambda expr, pattern: f"regexp_matches({expr}, {pattern})",
    sha256_hex=lambda expr: f"sha256({expr})",
)

SPARK = Dialect(
    name="spark",
    string=_spark_string,
    regex_match=lambda expr, pattern: f"({expr} RLIKE {pattern})",
    sha256_hex=lambda expr: f"sha2({expr}, 256)",
)
