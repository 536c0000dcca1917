"""infra/template.yaml: cfn-lint, schedules, retention, least privilege, and the models matching the tables."""

import subprocess
import sys
from pathlib import Path

import pytest

from kep_lifecycle.dal.models import AccountModel, LedgerModel, NoticeModel, RunModel
from kep_lifecycle.local.stack import load_template

TEMPLATE = Path(__file__).resolve().parents[1] / "infra" / "template.yaml"
MODELS = {"AccountsTable": AccountModel, "LedgerTable": LedgerModel, "NoticesTable": NoticeModel,
          "RunsTable": RunModel}


@pytest.fixture(scope="module")
def resources():
    return load_template()["Resources"]


def test_template_passes_cfn_lint():
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(cfn_lint), str(TEMPLATE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _sorted_keys(key_schema: list[dict]) -> list[dict]:
    return sorted(key_schema, key=lambda key: key["KeyType"])


def _types(definitions: list[dict]) -> dict[str, str]:
    return {item["AttributeName"]: item["AttributeType"] for item in definitions}


@pytest.mark.parametrize("logical_id", sorted(MODELS))
def test_model_keys_and_indexes_match_template(resources, logical_id):
    schema = MODELS[logical_id]._get_schema()
    properties = resources[logical_id]["Properties"]

    assert _sorted_keys(schema["key_schema"]) == _sorted_keys(properties["KeySchema"])
    assert _types(schema["attribute_definitions"]) == _types(properties["AttributeDefinitions"])
    model_indexes = {index["index_name"]: index for index in schema["global_secondary_indexes"]}
    declared = {index["IndexName"]: index for index in properties.get("GlobalSecondaryIndexes", [])}
    assert sorted(model_indexes) == sorted(declared)
    for name, index in model_indexes.items():
        assert _sorted_keys(index["key_schema"]) == _sorted_keys(declared[name]["KeySchema"])
        assert index["projection"] == declared[name]["Projection"]


@pytest.mark.parametrize("logical_id", sorted(MODELS))
def test_tables_kept_and_recoverable(resources, logical_id):
    table = resources[logical_id]
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"
    assert table["Properties"]["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table["Properties"]["BillingMode"] == "PAY_PER_REQUEST"


def test_daily_schedules_in_istanbul(resources):
    functions = {name: r for name, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    assert sorted(functions) == ["ClosureFunction", "NotifyFunction", "QuotaScanFunction", "RenewalFunction"]
    times = {}
    for name, function in functions.items():
        schedule = function["Properties"]["Events"]["Daily"]
        properties = schedule["Properties"]
        assert schedule["Type"] == "ScheduleV2"
        assert properties["ScheduleExpressionTimezone"] == "Europe/Istanbul"
        assert properties["RetryPolicy"]["MaximumRetryAttempts"] == 3
        assert properties["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": "ScheduleDeadLetterQueue.Arn"}}
        assert '"scheduled_time": "<aws.scheduler.scheduled-time>"' in properties["Input"]
        times[name] = properties["ScheduleExpression"]
    # Renewal, then closure, then the quota scan, then the notice sweep, every night.
    assert times == {"RenewalFunction": "cron(30 0 * * ? *)", "ClosureFunction": "cron(45 0 * * ? *)",
                     "QuotaScanFunction": "cron(0 1 * * ? *)", "NotifyFunction": "cron(0 2 * * ? *)"}


def test_policies_name_project_resources_only(resources):
    for name, resource in resources.items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for policy in resource["Properties"]["Policies"]:
            for statement in policy["Statement"]:
                actions = statement["Action"]
                assert all(not action.endswith(":*") and action != "*" for action in actions), name
                assert "*" not in statement["Resource"], name
                assert all(isinstance(target, dict) for target in statement["Resource"]), name


def test_quota_scan_queue_outlives_worker_timeout(resources):
    queue = resources["QuotaScanQueue"]["Properties"]
    timeout = load_template()["Globals"]["Function"]["Timeout"]
    assert queue["VisibilityTimeout"] > timeout
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 3
