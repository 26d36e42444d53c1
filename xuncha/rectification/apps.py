from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "xuncha.rectification"
    label = "rectification"
    verbose_name = "整改督办"

    def ready(self):
        from xuncha.core import navigation, selectors
        from xuncha.policy.rectification import sees_oversight, sees_rectification
        from xuncha.reports.archive import ARCHIVE_SOURCES
        from xuncha.rounds.guards import ARCHIVE_CHECKS

        from .archive import archive_blockers, archive_files
        from .panels import todo_panel

        if archive_blockers not in ARCHIVE_CHECKS:
            ARCHIVE_CHECKS.append(archive_blockers)
        if archive_files not in ARCHIVE_SOURCES:
            ARCHIVE_SOURCES.append(archive_files)
        navigation.register(navigation.NavItem("整改", "rectification:list", sees_rectification, order=16))
        navigation.register(navigation.NavItem("逾期督办", "rectification:oversight", sees_oversight, order=40))
        if todo_panel not in selectors.HOME_PANELS:
            selectors.HOME_PANELS.append(todo_panel)
        from .selectors import public_entry

        if public_entry not in selectors.PUBLIC_ENTRIES:
            selectors.PUBLIC_ENTRIES.append(public_entry)
