"""The vendored Admin GraphQL schema, loaded once, and cached parsing + validation of documents."""

import gzip
import json
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from graphql import DocumentNode, GraphQLError, GraphQLSchema, build_client_schema, parse, validate

# Every supported version is validated against this one schema (2026-10, see schema/SOURCE.md): the
# differences between 2025-10 and 2026-10 do not touch the fields the sandbox implements.
SCHEMA_FILE = "admin_2026-10.json.gz"
SUPPORTED_VERSIONS = frozenset({"2025-10", "2026-01", "2026-04", "2026-07", "2026-10"})
LATEST_VERSION = max(SUPPORTED_VERSIONS)


@cache
def admin_schema() -> GraphQLSchema:
    raw = resources.files("sandbox").joinpath("schema", SCHEMA_FILE).read_bytes()
    return build_client_schema(json.loads(gzip.decompress(raw))["data"])


@dataclass(frozen=True)
class CheckedDocument:
    """A parsed document, or the reasons it cannot run (syntax or validation)."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    error_code: str | None


@lru_cache(maxsize=1024)
def check_document(source: str) -> CheckedDocument:
    """Parse and validate once per distinct document text; clients send the same few documents."""
    try:
        document = parse(source)
    except GraphQLError as error:
        return CheckedDocument(None, (error,), "GRAPHQL_PARSE_FAILED")
    errors = validate(admin_schema(), document)
    if errors:
        return CheckedDocument(None, tuple(errors), "GRAPHQL_VALIDATION_FAILED")
    return CheckedDocument(document, (), None)
