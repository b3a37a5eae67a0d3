from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="events"),
    path("lockouts/", views.lockout_list, name="lockouts"),
    path("lockouts/<int:pk>/lift/", views.lockout_lift, name="lockout-lift"),
]
