from django.urls import path

from . import views

app_name = "clues"
urlpatterns = [
    path("", views.index, name="index"),
    path("round/<int:round_id>/", views.round_list, name="round"),
    path("round/<int:round_id>/new/", views.create, name="create"),
    path("round/<int:round_id>/ledger.xlsx", views.ledger_export, name="ledger"),
    path("from-petition/<int:petition_id>/", views.from_petition, name="from_petition"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/dispose/", views.dispose, name="dispose"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("<int:pk>/handling/", views.handling, name="handling"),
    path("<int:pk>/handover/", views.handover, name="handover"),
    path("<int:pk>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
