from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

import claims.api.schema  # noqa: F401  (registers the schema's extension for the filters)
from claims.health import healthz

urlpatterns = [
    path("", RedirectView.as_view(url="/api/", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Split: its settings come as a script file of their own, not inline (the CSP allows none).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("claims.api.urls")),
]

# JSON under /api/ for what no DRF view answers (claims.api.exceptions).
handler400 = "claims.api.exceptions.bad_request"
handler404 = "claims.api.exceptions.page_not_found"
handler500 = "claims.api.exceptions.server_error"
