"""REST API of the members app: serializers and viewsets, registered in ``bacuda_portal.api``."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from bacuda_portal.core.api_fields import FieldsBuiltOnceMixin

from . import access, selectors
from .models import Administration, ContactPoint, Region


class RegionSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name_en", "name_fr", "member_count"]


class AdministrationSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_member = serializers.BooleanField(read_only=True)

    class Meta:
        model = Administration
        fields = [
            "code",
            "iso_alpha2",
            "iso_alpha3",
            "iso_numeric",
            "name_en",
            "name_fr",
            "region",
            "kind",
            "joined_year",
            "is_member",
            "retired_on",
        ]


class ContactPointSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    administration = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ContactPoint
        fields = ["id", "full_name", "email", "administration", "role", "position", "active_from", "active_to"]


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    is_wco_staff = serializers.BooleanField()
    administration = AdministrationSerializer(allow_null=True)


class AdministrationFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code")
    current = django_filters.BooleanFilter(
        field_name="retired_on", lookup_expr="isnull", label=_("Current WCO Members only")
    )

    class Meta:
        model = Administration
        fields = ["region", "kind", "current"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The six WCO regions (public reference data)."""

    serializer_class = RegionSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return selectors.regions()


class AdministrationViewSet(viewsets.ReadOnlyModelViewSet):
    """WCO Member administrations (public reference data: names, codes, regions)."""

    serializer_class = AdministrationSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"
    filterset_class = AdministrationFilter
    search_fields = ["name_en", "name_fr", "code", "iso_alpha2"]
    ordering_fields = ["name_en", "code"]
    queryset = Administration.objects.select_related("region").order_by("name_en")


class ContactPointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Active contact points: staff see all; a contact point sees their own administration's only."""

    serializer_class = ContactPointSerializer
    filterset_fields = ["role"]
    search_fields = ["user__full_name", "user__email"]

    def get_queryset(self):
        return (
            access.contact_points_visible_to(self.request.user)
            .active()
            .select_related("user", "administration")
            .order_by("administration__name_en", "user__full_name")
        )


class MeView(APIView):
    """The signed-in user: role and, for a contact point, their administration."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        data = {
            "email": user.email,
            "full_name": user.full_name,
            "role": user.role,
            "is_wco_staff": access.is_wco_staff(user),
            "administration": access.administration_of(user),
        }
        return Response(MeSerializer(data).data)
