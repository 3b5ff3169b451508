"""The baseline: Label Studio's own converter turning a JSON export into CoNLL 2003.

    .venv/bin/python benchmarks/ls_conll.py CONFIG_XML EXPORT_JSON OUTDIR

This is the call the Label Studio server makes when a user downloads an export in another format
(label_studio/data_export/models.py ``generate_export_file``), and what sdk users write: a ``Converter``
built from the labeling config, then ``convert(input, output_dir, "CONLL2003", is_dir=False)`` on the
JSON file. It writes ``OUTDIR/result.conll``. Run by ``benchmarks/run.py`` in its own process.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    config, export, outdir = argv
    from label_studio_sdk.converter import Converter

    converter = Converter(config=config, project_dir=None, download_resources=False)
    converter.convert(export, outdir, "CONLL2003", is_dir=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
