"""Following a public report and area alerts, by email, without an account.

Double opt-in: a signed link confirms the address; every email carries a signed
one-click unsubscribe link. The links carry the row's id and its secret, never
the address. Emails are rendered in the language the person used when
subscribing, and name nobody: no reporter, no other follower.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.conversation import ConversationError
from feedback.conversation_models import AreaAlert, Follow, Subscription, new_secret
from feedback.models import Category, Report, Status, StatusChange
from feedback.notifications import public_url
from portal.lib.emails import one_click_unsubscribe, send_after_commit

SALT = "feedback.follows"
CONFIRM_MAX_AGE = 7 * 24 * 3600  # seconds a confirmation link stays valid
KINDS: dict[str, type[Subscription]] = {"f": Follow, "a": AreaAlert}
CONFIRM, UNSUBSCRIBE = "c", "u"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def make_token(subscription: Subscription, action: str) -> str:
    kind = "f" if isinstance(subscription, Follow) else "a"
    return signing.dumps(
        [kind, subscription.pk, subscription.secret, action], salt=SALT
    )


def read_token(token: str, action: str) -> Subscription | None:
    """The subscription a link names, or None for a forged, expired or stale one."""
    try:
        kind, pk, secret, signed_action = signing.loads(
            token,
            salt=SALT,
            max_age=CONFIRM_MAX_AGE if action == CONFIRM else None,
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    model = KINDS.get(kind)
    if model is None or signed_action != action:
        return None
    subscription: Subscription | None = model._default_manager.filter(
        pk=pk, secret=secret
    ).first()
    return subscription


def confirm_link(subscription: Subscription) -> str:
    return _absolute(
        reverse("feedback:follow_confirm", args=[make_token(subscription, CONFIRM)])
    )


def unsubscribe_link(subscription: Subscription) -> str:
    return _absolute(
        reverse(
            "feedback:follow_unsubscribe",
            args=[make_token(subscription, UNSUBSCRIBE)],
        )
    )


def is_public(report: Report) -> bool:
    return Report.objects.public().filter(pk=report.pk).exists()


def _send(template: str, subscription: Subscription, context: dict[str, Any]) -> None:
    unsubscribe_url = unsubscribe_link(subscription)
    send_after_commit(
        template,
        subscription.email,
        {**context, "unsubscribe_url": unsubscribe_url},
        language=subscription.language,
        headers=one_click_unsubscribe(unsubscribe_url),
    )


def _restart(subscription: Subscription, language: str) -> None:
    """A fresh opt-in for an address that had left or never confirmed."""
    subscription.secret = new_secret()
    subscription.language = language
    subscription.confirmed_at = None
    subscription.unsubscribed_at = None
    subscription.created_at = timezone.now()
    subscription.save()


@transaction.atomic
def follow_report(*, report: Report, email: str, language: str) -> Follow:
    """Ask to follow a public report; a confirmation email goes out.

    An address already following gets nothing new (the page says the same
    either way, so it tells nobody who follows what).
    """
    if not is_public(report):
        raise ConversationError(_("Chỉ theo dõi được phản ánh đang công khai."))
    email = email.strip()
    follow = (
        Follow.objects.select_for_update()
        .filter(report=report, email__iexact=email)
        .first()
    )
    if follow is not None and follow.is_active:
        return follow
    if follow is None:
        try:
            with transaction.atomic():
                follow = Follow.objects.create(
                    report=report, email=email, language=language
                )
        except IntegrityError:
            # The same address, a moment earlier (a double click): one opt-in.
            return Follow.objects.get(report=report, email__iexact=email)
    else:
        _restart(follow, language)
    _send(
        "follow-confirm",
        follow,
        {
            "report": report,
            "confirm_url": confirm_link(follow),
            "public_url": public_url(report),
        },
    )
    return follow


@transaction.atomic
def subscribe_area(
    *, email: str, commune_code: str, category: Category | None, language: str
) -> AreaAlert:
    """Ask for a daily digest of new public reports in a commune and/or category."""
    if not commune_code and category is None:
        raise ConversationError(_("Vui lòng chọn xã/phường hoặc lĩnh vực."))
    email = email.strip()
    alert = (
        AreaAlert.objects.select_for_update()
        .filter(email__iexact=email, commune_code=commune_code, category=category)
        .first()
    )
    if alert is not None and alert.is_active:
        return alert
    if alert is None:
        alert = AreaAlert.objects.create(
            email=email,
            commune_code=commune_code,
            category=category,
            language=language,
        )
    else:
        _restart(alert, language)
    _send("alert-confirm", alert, {"alert": alert, "confirm_url": confirm_link(alert)})
    return alert


@transaction.atomic
def confirm(subscription: Subscription) -> bool:
    """Confirm the address; False when it was already confirmed (or has left)."""
    model = type(subscription)
    now = timezone.now()
    done = model._default_manager.filter(
        pk=subscription.pk, confirmed_at__isnull=True, unsubscribed_at__isnull=True
    ).update(confirmed_at=now)
    if done and isinstance(subscription, AreaAlert):
        # The first digest starts from the confirmation.
        AreaAlert.objects.filter(pk=subscription.pk).update(last_sent_at=now)
    return bool(done)


@transaction.atomic
def unsubscribe(subscription: Subscription) -> bool:
    """Stop the emails; False when this link had already been used."""
    model = type(subscription)
    done = model._default_manager.filter(
        pk=subscription.pk, unsubscribed_at__isnull=True
    ).update(unsubscribed_at=timezone.now())
    return bool(done)


# -- telling followers ---------------------------------------------------------


def active_follows(report: Report) -> QuerySet[Follow]:
    return Follow.objects.filter(
        report=report, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )


def follower_count(report: Report) -> int:
    return active_follows(report).count()


def tell_status_changed(report: Report, change: StatusChange) -> None:
    """Followers hear of every status change after the first (the filing); sent
    once the move commits, by the workflow service that made it."""
    if not change.from_status:
        return
    for follow in active_follows(report):
        _send(
            "follow-status",
            follow,
            {
                "report": report,
                # Lazy: translated when rendered, in the follower's language.
                "status_label": Status(change.to_status).label,
                "public_url": public_url(report),
            },
        )


def tell_answer_published(report: Report) -> None:
    for follow in active_follows(report):
        _send(
            "follow-answer",
            follow,
            {"report": report, "public_url": public_url(report)},
        )


def tell_duplicate_filed(original: Report) -> None:
    """Another citizen reported what the followers follow: sent once the
    duplicate's rejection commits. Nothing about that citizen is in it."""
    if not original.is_public:
        return
    for follow in active_follows(original):
        _send(
            "follow-duplicate",
            follow,
            {"report": original, "public_url": public_url(original)},
        )


# -- area alerts' daily digest --------------------------------------------------


def _has_commune_field() -> bool:
    # Report.commune comes with the places app; without it no report has a
    # commune and an alert by commune matches nothing.
    return any(f.name == "commune" for f in Report._meta.get_fields())


def digest_reports(alert: AreaAlert, until: datetime) -> QuerySet[Report]:
    """Public reports accepted since the alert's last digest, in its scope."""
    since = alert.last_sent_at or alert.confirmed_at or alert.created_at
    reports = Report.objects.public().filter(
        accepted_at__gt=since, accepted_at__lte=until
    )
    if alert.category_id is not None:
        reports = reports.filter(category_id=alert.category_id)
    if alert.commune_code:
        if not _has_commune_field():
            return reports.none()
        reports = reports.filter(Q(commune_id=alert.commune_code))
    return reports.select_related("category").order_by("accepted_at", "pk")


DIGEST_MAX = 50


def send_alert_digests(now: datetime | None = None) -> int:
    """One email per confirmed alert with new reports; returns emails sent."""
    now = now or timezone.now()
    sent = 0
    alerts = AreaAlert.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).select_related("category")
    for alert in alerts.iterator():
        with transaction.atomic():
            locked = AreaAlert.objects.select_for_update().get(pk=alert.pk)
            if locked.unsubscribed_at is not None:
                continue
            reports = list(digest_reports(alert, now)[: DIGEST_MAX + 1])
            locked.last_sent_at = now
            locked.save(update_fields=["last_sent_at"])
            if not reports:
                continue
            _send(
                "alert-digest",
                alert,
                {
                    "alert": alert,
                    "reports": [
                        {"report": r, "url": public_url(r)}
                        for r in reports[:DIGEST_MAX]
                    ],
                    "more": len(reports) > DIGEST_MAX,
                },
            )
            sent += 1
    return sent
