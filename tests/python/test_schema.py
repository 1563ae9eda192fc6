"""The JSON Schemas in scenarios/schema (written by `kaisim schema` from the loader's own checks):
every file kaisim ships validates against its schema, and every invalid input whose error is
structural (unknown key, wrong type, missing key, out of range) fails it.

Run from ctest, or: PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python
"""
import glob
import json
import os
import re
import subprocess

import jsonschema
import pytest
import yaml

SRC = os.environ.get("KAISIM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("KAISIM_BINARY", os.path.join(SRC, "build", "kaisim"))
SCHEMAS = os.path.join(SRC, "scenarios", "schema")


class Loader(yaml.SafeLoader):
    """YAML as kaisim and yaml-language-server read it: dates stay text."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, regexp) for tag, regexp in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()}
# YAML 1.2 floats (2.0e26: PyYAML's YAML 1.1 wants a sign in the exponent).
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$"
               r"|^\.(nan|NaN|NAN)$"),
    list("-+0123456789."))


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)


def validator(kind):
    with open(os.path.join(SCHEMAS, f"{kind}.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def kind_of(doc):
    if "sweep" in doc:
        return "sweep"
    if "calibration" in doc:
        return "calibration"
    if "search" in doc:
        return "search"
    if "programme" in doc:
        return "scenario"
    if "statistics" in doc:
        return "observations"
    return "overlay"


SHIPPED = sorted(glob.glob(os.path.join(SRC, "scenarios", "**", "*.yaml"), recursive=True)) + [
    os.path.join(SRC, "tests", "inputs", f) for f in (
        "minimal.yaml", "funding.yaml", "lessor-bar.yaml", "rules.yaml", "two-teams-bench.yaml",
        "two-teams-panel.yaml", "llama3-snapshot.yaml", "sweep-small.yaml",
        "calibration-small.yaml", "search-small.yaml", "overlay.yaml")]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: os.path.relpath(p, SRC))
def test_every_shipped_file_validates(path):
    doc = load_yaml(path)
    errors = [e.message for e in validator(kind_of(doc)).iter_errors(doc)]
    assert errors == []


STRUCTURAL = re.compile(r"unknown key|missing required key|expected a number|must be a (list|map)|"
                        r"unknown value|out of range|expected text|expected true or false|"
                        r"expected a whole number")


def test_structural_errors_fail_the_schema():
    structural = 0
    for path in sorted(glob.glob(os.path.join(SRC, "tests", "inputs", "invalid", "*.yaml"))):
        message = subprocess.run([BIN, "validate", path], capture_output=True,
                                 text=True).stderr
        if not STRUCTURAL.search(message):
            continue
        structural += 1
        doc = load_yaml(path)
        assert not validator("scenario").is_valid(doc), f"{path}: {message}"
    assert structural >= 7  # unknown keys, missing key, wrong types, a bad choice, ranges


def test_the_schemas_are_what_the_loader_gives_now():
    result = subprocess.run([os.path.join(SRC, "scripts", "schema.sh"), "--check", BIN],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
