"""The organisation's invite link: how annotators join a Label Studio whose open sign-up is closed.

The embedded server closes sign-up (``LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK``); an annotator opens the invite
link, picks an email and a password, and joins the organisation, so the project's tasks reach them. Anyone who
holds the link can join: hand it out like a password, and reset it to revoke the old one.
"""

from __future__ import annotations

from counterclaim.studio.client import api_call


def invite_link(ls, base_url: str, *, reset: bool = False) -> str:
    """The full invite URL (with ``reset``: a new token first, so the old link stops working)."""
    if reset:
        invite = api_call("reset the invite link", ls.organizations.reset_token)
    else:
        invite = api_call("get the invite link", ls.organizations.invites.get_invite_link)
    return base_url.rstrip("/") + invite.invite_url
