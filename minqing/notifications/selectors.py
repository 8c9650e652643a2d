from .models import Notification


def notification_list(*, actor, unread_only: bool = False):
    items = Notification.objects.filter(user=actor)
    return items.filter(read_at__isnull=True) if unread_only else items


def notification_unread_count(*, actor) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).count()


def request_unread_count(request) -> int:
    """The unread count once per request: the header badge and the home panel both show it. Counted
    with the request's other deferred counts (the home panels'), when first read."""
    from minqing.core.counts import request_counts

    if getattr(request, "_unread_count", None) is None:
        request._unread_count = request_counts(request).add(
            notification_list(actor=request.user, unread_only=True))
    return request._unread_count


def notification_panel(request) -> dict:
    return {"notifications": list(notification_list(actor=request.user, unread_only=True)[:8]),
            "unread_count": request_unread_count(request)}
