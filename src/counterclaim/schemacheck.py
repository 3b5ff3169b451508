"""Compile a JSON Schema (draft 2020-12) into a fast yes/no Python predicate.

:func:`compile_check` turns the schema :func:`counterclaim.schema_gen.build_schema` generates into plain
Python source — one function per ``$defs`` entry and per object or array subschema, straight-line boolean
checks, no exceptions on the path of a valid document — and runs it with ``exec`` once. The predicate must give
exactly the verdict of ``jsonschema.Draft202012Validator(schema, format_checker=FormatChecker())``, which
:mod:`counterclaim.validate` runs to report the errors of a document this check rejects. So it copies
jsonschema's semantics rather than the specification's where the two could differ:

- **types:** ``integer`` is an ``int`` or an integral ``float`` (``1.0``); ``bool`` is never a number or an
  integer; ``object`` is a ``dict``, ``array`` a ``list``. Exact ``int``/``float``/``str`` values take a fast
  path; any other Python value is passed to jsonschema's own type checker.
- **equality** (``enum``, ``const``, ``uniqueItems``): JSON equality as jsonschema computes it — ``1 == 1.0``
  but ``True != 1`` and ``False != 0``, also inside arrays and objects. Enums of strings are frozensets.
- **pattern** is applied with ``re.search`` (not a full match), as jsonschema does; **minLength** counts
  code points (``len`` of a Python ``str``).
- **format:** checked by the very functions of ``jsonschema.FormatChecker()`` (or of the checker given),
  looked up when the schema is compiled. A format that checker does not know is an annotation, as it is in
  jsonschema. In this project's environment ``date`` is enforced (a real calendar date, ``YYYY-MM-DD``) and
  ``date-time`` is *not*: jsonschema checks it only when the optional ``rfc3339-validator`` package is
  installed. Installing that package makes both this predicate and jsonschema enforce it (recompile).

Only the keywords the generator uses are supported (listed in :data:`SUPPORTED`; annotation keywords such as
``description`` and ``x-*`` are ignored). Any other keyword raises :class:`ValueError` naming it and its
place in the schema, so the generator cannot silently outgrow this compiler. The predicate expects values as
:func:`json.loads` makes them; :func:`check_source` shows the generated code.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any, Callable

from jsonschema import Draft202012Validator, FormatChecker

__all__ = ["SUPPORTED", "ANNOTATIONS", "compile_check", "check_source"]

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

#: Keywords with an effect on validity that :func:`compile_check` implements.
SUPPORTED = frozenset({
    "type", "enum", "const", "pattern", "minLength", "minimum", "format", "required", "properties",
    "additionalProperties", "items", "minItems", "uniqueItems", "$ref", "anyOf", "oneOf", "not", "if", "then",
    "else",
})
#: Keywords that never change a verdict (besides any ``x-`` vendor keyword); ``$schema``, ``$id`` and
#: ``$defs`` are accepted at the root only.
ANNOTATIONS = frozenset({
    "description", "title", "$comment", "default", "examples", "deprecated", "readOnly", "writeOnly",
})
_ROOT_ONLY = frozenset({"$schema", "$id", "$defs"})
_OBJECT_KEYWORDS = ("properties", "additionalProperties", "required")
_ARRAY_KEYWORDS = ("items", "minItems", "uniqueItems")
_JSON_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})

_TYPE_CHECKER = Draft202012Validator.TYPE_CHECKER


# -- runtime helpers the generated code calls off its fast paths ---------------------------------------------


def _is_number(value: Any) -> bool:
    """jsonschema's ``number`` (the generated code has already handled exact ``int`` and ``float``)."""
    return _TYPE_CHECKER.is_type(value, "number")


def _is_integer(value: Any) -> bool:
    """jsonschema's ``integer``: also an integral float such as ``1.0``; never a bool."""
    return _TYPE_CHECKER.is_type(value, "integer")


def _unbool(value: Any, true: object = object(), false: object = object()) -> Any:
    """``True``/``False`` as sentinels that equal nothing else, so they stay apart from ``1``/``0``."""
    if value is True:
        return true
    if value is False:
        return false
    return value


def _equal(one: Any, two: Any) -> bool:
    """JSON equality as jsonschema's ``_utils.equal`` computes it: ``1 == 1.0``, ``True != 1``, recursively."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(k in two and _equal(v, two[k]) for k, v in one.items())
    return _unbool(one) == _unbool(two)


def _in_enum(value: Any, options: tuple) -> bool:
    return any(_equal(option, value) for option in options)


def _uniq_slow(items: list) -> bool:
    """jsonschema's ``_utils.uniq``, step for step (sort and compare neighbours, else compare all pairs)."""
    try:
        ordered = sorted(_unbool(i) for i in items)
        for i, j in zip(ordered, itertools.islice(ordered, 1, None)):
            if _equal(i, j):
                return False
    except (NotImplementedError, TypeError):
        seen: list = []
        for e in items:
            e = _unbool(e)
            if any(_equal(i, e) for i in seen):
                return False
            seen.append(e)
    return True


def _unique(items: list) -> bool:
    """``uniqueItems``: a set for an array of strings (the usual case), else jsonschema's algorithm."""
    for item in items:
        if item.__class__ is not str:
            return _uniq_slow(items)
    return len(set(items)) == len(items)


def _format_function(name: str, checker: FormatChecker) -> Callable[[Any], bool] | None:
    """The check ``checker`` makes for format ``name`` as a predicate, or None if it does not check it."""
    if name not in checker.checkers:
        return None
    func, raises = checker.checkers[name]

    def conforms(value: Any) -> bool:
        try:
            return bool(func(value))
        except raises:
            return False

    conforms.__name__ = f"format_{re.sub(r'[^0-9A-Za-z_]', '_', name)}"
    return conforms


# -- the compiler -------------------------------------------------------------------------------------------


def _pointer(path: tuple) -> str:
    return "#" + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


class _Compiler:
    """Writes the Python source of a schema's predicate; :meth:`build` returns that source and its globals.

    A subschema becomes one boolean expression over a local variable when it can, else a ``def`` (objects and
    arrays need statements) that the expression calls. Expressions are conjunctions of bool-valued terms.
    """

    def __init__(self, schema: Any, format_checker: FormatChecker) -> None:
        self.root = schema
        self.format_checker = format_checker
        self.namespace: dict[str, Any] = {
            "_is_number": _is_number, "_is_integer": _is_integer, "_equal": _equal, "_in_enum": _in_enum,
            "_unique": _unique,
        }
        self.functions: list[str] = []
        self.made: dict[tuple[int, str | None], str] = {}  # (id(subschema), known type) -> function name
        self.consts: dict[Any, str] = {}
        self.counter = itertools.count()
        self.defs: dict[str, Any] = {}
        self.def_names: dict[str, str] = {}

    @staticmethod
    def fail(path: tuple, message: str) -> ValueError:
        return ValueError(f"schemacheck: {message} (at {_pointer(path)})")

    def const(self, kind: str, value: Any, key: Any) -> str:
        """A global of the generated code bound to ``value``; one per distinct ``(kind, key)``."""
        if (kind, key) not in self.consts:
            name = f"_{kind}{next(self.counter)}"
            self.namespace[name] = value
            self.consts[kind, key] = name
        return self.consts[kind, key]

    def build(self) -> tuple[str, dict[str, Any]]:
        root = self.root
        if isinstance(root, dict):
            draft = root.get("$schema", DRAFT_2020_12)
            if not isinstance(draft, str) or draft.rstrip("#") != DRAFT_2020_12:
                raise self.fail(("$schema",), f"the schema declares {draft!r} but compile_check implements "
                                              f"draft 2020-12 only; generate a {DRAFT_2020_12} schema")
            defs = root.get("$defs", {})
            if not isinstance(defs, dict):
                raise self.fail(("$defs",), "`$defs` must be an object of schemas")
            self.defs = defs
            for name in defs:  # named first, so references may be recursive and in any order
                self.def_names[name] = f"_def_{re.sub(r'[^0-9A-Za-z_]', '_', name)}_{next(self.counter)}"
            for name, sub in defs.items():
                self.function(sub, ("$defs", name), None, self.def_names[name])
        self.functions.append(f"def check(v):\n    return {self.expr(root, 'v', (), None)}\n")
        return "\n\n".join(self.functions), self.namespace

    # -- schemas

    def check_keywords(self, schema: Any, path: tuple) -> None:
        if isinstance(schema, bool):
            return
        if not isinstance(schema, dict):
            raise self.fail(path, f"a schema must be an object or a boolean, not {type(schema).__name__}")
        for key in schema:
            if key in SUPPORTED or key in ANNOTATIONS or key.startswith("x-"):
                continue
            if key in _ROOT_ONLY:
                if path == ():
                    continue
                raise self.fail(path + (key,), f"`{key}` is supported at the schema root only; move it there")
            raise self.fail(path + (key,), f"unsupported keyword `{key}`: teach counterclaim/schemacheck.py "
                                           "this keyword (and test it against jsonschema), or express the rule "
                                           "in counterclaim/validate.py code")
        for key in ("then", "else"):
            if key in schema and "if" not in schema:
                raise self.fail(path + (key,), f"`{key}` without `if` is ignored by JSON Schema; add the `if` "
                                               f"or remove the `{key}`")

    @staticmethod
    def needs_function(schema: Any) -> bool:
        """Object and array keywords need statements (a loop, locals), not one expression."""
        return isinstance(schema, dict) and any(k in schema for k in (*_OBJECT_KEYWORDS, *_ARRAY_KEYWORDS))

    def expr(self, schema: Any, var: str, path: tuple, known: str | None) -> str:
        """A bool-valued expression: is the value in the local ``var`` valid against ``schema``?

        ``known`` is the JSON type the value is already known to have: its type tests are left out.
        """
        self.check_keywords(schema, path)
        if schema is True or schema is False:
            return str(schema)
        if known == "object" and set(schema) <= {"required", *ANNOTATIONS} | {k for k in schema if k.startswith("x-")}:
            return self.required_term(schema.get("required", []), var, path)  # e.g. a branch of `oneOf`
        if self.needs_function(schema):
            return f"{self.function(schema, path, known)}({var})"
        head, tail, _ = self.terms(schema, var, path, known)
        return " and ".join(head + tail) or "True"

    def function(self, schema: Any, path: tuple, known: str | None, name: str | None = None) -> str:
        """The name of a generated ``def`` checking ``schema`` (one per subschema and known type)."""
        key = (id(schema), known)
        if name is None and key in self.made:
            return self.made[key]
        name = name or f"_s{next(self.counter)}"
        self.made[key] = name
        self.check_keywords(schema, path)
        header = f"def {name}(v):  # {ascii(_pointer(path))[1:-1]}"
        if not self.needs_function(schema):
            self.functions.append(f"{header}\n    return {self.expr(schema, 'v', path, known)}\n")
            return name
        head, tail, known = self.terms(schema, "v", path, known)
        lines = [header]
        lines += [f"    if not ({t}):\n        return False" for t in head]
        # the object and array keywords apply to values of their type only
        for kind, test, keywords, emit in (("object", "isinstance(v, dict)", _OBJECT_KEYWORDS, self.object_lines),
                                           ("array", "isinstance(v, list)", _ARRAY_KEYWORDS, self.array_lines)):
            if not any(k in schema for k in keywords):
                continue
            if known == kind:
                lines += emit(schema, path, "    ")
            elif body := emit(schema, path, "        "):
                lines += [f"    if {test}:", *body]
        lines += [f"    if not ({t}):\n        return False" for t in tail]
        lines.append("    return True")
        self.functions.append("\n".join(lines) + "\n")
        return name

    def terms(self, schema: dict, var: str, path: tuple, known: str | None) -> tuple[list[str], list[str], str | None]:
        """The keywords that fit in an expression, as bool-valued terms: cheap ones (the type test first)
        and the references and combinators; and the JSON type known once the type test passed."""
        head: list[str] = []
        tail: list[str] = []
        if "type" in schema:
            term, known = self.type_term(schema["type"], var, path + ("type",), known)
            if term:
                head.append(term)

        def only(kind: str, test: str) -> str:  # a keyword that applies to values of one type only
            if known == kind or (kind == "number" and known == "integer"):
                return test
            return f"(not {_type_test(kind, var)} or {test})"

        if "enum" in schema:
            head.append(self.enum_term(schema["enum"], var, path + ("enum",), known))
        if "const" in schema:
            head.append(self.const_term(schema["const"], var, known))
        if "pattern" in schema:
            pattern = schema["pattern"]
            try:
                search = re.compile(pattern).search
            except (re.error, TypeError) as e:
                raise self.fail(path + ("pattern",), f"`pattern` {pattern!r} is not a Python regex ({e})") from e
            head.append(only("string", f"{self.const('re', search, pattern)}({var}) is not None"))
        if "minLength" in schema:
            head.append(only("string", f"len({var}) >= {self.count(schema['minLength'], path + ('minLength',))}"))
        if "minimum" in schema:
            m = schema["minimum"]
            if isinstance(m, bool) or not isinstance(m, (int, float)):
                raise self.fail(path + ("minimum",), f"`minimum` must be a number, not {m!r}")
            # `not x < m` as jsonschema tests it (NaN passes)
            bound = repr(m) if type(m) is int else self.const("min", m, (type(m), m))
            head.append(only("number", f"not {var} < {bound}"))
        if "format" in schema:
            fmt = schema["format"]
            if not isinstance(fmt, str):
                raise self.fail(path + ("format",), f"`format` must be a string, not {fmt!r}")
            func = _format_function(fmt, self.format_checker)
            if func is not None:  # jsonschema calls the format function whatever the value's type
                head.append(f"{self.const('format', func, fmt)}({var})")
        if "$ref" in schema:
            tail.append(self.ref_term(schema["$ref"], var, path + ("$ref",), known))
        for key in ("anyOf", "oneOf"):
            if key in schema:
                branches = schema[key]
                if not isinstance(branches, list) or not branches:
                    raise self.fail(path + (key,), f"`{key}` must be a non-empty array of schemas")
                parts = [self.expr(b, var, path + (key, i), known) for i, b in enumerate(branches)]
                if key == "anyOf":  # a null branch first: the cheapest test, and the verdict is the same
                    parts.sort(key=lambda p: p != f"{var} is None")
                    tail.append("(" + " or ".join(f"({p})" for p in parts) + ")")
                else:
                    tail.append("(" + " + ".join(f"({p})" for p in parts) + " == 1)")
        if "not" in schema:
            tail.append(f"not ({self.expr(schema['not'], var, path + ('not',), known)})")
        if "if" in schema:
            test = self.expr(schema["if"], var, path + ("if",), known)
            then = self.expr(schema.get("then", True), var, path + ("then",), known)
            else_ = self.expr(schema.get("else", True), var, path + ("else",), known)
            if then != "True" or else_ != "True":
                tail.append(f"(({then}) if ({test}) else ({else_}))")
        return head, tail, known

    def required_term(self, required: Any, var: str, path: tuple) -> str:
        """``required`` of a value known to be an object."""
        if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
            raise self.fail(path + ("required",), "`required` must be an array of strings")
        return "(" + " and ".join(f"{r!r} in {var}" for r in dict.fromkeys(required)) + ")" if required else "True"

    def count(self, value: Any, path: tuple) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(path, f"`{path[-1]}` must be a non-negative integer, not {value!r}")
        return value

    def type_term(self, types: Any, var: str, path: tuple, known: str | None) -> tuple[str | None, str | None]:
        names = [types] if isinstance(types, str) else types
        if not isinstance(names, list) or not names or not all(n in _JSON_TYPES for n in names):
            raise self.fail(path, f"`type` must be one of {sorted(_JSON_TYPES)} or a list of them, not {types!r}")
        if len(names) > 1:
            return "(" + " or ".join(_type_test(n, var) for n in names) + ")", known
        name = names[0]
        if known == name or (name == "number" and known == "integer"):
            return None, known
        return _type_test(name, var), name

    def enum_term(self, options: Any, var: str, path: tuple, known: str | None) -> str:
        if not isinstance(options, list):
            raise self.fail(path, f"`enum` must be an array, not {options!r}")
        if options and all(isinstance(o, str) for o in options):
            name = self.const("enum", frozenset(options), tuple(options))
            return f"{var} in {name}" if known == "string" else f"(isinstance({var}, str) and {var} in {name})"
        return f"_in_enum({var}, {self.const('enum', tuple(options), repr(options))})"

    def const_term(self, value: Any, var: str, known: str | None) -> str:
        if isinstance(value, str):
            return f"{var} == {value!r}" if known == "string" else f"(isinstance({var}, str) and {var} == {value!r})"
        if value is None:
            return f"{var} is None"
        return f"_equal({var}, {self.const('const', value, repr(value))})"

    def ref_term(self, ref: Any, var: str, path: tuple, known: str | None) -> str:
        prefix = "#/$defs/"
        name = ref[len(prefix):] if isinstance(ref, str) and ref.startswith(prefix) else None
        if name is None or not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
            raise self.fail(path, f"unsupported `$ref` {ref!r}: only references to the root's `$defs` "
                                  "(#/$defs/<name>, no escapes) are supported")
        if name not in self.defs:
            raise self.fail(path, f"`$ref` {ref!r} names no entry of `$defs`; add `{name}` to `$defs`")
        target = self.defs[name]
        if not self.needs_function(target) and not _has_ref(target):  # small and flat (an id): inline it
            return self.expr(target, var, ("$defs", name), known)
        return f"{self.def_names[name]}({var})"

    # -- statements for the object and array keywords (``v`` is known to be a dict / a list)

    def object_lines(self, schema: dict, path: tuple, ind: str) -> list[str]:
        props = schema.get("properties", {})
        if not isinstance(props, dict):
            raise self.fail(path + ("properties",), "`properties` must be an object of schemas")
        required = schema.get("required", [])
        self.required_term(required, "v", path)  # checks its form
        required = list(dict.fromkeys(required))
        additional = schema.get("additionalProperties", True)
        if not isinstance(additional, bool):
            raise self.fail(path + ("additionalProperties",),
                            "only `additionalProperties: false` (or true) is supported, not a schema; list the "
                            "properties in `properties` or teach counterclaim/schemacheck.py this form")
        lines: list[str] = []
        keys = frozenset(props)
        if additional is False and set(required) == keys:  # exactly these keys
            name = self.const("keys", keys, tuple(sorted(keys)))
            lines += [f"{ind}if not (len(v) == {len(keys)} and {name}.issuperset(v)):", f"{ind}    return False"]
        else:
            if additional is False:
                name = self.const("keys", keys, tuple(sorted(keys)))
                lines += [f"{ind}if not {name}.issuperset(v):", f"{ind}    return False"]
            if required:
                lines += [f"{ind}if not {self.required_term(required, 'v', path)}:", f"{ind}    return False"]
        for prop, sub in props.items():
            test = self.expr(sub, "x", path + ("properties", prop), None)
            if test == "True":
                continue
            if prop in required:
                lines += [f"{ind}x = v[{prop!r}]", f"{ind}if not ({test}):", f"{ind}    return False"]
            else:
                lines += [f"{ind}if {prop!r} in v:", f"{ind}    x = v[{prop!r}]",
                          f"{ind}    if not ({test}):", f"{ind}        return False"]
        return lines

    def array_lines(self, schema: dict, path: tuple, ind: str) -> list[str]:
        lines: list[str] = []
        if "minItems" in schema:
            n = self.count(schema["minItems"], path + ("minItems",))
            if n:
                lines += [f"{ind}if len(v) < {n}:", f"{ind}    return False"]
        if "items" in schema:
            test = self.expr(schema["items"], "x", path + ("items",), None)
            call = re.fullmatch(r"(_[A-Za-z0-9_]+)\(x\)", test)
            if call:  # one function of the item: map it in C
                lines += [f"{ind}if not all(map({call.group(1)}, v)):", f"{ind}    return False"]
            elif test != "True":
                lines += [f"{ind}for x in v:", f"{ind}    if not ({test}):", f"{ind}        return False"]
        if "uniqueItems" in schema:
            if not isinstance(schema["uniqueItems"], bool):
                raise self.fail(path + ("uniqueItems",), "`uniqueItems` must be true or false")
            if schema["uniqueItems"]:
                lines += [f"{ind}if not _unique(v):", f"{ind}    return False"]
        return lines


def _type_test(name: str, var: str) -> str:
    """jsonschema's test for JSON type ``name``; exact int/float take the fast path for numbers."""
    return {
        "object": f"isinstance({var}, dict)",
        "array": f"isinstance({var}, list)",
        "string": f"isinstance({var}, str)",
        "null": f"{var} is None",
        "boolean": f"isinstance({var}, bool)",
        "number": f"(type({var}) is int or type({var}) is float or _is_number({var}))",
        "integer": f"(type({var}) is int or _is_integer({var}))",
    }[name]


def _has_ref(schema: Any) -> bool:
    if isinstance(schema, dict):
        return "$ref" in schema or any(_has_ref(v) for k, v in schema.items() if k not in ("enum", "const"))
    if isinstance(schema, list):
        return any(_has_ref(v) for v in schema)
    return False


def check_source(schema: dict, format_checker: FormatChecker | None = None) -> str:
    """The Python source :func:`compile_check` runs for ``schema`` (to read or debug it)."""
    return _Compiler(schema, FormatChecker() if format_checker is None else format_checker).build()[0]


def compile_check(schema: dict, format_checker: FormatChecker | None = None) -> Callable[[Any], bool]:
    """A predicate: is a value valid against ``schema``?

    The same verdict as ``Draft202012Validator(schema, format_checker=format_checker).is_valid(value)``,
    where ``format_checker`` defaults to ``FormatChecker()`` (pass the one the validator uses).

    Raises:
        ValueError: the schema uses a keyword (or a form of one) this compiler does not implement; the
            message names it and its place in the schema.
    """
    source, namespace = _Compiler(schema, FormatChecker() if format_checker is None else format_checker).build()
    exec(compile(source, "<counterclaim.schemacheck>", "exec"), namespace)  # noqa: S102 - our own code
    check = namespace["check"]
    check.__doc__ = "Is the value valid against the compiled JSON Schema? (counterclaim.schemacheck)"
    return check
