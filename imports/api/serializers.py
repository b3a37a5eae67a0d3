from django.utils.translation import gettext as _
from rest_framework import serializers

from ..columns import Kind
from ..forms import MAX_UPLOAD


class ImportInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(Kind.ALL))
    file = serializers.FileField(help_text="The filled-in template (.xlsx).")
    dry_run = serializers.BooleanField(
        default=True,
        help_text="true (the default): check and report, write nothing. false: "
        "write every row, or nothing when any row is bad (400).",
    )
    body = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The congress body to import into, one the caller is staff of; "
        "may be left out by the staff of one body.",
    )

    def validate_file(self, file):
        if file.size > MAX_UPLOAD:
            raise serializers.ValidationError(_("The file is larger than 20 MB."))
        return file


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row's number in the workbook.")
    column = serializers.CharField(help_text="The column's header (empty: the file).")
    message = serializers.CharField(help_text="In the request's language.")


class ImportReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)
