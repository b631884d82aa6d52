"""Every GraphQL document the product can send validates against the real 2026-10 Admin schema."""

import gzip
import json
from pathlib import Path

import pytest
from graphql import GraphQLSchema, build_client_schema, parse, validate

from shared.shopify_documents import ALL_DOCUMENTS

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "sandbox" / "schema" / "admin_2026-10.json.gz"


@pytest.fixture(scope="module")
def admin_schema() -> GraphQLSchema:
    with gzip.open(SCHEMA_FILE, "rt", encoding="utf-8") as handle:
        return build_client_schema(json.load(handle)["data"])


@pytest.mark.parametrize("name", sorted(ALL_DOCUMENTS))
def test_document_validates_against_the_real_admin_schema(admin_schema: GraphQLSchema, name: str) -> None:
    errors = validate(admin_schema, parse(ALL_DOCUMENTS[name]))
    assert errors == [], [error.message for error in errors]


def test_a_wrong_field_would_be_caught(admin_schema: GraphQLSchema) -> None:
    broken = ALL_DOCUMENTS["ProductSet"].replace("userErrors {", "userErrors { bogusField")
    assert validate(admin_schema, parse(broken))


def test_every_document_file_is_registered() -> None:
    folder = Path(__file__).resolve().parent.parent / "shared" / "graphql"
    names_in_files = {
        parse(path.read_text()).definitions[0].name.value  # type: ignore[attr-defined]
        for path in folder.glob("*.graphql")
    }
    assert names_in_files == set(ALL_DOCUMENTS)
