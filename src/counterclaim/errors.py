"""The library's own exceptions. The CLI shows these as "Error: ..." without a traceback.

Every message says where the problem is and how to fix it.
"""


class CounterclaimError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(CounterclaimError):
    """An input file cannot be read or parsed (message names file and line)."""


class CorpusError(CounterclaimError):
    """The corpus on disk is inconsistent or a build would break it."""


class DuplicateIdError(CorpusError):
    """Two sources claim the same document id."""


class VersionError(CorpusError):
    """A version is missing, malformed or would go backwards."""


class RawInputMissing(CorpusError):
    """An input that ``raw/`` refers to (too large to copy) is not in the folders given, or its bytes differ."""


class OntologyError(CounterclaimError):
    """The ontology file is malformed or contradicts itself."""


class ValidationFailed(CounterclaimError):
    """One or more annotated documents do not validate."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} validation error(s)")
