from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "xuncha.findings"
    label = "findings"
    verbose_name = "疑点核实与问题清单"

    def ready(self):
        from xuncha.core import navigation
        from xuncha.policy.findings import problem_policy
        from xuncha.reports import archive as report_archive
        from xuncha.reports import panels as report_panels

        from .archive import onsite_items
        from .panels import todo_items

        navigation.register(navigation.NavItem(
            "问题清单", "findings:index", lambda user: problem_policy.can(user, "view"), order=47))
        report_panels.TODO_SOURCES.append(todo_items)
        report_archive.ARCHIVE_SOURCES.append(onsite_items)
