"""staff pages (being built)."""

urlpatterns = []
