"""Validation of annotated documents: the JSON Schema (fast verdict, located messages), the rules in code a
schema cannot express, and the files that hold documents. Every problem is reported with its place."""

from counterclaim.validation.files import iter_annotation_files, read_documents, validate_files
from counterclaim.validation.problems import Problem, pointer
from counterclaim.validation.rules import document_problems
from counterclaim.validation.schema import schema_errors, schema_valid

__all__ = ["Problem", "document_problems", "iter_annotation_files", "pointer", "read_documents", "schema_errors",
           "schema_valid", "validate_files"]
