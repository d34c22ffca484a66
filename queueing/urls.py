"""Mounted at queue/: public pages per hall (jurisdiction code) and the desk."""

from django.urls import path

from .views import desk, public

app_name = "queueing"

urlpatterns = [
    path("desk/", desk.desk, name="desk"),
    path("desk/window/", desk.choose_window, name="desk_window"),
    path("desk/call/", desk.call_next, name="desk_call"),
    path("desk/tickets/<int:pk>/<slug:action>/", desk.ticket_action, name="desk_ticket"),
    path("<str:jurisdiction_code>/kiosk/", public.kiosk, name="kiosk"),
    path("<str:jurisdiction_code>/ticket/<str:token>/", public.ticket, name="ticket"),
    path("<str:jurisdiction_code>/display/", public.display, name="display"),
    path("<str:jurisdiction_code>/display.json", public.display_json, name="display_json"),
]
