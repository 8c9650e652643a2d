from django.urls import path

from .views import excel, households, residents

app_name = "residents"
urlpatterns = [
    path("", residents.resident_search, name="search"),
    path("export.xlsx", residents.resident_export, name="export"),
    path("<int:resident_id>/", residents.resident_detail, name="detail"),
    path("<int:resident_id>/edit/", residents.resident_edit, name="edit"),
    path("<int:resident_id>/move-out/", residents.resident_move_out, name="move_out"),
    path("<int:resident_id>/move/", residents.resident_move_to, name="move_to"),
    path("<int:resident_id>/deceased/", residents.resident_deceased, name="deceased"),
    path("<int:resident_id>/tags/add/", residents.resident_tag_add, name="tag_add"),
    path("<int:resident_id>/tags/<int:resident_tag_id>/end/", residents.resident_tag_end, name="tag_end"),
    path("<int:resident_id>/reveal/", residents.resident_reveal, name="reveal"),
    path("<int:resident_id>/personal-data/", residents.resident_export_personal_data, name="personal_data"),
    path("<int:resident_id>/anonymise/", residents.resident_anonymise, name="anonymise"),
    path("households/new/", households.household_create, name="household_create"),
    path("households/<int:household_id>/", households.household_detail, name="household"),
    path("households/<int:household_id>/edit/", households.household_edit, name="household_edit"),
    path("households/<int:household_id>/head/", households.household_set_head, name="household_set_head"),
    path("households/<int:household_id>/members/new/", households.resident_create, name="resident_create"),
    path("care-tags/", households.care_tag_overview, name="care_tags"),
    path("liaison/", households.liaison_overview, name="liaison"),
    path("liaison/mine/", households.my_households, name="my_households"),
    path("liaison/<int:user_id>/", households.liaison_households, name="liaison_households"),
    path("import/", excel.import_upload, name="import"),
    path("import/confirm/", excel.import_confirm, name="import_confirm"),
    path("import/template.xlsx", excel.template_download, name="import_template"),
]
