from django.urls import path

from . import views

urlpatterns = [
    path("", views.billing_overview, name="billing_overview"),
    path("verdeelsleutel/nieuw/", views.cost_key_edit, name="billing_cost_key_create"),
    path("verdeelsleutel/<int:pk>/", views.cost_key_edit, name="billing_cost_key_edit"),
    path("factuurgegevens/", views.billing_profile_edit, name="billing_profile"),
    path("runs/nieuw/", views.run_create, name="billing_run_create"),
    path("runs/<int:pk>/", views.run_detail, name="billing_run"),
    path("runs/<int:pk>/uitgeven/", views.run_issue_all, name="billing_run_issue"),
    path("<int:pk>/", views.invoice_detail, name="billing_invoice"),
    path("<int:pk>/pdf/", views.invoice_pdf, name="billing_invoice_pdf"),
    path("<int:pk>/<slug:action>/", views.invoice_action, name="billing_invoice_action"),
]
