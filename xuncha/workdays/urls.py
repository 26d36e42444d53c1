from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_home, name="home"),
    path("days/add/", views.day_add, name="day_add"),
    path("days/<int:pk>/delete/", views.day_delete, name="day_delete"),
    path("years/mark/", views.year_mark, name="year_mark"),
    path("years/<int:pk>/unmark/", views.year_unmark, name="year_unmark"),
]
