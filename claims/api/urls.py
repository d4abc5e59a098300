from rest_framework.routers import DefaultRouter

from claims.api import views

router = DefaultRouter()
router.register("claims", views.ClaimViewSet)
router.register("speakers", views.SpeakerViewSet)
router.register("sources", views.SourceViewSet)
router.register("topics", views.TopicViewSet)
router.register("stances", views.StanceViewSet)

urlpatterns = router.urls
