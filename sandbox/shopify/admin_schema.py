"""The vendored Admin GraphQL schema, loaded once, and cached parsing + validation of documents."""

import gzip
import json
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    build_client_schema,
    get_operation_ast,
    parse,
    validate,
)

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


@dataclass(frozen=True)
class PreparedOperation:
    """The operation of a valid document that a request (or a bulk operation) runs, with the document's fragments."""

    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]


@dataclass(frozen=True)
class Refusal:
    """Why a document cannot run: the errors and the `extensions.code` Shopify gives them."""

    errors: tuple[GraphQLError, ...]
    code: str


def prepare_operation(source: str, operation_name: str | None) -> PreparedOperation | Refusal:
    """The named (or only) query or mutation of a valid document; a subscription is refused."""
    checked = check_document(source)
    if checked.document is None:
        assert checked.error_code is not None
        return Refusal(checked.errors, checked.error_code)
    operation = get_operation_ast(checked.document, operation_name)
    if operation is None:
        message = (
            f"No operation named '{operation_name}'"
            if operation_name
            else "An operation name is required when the document holds several operations"
        )
        return Refusal((GraphQLError(message),), "GRAPHQL_VALIDATION_FAILED")
    if operation.operation == OperationType.SUBSCRIPTION:
        return Refusal((GraphQLError("Subscriptions are not supported"),), "GRAPHQL_VALIDATION_FAILED")
    fragments = {d.name.value: d for d in checked.document.definitions if isinstance(d, FragmentDefinitionNode)}
    return PreparedOperation(checked.document, operation, fragments)
