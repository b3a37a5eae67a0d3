"""Posting the site's forms the way a browser does after opening their page: with a
one-time form token (common/once.py) issued to the signed-in user."""

from django.test import Client

from common.once import FIELD, issue


def with_token(user, data: dict | None = None) -> dict:
    """``data`` with a fresh one-time token for ``user``, as a rendered form has."""
    return {**(data or {}), FIELD: issue(user)}


class FormClient(Client):
    """A test client whose form POSTs carry a fresh one-time token for the user it
    signed in, unless the test gives one (or ``form_token=None`` to send none)."""

    user = None

    def force_login(self, user, backend=None):
        self.user = user
        super().force_login(user, backend)

    def post(self, path, data=None, *args, **kwargs):
        if self.user is not None and (data is None or isinstance(data, dict)):
            data = dict(data or {})
            if FIELD not in data:
                data[FIELD] = issue(self.user)
            elif data[FIELD] is None:
                del data[FIELD]
        return super().post(path, data, *args, **kwargs)
