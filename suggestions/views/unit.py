"""unit pages (being built)."""

urlpatterns = []
