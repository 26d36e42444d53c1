from django.urls import path

from . import views

app_name = "petitions"
urlpatterns = [
    path("", views.index, name="index"),
    path("public/", views.public_rounds, name="public_rounds"),
    path("public/<int:round_id>/", views.public_report, name="public_report"),
    path("public/receipt/", views.public_receipt, name="public_receipt"),
    path("public/follow/", views.public_follow, name="public_follow"),
    path("public/follow/view/", views.public_follow_view, name="public_follow_view"),
    path("public/follow/end/", views.public_follow_end, name="public_follow_end"),
    path("round/<int:round_id>/", views.round_list, name="round"),
    path("round/<int:round_id>/new/", views.intake, name="intake"),
    path("round/<int:round_id>/ledger.xlsx", views.ledger_export, name="ledger"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/triage/", views.triage, name="triage"),
    path("<int:pk>/classify/", views.classify, name="classify"),
    path("<int:pk>/link/", views.link, name="link"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
