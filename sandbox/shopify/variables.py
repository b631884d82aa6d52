"""Coercion of request variables against the schema's input types, reported the way Shopify words it."""

from typing import Any, cast

from graphql import (
    GraphQLError,
    GraphQLInputType,
    GraphQLSchema,
    OperationDefinitionNode,
    coerce_input_value,
    is_input_type,
    is_non_null_type,
    print_ast,
    type_from_ast,
    value_from_ast,
)


class VariableProblems(Exception):
    def __init__(self, errors: list[GraphQLError]) -> None:
        super().__init__("invalid variables")
        self.errors = errors


def _invalid_variable(name: str, type_text: str, value: Any, problems: list[dict[str, Any]], node: Any) -> GraphQLError:
    message = f"Variable ${name} of type {type_text} was provided invalid value"
    located = [f"{'.'.join(map(str, p['path']))} ({p['explanation']})" for p in problems if p["path"]]
    if located and len(located) == len(problems):
        message += " for " + ", ".join(located)
    return GraphQLError(message, node, extensions={"code": "INVALID_VARIABLE", "value": value, "problems": problems})


def coerce_variables(
    schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: dict[str, Any]
) -> dict[str, Any]:
    """Coerced values by variable name; raises VariableProblems listing every invalid variable."""
    coerced: dict[str, Any] = {}
    errors: list[GraphQLError] = []
    for definition in operation.variable_definitions:
        name = definition.variable.name.value
        var_type = type_from_ast(schema, definition.type)
        type_text = print_ast(definition.type)
        if var_type is None or not is_input_type(var_type):
            continue  # validation already rejected such a document
        input_type = cast(GraphQLInputType, var_type)
        if name not in inputs or inputs[name] is None:
            if name not in inputs and definition.default_value is not None:
                coerced[name] = value_from_ast(definition.default_value, input_type)
            elif is_non_null_type(input_type):
                problem = {"path": [], "explanation": "Expected value to not be null"}
                errors.append(_invalid_variable(name, type_text, None, [problem], definition))
            else:
                coerced[name] = None
            continue
        problems: list[dict[str, Any]] = []

        def collect(path: list[str | int], _invalid: Any, error: GraphQLError, into: list[Any] = problems) -> None:
            into.append({"path": path, "explanation": error.message})

        value = coerce_input_value(inputs[name], input_type, collect)
        if problems:
            errors.append(_invalid_variable(name, type_text, inputs[name], problems, definition))
        else:
            coerced[name] = value
    if errors:
        raise VariableProblems(errors)
    return coerced
