"""Remember which annotated-document files already validated, so work is not done twice.

`studio pull` validates every document it writes; `export` validates what it reads. A file whose exact bytes
were validated against the same ontology needs no second check, so both record the sha256 of the files
they validated in ``.counterclaim/validated.json``, keyed by the ontology file's hash. Any edit changes the
bytes and the file is checked again; a new ontology empties the record. The record lives in the git-ignored
state folder: a fresh clone validates everything.
"""

from __future__ import annotations

from pathlib import Path

from counterclaim import jsonio
from counterclaim.paths import Layout

FILE = "validated.json"


class ValidatedFiles:
    def __init__(self, layout: Layout):
        self.path = layout.state_dir / FILE
        ontology = layout.schema_dir / "ontology.yaml"
        self.key = jsonio.sha256_bytes(ontology.read_bytes()) if ontology.exists() else ""
        self.hashes: set[str] = set()
        self.changed = False
        if self.path.exists():
            try:
                data = jsonio.read_json(self.path)
            except Exception:  # a damaged record only costs a re-validation
                data = {}
            if isinstance(data, dict) and data.get("ontology_sha256") == self.key:
                self.hashes = set(data.get("files", []))

    def known(self, digest: str) -> bool:
        return digest in self.hashes

    def add(self, digest: str) -> None:
        if digest not in self.hashes:
            self.hashes.add(digest)
            self.changed = True

    def add_file(self, path: Path) -> None:
        self.add(jsonio.sha256_bytes(path.read_bytes()))

    def save(self) -> None:
        if self.changed:
            jsonio.write_json(self.path, {"ontology_sha256": self.key, "files": sorted(self.hashes)})
            self.changed = False
