#!/usr/bin/env python3
"""Validates YAML files against the prosper-rules JSON Schemas (schemas/*.schema.json).

    scripts/validate-schemas.py SCHEMA_DIR SCHEMA_NAME FILE...   # e.g. schemas churn rules/churn.yaml
    scripts/validate-schemas.py SCHEMA_DIR --pairs PAIRS.json    # [[name, file], ...]

Every schema is first checked against draft-07 itself. YAML is read as editors read it
(YAML 1.2 core schema, as yaml-language-server does): true/false/null and numbers are typed,
dates and yes/no stay texts. Prints one line per invalid file (file: message) and exits 1
when there is one; 3 when jsonschema or PyYAML is missing (pip install jsonschema pyyaml).
"""
import json
import re
import sys

try:
    import jsonschema
    import yaml
except ImportError as e:  # pragma: no cover
    print(f"missing Python module: {e.name} (pip install jsonschema pyyaml)", file=sys.stderr)
    sys.exit(3)


class Core12Loader(yaml.SafeLoader):
    """PyYAML's SafeLoader with the YAML 1.2 core schema's implicit types only."""


Core12Loader.yaml_implicit_resolvers = {}
Core12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
Core12Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
Core12Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
Core12Loader.add_implicit_resolver("tag:yaml.org,2002:float",
                                   re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
                                   list("-+0123456789."))


def keyed(value):
    """Mapping keys as an editor's JSON has them: texts (`true:` is the key "true")."""
    if isinstance(value, dict):
        return {(("true" if k else "false") if isinstance(k, bool) else "null" if k is None else str(k)): keyed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [keyed(v) for v in value]
    return value


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    folder = argv[1]
    if argv[2] == "--pairs":
        with open(argv[3], encoding="utf-8") as f:
            pairs = json.load(f)
    else:
        pairs = [[argv[2], p] for p in argv[3:]]
    validators = {}
    bad = 0
    for name, path in pairs:
        if name not in validators:
            with open(f"{folder}/{name}.schema.json", encoding="utf-8") as f:
                schema = json.load(f)
            jsonschema.Draft7Validator.check_schema(schema)
            validators[name] = jsonschema.Draft7Validator(schema)
        with open(path, encoding="utf-8") as f:
            document = keyed(yaml.load(f, Loader=Core12Loader))
        errors = sorted(validators[name].iter_errors(document), key=lambda e: list(e.path))
        for e in errors[:3]:
            where = "/".join(str(p) for p in e.path) or "(top)"
            print(f"{path}: {name} schema: at {where}: {e.message}")
        bad += 1 if errors else 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
