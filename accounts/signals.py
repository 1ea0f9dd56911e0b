"""Receivers: record sessions at login, forget them at logout, end them at deactivation,
and log a lockout."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from .sessions import forget_session, record_session, sessions_end_all, stamp_login

logger = logging.getLogger("accounts.security")


@receiver(user_logged_in, dispatch_uid="accounts_logged_in")
def on_login(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    stamp_login(request)
    record_session(request, user)
    logger.info("login user=%s", user.pk)


@receiver(user_logged_out, dispatch_uid="accounts_logged_out")
def on_logout(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        forget_session(request.session.session_key)


@receiver(post_save, sender=get_user_model(), dispatch_uid="accounts_deactivated")
def on_user_saved(sender, instance, created, **kwargs) -> None:
    if not created and not instance.is_active:
        ended = sessions_end_all(user=instance)
        if ended:
            logger.info("deactivated user=%s sessions_ended=%d", instance.pk, ended)


@receiver(user_locked_out, dispatch_uid="accounts_locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    logger.warning("lockout username=%r ip=%s", username, ip_address)
