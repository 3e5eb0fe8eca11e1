"""Sharing check-in answers now means naming them: the switch and the ticked answers agree.

A side switched on with nothing ticked keeps sharing exactly what its person has already shared
on that connection's check-ins (those answers become the ticked ones); if they never shared
anything, the switch goes off. A side switched off forgets its ticks. Nothing becomes visible
that was not before, and nothing visible is hidden.
"""

from django.db import migrations

SHAREABLE = ["mood", "feelings", "wants_care", "fun", "next_time", "not_right", "need_now"]


def switch_follows_answers(apps, schema_editor):
    ConnectionSide = apps.get_model("partners", "ConnectionSide")
    CheckIn = apps.get_model("checkins", "CheckIn")
    for side in ConnectionSide.objects.all().iterator():
        if not side.share_checkins:
            if side.shared_answers:
                side.shared_answers = []
                side.save(update_fields=["shared_answers"])
            continue
        if side.shared_answers:
            continue
        shared_before = set()
        checkins = CheckIn.objects.filter(
            person_id=side.person_id, encounter__connections=side.connection_id
        )
        for shared in checkins.values_list("shared", flat=True):
            shared_before.update(shared or [])
        side.shared_answers = [key for key in SHAREABLE if key in shared_before]
        side.share_checkins = bool(side.shared_answers)
        side.save(update_fields=["shared_answers", "share_checkins"])


class Migration(migrations.Migration):
    dependencies = [
        ("checkins", "0007_checkin_care_given"),
        ("partners", "0009_checkin_sharing_starts_off"),
    ]

    operations = [migrations.RunPython(switch_follows_answers, migrations.RunPython.noop)]
