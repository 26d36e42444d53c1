from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("rows/<str:figure>/", views.rows, name="rows"),
    path("export.docx", views.export_docx, name="export_docx"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
]
