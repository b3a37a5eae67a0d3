"""deputy pages (being built)."""

urlpatterns = []
