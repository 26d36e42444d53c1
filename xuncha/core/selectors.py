"""Read-side queries for the platform pages (selectors read, services write)."""

from __future__ import annotations

from collections import Counter

from xuncha.policy.rounds import round_policy
from xuncha.rounds.models import Round, TeamMembership

# Other apps add panels to the home page: functions user -> dict | None (title, template, context).
HOME_PANELS: list = []


def home_panels(user) -> dict:
    rounds = (round_policy.instances(user, "view")
              .select_related("jurisdiction").order_by("-year", "-number")[:10])
    memberships = (TeamMembership.objects.filter(user=user)
                   .select_related("round").order_by("-round__year", "-round__number")[:10])
    stage_counts = None
    if round_policy.can(user, "overview"):
        counts = Counter(round_policy.instances(user, "view").values_list("stage", flat=True))
        stage_counts = [(label, counts.get(code, 0)) for code, label in Round.Stage.choices]
    extra = [panel for panel in (make(user) for make in HOME_PANELS) if panel]
    return {
        "rounds": rounds,
        "memberships": memberships,
        "stage_counts": stage_counts,
        "extra_panels": extra,
        "roles": user.role_labels,
    }


# Other apps add public entries: functions () -> dict | None (title, url, text).
PUBLIC_ENTRIES: list = []


def public_entry() -> dict:
    return {"entries": [e for e in (make() for make in PUBLIC_ENTRIES) if e]}
