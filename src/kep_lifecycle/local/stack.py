"""Tables and function environment of infra/template.yaml, recreated on a local moto server."""

from __future__ import annotations

from dataclasses import dataclass
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


def _resolve(value, references: dict[str, str], parameters: dict) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        target = value["Ref"]
        if target in references:
            return references[target]
        if target in parameters and "Default" in parameters[target]:
            return str(parameters[target]["Default"])
    return None


def function_environment(template: dict, references: dict[str, str]) -> dict[str, str]:
    """Return the functions' environment with references resolved to local resources.

    Globals come first, then each function's own variables; in one local process they
    share one environment. A reference to a parameter takes the parameter's default; other
    intrinsic functions are left out, since they name deployed resources.
    """
    parameters = template.get("Parameters", {})
    sources = [template["Globals"]["Function"]["Environment"]["Variables"]]
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            sources.append(resource["Properties"].get("Environment", {}).get("Variables", {}))
    environment = {}
    for variables in sources:
        for name, value in variables.items():
            if name == "POWERTOOLS_SERVICE_NAME":
                continue
            resolved = _resolve(value, references, parameters)
            if resolved is not None:
                environment[name] = resolved
    return environment


def queue_definitions(template: dict) -> dict[str, dict[str, str]]:
    """Return SQS queue attributes for each queue of the template, by logical id."""
    queues = {}
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::SQS::Queue":
            continue
        properties = resource.get("Properties", {})
        attributes = {name: str(properties[name]) for name in ("VisibilityTimeout", "MessageRetentionPeriod")
                      if name in properties}
        queues[logical_id] = attributes
    return queues


@dataclass(frozen=True)
class LocalStack:
    table_names: dict[str, str]
    queue_urls: dict[str, str]
    environment: dict[str, str]


def create_stack(endpoint_url: str, region: str, prefix: str, template: dict | None = None) -> LocalStack:
    """Create the template's tables and queues on the endpoint and resolve the functions' environment."""
    template = template or load_template()
    dynamodb = boto3.client("dynamodb", endpoint_url=endpoint_url, region_name=region)
    tables = {}
    for logical_id, definition in table_definitions(template).items():
        name = f"{prefix}-{logical_id}"
        dynamodb.create_table(TableName=name, **definition)
        tables[logical_id] = name

    sqs = boto3.client("sqs", endpoint_url=endpoint_url, region_name=region)
    queues = {}
    for logical_id, attributes in queue_definitions(template).items():
        queues[logical_id] = sqs.create_queue(QueueName=f"{prefix}-{logical_id}", Attributes=attributes)["QueueUrl"]

    environment = function_environment(template, {**tables, **queues})
    return LocalStack(tables, queues, environment)
