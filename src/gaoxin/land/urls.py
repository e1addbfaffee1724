from django.urls import path

from . import views

app_name = "land"
urlpatterns = [
    path("parcels/", views.parcel_list, name="parcel_list"),
    path("parcels/add/", views.parcel_add, name="parcel_add"),
    path("parcels/<int:pk>/", views.parcel_detail, name="parcel_detail"),
    path("parcels/<int:pk>/edit/", views.parcel_edit, name="parcel_edit"),
    path("parcels/<int:pk>/delete/", views.parcel_delete, name="parcel_delete"),
    path("buildings/", views.building_list, name="building_list"),
    path("buildings/add/", views.building_add, name="building_add"),
    path("buildings/<int:pk>/", views.building_detail, name="building_detail"),
    path("buildings/<int:pk>/edit/", views.building_edit, name="building_edit"),
    path("buildings/<int:pk>/delete/", views.building_delete, name="building_delete"),
    path("buildings/<int:pk>/floors/add/", views.floor_add, name="floor_add"),
    path("floors/<int:pk>/delete/", views.floor_delete, name="floor_delete"),
    path("floors/<int:pk>/units/add/", views.unit_add, name="unit_add"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/delete/", views.unit_delete, name="unit_delete"),
    path("units/<int:pk>/leases/add/", views.lease_add, name="lease_add"),
    path("leases/<int:pk>/edit/", views.lease_edit, name="lease_edit"),
    path("leases/<int:pk>/delete/", views.lease_delete, name="lease_delete"),
]
