"""Who may do what: model permissions for writes, reads for everyone."""

from __future__ import annotations

from rest_framework import permissions


class ModelPermissionsOrReadOnly(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """DRF's model permissions, anonymous reads allowed. A read asks for no permission, so
    it is let through before DRF builds the view's queryset to find the model (a clone of
    the claims queryset on every page)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS and request.user:
            return True
        return super().has_permission(request, view)


class CurationPermissions(ModelPermissionsOrReadOnly):
    """Reads for everyone; a POST that may replace what is there needs the permission to
    change as well as to add."""

    perms_map = {
        **permissions.DjangoModelPermissionsOrAnonReadOnly.perms_map,
        "POST": ["%(app_label)s.add_%(model_name)s", "%(app_label)s.change_%(model_name)s"],
    }
