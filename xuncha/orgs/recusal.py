"""回避: the ties that keep a cadre off the team inspecting a unit (seed 001: 抽调参加巡察的干部，
不再参与原单位工作事务，不得向原工作单位汇报巡察相关情况).

A cadre is tied to a unit when he works there now (his account's organisation or the 现工作单位 in
the 巡察干部库), worked there before (任职经历, with years), or a relative he declared works there.
"""

from __future__ import annotations

from .models import InspectorProfile


def ties(user, organizations) -> list[str]:
    """Sentences naming each tie of ``user`` to one of ``organizations`` (empty: no 回避)."""
    orgs = {o.pk: o for o in organizations}
    if not orgs:
        return []
    found = []
    if user.organization_id in orgs:
        found.append(f"本人所在单位“{orgs[user.organization_id].name}”是被巡察单位")
    profile = InspectorProfile.objects.filter(user=user).first()
    if profile is None:
        return found
    if profile.home_unit_id in orgs and profile.home_unit_id != user.organization_id:
        since = f"（{profile.home_since}年起）" if profile.home_since else ""
        found.append(f"现工作单位“{orgs[profile.home_unit_id].name}”{since}是被巡察单位")
    for c in profile.career.filter(organization_id__in=orgs):
        post = f"任{c.post}" if c.post else "工作"
        found.append(f"{c.start_year}—{c.end_year}年曾在被巡察单位“{orgs[c.organization_id].name}”{post}")
    for r in profile.relatives.filter(organization_id__in=orgs):
        post = f"任{r.post}" if r.post else "工作"
        found.append(f"{r.get_relation_display()}{r.name}在被巡察单位“{orgs[r.organization_id].name}”{post}")
    return found
