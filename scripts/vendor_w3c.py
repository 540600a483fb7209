#!/usr/bin/env python3
"""Copy the W3C test suites mixity runs into tests/w3c/, from git clones pinned to a commit.

Only the manifests and the files they name are copied (not the suites' reports, HTML, or the
suites mixity does not run), with the licence files. Run it again to move to another commit;
tests/w3c/README.md records the commits.

Usage:
  scripts/vendor_w3c.py --rdf-tests GIT_DIR [--rdf-tests-commit SHA]
                        [--json-ld-api GIT_DIR] [--json-ld-api-commit SHA]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "tests" / "w3c"
RDF_TESTS_URL = "https://w3c.github.io/rdf-tests/"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"

#: The manifests of rdf-tests that mixity runs; their mf:include are followed.
RDF_TESTS_MANIFESTS = (
    "rdf/rdf11/rdf-turtle/manifest.ttl",
    "rdf/rdf11/rdf-trig/manifest.ttl",
    "rdf/rdf11/rdf-n-triples/manifest.ttl",
    "rdf/rdf11/rdf-n-quads/manifest.ttl",
    "rdf/rdf11/rdf-xml/manifest.ttl",
    "sparql/sparql10/manifest-syntax.ttl",
    "sparql/sparql10/manifest-evaluation.ttl",
    "sparql/sparql11/manifest-sparql11-query.ttl",
    "sparql/sparql11/manifest-sparql11-results.ttl",
    "sparql/sparql11/syntax-update-1/manifest.ttl",
    "sparql/sparql11/syntax-update-2/manifest.ttl",
)
RDF_TESTS_LICENCES = (
    "LICENSE.md",
    "rdf/rdf11/rdf-turtle/LICENSE",
    "rdf/rdf11/rdf-trig/LICENSE",
    "sparql/sparql10/LICENSE",
)


def git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True).stdout


def show(repo: Path, commit: str, path: str) -> bytes:
    return git(repo, "show", f"{commit}:{path}")


def tree(repo: Path, commit: str) -> set[str]:
    return set(git(repo, "ls-tree", "-r", "--name-only", commit).decode().splitlines())


def manifest_files(repo: Path, commit: str, manifest: str, known: set[str]) -> set[str]:
    """The manifest, the manifests it includes and every file they name (repository paths)."""
    found = {manifest}
    base = RDF_TESTS_URL + manifest
    quads = ox.parse(show(repo, commit, manifest), ox.RdfFormat.TURTLE, base_iri=base)
    for quad in quads:
        for term in (quad.subject, quad.object):
            if not isinstance(term, ox.NamedNode) or not term.value.startswith(RDF_TESTS_URL):
                continue
            path = term.value[len(RDF_TESTS_URL) :].partition("#")[0]
            if path in known and path not in found:
                if quad.predicate.value == MF + "include" or path.endswith("manifest.ttl"):
                    found |= manifest_files(repo, commit, path, known)
                found.add(path)
    return found


def vendor_rdf_tests(repo: Path, commit: str) -> int:
    known = tree(repo, commit)
    wanted: set[str] = set(RDF_TESTS_LICENCES)
    for manifest in RDF_TESTS_MANIFESTS:
        wanted |= manifest_files(repo, commit, manifest, known)
    out = TARGET / "rdf-tests"
    shutil.rmtree(out, ignore_errors=True)
    for path in sorted(wanted):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(show(repo, commit, path))
    return len(wanted)


def vendor_json_ld(repo: Path, commit: str) -> int:
    manifest = json.loads(show(repo, commit, "tests/toRdf-manifest.jsonld"))
    known = tree(repo, commit)
    wanted = {"tests/toRdf-manifest.jsonld", "tests/LICENSE.md", "LICENSE.md"}
    for test in manifest["sequence"]:
        if test.get("option", {}).get("specVersion") == "json-ld-1.0":
            continue
        for key in ("input", "expect"):
            path = "tests/" + test.get(key, "")
            if path in known:
                wanted.add(path)
    out = TARGET / "json-ld-api"
    shutil.rmtree(out, ignore_errors=True)
    for path in sorted(wanted):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(show(repo, commit, path))
    return len(wanted)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rdf-tests", type=Path, required=True, help="git dir of w3c/rdf-tests")
    parser.add_argument("--rdf-tests-commit", default="HEAD")
    parser.add_argument("--json-ld-api", type=Path, help="git dir of w3c/json-ld-api")
    parser.add_argument("--json-ld-api-commit", default="HEAD")
    args = parser.parse_args()
    commit = git(args.rdf_tests, "rev-parse", args.rdf_tests_commit).decode().strip()
    print(f"w3c/rdf-tests {commit}: {vendor_rdf_tests(args.rdf_tests, commit)} files")
    if args.json_ld_api is not None:
        commit = git(args.json_ld_api, "rev-parse", args.json_ld_api_commit).decode().strip()
        print(f"w3c/json-ld-api {commit}: {vendor_json_ld(args.json_ld_api, commit)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
