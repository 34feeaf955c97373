"""The dead-man alarm of the scheduled job (issue 24, « Reminder hygiene »): CloudWatch watches the Lambda that
Chalice deploys for ``tick`` and mails AAI through SNS when two hours pass without a run ending without error."""

import json

from chalice.app import ScheduledEventConfig

from support_chalice import FUNCTIONS, load_app
from support_infra import site_template

TEMPLATE = site_template(keep_tags=True)
RESOURCES = TEMPLATE["Resources"]
ALARM = RESOURCES["SchedulerStoppedAlarm"]["Properties"]


def tick_function_name() -> str:
    """The name Chalice gives the scheduled function: <app_name>-<stage>-<handler> (chalice.deploy.appgraph)."""
    app = load_app("aai_functions_app_infra")
    scheduled = [source.name for source in app.app.event_sources if isinstance(source, ScheduledEventConfig)]
    assert scheduled == ["tick"]
    app_name = json.loads((FUNCTIONS / ".chalice" / "config.json").read_text(encoding="utf-8"))["app_name"]
    assert TEMPLATE["Parameters"]["ChaliceAppName"]["Default"] == app_name
    return "${ChaliceAppName}-prod-" + scheduled[0]


def test_the_alarm_watches_the_tick_function_completing_hour_by_hour():
    metrics = {m["Id"]: m for m in ALARM["Metrics"]}
    watched = {m["MetricStat"]["Metric"]["MetricName"]: m["MetricStat"] for m in metrics.values() if "MetricStat" in m}
    assert set(watched) == {"Invocations", "Errors"}
    for stat in watched.values():
        assert stat["Metric"]["Namespace"] == "AWS/Lambda" and stat["Stat"] == "Sum" and stat["Period"] == 3600
        assert stat["Metric"]["Dimensions"] == [{"Name": "FunctionName", "Value": {"Sub": tick_function_name()}}]
    returned = [m for m in metrics.values() if m.get("ReturnData")]
    assert len(returned) == 1 and returned[0]["Expression"] == "FILL(invocations, 0) - FILL(errors, 0)"


def test_two_hours_without_a_completed_run_or_without_data_alarm():
    assert ALARM["ComparisonOperator"] == "LessThanThreshold" and ALARM["Threshold"] == 1
    assert ALARM["EvaluationPeriods"] == 2 and ALARM["DatapointsToAlarm"] == 2   # 2 × 3600 s: two hours
    assert ALARM["TreatMissingData"] == "breaching"   # the schedule removed altogether is silence too


def test_the_alarm_reaches_aai_by_e_mail():
    assert ALARM["AlarmActions"] == [{"Ref": "OperationsAlarmTopic"}]
    assert RESOURCES["OperationsAlarmTopic"]["Type"] == "AWS::SNS::Topic"
    subscription = RESOURCES["OperationsAlarmSubscription"]["Properties"]
    assert subscription == {"TopicArn": {"Ref": "OperationsAlarmTopic"}, "Protocol": "email",
                            "Endpoint": {"Ref": "AlarmEmail"}}
    assert "Default" not in TEMPLATE["Parameters"]["AlarmEmail"]   # never deployed without AAI's address
