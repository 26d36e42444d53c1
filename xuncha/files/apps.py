from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "xuncha.files"
    label = "files"
    verbose_name = "上传文件"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .permissions import secure_database_files

        connection_created.connect(secure_database_files, dispatch_uid="xuncha-private-db-files")
