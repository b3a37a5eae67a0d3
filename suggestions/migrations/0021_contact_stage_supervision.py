"""The three meetings (三见面) and the leaders' part in key suggestions.

Contacts get their stage: those recorded before stages existed become "before
replying" (the field's default fills them): the one contact the project asked for
was the one the law expects before the reply, and so no assignment that had met
its deputy is refused its reply by the new default rule (docs/decisions.md).
The leading leader (领办领导) and the supervision activities are tables of their
own: the suggestion's table, and its triggers, are untouched.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('suggestions', '0020_handling_plan'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HandlingLeader',
            fields=[
                ('suggestion', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='handling_leader', serialize=False, to='suggestions.suggestion', verbose_name='suggestion')),
                ('name', models.CharField(max_length=50, verbose_name='leading leader')),
                ('post', models.CharField(blank=True, max_length=100, verbose_name='post')),
                ('set_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='set')),
            ],
            options={
                'verbose_name': 'leading leader',
                'verbose_name_plural': 'leading leaders',
            },
        ),
        migrations.CreateModel(
            name='SupervisionActivity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('visit', 'Research visit'), ('forum', 'Forum'), ('on_site', 'On-site supervision')], max_length=10, verbose_name='kind')),
                ('held_on', models.DateField(verbose_name='held on')),
                ('place', models.CharField(max_length=200, verbose_name='place')),
                ('participants', models.TextField(blank=True, verbose_name='participants')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded')),
            ],
            options={
                'verbose_name': 'supervision activity',
                'verbose_name_plural': 'supervision activities',
                'ordering': ['held_on', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='contactrecord',
            name='stage',
            field=models.CharField(choices=[('before', 'Before handling'), ('during', 'During handling'), ('before_reply', 'Before replying')], default='before_reply', max_length=16, verbose_name='stage'),
        ),
        migrations.AddConstraint(
            model_name='contactrecord',
            constraint=models.CheckConstraint(condition=models.Q(('stage__in', ['before', 'during', 'before_reply'])), name='contact_stage_valid'),
        ),
        migrations.AddField(
            model_name='handlingleader',
            name='set_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='set by'),
        ),
        migrations.AddField(
            model_name='supervisionactivity',
            name='recorded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AddField(
            model_name='supervisionactivity',
            name='suggestion',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='supervision_activities', to='suggestions.suggestion', verbose_name='suggestion'),
        ),
        migrations.AddConstraint(
            model_name='supervisionactivity',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['visit', 'forum', 'on_site'])), name='supervision_kind_valid'),
        ),
    ]
