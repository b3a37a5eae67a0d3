"""A small data set for the fault tests, made through the real services:
``python -m tests.ops.seed`` (with ``DATABASE_URL`` and ``DJANGO_MEDIA_ROOT`` of the
throwaway servers) prints one JSON line with what the tests need.

Made: one session, a staff member and a clerk with API tokens, ``SUBMITTED``
suggestions waiting for staff (register, then assign), and ``REPLIED`` suggestions
whose reply letters are uploaded files (for the backup test), plus a worker heartbeat.
"""

import json
import os

import django

SUBMITTED = 100
REPLIED = 3
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def main() -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from accounts.tokens import token_issue
    from congress.models import WorkerHeartbeat
    from tests.factories import PASSWORD, Journey

    journey = Journey(cosigner=False)
    journey.session.is_current = True
    journey.session.save(update_fields=["is_current"])
    # Created before any copy: the suggestions taken by the tests come last.
    replied = []
    for i in range(REPLIED):
        journey.create(title=f"关于改善第{i + 1}条公交线路的建议")
        journey.submit()
        journey.register()
        journey.assign()
        journey.acknowledge()
        journey.reply(
            letter=SimpleUploadedFile(f"答复函{i + 1}.pdf", PDF + str(i).encode())
        )
        replied.append(journey.suggestion.pk)
    submitted = []
    for i in range(SUBMITTED):
        journey.create(title=f"关于加快第{i + 1}批老旧小区改造的建议")
        journey.submit()
        submitted.append(journey.suggestion.pk)
    WorkerHeartbeat.objects.update_or_create(
        name="worker", defaults={"beat_at": timezone.now()}
    )
    return {
        "session": journey.session.pk,
        "category": journey.category.pk,
        "unit": journey.unit.pk,
        "staff": journey.staff.username,
        "staff_token": token_issue(user=journey.staff)[0],
        "clerk": journey.clerk.username,
        "clerk_email": journey.clerk.email,
        "deputy": journey.deputy.username,
        "password": PASSWORD,
        "submitted": submitted,
        "replied": replied,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    print(json.dumps(main()))
