"""What bulk operations may run: the checks of `bulkOperationRunMutation(mutation:)` and `…RunQuery(query:)`.

A bulk mutation document must be valid against the schema and hold exactly one operation, a mutation with
exactly one root field, which is not `bulkOperationRunMutation`/`bulkOperationRunQuery`, which the sandbox
implements, and which selects at most one connection field. Its variables come from each JSONL line.

A bulk query document (Shopify: "must include at least one connection field and supports up to five
connections with a maximum nesting depth of two levels") must be a query without variables with exactly one
root field the sandbox implements; it holds 1 to 5 connection fields, a connection inside a connection's
nodes at most (depth 2), no connection inside a list field, and every object a nested connection hangs
from selects `id` without an alias (it becomes the children's `__parentId`). Messages Shopify is known to
send are copied; the others are the sandbox's wording.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    is_list_type,
)

from sandbox.shopify.admin_schema import PreparedOperation, admin_schema, check_document
from sandbox.shopify.root_fields import MUTATION_FIELDS, NOT_IN_BULK_FIELDS, QUERY_FIELDS

MAX_CONNECTIONS = 5
MAX_DEPTH = 2
LIST_CONNECTION = "Queries that contain a connection field within a list field are not currently supported."
PARENT_ID = (
    "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be "
    "of 'ID' return type. Connection fields without 'id': {names}."
)

Fragments = dict[str, FragmentDefinitionNode]


def is_connection(named: GraphQLNamedType) -> bool:
    return named.name.endswith("Connection") and isinstance(named, GraphQLObjectType)


def selected_fields(
    schema: GraphQLSchema, selection_set: SelectionSetNode | None, parent: GraphQLNamedType, fragments: Fragments
) -> Iterator[tuple[FieldNode, GraphQLNamedType]]:
    """Every field node of a selection set, fragments spread, with the type it is selected on."""
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection, parent
            continue
        if isinstance(selection, InlineFragmentNode):
            condition, inner = selection.type_condition, selection.selection_set
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments[selection.name.value]
            condition, inner = fragment.type_condition, fragment.selection_set
        else:
            continue
        target = schema.get_type(condition.name.value) if condition else None
        yield from selected_fields(schema, inner, target or parent, fragments)


def field_type(field: FieldNode, parent: GraphQLNamedType) -> tuple[GraphQLNamedType, bool] | None:
    """(named type, is a list) of a selected field; None for `__typename` and the like."""
    fields = getattr(parent, "fields", {})
    definition = fields.get(field.name.value)
    if definition is None:
        return None
    return get_named_type(definition.type), is_list_type(get_nullable_type(definition.type))


def node_selections(
    schema: GraphQLSchema, connection: FieldNode, connection_type: GraphQLNamedType, fragments: Fragments
) -> list[tuple[str, FieldNode | None, FieldNode]]:
    """How a connection field selects its nodes: (`nodes` or `edges`, the edges field, the node field)."""
    found: list[tuple[str, FieldNode | None, FieldNode]] = []
    for field, parent in selected_fields(schema, connection.selection_set, connection_type, fragments):
        if field.name.value == "nodes":
            found.append(("nodes", None, field))
        elif field.name.value == "edges":
            typed = field_type(field, parent)
            edge_type = typed[0] if typed else parent
            for inner, _ in selected_fields(schema, field.selection_set, edge_type, fragments):
                if inner.name.value == "node":
                    found.append(("edges", field, inner))
    return found


def connection_node_type(connection_type: GraphQLNamedType) -> GraphQLNamedType:
    assert isinstance(connection_type, GraphQLObjectType)
    named: GraphQLNamedType = get_named_type(connection_type.fields["nodes"].type)
    return named


def selects_plain_id(
    schema: GraphQLSchema, selection_set: SelectionSetNode | None, node_type: GraphQLNamedType, fragments: Fragments
) -> bool:
    return any(
        field.name.value == "id" and field.alias is None
        for field, _ in selected_fields(schema, selection_set, node_type, fragments)
    )


def _single_operation(source: str) -> tuple[PreparedOperation | None, str | None]:
    checked = check_document(source)
    if checked.document is None:
        return None, "; ".join(error.message for error in checked.errors)
    operations = [d for d in checked.document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1:
        return None, f"The document must hold exactly one operation, not {len(operations)}"
    fragments = {d.name.value: d for d in checked.document.definitions if isinstance(d, FragmentDefinitionNode)}
    return PreparedOperation(checked.document, operations[0], fragments), None


def _root_fields(prepared: PreparedOperation, root_type: GraphQLObjectType) -> list[FieldNode]:
    schema = admin_schema()
    selection = prepared.operation.selection_set
    return [
        field
        for field, _ in selected_fields(schema, selection, root_type, prepared.fragments)
        if not field.name.value.startswith("__")
    ]


def check_bulk_mutation(source: str) -> PreparedOperation | str:
    """The prepared mutation, or the message of an `INVALID_MUTATION` user error."""
    prepared, problem = _single_operation(source)
    if prepared is None:
        return f"Invalid mutation: {problem}"
    if prepared.operation.operation != OperationType.MUTATION:
        return "Invalid mutation: the operation must be a mutation"
    schema = admin_schema()
    assert schema.mutation_type is not None
    roots = _root_fields(prepared, schema.mutation_type)
    if len(roots) != 1:
        return f"Invalid mutation: a bulk mutation runs exactly one mutation field, this one selects {len(roots)}"
    name = roots[0].name.value
    if name in NOT_IN_BULK_FIELDS:
        return f"Invalid mutation: {name} cannot be run in a bulk operation"
    if name not in MUTATION_FIELDS:
        return f"Invalid mutation: field '{name}' on Mutation is not implemented by the sandbox"
    typed = field_type(roots[0], schema.mutation_type)
    if typed is not None and _count_connections(schema, roots[0], typed[0], prepared.fragments) > 1:
        return "Invalid mutation: a bulk mutation may select at most one connection field"
    return prepared


def _count_connections(schema: GraphQLSchema, field: FieldNode, named: GraphQLNamedType, fragments: Fragments) -> int:
    count = 1 if is_connection(named) else 0
    for inner, parent in selected_fields(schema, field.selection_set, named, fragments):
        typed = field_type(inner, parent)
        if typed is not None and not is_leaf_type(typed[0]):
            count += _count_connections(schema, inner, typed[0], fragments)
    return count


@dataclass
class _QueryShape:
    schema: GraphQLSchema
    fragments: Fragments
    connections: int = 0
    too_deep: bool = False
    in_list: bool = False
    without_parent_id: list[str] | None = None

    def visit(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
        depth: int,
        listed: bool,
        line: tuple[SelectionSetNode | None, GraphQLNamedType] | None,
    ) -> None:
        """The fields of one object's selection: `depth` connections above it, inside a list or not, and the
        selection of the nearest object that becomes a JSONL line (None on the query root)."""
        for field, owner in selected_fields(self.schema, selection_set, parent, self.fragments):
            typed = field_type(field, owner)
            if typed is None or is_leaf_type(typed[0]):
                continue
            named, is_list = typed
            if not is_connection(named):
                inner_line = line if line is not None else (field.selection_set, named)
                self.visit(field.selection_set, named, depth, listed or is_list, inner_line)
                continue
            self.connections += 1
            self.in_list = self.in_list or listed
            self.too_deep = self.too_deep or depth + 1 > MAX_DEPTH
            if line is not None and not selects_plain_id(self.schema, line[0], line[1], self.fragments):
                self.without_parent_id = [*(self.without_parent_id or []), field.name.value]
            node_type = connection_node_type(named)
            for _, _, node_field in node_selections(self.schema, field, named, self.fragments):
                self.visit(node_field.selection_set, node_type, depth + 1, False, (node_field.selection_set, node_type))


def check_bulk_query(source: str) -> PreparedOperation | str:
    """The prepared query, or the message of an `INVALID` user error."""
    prepared, problem = _single_operation(source)
    if prepared is None:
        return f"Invalid bulk query: {problem}"
    if prepared.operation.operation != OperationType.QUERY:
        return "Invalid bulk query: the operation must be a query"
    if prepared.operation.variable_definitions:
        return "Invalid bulk query: a bulk query cannot declare variables"
    schema = admin_schema()
    assert schema.query_type is not None
    roots = _root_fields(prepared, schema.query_type)
    if len(roots) != 1:
        return f"Invalid bulk query: a bulk query selects exactly one top-level field, this one selects {len(roots)}"
    name = roots[0].name.value
    if name not in QUERY_FIELDS:
        return f"Invalid bulk query: field '{name}' on QueryRoot is not implemented by the sandbox"
    shape = _QueryShape(schema, prepared.fragments)
    shape.visit(prepared.operation.selection_set, schema.query_type, 0, False, None)
    if shape.connections == 0:
        return "Invalid bulk query: bulk queries must contain at least one connection."
    if shape.connections > MAX_CONNECTIONS:
        return f"Invalid bulk query: bulk queries cannot contain more than {MAX_CONNECTIONS} connections."
    if shape.too_deep:
        return f"Invalid bulk query: bulk queries cannot contain connections nested more than {MAX_DEPTH} levels deep."
    if shape.in_list:
        return f"Invalid bulk query: {LIST_CONNECTION}"
    if shape.without_parent_id:
        return f"Invalid bulk query: {PARENT_ID.format(names=', '.join(shape.without_parent_id))}"
    return prepared
