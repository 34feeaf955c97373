"""Nothing lost at the mailbox: SES events (the documented JSON, published on a real SNS topic in moto, read back
from an SQS subscription and handed to the Chalice SNS handler as Lambda would) and, locally, an SMTP server that
answers 550 for a dead mailbox."""

from __future__ import annotations

import json
import re

import boto3
import pytest

from support_functions import Local, bodies, functions_app, plain, rappel_fields, ses_messages
from chalicelib.config import Settings
from chalicelib.mail.mailers import SmtpMailer

AI, HOUSEHOLD, CELL = "contact@grand-perigueux.example.org", "paul.dubreuil@example.org", \
    "cellule@aai-aquitaine.example.org"


def ses_event(kind: str, message_id: str, recipient: str, **detail) -> dict:
    """An SES event as the configuration set publishes it (Amazon SES developer guide, « Contents of event data
    that Amazon SES publishes to Amazon SNS »)."""
    mail = {"timestamp": "2026-11-30T10:00:00.000Z", "source": "ne-pas-repondre@ai-aquitaine.example.org",
            "sourceArn": "arn:aws:ses:eu-west-3:123456789012:identity/ai-aquitaine.example.org",
            "sendingAccountId": "123456789012", "messageId": message_id, "destination": [recipient],
            "headersTruncated": False, "headers": [{"name": "To", "value": recipient}],
            "commonHeaders": {"from": ["ne-pas-repondre@ai-aquitaine.example.org"], "to": [recipient],
                              "messageId": message_id, "subject": "Demande de rappel"},
            "tags": {"ses:configuration-set": ["aai-forms"]}}
    bodies_by_kind = {
        "Bounce": {"bounceType": detail.get("bounce_type", "Permanent"),
                   "bounceSubType": detail.get("subtype", "General"),
                   "bouncedRecipients": [{"emailAddress": recipient, "action": "failed", "status": "5.1.1",
                                          "diagnosticCode": f"smtp; 550 5.1.1 <{recipient}>: user unknown"}],
                   "timestamp": "2026-11-30T10:00:02.000Z", "feedbackId": "0102-feedback",
                   "reportingMTA": "dsn; e226-55.smtp-out.eu-west-3.amazonses.com"},
        "Complaint": {"complainedRecipients": [{"emailAddress": recipient}], "timestamp": "2026-11-30T10:05:00Z",
                      "feedbackId": "0102-complaint", "complaintFeedbackType": "abuse"},
        "Delivery": {"timestamp": "2026-11-30T10:00:01.000Z", "processingTimeMillis": 546,
                     "recipients": [recipient], "smtpResponse": "250 2.6.0 Message received",
                     "reportingMTA": "e226-55.smtp-out.eu-west-3.amazonses.com"},
        "Send": {},
    }
    return {"eventType": kind, "mail": mail, kind.lower(): bodies_by_kind[kind]}


@pytest.fixture
def sns_to_lambda(aws):
    """Publish on the mail-events topic (moto SNS), read the notification back from an SQS subscription, and
    hand it to the app's SNS handler in the Lambda event format."""
    sns, sqs = boto3.client("sns"), boto3.client("sqs")
    topic = sns.create_topic(Name=Settings.at_import("mail_events_topic"))["TopicArn"]
    queue = sqs.create_queue(QueueName="mail-events-test")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]

    def deliver(notification) -> str:
        text = notification if isinstance(notification, str) else json.dumps(notification)
        sns.publish(TopicArn=topic, Message=text)
        [received] = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=1)["Messages"]
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=received["ReceiptHandle"])
        envelope = {"Subject": None, "MessageAttributes": {}, **json.loads(received["Body"])}
        assert envelope["Type"] == "Notification" and envelope["TopicArn"] == topic
        event = {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
                              "EventSubscriptionArn": subscription, "Sns": envelope}]}
        return functions_app.mail_event(event, None)

    return deliver


def message_id(service, ref: str, kind: str = "sent") -> str:
    """The id SES gave the message, as the trail keeps it."""
    return next(e.details["message_id"] for e in service.trail(ref) if e.kind == kind)


def submit(client) -> str:
    # contact by phone: these tests follow the e-mails (an SMS, owed until the office opens, would come first)
    reply = client.post("/rappel", rappel_fields(suivi="oui", mode_contact="telephone"), as_json=True)
    assert reply.status == 200, reply.text
    return reply.json()["reference"]


def test_a_permanent_bounce_on_the_ais_address_escalates_at_once_and_alerts_aai(client, aws, aws_env,
                                                                                 sns_to_lambda):
    ref = submit(client)
    assert aws.store.get(ref)["state"] == "sent"
    assert sns_to_lambda(ses_event("Bounce", message_id(aws, ref), AI)) == "escalated"
    record = aws.store.get(ref)
    assert record["state"] == "escalated" and record["escalations"] == ["mail"]
    assert record["ai_mail_failure"] == "bounce" and [r["ref"] for r in aws.queue()] == [ref]
    everything = ses_messages(aws_env, everything=True)
    alert, sheet = everything[-2:]
    assert [m["To"].addresses[0].addr_spec for m in (alert, sheet)] == [CELL, CELL]
    assert str(alert["Subject"]) == ("Adresse en échec : Association intermédiaire du Grand Périgueux ne reçoit "
                                     "plus les demandes")
    assert "Rejet définitif" in plain(bodies(alert)[0]) and ref in bodies(alert)[0]
    assert str(sheet["Subject"]).startswith("Fiche de liaison – L'adresse de l'association refuse les messages")
    assert "550 5.1.1" in plain(bodies(sheet)[0]) and "prévenez l'association par téléphone" in plain(bodies(sheet)[0])
    # SNS delivers at least once: the same event again changes nothing and sends nothing.
    assert sns_to_lambda(ses_event("Bounce", message_id(aws, ref), AI)) == "ignored"
    assert len(ses_messages(aws_env, everything=True)) == len(everything)
    kinds = [(e.kind, e.actor) for e in aws.trail(ref)]
    assert ("mail_failed", "mail") in kinds and ("escalated", "system") in kinds


def test_a_late_bounce_of_the_first_ais_email_after_a_reroute_is_charged_to_that_ai(client, aws, aws_env,
                                                                                      sns_to_lambda):
    from chalicelib.requests import actions
    from chalicelib.requests import lifecycle
    from chalicelib.reports.request_figures import monthly_report
    from rules.dates import month_of
    ref = submit(client)
    first = message_id(aws, ref)
    actions.escalate(aws, aws.store.get(ref), "not_ours", lifecycle.actor("ai", "ai-grand-perigueux"))
    actions.reroute(aws, aws.store.get(ref), "ai-libournais", lifecycle.actor("cell", "claire"))
    before = aws.store.get(ref)
    assert (before["association"], before["state"]) == ("ai-libournais", "sent")
    assert aws.store.find_message(first)["recipient"] == "ai-grand-perigueux"
    sent = len(ses_messages(aws_env, everything=True))
    assert sns_to_lambda(ses_event("Bounce", first, AI)) == "alerted"
    after = aws.store.get(ref)   # the new AI is untouched: not escalated, its e-mail not marked refused
    assert after["state"] == "sent" and not after.get("ai_mail_failure") and "mail" not in after["escalations"]
    [alert] = ses_messages(aws_env, everything=True)[sent:]
    assert alert["To"].addresses[0].addr_spec == CELL
    assert str(alert["Subject"]) == ("Adresse en échec : Association intermédiaire du Grand Périgueux ne reçoit "
                                     "plus les demandes")
    assert AI in plain(bodies(alert)[0]) and "réorientée vers une autre association" in plain(bodies(alert)[0])
    report = monthly_report(aws, month_of(before["created_at"]))
    assert report.line("ai-grand-perigueux").mail_failures == 1 and report.line("ai-libournais").mail_failures == 0


def test_the_delivery_confirmation_marks_the_request_delivered(client, aws, sns_to_lambda):
    ref = submit(client)
    assert sns_to_lambda(ses_event("Delivery", message_id(aws, ref), AI)) == "delivered"
    record = aws.store.get(ref)
    assert record["state"] == "delivered" and record["delivered_at"]
    assert sns_to_lambda(ses_event("Delivery", message_id(aws, ref, "acknowledged"), HOUSEHOLD)) == "ignored"


@pytest.mark.parametrize("kind, detail, failure", [
    ("Complaint", {}, "complaint"),
    ("Bounce", {"subtype": "OnAccountSuppressionList"}, "suppressed"),
])
def test_a_complaint_or_a_suppressed_address_escalates_too(client, aws, sns_to_lambda, kind, detail, failure):
    ref = submit(client)
    assert sns_to_lambda(ses_event(kind, message_id(aws, ref), AI, **detail)) == "escalated"
    assert aws.store.get(ref)["ai_mail_failure"] == failure and aws.store.get(ref)["state"] == "escalated"


def test_a_temporary_bounce_changes_nothing(client, aws, aws_env, sns_to_lambda):
    ref = submit(client)
    before = len(ses_messages(aws_env, everything=True))
    assert sns_to_lambda(ses_event("Bounce", message_id(aws, ref), AI, bounce_type="Transient")) == "ignored"
    assert aws.store.get(ref)["state"] == "sent" and len(ses_messages(aws_env, everything=True)) == before


def test_a_bounce_on_the_households_address_cancels_the_question_only(client, aws, sns_to_lambda):
    ref = submit(client)
    assert aws.store.get(ref)["due"] == "reminder" and aws.store.get(ref)["followup_wanted"]
    assert sns_to_lambda(ses_event("Bounce", message_id(aws, ref, "acknowledged"), HOUSEHOLD)) == "noted"
    record = aws.store.get(ref)
    assert record["household_unreachable"] and record["state"] == "sent" and aws.queue() == []
    from chalicelib.requests.lifecycle import schedule
    assert "followup" not in schedule(record, aws.policy)


def test_unknown_messages_and_other_events_are_ignored(client, aws, sns_to_lambda):
    ref = submit(client)
    assert sns_to_lambda(ses_event("Bounce", "0100-not-ours", AI)) == "unknown"
    assert sns_to_lambda(ses_event("Send", message_id(aws, ref), AI)) == "ignored"
    assert sns_to_lambda("ceci n'est pas du JSON") == "ignored"
    assert sns_to_lambda({"eventType": "Bounce", "mail": {}}) == "ignored"
    assert aws.store.get(ref)["state"] == "sent"


def test_locally_a_dead_mailbox_answering_550_is_the_same_bounce(client, tmp_path, smtp_server):
    smtp_server.dead.add(AI)
    local = Local(tmp_path)
    local.service.mailer = SmtpMailer("127.0.0.1", smtp_server.port)
    functions_app.set_service(local.service)
    try:
        reply = client.post("/rappel", rappel_fields(suivi="oui"), as_json=True)
        assert reply.status == 200 and reply.json()["statut"] == "enregistre"   # not with the AI: said plainly
        [record] = local.rows()
        assert record["state"] == "escalated" and record["ai_mail_failure"] == "bounce"
        assert not record.get("ai_sent_at") and record["due"] != "retry"      # no retry into a dead mailbox
        received = [(rcpt[0], str(msg["Subject"])) for rcpt, msg in smtp_server.received]
        assert received[0] == (CELL, "Adresse en échec : Association intermédiaire du Grand Périgueux ne reçoit "
                                     "plus les demandes")
        assert received[1][0] == CELL and received[1][1].startswith("Fiche de liaison – L'adresse de l'association")
        assert received[2][0] == HOUSEHOLD
        ack = plain(bodies(smtp_server.received[2][1])[0])
        # the cell, not the AI whose mailbox is dead, makes the promise (intake/promise.py: channel and last day)
        assert re.search(r"ne pouvant pas la recevoir pour l'instant, la cellule régionale .+ vous recontactera par "
                         r"\S+ au plus tard le \w+ \d+ \w+\.", ack), ack
        assert "550" in plain(bodies(smtp_server.received[1][1])[0])

        second = client.post("/rappel", rappel_fields(nom="Marie Durand", email="marie@example.org"), as_json=True)
        assert second.status == 200
        subjects = [str(msg["Subject"]) for _, msg in smtp_server.received]
        assert sum(s.startswith("Adresse en échec") for s in subjects) == 1      # one alert a day per AI
        assert sum(s.startswith("Fiche de liaison") for s in subjects) == 2      # each request to the cell
    finally:
        functions_app.set_service(None)


def test_when_the_cells_own_address_refuses_a_liaison_sheet_aais_other_addresses_and_the_queue_say_so(
        client, tmp_path, smtp_server):
    from support_backoffice import OPERATOR, sign_in
    from chalicelib.requests import lifecycle
    smtp_server.dead.add(CELL)
    local = Local(tmp_path)
    local.service.mailer = SmtpMailer("127.0.0.1", smtp_server.port)
    functions_app.set_service(local.service)
    try:
        ref = client.post("/rappel", rappel_fields(), as_json=True).json()["reference"]
        local.service.act(ref, lifecycle.actor("system"), "escalated", reason="deadline")
        record = local.store.get(ref)
        assert record["cell_mail_failed_at"] and record["cell_mail_failure"] == "bounce"
        alerts = [(rcpt, msg) for rcpt, msg in smtp_server.received
                  if "ne reçoit plus les fiches" in str(msg["Subject"])]
        [(recipients, alert)] = alerts
        assert sorted(recipients) == [OPERATOR, "marc.etcheverry@aai-aquitaine.example.org"]
        text = plain(bodies(alert)[0])
        assert CELL in text and ref in text and "forms_email" in text and "550" in text
        # Twice the same refusal: one alert a day, not two.
        local.service.change(local.store.get(ref), "escalation_notified", lifecycle.actor("system"))
        local.service.act(ref, lifecycle.actor("system"), "escalated", reason="household")
        assert len([m for _, m in smtp_server.received if "ne reçoit plus les fiches" in str(m["Subject"])]) == 1

        local.service.mailer = local.mailer   # sign in through the outbox
        queue = sign_in(client, local, OPERATOR).get("/espace/file")
        assert queue.status == 200
        assert "L'adresse de la cellule refuse les fiches de liaison" in plain(queue.text)
        assert f"envoyée à {CELL} pour la demande {ref}" in plain(queue.text)
    finally:
        functions_app.set_service(None)


def test_a_refusal_from_the_households_server_is_not_retried(client, tmp_path, smtp_server):
    smtp_server.dead.add(HOUSEHOLD)
    local = Local(tmp_path)
    local.service.mailer = SmtpMailer("127.0.0.1", smtp_server.port)
    functions_app.set_service(local.service)
    try:
        fields = rappel_fields(suivi="oui", mode_contact="telephone")   # e-mails only (see submit)
        assert client.post("/rappel", fields, as_json=True).json()["statut"] == "envoye"
        [record] = local.rows()
        assert record["household_unreachable"] and record["state"] == "delivered" and record["due"] == "reminder"
        assert [rcpt for rcpt, _ in smtp_server.received] == [[AI]]
    finally:
        functions_app.set_service(None)
