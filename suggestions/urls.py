from .views import common, deputy, staff, unit

app_name = "suggestions"

urlpatterns = [
    *common.urlpatterns,
    *deputy.urlpatterns,
    *staff.urlpatterns,
    *unit.urlpatterns,
]
