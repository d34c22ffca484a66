"""Public guide pages (办事指南), mounted at /guides/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.guide_list, name="guide_list"),
    path("<slug:code>/", views.guide_detail, name="guide_detail"),
    path("<slug:code>/guide.pdf", views.guide_pdf, name="guide_pdf"),
    path(
        "<slug:code>/materials/<slug:kind>/template",
        views.material_template,
        name="material_template",
    ),
]
