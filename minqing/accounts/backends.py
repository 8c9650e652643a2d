"""The signed-in user of every page, kept per process.

Every page of a signed-in worker read the user by the session's id and then the user's grants: two queries
and ~0.7 ms of CPU on each request, a fifteenth of a demand list's (issue 19). The user and the grants are kept
like an API token's owner (core.ttlcache): for ten seconds at most, and a saved or deleted user or role
assignment (a deactivation, a changed password, a revoked grant) clears every process's copy on the host within
about a second. Django still checks the session against the password hash on every request, and each request
gets its own copy of the user, so nothing one request sets on it reaches another.
"""
from django.contrib.auth.backends import ModelBackend

from minqing.core.ttlcache import TtlCache, detached, watch

from .models import RoleAssignment, User
from .policy import grants_of

_SIGNED_IN = TtlCache("signed-in users with their grants", ttl=10)
watch(User, RoleAssignment)


class KeptUserBackend(ModelBackend):
    """Django's ModelBackend, whose `get_user` (the session's user, on every request) is kept per process."""

    def get_user(self, user_id):
        return detached(_SIGNED_IN.get(str(user_id), lambda: self._user_with_grants(user_id)))

    def _user_with_grants(self, user_id):
        user = super().get_user(user_id)
        if user is not None:
            grants_of(user)  # loaded now, so they are kept with the user
        return user
