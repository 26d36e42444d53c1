from django.urls import path

from . import views, views_taxonomy

app_name = "rounds"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("new/", views.round_create, name="create"),
    path("briefing/", views.briefing, name="briefing"),
    path("briefing.docx", views.briefing_docx, name="briefing_docx"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/edit/", views.round_edit, name="edit"),
    path("<int:pk>/linked/", views.round_linked, name="linked"),
    path("<int:pk>/timeline/", views.round_timeline, name="timeline"),
    path("<int:pk>/team/", views.round_team, name="team"),
    path("<int:pk>/team/<int:member_id>/remove/", views.round_team_remove, name="team_remove"),
    path("<int:pk>/targets/", views.round_targets, name="targets"),
    path("<int:pk>/recusal/", views.round_recusal_exception, name="recusal_exception"),
    path("<int:pk>/announcement/", views.round_announcement, name="announcement"),
    path("<int:pk>/do/<str:action>/", views.round_transition, name="transition"),
    path("<int:pk>/worklogs/", views.round_worklogs, name="worklogs"),
    path("<int:pk>/inquiries/", views.round_inquiries, name="inquiries"),
    path("<int:pk>/inquiries/<int:inquiry_id>/reply/", views.inquiry_reply, name="inquiry_reply"),
    path("public/<int:pk>/", views.public_announcement, name="public_announcement"),
    path("taxonomies/", views_taxonomy.taxonomy_list, name="taxonomies"),
    path("taxonomies/new/", views_taxonomy.taxonomy_edit, name="taxonomy_create"),
    path("taxonomies/<int:pk>/", views_taxonomy.taxonomy_detail, name="taxonomy"),
    path("taxonomies/<int:pk>/edit/", views_taxonomy.taxonomy_edit, name="taxonomy_edit"),
    path("taxonomies/<int:pk>/copy/", views_taxonomy.taxonomy_copy, name="taxonomy_copy"),
    path("taxonomies/<int:pk>/categories/new/", views_taxonomy.category_edit, name="category_create"),
    path("taxonomies/<int:pk>/categories/<int:category_id>/", views_taxonomy.category_edit,
         name="category_edit"),
    path("taxonomies/<int:pk>/categories/<int:category_id>/delete/", views_taxonomy.category_delete,
         name="category_delete"),
]
