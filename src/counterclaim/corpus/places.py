"""Syria's fourteen governorates: one canonical name each, and the spellings sources use for them.

Sources spell governorates in many ways ("deir ezzor", "Deir al-Zor", "lattakia", "Damascus countryside").
``governorate`` maps a spelling to the canonical name (the English name of the governorate's Wikipedia
article), so documents from different sources, and annotated places, can be compared. A lookup table, not
fuzzy matching: a spelling that is not listed is unknown, and the caller reports it.
"""

from __future__ import annotations

import re

# canonical name -> other spellings (compared after ``place_key``: lower case, letters and digits only).
GOVERNORATES: dict[str, tuple[str, ...]] = {
    "Aleppo": ("Halab",),
    "Al-Hasakah": ("Hasakeh", "Hasaka", "Hasakah", "Al-Hasakeh", "Hassakeh"),
    "As-Suwayda": ("Suwayda", "Sweida", "Suwaida"),
    "Damascus": ("Dimashq",),
    "Daraa": ("Deraa", "Dara'a"),
    "Deir ez-Zor": ("Deir ezzor", "Deir al-Zor", "Deir el-Zor", "Deir Zor"),
    "Hama": ("Hamah",),
    "Homs": ("Hims",),
    "Idlib": ("Idleb",),
    "Latakia": ("Lattakia", "Lattakiya", "Latakiya", "Al-Ladhiqiyah"),
    "Quneitra": ("Al-Qunaytirah", "Qunaitra"),
    "Raqqa": ("Al-Raqqa", "Ar-Raqqa", "Raqqah"),
    "Rif Dimashq": ("Damascus countryside", "Rural Damascus", "Reef Damascus"),
    "Tartus": ("Tartous", "Tartoos"),
}

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def place_key(name: str) -> str:
    """A place name reduced for comparison: lower case, every run of other characters one space."""
    return _NOT_ALNUM.sub(" ", name.casefold()).strip()


_BY_KEY: dict[str, str] = {}
for _name, _spellings in GOVERNORATES.items():
    for _spelling in (_name, *_spellings):
        _BY_KEY[place_key(_spelling)] = _name


def governorate(name: str | None) -> str | None:
    """The canonical name of the governorate ``name`` spells, or None when it is not a known spelling."""
    if not name:
        return None
    return _BY_KEY.get(place_key(name))
