"""Tables and function environment of infra/template.yaml, recreated on a local moto server."""

from __future__ import annotations

from pathlib import Path

import boto3
import yaml

TEMPLATE = Path(__file__).resolve().parents[3] / "infra" / "template.yaml"

_TABLE_PROPERTIES = (
    "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "LocalSecondaryIndexes",
    "BillingMode", "StreamSpecification",
)


class _CloudFormationLoader(yaml.SafeLoader):
    """A YAML loader that keeps CloudFormation short-form tags (!Ref, !Sub, !GetAtt …) as plain data."""


def _construct_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {"Ref": value} if tag_suffix == "Ref" else {f"Fn::{tag_suffix}": value}


_CloudFormationLoader.add_multi_constructor("!", _construct_tag)


def load_template(path: Path = TEMPLATE) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_CloudFormationLoader)


def table_definitions(template: dict) -> dict[str, dict]:
    """Return create_table arguments (without TableName) for each table, by logical id."""
    tables = {}
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::DynamoDB::Table":
            continue
        properties = resource["Properties"]
        definition = {key: properties[key] for key in _TABLE_PROPERTIES if key in properties}
        # CloudFormation enables a stream by its view type alone; the DynamoDB API wants both.
        if "StreamSpecification" in definition:
            definition["StreamSpecification"] = {"StreamEnabled": True, **definition["StreamSpecification"]}
        tables[logical_id] = definition
    return tables


def function_environment(template: dict, table_names: dict[str, str]) -> dict[str, str]:
    """Return the Globals environment with table references resolved to local table names.

    Values that reference parameters take the parameter's default; other intrinsic
    functions are left out, since they name deployed resources.
    """
    parameters = template.get("Parameters", {})
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    environment = {}
    for name, value in variables.items():
        if isinstance(value, dict) and "Ref" in value:
            target = value["Ref"]
            if target in table_names:
                environment[name] = table_names[target]
            elif target in parameters and "Default" in parameters[target]:
                environment[name] = str(parameters[target]["Default"])
        elif isinstance(value, str):
            environment[name] = value
    return environment


def create_tables(endpoint_url: str, region: str, prefix: str, template: dict | None = None) -> dict[str, str]:
    """Create every table of the template on the endpoint; return local table names by logical id."""
    template = template or load_template()
    client = boto3.client("dynamodb", endpoint_url=endpoint_url, region_name=region)
    names = {}
    for logical_id, definition in table_definitions(template).items():
        name = f"{prefix}-{logical_id}"
        client.create_table(TableName=name, **definition)
        names[logical_id] = name
    return names
