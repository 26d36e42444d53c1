from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "xuncha.surveys"
    label = "surveys"
    verbose_name = "问卷调查与民主测评"

    def ready(self):
        from xuncha.core import navigation, selectors
        from xuncha.policy.surveys import survey_template_policy

        navigation.register(navigation.NavItem(
            "问卷模板", "surveys:templates", lambda user: survey_template_policy.can(user, "view"), order=40))
        from .panels import survey_panel

        selectors.HOME_PANELS.append(survey_panel)
        from xuncha.reports.archive import ARCHIVE_SOURCES
        from xuncha.rounds.guards import ARCHIVE_CHECKS

        from .exports import archive_files, open_surveys

        ARCHIVE_SOURCES.append(archive_files)
        ARCHIVE_CHECKS.append(open_surveys)
