"""The JSONL files bulk operations produce.

**Query results** (Shopify's bulk format): one JSON object per line for every node of every connection (and
for the top-level object when the root field is not a connection). A line holds the node's selected fields
with the connection plumbing (`edges`, `node`, `nodes`, `cursor`, `pageInfo`) removed; objects that are not
connections stay nested inside it; a node of a nested connection is a line of its own with `__parentId`,
the `id` of the nearest object above it that is a line. With `groupObjects: true` a parent's children follow
it directly; without (the default from 2026-01) every top-level line comes first, then the children, level
by level, so a parent always precedes its children but not necessarily directly.

**Mutation results**: one line per input line, the answer of running the mutation with that line's variables
(`{"data": {...}}`, `{"errors": [...]}` or both) plus `__lineNumber`, the zero-based line of the input file.
The lines come in a fixed pseudo-random order (not the input's), like Shopify, which processes the file in
parallel: match them by `__lineNumber`.
"""

import hashlib
import json
from collections import deque
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, GraphQLNamedType, GraphQLSchema, SelectionSetNode, is_leaf_type

from sandbox.shopify.admin_schema import PreparedOperation
from sandbox.shopify.bulk_documents import (
    Fragments,
    connection_node_type,
    field_type,
    is_connection,
    node_selections,
    selected_fields,
)


def jsonl_bytes(lines: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(line, separators=(",", ":"), ensure_ascii=False).encode() + b"\n" for line in lines)


def mutation_result_lines(operation_number: int, results: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each line's answer with its `__lineNumber`, in an order that depends on the operation only."""

    def position(line_number: int) -> str:
        return hashlib.sha256(f"{operation_number}:{line_number}".encode()).hexdigest()

    ordered = sorted(results, key=lambda item: position(item[0]))
    return [{**answer, "__lineNumber": line_number} for line_number, answer in ordered]


@dataclass
class _Pending:
    """A connection whose nodes still have to be written, under the line with `parent_id`."""

    field: FieldNode
    connection_type: GraphQLNamedType
    value: Any
    parent_id: Any


class QueryLines:
    """Turns the data of an executed bulk query into its lines: (is a top-level line, the line)."""

    def __init__(self, schema: GraphQLSchema, prepared: PreparedOperation, group_objects: bool) -> None:
        self.schema = schema
        self.fragments: Fragments = prepared.fragments
        self.operation = prepared.operation
        self.group_objects = group_objects
        self.lines: list[tuple[bool, dict[str, Any]]] = []

    def build(self, data: dict[str, Any] | None) -> list[tuple[bool, dict[str, Any]]]:
        root_type = self.schema.query_type
        assert root_type is not None
        later: deque[_Pending] = deque()
        for field, owner in selected_fields(self.schema, self.operation.selection_set, root_type, self.fragments):
            typed = field_type(field, owner)
            key = (field.alias or field.name).value
            if typed is None or data is None or data.get(key) is None:
                continue
            named = typed[0]
            if is_connection(named):
                self._write_connection(_Pending(field, named, data[key], None), True, later)
            elif not is_leaf_type(named):
                values = data[key] if isinstance(data[key], list) else [data[key]]
                for value in values:
                    self._write_node(value, field.selection_set, named, None, True, later)
        while later:
            self._write_connection(later.popleft(), False, later)
        return self.lines

    def _write_connection(self, pending: _Pending, top_level: bool, later: deque[_Pending]) -> None:
        node_type = connection_node_type(pending.connection_type)
        value = pending.value or {}
        for kind, edges_field, node_field in node_selections(
            self.schema, pending.field, pending.connection_type, self.fragments
        )[:1]:
            if kind == "nodes":
                nodes = value.get((node_field.alias or node_field.name).value) or []
            else:
                assert edges_field is not None
                edges = value.get((edges_field.alias or edges_field.name).value) or []
                nodes = [edge.get((node_field.alias or node_field.name).value) for edge in edges]
            for node in nodes:
                if node is not None:
                    self._write_node(node, node_field.selection_set, node_type, pending.parent_id, top_level, later)

    def _write_node(
        self,
        node: dict[str, Any],
        selection_set: SelectionSetNode | None,
        node_type: GraphQLNamedType,
        parent_id: Any,
        top_level: bool,
        later: deque[_Pending],
    ) -> None:
        children: list[tuple[FieldNode, GraphQLNamedType, Any]] = []
        line = self._flatten(node, selection_set, node_type, children)
        if parent_id is not None:
            line["__parentId"] = parent_id
        self.lines.append((top_level, line))
        pending = [_Pending(field, named, value, node.get("id")) for field, named, value in children]
        if self.group_objects:
            for child in pending:
                self._write_connection(child, False, later)
        else:
            later.extend(pending)

    def _flatten(
        self,
        value: dict[str, Any],
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
        children: list[tuple[FieldNode, GraphQLNamedType, Any]],
    ) -> dict[str, Any]:
        """The selected fields of one object, its connections taken out into `children`."""
        line: dict[str, Any] = {}
        seen: set[str] = set()
        for field, owner in selected_fields(self.schema, selection_set, parent, self.fragments):
            key = (field.alias or field.name).value
            if key not in value or key in seen:
                continue
            seen.add(key)
            typed = field_type(field, owner)
            item = value[key]
            if typed is None or is_leaf_type(typed[0]) or item is None:
                line[key] = item
            elif is_connection(typed[0]):
                children.append((field, typed[0], item))
            elif isinstance(item, list):
                line[key] = [
                    self._flatten(entry, field.selection_set, typed[0], children) if isinstance(entry, dict) else entry
                    for entry in item
                ]
            else:
                line[key] = self._flatten(item, field.selection_set, typed[0], children)
        return line
