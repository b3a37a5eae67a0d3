"""The API's tokens moved from DRF's ``authtoken`` app (one unhashed token per user,
never expiring) to django-rest-knox (hashed, expiring, revocable). The old tokens
are meant to stop working, so nothing is copied; their table, left behind in a
database that had the old app, is dropped here, or its foreign key to the users
would stop an account from being deleted. A database that never had it is not
touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_notification_channels"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop
        ),
    ]
