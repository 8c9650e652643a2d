from django.db import router

from .models import Notification


def notification_list(*, actor, unread_only: bool = False):
    items = Notification.objects.filter(user=actor)
    return items.filter(read_at__isnull=True) if unread_only else items


def notification_unread_count(*, actor) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).count()


def request_unread_count(request) -> int:
    """The unread count once per request: the header badge and the home panel both show it. Counted
    with the request's other deferred counts (the home panels'), when first read; as written SQL, since every
    page counts it (the rows of `notification_list(unread_only=True)`: tested to agree)."""
    from minqing.core.counts import CountSql, request_counts

    if getattr(request, "_unread_count", None) is None:
        request._unread_count = request_counts(request).add(CountSql(
            f"SELECT id FROM {Notification._meta.db_table} WHERE user_id = %s AND read_at IS NULL",
            (request.user.pk,), router.db_for_read(Notification)))
    return request._unread_count


def notification_panel(request) -> dict:
    return {"notifications": list(notification_list(actor=request.user, unread_only=True)[:8]),
            "unread_count": request_unread_count(request)}
