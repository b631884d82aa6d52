"""Shopify's documented cost model, computed from the document (requested) and from the result (actual).

Scalars and enums cost 0, objects 1, a `…Connection` field 2 + n × (cost of its selection per node),
where n is `first`/`last` before execution and the number of nodes really returned after it. Connection
plumbing (`edges`, `pageInfo`) costs nothing itself. Every top-level mutation field costs 10.
"""

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
)
from graphql.execution.values import get_argument_values

MUTATION_FIELD_COST = 10
MAX_QUERY_COST = 1000

_REQUESTED = object()  # "no data yet": cost what the document asks for
_FREE_TYPES = frozenset({"PageInfo"})


def _is_connection(named: GraphQLNamedType) -> bool:
    return named.name.endswith("Connection")


def _costs_nothing_itself(named: GraphQLNamedType) -> bool:
    return named.name in _FREE_TYPES or named.name.endswith("Edge")


class QueryCost:
    """Costs of one operation of a validated document, with its coerced variables."""

    def __init__(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self._schema = schema
        self._operation = operation
        self._fragments = fragments
        self._variables = variables

    def requested(self) -> int:
        if self._operation.operation == OperationType.MUTATION:
            return MUTATION_FIELD_COST * self._count_root_fields(self._operation.selection_set)
        root = self._schema.query_type
        assert root is not None
        return self._selection_cost(self._operation.selection_set, root, _REQUESTED)

    def actual(self, data: dict[str, Any] | None) -> int:
        if self._operation.operation == OperationType.MUTATION:
            return self.requested()
        root = self._schema.query_type
        assert root is not None
        return 0 if data is None else self._selection_cost(self._operation.selection_set, root, data)

    def _count_root_fields(self, selection_set: SelectionSetNode) -> int:
        count = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                count += 0 if selection.name.value.startswith("__") else 1
            elif isinstance(selection, InlineFragmentNode):
                count += self._count_root_fields(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                count += self._count_root_fields(self._fragments[selection.name.value].selection_set)
        return count

    def _selection_cost(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType, data: Any) -> int:
        if selection_set is None:
            return 0
        total = 0
        conditional: list[int] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection, parent, data)
                continue
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = selection.selection_set
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self._fragments[selection.name.value]
                condition, inner = fragment.type_condition, fragment.selection_set
            else:
                continue
            target = self._schema.get_type(condition.name.value) if condition else parent
            cost = self._selection_cost(inner, target or parent, data)
            if target is None or target.name == parent.name:
                total += cost
            else:
                conditional.append(cost)  # an interface or union: the most expensive possible selection
        return total + max(conditional, default=0)

    def _field_cost(self, node: FieldNode, parent: GraphQLNamedType, data: Any) -> int:
        name = node.name.value
        fields: dict[str, GraphQLField] = getattr(parent, "fields", {})
        if name.startswith("__") or name not in fields:
            return 0
        definition = fields[name]
        named = get_named_type(definition.type)
        if is_leaf_type(named):
            return 0
        if data is _REQUESTED:
            value: Any = _REQUESTED
        elif isinstance(data, dict) and (node.alias or node.name).value in data:
            value = data[(node.alias or node.name).value]
        else:
            return 0
        if _is_connection(named):
            if value is _REQUESTED:
                arguments = get_argument_values(definition, node, self._variables)
                size = max(0, int(arguments.get("first") or arguments.get("last") or 0))
                return 2 + size * self._selection_cost(node.selection_set, named, _REQUESTED)
            return 0 if value is None else 2 + self._selection_cost(node.selection_set, named, value)
        return self._object_cost(node, named, value)

    def _object_cost(self, node: FieldNode, named: GraphQLNamedType, value: Any) -> int:
        own = 0 if _costs_nothing_itself(named) else 1
        if value is _REQUESTED:
            return own + self._selection_cost(node.selection_set, named, _REQUESTED)
        if value is None:
            return 0
        if isinstance(value, list):
            return sum(self._object_cost(node, named, item) for item in value)
        return own + self._selection_cost(node.selection_set, named, value)
